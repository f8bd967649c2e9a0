"""MkDocs hooks: the same content model, blocks and rules as scripts/check.py, inside the build.

mkdocs-static-i18n builds every language as a nested build and every event fires once per
language, so the model is loaded and checked once, when the default language starts, and
everything else here is cheap and idempotent.

Safety is by construction, in three walls: data reaches Markdown only escaped (render.py);
every page's HTML is cleaned by the one allowlist (sanitize.py) that the checker also judges
by; and every page carries a content-security policy (csp.py). A problem the rules find
aborts the build by raising, whatever the flags or the log level: no site is written.
"""
from __future__ import annotations

import json
import logging
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).resolve().parent))

from atlas import csp, export, preview, render, report, rules, sanitize, search  # noqa: E402
from atlas.model import ASSET_SUFFIXES, load_site  # noqa: E402

STATE: dict = {}
log = logging.getLogger("mkdocs.hooks.atlas")
# `python3 scripts/preview.py` sets this to the one language it serves: no search bundle, no
# downloads, no chart drawing, and the data model kept between rebuilds while data/ is unchanged.
PREVIEW = os.environ.get("ATLAS_PREVIEW") or None
# ATLAS_PROFILE=file.json: the seconds our hooks spent, by part, written when the build ends
# (scripts/bench.py reads it to show our share of a build).
PROFILE = os.environ.get("ATLAS_PROFILE") or None
TIMES: dict[str, float] = {}


@contextmanager
def _timed(part: str):
    start = time.perf_counter()
    try:
        yield
    finally:
        TIMES[part] = TIMES.get(part, 0.0) + time.perf_counter() - start


def _i18n(config):
    return config.plugins.get("i18n")


def _nested(config) -> bool:
    """mkdocs-static-i18n builds the first language, then each other one inside its post-build."""
    i18n = _i18n(config)
    return bool(i18n is not None and i18n.building)


def on_config(config):
    """Material shows its search dialog only while its search plugin is on, but the plugin's lunr
    index is no longer what readers search (atlas/search.py writes a Pagefind bundle per language).
    Indexing every page for it cost about a tenth of a build, so it indexes nothing."""
    plugin = config.plugins.get("material/search")
    if plugin is not None and getattr(plugin, "search_index", None) is not None:
        plugin.search_index.add_entry_from_context = lambda page: None
    return config


def on_pre_build(config) -> None:
    if _nested(config):
        return
    root = Path(config.config_file_path).parent
    if PREVIEW:
        _preview_pre_build(root, config)
        return
    STATE.clear()
    TIMES.clear()
    TIMES["build start"] = time.perf_counter()
    with _timed("model"):
        site = load_site(root)
    archive = os.environ.get("ATLAS_ARCHIVE")  # e.g. ../shared/sources: also verify quotes
    with _timed("rules"):
        problems = rules.check(site, Path(archive) if archive else None)
    if problems:
        lines = report.text_lines(problems)
        more = f"\n… and {len(lines) - 100} more" if len(lines) > 100 else ""
        # Raised, not logged: `mkdocs build -q` or a build without --strict must fail too.
        # MkDocs prints the message (even with -q) and exits 1 without a traceback.
        raise PluginError("\n".join(lines[:100]) + more + f"\n{report.summary(problems, len(site.pages), len(site.claims), archive=bool(archive))}"
                          "; no site was built (`python3 scripts/check.py` prints the same list).")
    STATE.update(site=site, site_dir=config.site_dir)


def _preview_pre_build(root: Path, config) -> None:
    """A preview rebuild is not held up by the rules: the checker (the same rules, the same
    output) runs beside it and prints its list to this console when done. The full build stays
    the gate. Whether data/ changed decides what a --dirty rebuild must redo (on_nav)."""
    site, data_changed = preview.load(root)
    STATE.clear()
    STATE.update(site=site, site_dir=config.site_dir, data_changed=data_changed)
    preview.start_checker(root)


def on_files(files, config):
    """Publish from docs/ only the pages the model read and plain pictures; anything else there
    (raw HTML or SVG, other page suffixes, symbolic links) is left out, and the checker has
    already refused it (ATL703). The theme's own files are not under docs/ and pass."""
    site = STATE.get("site")
    if site is None:
        return files
    docs = Path(config.docs_dir).resolve()
    for file in list(files):
        src = Path(file.abs_src_path) if file.abs_src_path else None
        if src is None or not src.absolute().is_relative_to(docs):
            continue
        lang, _, rel = file.src_uri.partition("/")
        keep = (file.src_uri.endswith(".md") and site.page(lang, rel) is not None) or \
            (file.src_uri.lower().endswith(ASSET_SUFFIXES) and not src.is_symlink())
        if not keep:
            files.remove(file)
    return files


def on_nav(nav, config, files):
    """`serve --dirty` (the preview) rebuilds only pages whose file changed; after a change under
    data/, also every page whose generated Markdown changed with it. (Here, not in on_files:
    mkdocs-static-i18n replaces the file objects after our on_files.)"""
    site = STATE.get("site")
    if not (PREVIEW and STATE.get("data_changed") and site):
        return nav
    root = Path(config.config_file_path).parent
    for file in files.documentation_pages():
        lang, _, rel = file.src_uri.partition("/")
        model_page = site.page(lang, rel)
        if model_page is not None and preview.changed(root, file.src_uri, _page_markdown(site, model_page, None, config)):
            file.is_modified = lambda: True
    return nav


def _page_markdown(site, model_page, markdown, config) -> str:
    try:
        return render.page_markdown(site, model_page, markdown, config.site_url or "")
    except Exception as err:  # noqa: BLE001 - the preview runs no rules first; the checker names the problem
        if not PREVIEW:
            raise
        log.warning("%s: not rendered in the preview (%s); the checker's list says where the problem is",
                    model_page.path, type(err).__name__)
        return markdown if markdown is not None else model_page.body


def on_page_markdown(markdown: str, page, config, files) -> str:
    site = STATE.get("site")
    lang, _, rel = page.file.src_uri.partition("/")
    model_page = site.page(lang, rel) if site else None
    if model_page is None:
        return markdown
    with _timed("rendering"):
        rendered = _page_markdown(site, model_page, markdown, config)
    if PREVIEW:  # what on_nav compares against after the next change under data/
        same_input = markdown == model_page.body
        preview.remember(Path(config.config_file_path).parent, page.file.src_uri,
                         rendered if same_input else _page_markdown(site, model_page, None, config))
    return rendered


def on_page_content(html: str, page, config, files) -> str:
    """The allowlist, on every page's HTML; then our own chart drawings into their places."""
    with _timed("sanitising"):
        cleaned = sanitize.clean(html)
    site = STATE.get("site")
    if site is None:
        return cleaned
    with _timed("charts"):
        return render.insert_charts(site, page.file.src_uri.split("/")[0], cleaned, draw=not PREVIEW)


def on_post_page(output: str, page, config) -> str:
    with _timed("policy and metadata"):
        return _post_page(output, page, config)


def _post_page(output: str, page, config) -> str:
    site = STATE.get("site")
    if site is not None and page.file.src_uri.endswith("/downloads.md"):
        # schema.org Dataset metadata, a script tag no content may hold.
        lang = page.file.src_uri.split("/")[0]
        ld = csp.json_for_script(export.dataset_jsonld(site, lang, config.site_url or ""))
        output = output.replace("</head>", f'<script type="application/ld+json">{ld}</script>\n</head>', 1)
    if site is not None and "/articles/" in page.file.src_uri:
        lang, _, rel = page.file.src_uri.partition("/")
        model_page = site.page(lang, rel)
        ld = export.claimreview_jsonld(site, model_page, config.site_url or "") if model_page else ""
        if ld:
            output = output.replace("</head>", f'<script type="application/ld+json">{csp.json_for_script(ld)}</script>\n</head>', 1)
    return csp.add_policy(output)


def on_post_template(output: str, template_name: str, config) -> str:
    return csp.add_policy(output) if template_name.endswith(".html") else output


@event_priority(-110)  # after mkdocs-static-i18n (-100) has written every language
def on_post_build(config) -> None:
    i18n = _i18n(config)
    if i18n is None or i18n.building or "site_dir" not in STATE or PREVIEW:
        return
    site_dir = Path(STATE["site_dir"])
    try:
        with _timed("search bundle"):
            search.write(site_dir)
    except search.SearchBundleError as err:
        raise PluginError(f"{err}\nThe search bundle is built by Pagefind (requirements.txt: pagefind[extended]).") from None
    with _timed("export"):
        export.write(STATE["site"], site_dir / "data", config.site_url or "")
    if PROFILE:
        build = time.perf_counter() - TIMES.pop("build start", time.perf_counter())
        Path(PROFILE).write_text(json.dumps({"build": build, **TIMES}, indent=1), encoding="utf-8")
