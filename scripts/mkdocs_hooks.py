"""MkDocs hooks: the same content model, blocks and rules as scripts/check.py, inside the build.

mkdocs-static-i18n builds every language as a nested build and every event fires once per
language, so the model is loaded and checked once, when the default language starts, and
everything else here is cheap and idempotent.
"""
from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path

from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).resolve().parent))

from atlas import export, render, report, rules  # noqa: E402
from atlas.model import DEFAULT_LANG, LANGS, load_site  # noqa: E402

# Under "mkdocs." so that `mkdocs build --strict` counts every problem as a warning and fails.
log = logging.getLogger("mkdocs.plugins.atlas")
STATE: dict = {}


def _i18n(config):
    return config.plugins.get("i18n")


def _language(config) -> str:
    i18n = _i18n(config)
    return (i18n.current_language if i18n else None) or DEFAULT_LANG


def on_pre_build(config) -> None:
    if _language(config) != DEFAULT_LANG:
        return
    root = Path(config.config_file_path).parent
    site = load_site(root)
    archive = os.environ.get("ATLAS_ARCHIVE")  # e.g. ../shared/sources: also verify quotes
    problems = rules.check(site, Path(archive) if archive else None)
    for line in report.text_lines(problems):
        log.warning(line)
    STATE.update(site=site, site_dir=config.site_dir)


def on_page_markdown(markdown: str, page, config, files) -> str:
    site = STATE.get("site")
    lang, _, rel = page.file.src_uri.partition("/")
    model_page = site.page(lang, rel) if site else None
    if model_page is None:
        return markdown
    site_url = config.site_url or ""
    rendered = render.render_markdown(site, model_page, markdown, site_url)
    # Every page: how to cite it, and the glossary's tooltips in the page's language.
    return rendered + render.cite_footer(site, model_page, site_url) + render.abbreviations(site, lang, rendered)


def on_post_page(output: str, page, config) -> str:
    """The downloads page carries schema.org Dataset metadata (a script tag no content may hold)."""
    site = STATE.get("site")
    if site is None or not page.file.src_uri.endswith("/downloads.md"):
        return output
    lang = page.file.src_uri.split("/")[0]
    ld = export.dataset_jsonld(site, lang, config.site_url or "")
    return output.replace("</head>", f'<script type="application/ld+json">{ld}</script>\n</head>', 1)


@event_priority(-110)  # after mkdocs-static-i18n (-100) has merged every language's entries
def on_post_build(config) -> None:
    i18n = _i18n(config)
    if i18n is None or i18n.building or "site_dir" not in STATE:
        return
    split_search_index(Path(STATE["site_dir"]))
    export.write(STATE["site"], Path(STATE["site_dir"]) / "data", config.site_url or "")


def split_search_index(site_dir: Path) -> None:
    """One search index per language.

    static-i18n merges all languages into /search/search_index.json with a zh+en pipeline:
    English words then fail to match and every query returns both languages. We write the
    Chinese entries (segmented by jieba) to /search/ with lang zh, and the English ones to
    /en/search/ with lang en; English pages point their search `base` at /en/
    (overrides/main.html), so each site loads only its own index.
    """
    merged = site_dir / "search" / "search_index.json"
    if not merged.is_file():
        return
    data = json.loads(merged.read_text(encoding="utf-8"))
    for lang in LANGS:
        prefix = "" if lang == DEFAULT_LANG else f"{lang}/"
        others = tuple(f"{l}/" for l in LANGS if l != DEFAULT_LANG)
        if prefix:
            docs = [dict(d, location=d["location"][len(prefix):]) for d in data["docs"]
                    if d["location"].startswith(prefix)]
        else:
            docs = [d for d in data["docs"] if not d["location"].startswith(others)]
        config = dict(data["config"], lang=[lang])
        if lang == "en":
            # No stemmer: Material appends a wildcard to each query term, and
            # "lithography*" cannot match the stem "lithographi" (only "litho" did).
            config["pipeline"] = ["stopWordFilter", "trimmer"]
        out = site_dir / prefix / "search" / "search_index.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps({"config": config, "docs": docs}, ensure_ascii=False,
                                  separators=(",", ":")), encoding="utf-8")
