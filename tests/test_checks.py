"""Outside references, verdicts, the voice rule and the uncertainty flag: each rule at its place,
and what a reader gets in the built pages and downloads."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from atlas import rules
from atlas.model import load_site
from conftest import edit, problems_at
from test_hostile import mini_site, run

LEDGER = "data/claims/alpha-2025.yml"
REFS = "data/references.yml"
CHECKS = "data/checks/alpha-2025.yml"
FIGURE_CLAIM = (
    "  - id: c003\n    quote: \"国产光刻机预计2030年量产\"\n    zh: 文章称，2030 年是量产之年。\n"
    "    en: The article says 2030 is the year of volume production.\n    cited: null\n    domains: [litho]\n"
    "    kind: fact\n    date: \"2030\"\n")
REFERENCE = (
    "- id: test-bulletin-2024\n  publisher: {zh: 测试统计局, en: Test Statistics Bureau}\n  title: 2024年测试公报\n"
    "  kind: official-statistics\n  published: \"2024-02-29\"\n  url: https://stats.example.org/bulletin-2024\n"
    "  read: \"2026-12-01\"\n  page: publisher\n  excerpt: \"全球只有一家公司\"\n  language: zh-Hans\n")
CHECK = ("source: alpha-2025\nchecks:\n  - claim: c001\n    verdict: differs\n    references: [test-bulletin-2024]\n"
         "    note: {zh: 公报写的是两家公司。, en: The bulletin names two companies.}\n")


def problems(root: Path):
    return rules.check(load_site(root), root / "archive")


def with_check(root: Path, check: str = CHECK, reference: str = REFERENCE) -> None:
    edit(root, REFS, None, reference)
    edit(root, CHECKS, None, check)


def test_a_verdict_with_its_reference_is_clean(site_root):
    with_check(site_root)
    assert problems(site_root) == []


CASES = [
    ("voice-zh", lambda r: edit(r, LEDGER, "zh: 文章称，全球只有", "zh: 全球只有"), (LEDGER, 5, "ATL407", "zh reads as")),
    ("voice-en", lambda r: edit(r, LEDGER, "en: The article says only one company", "en: Only one company"),
     (LEDGER, 6, "ATL407", "en reads as")),
    ("unknown-reference", lambda r: with_check(r, CHECK.replace("[test-bulletin-2024]", "[no-such-ref]")),
     (CHECKS, 5, "ATL901", "unknown reference 'no-such-ref'")),
    ("check-of-unknown-claim", lambda r: with_check(r, CHECK.replace("claim: c001", "claim: c009")),
     (CHECKS, 3, "ATL901", "no such claim")),
    ("reference-without-excerpt", lambda r: with_check(r, reference=REFERENCE.replace("  excerpt: \"全球只有一家公司\"\n", "")),
     (REFS, 1, "ATL902", "has no excerpt")),
    ("reference-http", lambda r: with_check(r, reference=REFERENCE.replace("https://stats", "http://stats")),
     (REFS, 1, "ATL902", "https://")),
    ("reference-excerpt-too-long", lambda r: with_check(r, reference=REFERENCE.replace("全球只有一家公司", "长" * 121)),
     (REFS, 1, "ATL902", "121 characters")),
    ("reference-without-publisher", lambda r: with_check(r, reference=REFERENCE.replace(
        "  publisher: {zh: 测试统计局, en: Test Statistics Bureau}\n", "")), (REFS, 1, "ATL902", "has no publisher")),
    ("differs-without-note", lambda r: with_check(r, CHECK.split("    note:")[0]), (CHECKS, 3, "ATL903", "note in both")),
    ("note-in-one-language", lambda r: with_check(r, CHECK.replace(", en: The bulletin names two companies.", "")),
     (CHECKS, 6, "ATL103", "note.en")),
    ("not-found-without-date", lambda r: with_check(r, "source: alpha-2025\nchecks:\n  - claim: c001\n    verdict: not-found\n",
                                                    reference=""),
     (CHECKS, 3, "ATL903", "date searched")),
    ("consistent-without-reference", lambda r: with_check(r, "source: alpha-2025\nchecks:\n  - claim: c001\n"
                                                             "    verdict: consistent\n", reference=""),
     (CHECKS, 3, "ATL903", "names the references")),
    ("verdict-on-future-forecast", lambda r: with_check(r, CHECK + "  - claim: c002\n    verdict: not-found\n"
                                                            "    searched: \"2026-12-01\"\n"),
     (CHECKS, 7, "ATL904", "forecast for 2030")),
    ("verdict-on-opinion", lambda r: (edit(r, LEDGER, "kind: forecast", "kind: opinion"),
                                      with_check(r, CHECK + "  - claim: c002\n    verdict: not-found\n    searched: \"2026-12-01\"\n")),
     (CHECKS, 7, "ATL904", "is an opinion")),
    ("checkable-claim-without-check", lambda r: (edit(r, LEDGER, None, Path(r / LEDGER).read_text() + FIGURE_CLAIM),
                                                 with_check(r)),
     (LEDGER, 19, "ATL905", "claim c003 states a figure")),
    ("unused-reference", lambda r: with_check(r, reference=REFERENCE + REFERENCE.replace("test-bulletin-2024", "spare-2024")),
     (REFS, 11, "ATL906", "'spare-2024' is used by no check")),
    ("uncertain-words-not-in-quote", lambda r: edit(r, LEDGER, "    topic: euv\n", "    topic: euv\n    uncertain:\n"
                                                   "      reconstructed: 不在引语里\n      note: {zh: 重建。, en: Reconstructed.}\n"),
     (LEDGER, 11, "ATL103", "words of the quote")),
]


@pytest.mark.parametrize("name,change,expected", CASES, ids=[c[0] for c in CASES])
def test_rule_reports_problem_at_its_place(site_root, name, change, expected):
    change(site_root)
    path, line, rule, fragment = expected
    found = problems(site_root)
    matching = problems_at(found, path, line, rule)
    assert fragment in matching[0].message


TIMELINE = {"zh": "---\ntitle: 时间线\n---\n\n# 时间线\n\n<!-- atlas: timeline -->\n",
            "en": "---\ntitle: Timeline\n---\n\n# Timeline\n\n<!-- atlas: timeline -->\n"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The small site with a checked claim, an uncertain dated claim and a timeline, built."""
    tmp = tmp_path_factory.mktemp("checks")
    root = mini_site(tmp / "site")
    with_check(root)
    edit(root, LEDGER, "    date: \"2030\"\n", "    date: \"2030\"\n    uncertain:\n      reconstructed: 2030年\n"
                                             "      note: {zh: 年份在原文中模糊不清。, en: The year is blurred in the text.}\n")
    for lang in ("zh", "en"):
        edit(root, f"docs/{lang}/timeline.md", None, TIMELINE[lang])
        edit(root, f"docs/{lang}/index.md", "- [", "- [T](timeline.md)\n- [")
        edit(root, f"docs/{lang}/articles/alpha-2025.md", "<!-- atlas: source-card -->",
             "<!-- atlas: source-card -->\n\n<!-- atlas: check-summary -->")
    r = run(["python3", "-m", "mkdocs", "build", "-q", "-d", str(tmp / "out")], root)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    return tmp / "out"


def test_a_verdict_shows_as_a_labelled_badge_with_note_and_citation(built):
    zh = (built / "articles/alpha-2025/index.html").read_text(encoding="utf-8")
    en = (built / "en/articles/alpha-2025/index.html").read_text(encoding="utf-8")
    assert '<span class="atlas-verdict atlas-verdict--differs">外部资料不同</span> 公报写的是两家公司。' in zh
    assert '<span class="atlas-verdict atlas-verdict--differs">Outside sources differ</span> The bulletin names two companies.' in en
    assert '<a href="https://stats.example.org/bulletin-2024">Test Statistics Bureau, <cite>2024年测试公报</cite> (2024-02-29)</a>' in en
    assert "本文有 1 条可核对的事实陈述：0 条外部资料一致，1 条外部资料不同" in zh


def test_claimreview_is_valid_json_ld_on_the_article_page(built):
    en = (built / "en/articles/alpha-2025/index.html").read_text(encoding="utf-8")
    blocks = [b.split("</script>")[0] for b in en.split('<script type="application/ld+json">')[1:]]
    reviews = [r for b in blocks for r in json.loads(b)]
    assert len(reviews) == 1
    review = reviews[0]
    assert review["@type"] == "ClaimReview" and review["reviewRating"]["alternateName"] == "Outside sources differ"
    assert review["claimReviewed"].startswith("The article says only one company")
    assert review["itemReviewed"]["appearance"]["name"] == "光刻机的故事"
    assert review["url"].endswith("/en/articles/alpha-2025/#claim-alpha-2025-c001")


def test_uncertain_claim_carries_its_flag_on_the_timeline_and_in_the_csv(built):
    zh = (built / "timeline/index.html").read_text(encoding="utf-8")
    en = (built / "en/timeline/index.html").read_text(encoding="utf-8")
    assert "文本存疑：年份在原文中模糊不清。" in zh and "Uncertain text: The year is blurred in the text." in en
    article = (built / "articles/alpha-2025/index.html").read_text(encoding="utf-8")
    assert '<mark class="atlas-reconstructed" title="重建的文字">2030年</mark>' in article
    rows = list(csv.DictReader(io.StringIO((built / "data/claims.csv").read_text(encoding="utf-8"))))
    c002 = next(r for r in rows if r["id"] == "c002")
    assert c002["uncertain_en"] == "The year is blurred in the text." and c002["reconstructed"] == "2030年"
    c001 = next(r for r in rows if r["id"] == "c001")
    assert c001["verdict"] == "differs" and c001["check_references"] == "test-bulletin-2024"
    refs = json.loads((built / "data/references.json").read_text(encoding="utf-8"))
    assert refs[0]["id"] == "test-bulletin-2024" and refs[0]["claims"] == ["alpha-2025:c001"]


def test_a_fixture_claim_without_attribution_on_the_timeline_fails_the_checker(site_root):
    for lang in ("zh", "en"):
        edit(site_root, f"docs/{lang}/timeline.md", None, TIMELINE[lang])
        edit(site_root, f"docs/{lang}/index.md", "- [", "- [T](timeline.md)\n- [")
    edit(site_root, LEDGER, "en: The article expects domestic", "en: Domestic")
    found = [p for p in problems(site_root) if p.rule == "ATL407"]
    assert [(p.path, p.line) for p in found] == [(LEDGER, 14)]
