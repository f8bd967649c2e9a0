"""What `scripts/preview.py`'s rebuilds keep between saves.

MkDocs reloads its configuration, and with it our hooks module, on every rebuild of
`mkdocs serve`; this module is imported once per server, so what must outlive a rebuild lives
here: the last model (its data part is reused while data/ is unchanged) and the checker
running beside the last rebuild.
"""
from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

from .model import Site, load_site

_LAST: dict[Path, Site] = {}
_CHECKER: dict[Path, subprocess.Popen] = {}
CHECK_SCRIPT = Path(__file__).resolve().parent.parent / "check.py"


def load(root: Path) -> tuple[Site, bool]:
    """The model for this rebuild, and whether data/ changed since the last one. The data part
    (registries, ledgers, references, checks, entities) is kept while no file under data/ has
    changed; after a change, only the files whose text changed are parsed again (validation and
    the lookups are redone). docs/ and the guide are read afresh every time."""
    root = root.resolve()
    previous = _LAST.get(root)
    site = load_site(root, previous=previous)
    _LAST[root] = site
    return site, previous is not None and previous.data_fingerprint != site.data_fingerprint


def start_checker(root: Path) -> subprocess.Popen:
    """`check.py` on the checkout, in its own process (the other core): it prints the same list
    the full build would fail on, to the same console, without holding up the rebuild. One still
    running from an earlier save is stopped first."""
    root = root.resolve()
    running = _CHECKER.get(root)
    if running is not None and running.poll() is None:
        running.terminate()
    _CHECKER[root] = subprocess.Popen([sys.executable, str(CHECK_SCRIPT), str(root)], stdin=subprocess.DEVNULL)
    return _CHECKER[root]


# The Markdown each page was last built from: after a change under data/, only the pages whose
# Markdown changed are rebuilt (MkDocs' conversion and templates are most of a rebuild).
_BUILT_FROM: dict[tuple[Path, str], str] = {}


def _digest(markdown: str) -> str:
    return hashlib.sha256(markdown.encode("utf-8")).hexdigest()


def remember(root: Path, src_uri: str, markdown: str) -> None:
    _BUILT_FROM[(root.resolve(), src_uri)] = _digest(markdown)


def changed(root: Path, src_uri: str, markdown: str) -> bool:
    return _BUILT_FROM.get((root.resolve(), src_uri)) != _digest(markdown)
