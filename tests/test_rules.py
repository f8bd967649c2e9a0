"""Each rule, fed a fixture site with exactly one kind of problem, reports it at the right place."""
from __future__ import annotations

from pathlib import Path

import pytest

from atlas import rules
from atlas.model import load_site
from conftest import edit, problems_at

ZH_ART = "docs/zh/articles/alpha-2025.md"
EN_ART = "docs/en/articles/alpha-2025.md"
ZH_LITHO = "docs/zh/domains/litho.md"
EN_LITHO = "docs/en/domains/litho.md"
LEDGER = "data/claims/alpha-2025.yml"


def problems(root: Path, archive: bool = True):
    return rules.check(load_site(root), root / "archive" if archive else None)


def test_clean_fixture_has_no_problems(site_root):
    assert problems(site_root) == []


# (id, edits [(file, old, new)], expected (path, line, rule, fragment of the message))
CASES = [
    ("yaml-syntax", [(LEDGER, "kind: forecast", "kind: [forecast")],
     (LEDGER, 17, "ATL102", "YAML cannot be parsed")),  # where the unclosed [ opens
    ("duplicate-key", [(ZH_ART, "source: alpha-2025\n", "source: alpha-2025\nsource: alpha-2025\n")],
     (ZH_ART, 4, "ATL102", "duplicate key 'source'")),
    ("front-matter-not-closed", [(ZH_ART, "domains: [etch, litho]\n---", "domains: [etch, litho]\n")],
     (ZH_ART, 1, "ATL102", "not closed")),
    ("schema-bad-kind", [(LEDGER, "kind: fact", "kind: rumour")],
     (LEDGER, 9, "ATL103", "claims.0.kind")),
    ("quote-too-long", [(LEDGER, 'quote: "全球只有一家公司能制造EUV光刻机"', 'quote: "' + "长" * 61 + '"')],
     (LEDGER, 4, "ATL103", "61 characters")),
    ("missing-title", [(EN_LITHO, "title: Lithography\n", "")],
     (EN_LITHO, 2, "ATL103", "title")),
    ("unknown-key", [(ZH_LITHO, "category: semiconductors\n", "category: semiconductors\ncolour: red\n")],
     (ZH_LITHO, 4, "ATL104", "unknown key 'colour'")),
    ("duplicate-claim-id", [(LEDGER, "id: c002", "id: c001")],
     (LEDGER, 11, "ATL105", "claim id 'c001' is used twice")),
    ("missing-twin", [("docs/en/domains/etch.md", None, None)],
     ("docs/zh/domains/etch.md", 1, "ATL201", "no en twin")),
    ("twins-disagree", [(EN_LITHO, "category: semiconductors", "category: materials")],
     (EN_LITHO, 3, "ATL202", "'category'")),
    ("broken-link", [("docs/zh/index.md", "articles/alpha-2025.md", "articles/beta.md")],
     ("docs/zh/index.md", 7, "ATL301", "does not exist")),
    ("missing-anchor", [("docs/en/index.md", "#what-it-is", "#what-it-was")],
     ("docs/en/index.md", 8, "ATL302", "no anchor '#what-it-was'")),
    ("other-language-link", [("docs/zh/index.md", "](domains/litho.md", "](../en/domains/litho.md")],
     ("docs/zh/index.md", 8, "ATL303", "docs/en/")),
    ("absolute-link", [("docs/en/index.md", "](domains/litho.md", "](/en/domains/litho/")],
     ("docs/en/index.md", 8, "ATL304", "absolute link")),
    ("article-misses-domain-link", [(ZH_ART, "<!-- atlas: domains -->", "")],
     (ZH_ART, 4, "ATL401", "never links to domains/etch.md")),
    # the claims block links each claim to its article too, so both must go
    ("domain-misses-article", [(EN_LITHO, "<!-- atlas: articles domain=litho -->", ""),
                               (EN_LITHO, "<!-- atlas: claims domain=litho -->", "")],
     (EN_LITHO, 7, "ATL402", "alpha-2025")),
    ("orphan", [("docs/zh/domains/orphan.md", None, "---\ntitle: 孤\ncategory: semiconductors\n---\n\n# 孤\n"),
                ("docs/en/domains/orphan.md", None, "---\ntitle: Alone\ncategory: semiconductors\n---\n\n# Alone\n")],
     ("docs/zh/domains/orphan.md", 1, "ATL403", "no other page links here")),
    ("article-domains-incomplete", [(ZH_ART, "domains: [etch, litho]", "domains: [litho]"),
                                    (EN_ART, "domains: [etch, litho]", "domains: [litho]")],
     (ZH_ART, 4, "ATL404", "etch")),
    ("related-not-symmetric", [("docs/zh/domains/etch.md", "related: [litho]", "related: []"),
                               ("docs/en/domains/etch.md", "related: [litho]", "related: []")],
     (ZH_LITHO, 5, "ATL405", "does not list 'litho'")),
    ("placeholder-left", [(EN_LITHO, "Lithography.", "TODO: two to four plain sentences")],
     (EN_LITHO, 12, "ATL106", "still to do: two to four plain sentences")),
    ("chinese-copywriting", [(ZH_LITHO, "光刻。", "光刻机用于EUV工艺。")],
     (ZH_LITHO, 12, "ATL801", "→")),
    ("figure-without-claim", [(EN_LITHO, "Lithography.", "Lithography: 87% of the market.")],
     (EN_LITHO, 12, "ATL406", "'87' is stated by none of the claims about 'litho'")),
    # a figure another domain's claim states is not this page's to use (issue 16: scoped)
    ("figure-from-another-domain", [(LEDGER, "    date: \"2030\"\n", "    date: \"2030\"\n  - id: c003\n    quote: \"国产光刻机预计2030年量产\"\n"
                                    "    zh: 文章称，刻蚀设备 87% 依赖进口。\n    en: The article says 87% of etch tools are imported.\n"
                                    "    cited: null\n    domains: [etch]\n    kind: opinion\n"),
                                    (EN_LITHO, "Lithography.", "Lithography: 87% of the market.")],
     (EN_LITHO, 12, "ATL406", "'87' is stated by none of the claims about 'litho'")),
    ("hand-written-article-count", [(EN_LITHO, "Lithography.", "Lithography, as the three articles say.")],
     (EN_LITHO, 12, "ATL408", "'three articles' is a count written by hand")),
    ("unknown-source", [(ZH_ART, "source: alpha-2025", "source: beta-2025"),
                        (EN_ART, "source: alpha-2025", "source: beta-2025")],
     (ZH_ART, 3, "ATL501", "'beta-2025' is not in data/sources.yml")),
    ("unknown-cited-source", [(EN_LITHO, "Lithography.", "Lithography [@gamma-1999].")],
     (EN_LITHO, 12, "ATL501", "unknown source 'gamma-1999'")),
    ("unused-source", [("data/sources.yml", None, (Path(__file__).parent / "fixtures/clean/data/sources.yml")
                        .read_text(encoding="utf-8") + "- id: unused-2020\n  kind: report\n  title: null\n"
                        "  title_en: Unused\n  outlet: null\n  authors: []\n  date: {value: null, status: unknown,"
                        " basis: {zh: 未注明。, en: Not stated.}}\n  language: en\n  url: null\n  doi: null\n"
                        "  genre: report\n  archive: null\n  notes: null\n")],
     ("data/sources.yml", 18, "ATL502", "'unused-2020' is cited nowhere")),
    ("unknown-domain-in-claim", [(LEDGER, "domains: [litho]", "domains: [lito]")],
     (LEDGER, 8, "ATL503", "unknown domain 'lito'")),
    ("unknown-topic", [(LEDGER, "topic: euv", "topic: duv")],
     (LEDGER, 10, "ATL503", "unknown topic 'duv'")),
    ("footnote-without-source", [(EN_LITHO, "Lithography.\n", "Lithography.[^1]\n\n[^1]: Somebody said so.\n")],
     (EN_LITHO, 14, "ATL504", "footnote [^1]")),
    ("quote-not-in-source", [(LEDGER, "全球只有一家公司能制造EUV光刻机", "全球只有两家公司能制造EUV光刻机")],
     (LEDGER, 4, "ATL505", "claim c001: quote not found")),
    ("archive-missing", [("archive/alpha.txt", None, None)],
     ("data/sources.yml", 16, "ATL506", "does not exist")),  # at its `archive:` line
    ("unknown-block", [(EN_LITHO, "<!-- atlas: related -->", "<!-- atlas: relatives -->")],
     (EN_LITHO, 18, "ATL601", "unknown block 'relatives'")),
    ("block-unknown-domain", [(EN_LITHO, "<!-- atlas: claims domain=litho -->", "<!-- atlas: claims domain=lith -->")],
     (EN_LITHO, 14, "ATL601", "unknown domain 'lith'")),
    ("script-tag", [(EN_LITHO, "Lithography.\n", "Lithography.\n\n<script>alert(1)</script>\n")],
     (EN_LITHO, 14, "ATL701", "<script>")),
    ("event-handler", [(EN_LITHO, "Lithography.\n", 'Lithography.\n\n<img src="x.png" onerror="alert(1)">\n')],
     (EN_LITHO, 14, "ATL701", "event handler 'onerror='")),
    ("javascript-url", [(EN_LITHO, "Lithography.", "[Lithography](javascript:alert(1)).")],
     (EN_LITHO, 12, "ATL701", "URL 'javascript:alert(1)' is not allowed")),
    ("http-link", [(EN_LITHO, "Lithography.", "[Lithography](http://example.org/).")],
     (EN_LITHO, 12, "ATL702", "use https://")),
]


@pytest.mark.parametrize("name,edits,expected", CASES, ids=[c[0] for c in CASES])
def test_rule_reports_problem_at_its_place(site_root, name, edits, expected):
    for rel, old, new in edits:
        edit(site_root, rel, old, new)
    found = problems(site_root)
    path, line, rule, fragment = expected
    matching = problems_at(found, path, line, rule)
    assert fragment in matching[0].message


def test_not_utf8_is_reported_and_the_rest_still_loads(site_root):
    (site_root / ZH_LITHO).write_bytes("---\ntitle: 光刻\n---\n".encode("gbk"))
    found = problems(site_root)
    assert any(p.path == ZH_LITHO and p.rule == "ATL101" and "UTF-8" in p.message for p in found)
    # the English twin and the rest of the site are still checked
    assert any(p.path == EN_LITHO and p.rule == "ATL201" for p in found)


def test_generated_links_count_for_cross_links(site_root):
    """The domain page reaches the article only through its `articles` block: that is enough."""
    assert not [p for p in problems(site_root) if p.rule in ("ATL401", "ATL402")]


def test_checker_never_changes_a_file(site_root):
    edit(site_root, LEDGER, "kind: fact", "kind: [")
    before = {p: p.read_bytes() for p in site_root.rglob("*") if p.is_file()}
    problems(site_root)
    after = {p: p.read_bytes() for p in site_root.rglob("*") if p.is_file()}
    assert before == after


def test_quotes_match_across_layout_breaks_and_width(site_root):
    """NFKC and whitespace normalisation: a quote split by a line break or typed full-width still matches."""
    edit(site_root, "archive/alpha.txt", "全球只有一家公司能制造EUV光刻机", "全球只有一家公司\n\n能制造ＥＵＶ光刻机")
    assert [p.rule for p in problems(site_root)] == ["ATL508"]  # the text changed: its hash says so
    record_archive_hash(site_root)
    assert problems(site_root) == []


def record_archive_hash(root: Path) -> None:
    import hashlib

    digest = hashlib.sha256((root / "archive/alpha.txt").read_bytes()).hexdigest()
    (root / "data/archive.yml").write_text(f"- {{file: alpha.txt, sha256: {digest}}}\n", encoding="utf-8")


def test_an_archived_text_must_be_the_registered_one(site_root):
    edit(site_root, "archive/alpha.txt", "全球只有", "全球仅有")
    found = [p for p in problems(site_root) if p.rule == "ATL508"]
    assert [(p.path, p.line) for p in found] == [("data/archive.yml", 1)] and "not the text registered" in found[0].message
    (site_root / "data/archive.yml").write_text("[]\n", encoding="utf-8")
    found = [p for p in problems(site_root) if p.rule == "ATL508"]
    assert [(p.path, p.line) for p in found] == [("data/sources.yml", 16)]
    assert "add: - {file: alpha.txt, sha256: " in found[0].message


def test_figures_from_a_claim_or_a_cited_line_pass(site_root):
    edit(site_root, EN_LITHO, "Lithography.", "Volume production is expected in 2030; 35 items [@alpha-2025].")
    assert [p for p in problems(site_root) if p.rule == "ATL406"] == []


def test_anchors_made_by_generated_blocks_count(site_root):
    """A link to a heading that only a generated block writes (the comparison's `{#topic}`)."""
    for lang, title in (("zh", "对照"), ("en", "Comparison")):
        edit(site_root, f"docs/{lang}/compare.md", None, f"---\ntitle: {title}\n---\n\n<!-- atlas: comparison -->\n")
        edit(site_root, f"docs/{lang}/index.md", "- [", f"- [{title}](compare.md#euv)\n- [")
    assert problems(site_root) == []
    edit(site_root, "docs/en/index.md", "compare.md#euv", "compare.md#duv")
    assert [(p.path, p.rule) for p in problems(site_root)] == [("docs/en/index.md", "ATL302")]
