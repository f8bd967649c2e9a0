"""When each page last changed, from git: the home page's "latest changes".

A ledger's or a checks file's change counts for its article page: that is where a reader sees it.
One `git log` for the whole tree; without git (a bare copy), there is no history and the block says so.
"""
from __future__ import annotations

import subprocess

from .model import Site


def last_changed(site: Site) -> dict[str, str]:
    """{path: YYYY-MM-DD of the last commit touching it}, for files under docs/ and data/."""
    def load() -> dict[str, str]:
        try:
            r = subprocess.run(["git", "log", "--name-only", "--format=%x00%cs", "--", "docs", "data"],
                               cwd=site.root, capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.SubprocessError):
            return {}
        if r.returncode != 0:
            return {}
        out: dict[str, str] = {}
        for chunk in r.stdout.split("\x00")[1:]:
            lines = [l for l in chunk.split("\n") if l.strip()]
            if not lines:
                continue
            date, files = lines[0], lines[1:]
            for f in files:
                out.setdefault(f, date)
        return out

    return site._memo("last_changed", load)


def recent_pages(site: Site, lang: str, n: int = 8) -> list[tuple[str, object]]:
    """The n article, domain and theme pages of a language that changed last, newest first."""
    dates = last_changed(site)
    best: dict[str, tuple[str, object]] = {}
    for page in site.lang_pages(lang):
        if page.section not in ("articles", "domains", "themes") or not page.slug:
            continue
        when = [dates.get(page.path, "")]
        sid = getattr(page.meta, "source", None)
        if sid:
            when += [dates.get(f"data/claims/{sid}.yml", ""), dates.get(f"data/checks/{sid}.yml", "")]
        if max(when):
            best[page.path] = (max(when), page)
    return sorted(best.values(), key=lambda x: (x[0], x[1].path), reverse=True)[:n]
