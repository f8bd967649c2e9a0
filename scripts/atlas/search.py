"""The search bundles: one Pagefind index per language, written into the built site.

Material's own search sends the whole lunr index to a reader's first search (131 KB gzip for
Chinese at 1×, about 2 MB at 16×), and the browser builds all of it before the first result.
Pagefind (its extended build, which segments Chinese) splits an index into chunks and page
fragments that a query fetches as it needs them. Material's search dialog, shortcuts and
highlighting stay: its worker is replaced by `overrides/assets/javascripts/atlas-search.js`,
which answers Material's messages from this language's bundle.

One bundle per language, not one for both: the worker has no `<html lang>` to tell Pagefind
which language to load, and a reader's results must come from the page's language only.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .model import DEFAULT_LANG, LANGS

BUNDLE = "pagefind"  # folder under each language's root: /pagefind/, /en/pagefind/
# Indexed: the page's article only (not the navigation, header or footer); not the heading
# permalinks (¶) nor the generated "where this comes from" boilerplate a search should not hit.
ROOT_SELECTOR = "article.md-content__inner"
EXCLUDE_SELECTORS = ".headerlink, .md-source-file, .md-content__button"
UNUSED = ("pagefind-ui.*", "pagefind-modular-ui.*", "pagefind-component-ui.*", "pagefind-highlight.js")
# Material's lunr separator: its highlighter marks the words of `?h=` on the page a reader opens.
SEPARATOR = r'[\s\u200b\-_,:!=\[\]()"`/]+|\.(?!\d)|&[lg]t;|(?!\b)(?=[A-Z][a-z])'


class SearchBundleError(RuntimeError):
    """Pagefind could not be run or could not index the site."""


def language_root(site_dir: Path, lang: str) -> Path:
    return site_dir if lang == DEFAULT_LANG else site_dir / lang


def pages_of(site_dir: Path, lang: str) -> list[tuple[str, Path]]:
    """(path relative to the language's root, file) for every page of one language."""
    root = language_root(site_dir, lang)
    others = {l for l in LANGS if l != DEFAULT_LANG} if lang == DEFAULT_LANG else set()
    pages = []
    for dirpath, dirnames, filenames in os.walk(root):
        top = Path(dirpath) == root
        if top:
            dirnames[:] = [d for d in dirnames if d not in others and d not in (BUNDLE, "assets", "data", "search")]
        for name in filenames:
            if name.endswith(".html") and not (top and name == "404.html"):
                path = Path(dirpath) / name
                pages.append((path.relative_to(root).as_posix(), path))
    return sorted(pages)


def _pagefind() -> str:
    try:
        from pagefind_bin_extended import get_executable  # the extended build: it segments Chinese
    except ImportError as err:
        raise SearchBundleError("pagefind[extended] is not installed (python3 -m pip install -r requirements.txt)") from err
    return str(get_executable())


def write_language(site_dir: Path, lang: str) -> int:
    """Index one language's pages into its bundle. Pagefind's command line reads a folder; the
    default language's folder holds the others', so its pages are staged (hard links: no copy)
    in a folder of their own first. (Pagefind's Python API takes one page a message and was
    20× slower.)"""
    pages = pages_of(site_dir, lang)
    out = language_root(site_dir, lang) / BUNDLE
    shutil.rmtree(out, ignore_errors=True)
    with tempfile.TemporaryDirectory(dir=site_dir.parent, prefix=".pagefind-") as staging:
        for rel, path in pages:  # Pagefind makes each result's URL from its path here
            target = Path(staging) / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(path, target)
            except OSError:
                shutil.copyfile(path, target)
        command = [_pagefind(), "--site", staging, "--output-path", str(out), "--quiet",
                   "--root-selector", ROOT_SELECTOR, "--exclude-selectors", EXCLUDE_SELECTORS]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=600)
        except (OSError, subprocess.TimeoutExpired) as err:
            raise SearchBundleError(f"Pagefind did not run: {err}") from err
    if done.returncode != 0 or not (out / "pagefind-entry.json").is_file():
        raise SearchBundleError(f"Pagefind failed on the {lang} pages:\n{(done.stderr or done.stdout).strip()}")
    for unused in UNUSED:  # Pagefind's own search UIs: the site keeps Material's
        for path in out.glob(unused):
            path.unlink()
    return len(pages)


def write(site_dir: Path) -> dict[str, int]:
    """Write each language's bundle and the small search config Material fetches; return the page
    count per language. Raises SearchBundleError when Pagefind cannot run."""
    counts = {}
    for lang in LANGS:
        counts[lang] = write_language(site_dir, lang)
        write_config(site_dir, lang)
    return counts


def write_config(site_dir: Path, lang: str) -> None:
    """Material fetches /search/search_index.json before it starts its worker and uses the config
    for highlighting on the page a result opens. The documents are in the bundle, so none here:
    the file is a few hundred bytes instead of the whole index."""
    prefix = "" if lang == DEFAULT_LANG else f"{lang}/"
    entry = site_dir / prefix / BUNDLE / "pagefind-entry.json"
    config = {"lang": [lang], "separator": SEPARATOR, "pipeline": [], "fields": {},
              "bundle": f"{prefix}{BUNDLE}/",
              # the build of the bundle: the worker lets the browser cache the bundle's entry by it
              "build": hashlib.sha256(entry.read_bytes()).hexdigest()[:12] if entry.is_file() else None}
    out = site_dir / prefix / "search" / "search_index.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"config": config, "docs": []}, ensure_ascii=False, separators=(",", ":")),
                   encoding="utf-8")

