"""Page Markdown to HTML with the site's own Markdown configuration (mkdocs.yml), for the checker.

The checker judges what a reader's browser would get: the HTML of each page, generated
blocks expanded, as MkDocs' Markdown would render it, passed through the same sanitiser as
the build (sanitize.py). MkDocs adds only link rewriting on top, which changes no decision
of the sanitiser.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import markdown as md_lib

from .model import Site


def _extensions(root: Path) -> tuple[list, dict]:
    from mkdocs.utils import yaml_load  # mkdocs.yml uses a !!python tag for the slug function

    config = root / "mkdocs.yml"
    if not config.is_file():  # a bare content folder (the tests' fixtures): this project's own
        config = Path(__file__).resolve().parents[2] / "mkdocs.yml"
    with config.open(encoding="utf-8") as f:
        data = yaml_load(f) or {}
    names, configs = [], {}
    for entry in data.get("markdown_extensions") or []:
        if isinstance(entry, dict):
            for name, options in entry.items():
                names.append(name)
                configs[name] = options or {}
        else:
            names.append(entry)
    for always in ("toc", "tables", "fenced_code"):  # MkDocs always adds these
        if always not in names:
            names.append(always)
    return names, configs


def converter(site: Site) -> Optional[md_lib.Markdown]:
    """One Markdown instance for the whole run (reset between pages); None if it cannot be made."""
    def make():
        try:
            names, configs = _extensions(site.root)
            return md_lib.Markdown(extensions=names, extension_configs=configs)
        except Exception:  # noqa: BLE001 - a broken mkdocs.yml is MkDocs' own error to report
            return None

    return site._memo("markdown", make)


def to_html(site: Site, text: str) -> Optional[str]:
    md = converter(site)
    if md is None:
        return None
    md.reset()
    return md.convert(text)
