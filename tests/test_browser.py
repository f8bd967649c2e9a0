"""The built site as a reader meets it, in Debian's Chromium driven by Playwright.

The site is served on 127.0.0.1 on an ephemeral port. Outside CI a missing Chromium skips these
tests with a message; under CI=true it is a failure.
"""
from __future__ import annotations

import functools
import os
import re
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from conftest import ROOT

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
# One page of each type, by language; the same paths exist under /en/.
PAGE_TYPES = {
    "home": "",
    "article": "articles/cai-zhang-2026/",
    "domain": "domains/lithography/",
    "theme": "themes/chokepoint-lists/",
    "catalog": "articles/",
    "comparison": "compare/",
    "timeline": "timeline/",
    "glossary": "glossary/",
    "charts": "charts/",
    "checks": "checks/",
    "entity": "entities/asml/",
    "entities": "entities/",
}


def _require_browser():
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _missing("the Python package playwright is not installed (pip install -r requirements-dev.txt)")
    if not Path(CHROMIUM).exists():
        _missing("Chromium is missing: install Debian's with `apt-get install chromium fonts-noto-cjk`")


def _missing(why: str):
    if os.environ.get("CI") == "true":
        pytest.fail(why)
    pytest.skip(why)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def server(built):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(built)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    yield pg
    context.close()


def watch(pg):
    """Record what a page does that a reader should never suffer."""
    seen = {"outside": [], "console": [], "failed": []}
    pg.on("request", lambda r: urlparse(r.url).hostname not in ("127.0.0.1", None)
          and not r.url.startswith(("data:", "blob:")) and seen["outside"].append(r.url))
    pg.on("console", lambda m: m.type == "error" and seen["console"].append(m.text))
    pg.on("requestfailed", lambda r: seen["failed"].append(r.url))
    pg.on("response", lambda r: r.status >= 400 and seen["failed"].append(f"{r.status} {r.url}"))
    return seen


def search(pg, base: str, query: str) -> list[str]:
    pg.goto(base)
    field = pg.locator("input[data-md-component=search-query]")
    field.click()
    field.fill(query)
    field.press("End")  # Material's search reacts to key events
    pg.wait_for_selector(".md-search-result__item", timeout=10_000)
    return pg.eval_on_selector_all(".md-search-result__item > a", "els => els.map(e => e.href)")


def test_language_switch_keeps_the_page(page, server):
    page.goto(server + "domains/lithography/")
    page.locator(".md-header__option .md-select button").click()
    page.locator('a.md-select__link[hreflang="en"]').click()
    page.wait_for_url("**/en/domains/lithography/")
    assert page.locator("h1").inner_text().startswith("Lithography equipment")
    page.locator(".md-header__option .md-select button").click()
    page.locator('a.md-select__link[hreflang="zh"]').click()
    page.wait_for_url(server + "domains/lithography/")
    assert page.locator("h1").inner_text().startswith("光刻设备")


def test_chinese_search_finds_chinese_pages_only(page, server):
    hits = search(page, server, "光刻")
    assert any(h.startswith(server + "domains/lithography/") for h in hits), hits
    assert not [h for h in hits if "/en/" in h]


def test_english_search_matches_whole_words_on_english_pages_only(page, server):
    hits = search(page, server + "en/", "lithography")
    assert any(h.startswith(server + "en/domains/lithography/") for h in hits), hits
    assert all(h.startswith(server + "en/") for h in hits), hits
    assert search(page, server + "en/", "equipment")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_name_both_languages_use_returns_the_current_language(page, server, lang):
    base = server if lang == "zh" else server + "en/"
    hits = search(page, base, "ASML")
    assert hits
    if lang == "zh":
        assert not [h for h in hits if "/en/" in h]
    else:
        assert all(h.startswith(server + "en/") for h in hits)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_page_loads_cleanly_from_our_host_only(browser, server, kind, lang):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    seen = watch(pg)
    url = server + ("" if lang == "zh" else "en/") + PAGE_TYPES[kind]
    pg.goto(url, wait_until="networkidle")
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{kind}-{lang}.png"), full_page=False)
    context.close()
    assert seen == {"outside": [], "console": [], "failed": []}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_phone_drawer_opens_and_nothing_scrolls_sideways(browser, server, lang):
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True)
    pg = context.new_page()
    pg.goto(server + ("" if lang == "zh" else "en/") + PAGE_TYPES["article"])
    assert pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    pg.locator("label.md-header__button[for=__drawer]").click()
    pg.wait_for_timeout(400)
    assert pg.locator("nav.md-nav--primary").first.is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"phone-drawer-{lang}.png"))
    context.close()


def test_a_footnote_link_jumps_to_its_target(page, server):
    page.goto(server + "en/domains/lithography/")
    page.locator("sup a.footnote-ref").first.click()
    assert page.evaluate("location.hash").startswith("#fn:")
    target = page.evaluate("decodeURIComponent(location.hash.slice(1))")
    assert page.locator(f"[id='{target}']").is_visible()


def test_a_glossary_term_shows_its_tooltip(page, server):
    page.goto(server + "en/themes/export-controls/")
    term = page.locator("article abbr", has_text="Entity List").first
    term.hover()
    tooltip = page.locator(".md-tooltip2--active")
    tooltip.wait_for(state="visible", timeout=5000)
    assert "Department of Commerce" in tooltip.inner_text()


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_no_serious_or_critical_accessibility_violation(page, server, kind, lang):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(server + ("" if lang == "zh" else "en/") + PAGE_TYPES[kind])
    violations = Axe().run(page).response["violations"]
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations
               if v["impact"] in ("serious", "critical")]
    assert serious == []


def test_lang_is_right_on_pages_and_on_quotes_in_another_script(page, server):
    page.goto(server + "en/articles/takungpao-chokepoints-2025/")
    assert page.evaluate("document.documentElement.lang") == "en"
    langs = set(page.eval_on_selector_all(".atlas-claim__meta > q", "qs => qs.map(q => q.lang)"))
    assert langs == {"zh-Hant"}
    page.goto(server + "articles/cai-zhang-2026/")
    assert page.evaluate("document.documentElement.lang") == "zh"
    assert set(page.eval_on_selector_all(".atlas-claim__meta > q", "qs => qs.map(q => q.lang)")) == {"zh-Hans"}


def test_the_search_index_loads_when_a_reader_reaches_for_search(page, server):
    """A page view alone fetches nothing of search; reaching for it fetches this language's
    bundle (code, WebAssembly, metadata), and a query adds only the index chunks and page
    fragments it needs, all from our own host."""
    requested = []
    page.on("request", lambda r: ("search_index.json" in r.url or "pagefind" in r.url) and requested.append(r.url))
    page.goto(server + "articles/cai-zhang-2026/", wait_until="networkidle")
    page.wait_for_timeout(500)
    assert requested == []
    page.locator("input[data-md-component=search-query]").click()
    page.wait_for_timeout(1500)
    assert requested[0] == server + "search/search_index.json"
    assert server + "pagefind/pagefind.js" in requested
    assert any(u.startswith(server + "pagefind/wasm.") for u in requested)
    assert not [u for u in requested if "/fragment/" in u or "/index/" in u]  # nothing of the index yet
    search(page, server + "articles/cai-zhang-2026/", "光刻")
    fragments = [u for u in requested if "/fragment/" in u]
    assert 0 < len(fragments) <= 5  # the first five results, not every page that matches
    assert all(u.startswith(server + "pagefind/") or u.endswith("search/search_index.json") for u in requested)
    assert not [u for u in requested if "/en/" in u]


def test_chinese_search_finds_the_word_not_its_characters(page, server):
    """刻蚀 (etching) is on one domain page; pages holding only 刻 (光刻) or 蚀 are not results."""
    hits = search(page, server, "刻蚀")
    pages = {urlparse(h).path for h in hits}
    assert pages == {"/domains/semiconductor-equipment/"}, hits


def test_a_chinese_word_the_site_lacks_is_marked_missing(page, server):
    """Pagefind answers 化缘 with the pages holding 化; each result says that 化缘 is missing,
    as Material's own search did, so no reader takes them for matches."""
    search(page, server, "化缘")
    notes = page.eval_on_selector_all(".md-search-result__terms", "els => els.map(e => e.textContent)")
    assert notes and all("化缘" in n for n in notes), notes


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_search_shows_five_then_more_and_the_true_count(page, server, lang):
    """Through the keyboard shortcut: five results with the real total, then five more on
    request; a result opens its page with the query highlighted."""
    base, query = (server, "光刻") if lang == "zh" else (server + "en/", "lithography")
    page.goto(base + "glossary/", wait_until="networkidle")
    page.keyboard.press("/")
    field = page.locator("input[data-md-component=search-query]")
    assert page.evaluate("document.activeElement.dataset.mdComponent") == "search-query"
    field.fill(query)
    field.press("End")
    page.wait_for_selector(".md-search-result__item")
    more = page.locator(".atlas-search-more")
    more.wait_for(state="visible")
    assert page.locator(".md-search-result__item").count() == 5
    meta = page.inner_text(".md-search-result__meta")
    total = int(re.search(r"\d+", meta).group())
    assert total > 10 and ("前 5 个" in meta if lang == "zh" else "first 5" in meta), meta
    more.click()
    expect(page.locator(".md-search-result__item")).to_have_count(10)
    assert ("前 10 个" if lang == "zh" else "first 10") in page.inner_text(".md-search-result__meta")
    hrefs = page.eval_on_selector_all(".md-search-result__item > a", "els => els.map(e => e.href)")
    assert all(("/en/" in h) == (lang == "en") for h in hrefs)
    page.locator(".md-search-result__item > a").first.click()
    page.wait_for_url("**?h=*")
    # Material highlights once it has read the search config, which the ?h= page fetches at once.
    expect(page.locator("article mark[data-md-highlight]").first).to_be_attached(timeout=10_000)


VIOLATIONS = """window.__csp = []; document.addEventListener("securitypolicyviolation",
  e => window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline")));"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_everything_works_under_the_content_security_policy(browser, server, lang):
    """Every page carries the policy; search, the language switch and tooltips work under it,
    and the browser reports no violation."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(VIOLATIONS)
    pg = context.new_page()
    base = server + ("" if lang == "zh" else "en/")
    for kind, path in PAGE_TYPES.items():
        pg.goto(base + path, wait_until="networkidle")
        policy = pg.get_attribute('meta[http-equiv="Content-Security-Policy"]', "content")
        assert policy and "script-src 'self'" in policy and "object-src 'none'" in policy, kind
        assert pg.evaluate("window.__csp") == [], (kind, pg.evaluate("window.__csp"))
    hits = search(pg, base + PAGE_TYPES["domain"], "ASML" if lang == "en" else "光刻")
    assert hits
    term = "Entity List" if lang == "en" else "实体清单"
    pg.goto(base + "themes/export-controls/")
    pg.locator("article abbr", has_text=term).first.hover()
    pg.locator(".md-tooltip2--active").wait_for(state="visible", timeout=5000)
    other = "en" if lang == "zh" else "zh"
    pg.locator(".md-header__option .md-select button").click()
    pg.locator(f'a.md-select__link[hreflang="{other}"]').click()
    pg.wait_for_url(server + ("en/" if other == "en" else "") + "themes/export-controls/")
    assert pg.evaluate("document.documentElement.lang") == other
    assert pg.evaluate("window.__csp") == []
    context.close()


def test_a_verdict_badge_reads_as_text(page, server):
    page.goto(server + "en/articles/head-on-breakthrough-2025/")
    badge = page.locator(".atlas-claim .atlas-verdict").first
    assert badge.is_visible() and badge.inner_text() in (
        "Consistent with outside sources", "Outside sources differ", "Unclear", "No outside source found")
    assert "How its figures hold up" in page.locator(".atlas-holdup").inner_text()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_chart_text_is_at_least_11_px_on_a_360_px_screen(browser, server, lang):
    context = browser.new_context(viewport={"width": 360, "height": 800}, is_mobile=True)
    pg = context.new_page()
    pg.goto(server + ("" if lang == "zh" else "en/") + "charts/")
    sizes = pg.evaluate("""() => [...document.querySelectorAll('.atlas-chart svg')].map(svg => {
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        return Math.min(...[...svg.querySelectorAll('text')].map(t => parseFloat(t.getAttribute('font-size')) * scale));
    })""")
    context.close()
    assert len(sizes) == 2 and min(sizes) >= 11, sizes


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_first_screen_on_a_phone_shows_the_summary_or_the_domains(browser, server, lang):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    pg = context.new_page()
    base = server + ("" if lang == "zh" else "en/")
    pg.goto(base + "articles/cai-zhang-2026/")
    summary = pg.locator("h2 + p").first.bounding_box()
    assert summary and summary["y"] < 844, summary
    pg.goto(base)
    first_domain = pg.locator(".atlas-grid li").first.bounding_box()
    assert first_domain and first_domain["y"] + first_domain["height"] < 844, first_domain
    context.close()


def test_a_domain_page_filters_its_claims_by_kind_without_javascript(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    pg = context.new_page()
    pg.goto(server + "en/themes/industrial-policy/")
    total = pg.locator(".atlas-domain-claims .atlas-claim").count()
    pg.locator(".atlas-filter a", has_text="opinion").first.click()
    kinds = pg.eval_on_selector_all(".atlas-domain-claims .atlas-claim",
                                    "cs => cs.filter(c => c.offsetParent !== null).map(c => c.dataset.kind)")
    context.close()
    assert kinds and set(kinds) == {"opinion"} and len(kinds) < total
