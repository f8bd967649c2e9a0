#!/usr/bin/env python3
"""Scaffold a contribution: an article (registry entry, ledger, zh/en page pair), a domain
page pair, or a claim stub. Everything it writes carries `TODO:` placeholders, and
`scripts/check.py` (rule ATL106) points at each one still left.

    python scripts/new.py article SOURCE_ID [--language zh-Hans|zh-Hant|en] [--archive FILE]
    python scripts/new.py domain SLUG --category CATEGORY [--theme]
    python scripts/new.py claim SOURCE_ID
    python scripts/new.py entity-pages        (a page pair for each entity in data/entities.yml without one)

It refuses, and changes nothing, when the slug or id already exists.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from atlas.model import LANGS, load_site  # noqa: E402
from atlas.schema import SLUG  # noqa: E402

TEMPLATES = Path(__file__).resolve().parent / "templates"

# Every key the site uses, in the order of CONTRIBUTING.md's "Add a source". A value that is
# already valid carries a plain comment listing the choices; only what must be written says TODO.
REGISTRY_ENTRY = """\
- id: {id}
  kind: article  # one of: article, report, dataset, statement, web
  title: "TODO: the original title exactly as the text gives it, or null"
  title_en: "TODO: a faithful English title"
  short: {{zh: "TODO: 简称，用于图表", en: "TODO: a short name for charts"}}
  outlet: null  # the outlet if the text states it, else null (outlet_en: its usual English name)
  authors: []  # the authors the text names, else [] (authors_en: their names in Latin letters)
  date:
    value: null  # YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2018-07; null if neither stated nor inferable
    status: unknown  # stated, inferred or unknown; a repost's own date is not the article's
    basis:
      zh: "TODO: 文中如何注明日期，或据何推断"
      en: "TODO: how the text states the date, or what it is inferred from"
  language: {language}
  url: null  # https only; a page found only at http:// stays null, named in notes
  doi: null
  genre: news-feature  # one of: news-feature, opinion, commentary, essay, academic-paper, report, testimony
  archive: {archive}
  notes: null  # {{zh: …, en: …}}: where the text was found (reposts), and its known problems
"""

CLAIM_STUB = """\
  - id: {id}
    quote: "TODO: verbatim, at most 60 characters, original script"
    zh: "TODO: 用我们自己的话转述这条主张"
    en: "TODO: restate the claim in our own words"
    cited: null  # TODO: {{zh: …, en: …}} for the primary source the article names, else null
    domains: [todo]  # TODO: slugs of the domain or theme pages this claim is about
    kind: fact  # one of: fact, forecast, opinion
"""


def fail(message: str) -> int:
    print(f"new.py: {message}", file=sys.stderr)
    return 2


def new_article(root: Path, sid: str, language: str, archive: str | None) -> int:
    site = load_site(root)
    targets = [root / "data/claims" / f"{sid}.yml"] + [root / "docs" / l / "articles" / f"{sid}.md" for l in LANGS]
    if sid in site.sources:
        return fail(f"source '{sid}' is already in data/sources.yml; pick another id")
    existing = [str(p.relative_to(root)) for p in targets if p.exists()]
    if existing:
        return fail(f"{', '.join(existing)} already exist(s); pick another id")
    registry = root / "data/sources.yml"
    text = registry.read_text(encoding="utf-8")
    entry = REGISTRY_ENTRY.format(id=sid, language=language, archive=archive or "null")
    registry.write_text(text.rstrip("\n") + "\n" + entry, encoding="utf-8")
    targets[0].parent.mkdir(parents=True, exist_ok=True)
    targets[0].write_text(f"source: {sid}\nclaims:\n" + CLAIM_STUB.format(id="c001"), encoding="utf-8")
    for lang, path in zip(LANGS, targets[1:]):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text((TEMPLATES / f"article.{lang}.md").read_text(encoding="utf-8").replace("{id}", sid),
                        encoding="utf-8")
    for path in [registry, *targets]:
        print(f"wrote {path.relative_to(root)}")
    print(f"next: fill in every TODO, then run python3 scripts/check.py --archive DIR")
    return 0


def new_domain(root: Path, slug: str, category: str, theme: bool) -> int:
    site = load_site(root)
    categories = [c.id for c in site.taxonomy.categories] if site.taxonomy else []
    if category not in categories:
        return fail(f"unknown category '{category}'; choose one of: {', '.join(categories)}")
    if slug in site.domains():
        return fail(f"a domain or theme '{slug}' already exists; pick another slug")
    section = "themes" if theme else "domains"
    why = {"zh": "为什么重要" if theme else "为什么是“卡脖子”环节", "en": "Why it matters" if theme else "Why it is a chokepoint"}
    for lang in LANGS:
        path = root / "docs" / lang / section / f"{slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = (TEMPLATES / f"domain.{lang}.md").read_text(encoding="utf-8")
        text = text.replace("{slug}", slug).replace("{category}", category)
        path.write_text(text.replace("{why_zh}", why["zh"]).replace("{why_en}", why["en"]), encoding="utf-8")
        print(f"wrote {path.relative_to(root)}")
    print("next: fill in every TODO, link the page from a related domain, then run python3 scripts/check.py")
    return 0


def new_claim(root: Path, sid: str) -> int:
    ledger = root / "data/claims" / f"{sid}.yml"
    if not ledger.is_file():
        return fail(f"{ledger.relative_to(root)} does not exist; scaffold the article first: new.py article {sid}")
    text = ledger.read_text(encoding="utf-8")
    numbers = [int(n) for n in re.findall(r"^\s*-\s*id:\s*c(\d{3})\s*$", text, re.M)]
    cid = f"c{max(numbers, default=0) + 1:03d}"
    if "claims: []" in text:
        text = text.replace("claims: []", "claims:")
    ledger.write_text(text.rstrip("\n") + "\n" + CLAIM_STUB.format(id=cid), encoding="utf-8")
    print(f"added claim {cid} to {ledger.relative_to(root)}")
    return 0


ENTITY_PAGE = """\
---
title: "{title}"
entity: {id}
---

# {title}

<!-- atlas: entity -->
"""


def new_entity_pages(root: Path) -> int:
    """A page pair for every registered entity that has none (the pages are all generated blocks)."""
    site = load_site(root)
    wrote = 0
    for eid, e in site.entities.items():
        for lang in LANGS:
            path = root / "docs" / lang / "entities" / f"{eid}.md"
            if path.exists():
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            title = getattr(e.name, lang).replace('"', "”")
            path.write_text(ENTITY_PAGE.format(title=title, id=eid), encoding="utf-8")
            wrote += 1
            print(f"wrote {path.relative_to(root)}")
    print(f"{wrote} page(s) written" if wrote else "every entity has its pages")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="new.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", default=".", help="the site checkout (default: .)")
    sub = parser.add_subparsers(dest="what", required=True)
    a = sub.add_parser("article", help="registry entry, ledger and zh/en summary pages")
    a.add_argument("id")
    a.add_argument("--language", choices=("zh-Hans", "zh-Hant", "en"), default="zh-Hans")
    a.add_argument("--archive", help="the source text's file name in the archive folder")
    d = sub.add_parser("domain", help="a zh/en domain (or theme) page pair")
    d.add_argument("id")
    d.add_argument("--category", required=True)
    d.add_argument("--theme", action="store_true", help="a cross-cutting theme (docs/*/themes/)")
    c = sub.add_parser("claim", help="a claim stub appended to a source's ledger")
    c.add_argument("id")
    sub.add_parser("entity-pages", help="a page pair for every entity of data/entities.yml that has none")
    args = parser.parse_args(argv)
    if args.what == "entity-pages":
        return new_entity_pages(Path(args.root))
    if not re.match(SLUG, args.id):
        return fail(f"'{args.id}' is not a slug: use lowercase letters, digits and hyphens")
    root = Path(args.root)
    if args.what == "article":
        return new_article(root, args.id, args.language, args.archive)
    if args.what == "domain":
        return new_domain(root, args.id, args.category, args.theme)
    return new_claim(root, args.id)


if __name__ == "__main__":
    sys.exit(main())
