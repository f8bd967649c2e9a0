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


# Rules that need the source texts (--archive): without them they do not run, and say so.
ARCHIVE_RULES = ("ATL505", "ATL506", "ATL508")


def summary(problems: list[Problem], pages: int, claims: int, archive: bool = True) -> str:
    skipped = "" if archive else (f"; quotes NOT verified: {', '.join(ARCHIVE_RULES)} did not run "
                                  "(no --archive folder of source texts)")
    if not problems:
        return f"clean: {pages} pages, {claims} claims checked{skipped}"
    files = len({p.path for p in problems})
    return f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {files} file{'s' if files != 1 else ''}{skipped}"
