"""Problem output: `path:line:col: RULE message` lines, or GitHub Actions annotations."""
from __future__ import annotations

from .model import Problem
from .rules import RULES


def text_lines(problems: list[Problem]) -> list[str]:
    return [f"{p.path}:{p.line}:{p.col}: {p.rule} {p.message}" for p in problems]


def github_lines(problems: list[Problem]) -> list[str]:
    def esc(s: str) -> str:  # the escaping GitHub's workflow commands require
        return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    return [
        f"::error file={esc(p.path)},line={p.line},col={p.col},title={p.rule} {esc(RULES.get(p.rule, ''))}::"
        f"{esc(p.message)}"
        for p in problems
    ]


def summary(problems: list[Problem], pages: int, claims: int) -> str:
    if not problems:
        return f"clean: {pages} pages, {claims} claims checked"
    files = len({p.path for p in problems})
    return f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {files} file{'s' if files != 1 else ''}"
