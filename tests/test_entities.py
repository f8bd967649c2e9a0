"""Entities: tags kept honest by aliases, a page pair each; and the atlas views built from them."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from atlas import rules
from atlas.model import load_site
from conftest import edit, problems_at

LEDGER = "data/claims/alpha-2025.yml"
ENTITIES = "data/entities.yml"
ENTITY = ("- id: asml\n  kind: company\n  name: {zh: 阿斯麦, en: ASML}\n  original: ASML Holding\n  country: NL\n"
          "  aliases: {zh: [阿斯麦], en: [ASML]}\n")
PAGE = "---\ntitle: {title}\nentity: asml\n---\n\n# {title}\n\n<!-- atlas: entity -->\n"


def problems(root: Path):
    return rules.check(load_site(root), root / "archive")


def with_entity(root: Path, tag: bool = True, pages: bool = True) -> None:
    edit(root, ENTITIES, None, ENTITY)
    edit(root, LEDGER, "The article says only one company in the world can build",
         "The article says only one company in the world, ASML, can build")
    if tag:
        edit(root, LEDGER, "    domains: [litho]\n    kind: fact", "    domains: [litho]\n    entities: [asml]\n    kind: fact")
    if pages:
        for lang, title in (("zh", "阿斯麦"), ("en", "ASML")):
            edit(root, f"docs/{lang}/entities/asml.md", None, PAGE.format(title=title))


def test_a_tagged_entity_with_its_pages_is_clean(site_root):
    with_entity(site_root)
    assert problems(site_root) == []


CASES = [
    ("named-but-not-tagged", lambda r: with_entity(r, tag=False), (LEDGER, 3, "ATL409", "names 'ASML' (asml) but is not tagged")),
    ("tagged-but-not-named", lambda r: (with_entity(r), edit(r, LEDGER, "    domains: [litho, etch]\n",
                                                             "    domains: [litho, etch]\n    entities: [asml]\n")),
     (LEDGER, 18, "ATL409", "tagged 'asml' but names it nowhere")),
    ("unknown-entity", lambda r: (with_entity(r), edit(r, LEDGER, "entities: [asml]", "entities: [asml, asmll]")),
     (LEDGER, 9, "ATL507", "unknown entity 'asmll'; did you mean 'asml'?")),
    ("entity-without-pages", lambda r: with_entity(r, pages=False), (ENTITIES, 1, "ATL410", "has no page")),
    ("entity-named-by-no-claim", lambda r: (with_entity(r), edit(r, ENTITIES, None, ENTITY + ENTITY.replace(
        "asml", "zeiss").replace("ASML", "Zeiss").replace("阿斯麦", "蔡司"))), (ENTITIES, 7, "ATL410", "named by no claim")),
]


@pytest.mark.parametrize("name,change,expected", CASES, ids=[c[0] for c in CASES])
def test_rule_reports_problem_at_its_place(site_root, name, change, expected):
    change(site_root)
    path, line, rule, fragment = expected
    found = problems(site_root)
    matching = problems_at(found, path, line, rule)
    assert any(fragment in m.message for m in matching), matching


def html(built: Path, url: str) -> str:
    return (built / url / "index.html").read_text(encoding="utf-8")


def test_every_domain_page_opens_with_its_glance_box(built):
    for lang in ("", "en/"):
        for section in ("domains", "themes"):
            for page in (built / lang / section).iterdir():
                if page.is_dir():
                    text = html(built, f"{lang}{section}/{page.name}")
                    article = text.split('<article class="md-content__inner md-typeset">', 1)[1]
                    assert article.index('class="atlas-glance"') < article.index("<h2"), page


def test_the_home_page_shows_every_domain_with_its_figure_or_none(built):
    for lang, none in (("", "文章未给出数字"), ("en/", "no figure in the articles")):
        text = html(built, lang)
        cards = re.findall(r'<li><a href="domains/([a-z0-9-]+)/"><strong>', text)
        domains = sorted(p.name for p in (built / lang / "domains").iterdir() if p.is_dir())
        assert sorted(cards) == domains
        assert none in text


def test_the_crosswalk_lists_all_35_with_counts_in_its_caption(built):
    en = html(built, "en/themes/chokepoint-lists")
    table = en.split("The 35 technologies of Science and Technology Daily", 1)[1].split("</table>", 1)[0]
    assert len(re.findall(r"<tr>\s*<td>\d+</td>", table)) == 35
    assert "not covered by the articles" in table and "Lithography machines" in table
    zh = html(built, "themes/chokepoint-lists")
    assert "2018 年《科技日报》连载的 35 项技术" in zh


def test_an_entity_page_lists_what_the_articles_say_with_links_back(built):
    asml = html(built, "en/entities/asml")
    assert "A company, Netherlands." in asml and asml.count('class="atlas-claim"') >= 3
    litho = html(built, "en/domains/lithography")
    assert 'href="../../entities/asml/">ASML</a>' in litho
    catalog = html(built, "entities")
    assert "企业" in catalog and 'href="asml/"' in catalog


def test_the_home_page_lists_the_latest_changes_from_git(built):
    for lang in ("", "en/"):
        text = html(built, lang)
        section = text.split('id="latest-changes"' if lang else 'id="最近更新"', 1)[1].split("<h2", 1)[0]
        assert len(re.findall(r"<li>\d{4}-\d{2}-\d{2} — <a href=\"(?:articles|domains|themes)/", section)) == 8
