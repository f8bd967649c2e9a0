"""Build the real site with --strict and inspect what readers get."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


REQUEST = re.compile(
    r"""<(?:script|img|iframe|source|audio|video)\b[^>]*\bsrc=["']([^"']+)|"""
    r"""<link\b[^>]*\bhref=["']([^"']+)["'][^>]*>|@import\s+(?:url\()?["']?([^"')\s]+)|url\(["']?(https?:[^"')]+)""",
    re.I)


def html(built: Path, url: str) -> str:
    return (built / url / "index.html").read_text(encoding="utf-8")


def test_languages_live_at_root_and_en(built):
    assert '<html lang="zh"' in html(built, "")
    assert '<html lang="en"' in html(built, "en")
    assert '<html lang="zh"' in html(built, "domains/lithography")
    assert '<html lang="en"' in html(built, "en/domains/lithography")


def test_language_switch_and_hreflang_lead_to_the_same_page(built):
    zh, en = html(built, "domains/lithography"), html(built, "en/domains/lithography")
    assert '<a href="../../en/domains/lithography/" hreflang="en" class="md-select__link">' in zh
    assert '<a href="../../../domains/lithography/" hreflang="zh" class="md-select__link">' in en
    assert '<link rel="alternate" href="../../en/domains/lithography/" hreflang="en">' in zh
    assert '<link rel="alternate" href="../../../domains/lithography/" hreflang="zh">' in en


def test_interface_is_in_the_page_language(built):
    assert 'placeholder="搜索"' in html(built, "domains/lithography")
    assert 'placeholder="Search"' in html(built, "en/domains/lithography")
    assert "<title>光刻设备 - 卡脖子图谱</title>" in html(built, "domains/lithography")
    assert "<title>Lithography equipment - Chokepoint Atlas</title>" in html(built, "en/domains/lithography")


def test_no_request_to_a_third_party_host(built):
    offenders = []
    for f in built.rglob("*"):
        if f.suffix not in (".html", ".css", ".js") or not f.is_file():
            continue
        text = f.read_text(encoding="utf-8", errors="replace")
        if "fonts.googleapis" in text or "fonts.gstatic" in text:
            offenders.append(f"{f}: Google Fonts")
        if f.suffix == ".html":
            for m in REQUEST.finditer(text):
                url = next(g for g in m.groups() if g)
                tag = m.group(0)
                if url.startswith(("http:", "https:", "//")) and not re.search(r'rel=["\'](?:alternate|canonical)', tag):
                    offenders.append(f"{f.relative_to(built)}: {url}")
    assert offenders == []


def _fragments(bundle: Path) -> dict[str, dict]:
    import gzip

    out = {}
    for f in (bundle / "fragment").glob("*.pf_fragment"):
        raw = gzip.decompress(f.read_bytes())
        data = json.loads(raw[raw.index(b"{"):])
        out[data["url"]] = data
    return out


def test_each_language_has_its_own_search_bundle(built):
    """One Pagefind bundle per language, holding that language's pages only, and the small config
    Material fetches pointing at it; English pages search the English bundle."""
    zh = json.loads((built / "search/search_index.json").read_text(encoding="utf-8"))
    en = json.loads((built / "en/search/search_index.json").read_text(encoding="utf-8"))
    assert zh["config"]["lang"] == ["zh"] and zh["config"]["bundle"] == "pagefind/" and zh["docs"] == []
    assert en["config"]["lang"] == ["en"] and en["config"]["bundle"] == "en/pagefind/" and en["docs"] == []
    zh_entry = json.loads((built / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    en_entry = json.loads((built / "en/pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(zh_entry["languages"]) == ["zh"] and list(en_entry["languages"]) == ["en"]
    zh_pages, en_pages = _fragments(built / "pagefind"), _fragments(built / "en/pagefind")
    assert zh_pages["/domains/lithography/"]["meta"]["title"] == "光刻设备"
    assert en_pages["/domains/lithography/"]["meta"]["title"] == "Lithography equipment"
    assert not [u for u in zh_pages if u.startswith("/en/")] and "/404.html" not in zh_pages
    # Indexed: the article, not the navigation, and no heading permalink signs.
    litho = zh_pages["/domains/lithography/"]["content"]
    assert "光刻" in litho and "¶" not in litho and "Material for MkDocs" not in litho
    assert zh_entry["version"] and (built / "pagefind/wasm.unknown.pagefind").is_file()
    assert not list((built / "pagefind").glob("pagefind-ui.*"))  # Pagefind's own UI is not shipped
    assert '"base": "../../../en/"' in html(built, "en/domains/lithography")
    assert "assets/javascripts/atlas-search.js" in html(built, "domains/lithography")


def test_chinese_headings_keep_their_characters_in_ids(built):
    assert 'id="是什么"' in html(built, "domains/lithography")


def test_generated_blocks_are_rendered_in_the_page_language(built):
    zh, en = html(built, "articles/cai-zhang-2026"), html(built, "en/articles/cai-zhang-2026")
    assert 'id="claim-cai-zhang-2026-c001"' in zh and 'id="claim-cai-zhang-2026-c001"' in en
    assert "来源卡片" in zh and "Source card" in en
    assert "<!-- atlas:" not in zh and "<!-- atlas:" not in en
    assert '<q lang="zh-Hans">' in en  # quotes keep their script and say so
    litho = html(built, "en/domains/lithography")
    assert 'href="../../articles/cai-zhang-2026/"' in litho


def test_a_404_page_speaks_both_languages(built):
    page = (built / "404.html").read_text(encoding="utf-8")
    assert "页面不存在" in page and "Page not found" in page


def test_glossary_terms_show_tooltips_in_each_language(built):
    zh, en = html(built, "themes/export-controls"), html(built, "en/themes/export-controls")
    assert '<abbr title="' in zh and '>实体清单</abbr>' in zh
    assert '<abbr title="' in en and '>Entity List</abbr>' in en
    assert "content.tooltips" in html(built, "")


def test_downloads_are_valid_and_described_as_a_dataset(built):
    claims = json.loads((built / "data/claims.json").read_text(encoding="utf-8"))
    assert len(claims) > 300 and {"key", "quote", "zh", "en", "domains", "page_zh", "page_en"} <= set(claims[0])
    sources = json.loads((built / "data/sources.json").read_text(encoding="utf-8"))
    assert {s["id"] for s in sources} >= {"cai-zhang-2026", "takungpao-chokepoints-2025"}
    page = html(built, "en/downloads")
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page).group(1))
    from atlas.render import DOWNLOAD_FILES

    assert ld["@type"] == "Dataset" and len(ld["distribution"]) == len(DOWNLOAD_FILES) == 8
    references = json.loads((built / "data/references.json").read_text(encoding="utf-8"))
    assert len(references) > 100 and all(r["url"].startswith("https://") and r["claims"] for r in references)
    checked = [c for c in claims if c["verdict"]]
    assert len(checked) > 100 and {c["verdict"] for c in checked} == {"consistent", "differs", "unclear", "not-found"}
    assert 'href="../../data/claims.json"' in page and 'href="../data/claims.json"' in html(built, "downloads")


def test_charts_are_inline_svg_with_a_text_alternative(built):
    page = html(built, "en/charts")
    assert page.count('<svg role="img"') == 2 and "<figcaption>" in page
    assert "The data in this chart" in page
    # Each drawing is named by its own title, under an id that is the same in every build (it
    # used to be a memory address, so two builds of the same content differed).
    labelled = re.findall(r'<svg role="img" aria-labelledby="([^"]+)"', page)
    titles = re.findall(r'<title id="([^"]+)">', page)
    assert labelled == titles == ["atlas-chart-title-shares", "atlas-chart-title-coverage"]


def test_every_page_says_how_to_cite_it(built):
    assert "如何引用本页" in html(built, "domains/lithography")
    assert "How to cite this page" in html(built, "en/domains/lithography")
    assert "[EB/OL]" in html(built, "en/articles/cai-zhang-2026")
