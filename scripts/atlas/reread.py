"""After a clean check: the hand-written pages that new or changed claims touch.

A checker cannot judge prose, but it knows which claims changed since the last commit (git) and
which domain, theme and comparison pages show them. Their hand-written sections ("the articles
name only one foreign maker", "five articles") may have become wrong: the contributor rereads them.
"""
from __future__ import annotations

import subprocess
from typing import Optional

import yaml

from .model import LANGS, ClaimRef, Site


def _committed_claims(site: Site, rel: str) -> Optional[dict]:
    """The ledger's claims by id as last committed, {} for a new ledger, None without git."""
    try:
        r = subprocess.run(["git", "show", f"HEAD:{rel}"], cwd=site.root, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return None
    if r.returncode != 0:
        inside = subprocess.run(["git", "rev-parse", "--is-inside-work-tree"], cwd=site.root,
                                capture_output=True, text=True, timeout=20)
        return {} if inside.returncode == 0 else None
    try:
        data = yaml.load(r.stdout, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}  # noqa: S506
        return {c.get("id"): c for c in data.get("claims") or [] if isinstance(c, dict)}
    except yaml.YAMLError:
        return {}


def _changed_files(site: Site) -> Optional[set[str]]:
    """The files under data/claims/ that differ from the last commit (or are new), from one
    `git status`; None without git. Only those are compared claim by claim."""
    try:
        r = subprocess.run(["git", "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", "data/claims"],
                           cwd=site.root, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return None
    if r.returncode != 0:
        return None
    entries = r.stdout.split("\0")
    out, i = set(), 0
    while i < len(entries):
        entry = entries[i]
        if len(entry) > 3:
            out.add(entry[3:])
            if entry[0] in "RC":  # a rename or copy: the next field is where it came from
                i += 1
        i += 1
    return out


def changed_claims(site: Site) -> list[ClaimRef]:
    changed = _changed_files(site)
    if changed is None:
        return []
    out = []
    for sid, rel in sorted(site.ledger_paths.items()):
        if rel not in changed:
            continue
        before = _committed_claims(site, rel)
        if before is None:
            return []
        for ref in site.claims_of_source(sid):
            old = before.get(ref.claim.id)
            now = ref.claim.model_dump(exclude_none=True)
            if old is None or {k: v for k, v in old.items() if v is not None} != _plain(now):
                out.append(ref)
    return out


def _plain(d: dict) -> dict:
    return {k: (_plain(v) if isinstance(v, dict) else v) for k, v in d.items()
            if v is not None and v != [] or k == "domains"}


def pages_to_reread(site: Site, refs: list[ClaimRef]) -> list[str]:
    paths: list[str] = []
    for slug in sorted({d for r in refs for d in r.claim.domains}):
        for lang in LANGS:
            page = site.domain_page(lang, slug)
            if page is not None:
                paths.append(page.path)
    for topic in sorted({r.claim.topic for r in refs if r.claim.topic}):
        paths.append(f"data/taxonomy.yml (note of topic '{topic}', shown on compare.md#{topic})")
    return paths
