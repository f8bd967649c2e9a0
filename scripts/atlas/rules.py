"""The checks, one small function per rule family, shared by scripts/check.py and the build.

Each rule takes the loaded `Site` (and the archive folder, for quotes) and yields `Problem`s.
Rule ids are stable: contributors look them up in CONTRIBUTING.md, so never renumber one.
"""
from __future__ import annotations

import datetime
import difflib
import posixpath
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, Optional
from urllib.parse import unquote

from pymdownx.slugs import slugify

from . import render
from .model import LANGS, Page, Problem, Site, read_text

# What each rule id means; CONTRIBUTING.md explains each with a bad and a good example.
RULES = {
    "ATL101": "file cannot be read, is not UTF-8, or is missing",
    "ATL102": "YAML cannot be parsed, or repeats a key",
    "ATL103": "front matter or data does not fit its schema",
    "ATL104": "unknown key in front matter or data",
    "ATL105": "an id is used twice, or a ledger is misnamed",
    "ATL106": "a scaffold placeholder (TODO:) is still there",
    "ATL107": "input too large or too deep to read safely (long line, YAML alias or deep nesting)",
    "ATL201": "page has no twin in the other language",
    "ATL202": "twins disagree on language-neutral front matter",
    "ATL301": "relative link points to nothing",
    "ATL302": "#anchor does not exist in the target page",
    "ATL303": "link leads into the other language's folder",
    "ATL304": "site link is absolute; use a relative .md link",
    "ATL401": "article page does not link to a domain it lists",
    "ATL402": "domain page does not reach an article that covers it",
    "ATL403": "page is an orphan: no other page links to it",
    "ATL404": "article's `domains` differ from the domains of its ledger",
    "ATL405": "related domains are not linked both ways",
    "ATL406": "a figure in prose matches no claim of the page's article or domain",
    "ATL407": "a claim's statement does not say who says it (it would read as the site's own)",
    "ATL408": "a count of articles written by hand no longer matches the articles (five articles, 两篇文章)",
    "ATL409": "a claim names an entity (by one of its aliases) without its tag, or carries a tag for one it never names",
    "ATL410": "an entity has no page pair, a page names no registered entity, or an entity is named by no claim",
    "ATL501": "unknown source id",
    "ATL502": "registry entry is never used",
    "ATL503": "unknown domain, category or topic",
    "ATL504": "footnote cites neither a registered source nor a page of the site",
    "ATL505": "quote not found verbatim in its source text",
    "ATL506": "archived source text is missing",
    "ATL507": "unknown entity id",
    "ATL508": "an archived source text is not in data/archive.yml, or differs from the hash recorded there",
    "ATL601": "generated block cannot be rendered",
    "ATL701": "content the sanitiser would remove (script, event handler, style, unsafe URL, remote image, markup in data)",
    "ATL702": "external link is not https",
    "ATL703": "file under docs/ that the site does not publish (not a page or a picture, a symbolic link, a bad page name)",
    "ATL704": "snippet include (--8<--): the site includes no files into pages",
    "ATL801": "Chinese copywriting (AutoCorrect): spacing or punctuation",
    "ATL901": "a check names an unknown reference or claim",
    "ATL902": "a reference lacks its publisher, address, date read or excerpt, or breaks their limits",
    "ATL903": "a verdict lacks what it needs: a note in both languages (differs, unclear), a date searched (not found), a reference (the others)",
    "ATL904": "a verdict on an opinion, or on a forecast whose date has not come",
    "ATL905": "a checkable fact claim (a figure or a date) has no check",
    "ATL906": "a reference is used by no check",
}

# Bounded repetitions: a hostile line (100 000 "[") must cost linear time, not hang the checker.
LINK = re.compile(r"(?<!\!)\[(?:[^\[\]]|\[[^\[\]]{0,300}\]){0,1000}\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
IMAGE = re.compile(r"!\[[^\]]{0,1000}\]\(\s*<?([^)\s>]+)>?")
REF_DEF = re.compile(r"^\s{0,3}\[(?!\^)[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")
HREF = re.compile(r"""\b(?:href|src)\s*=\s*["']([^"']+)["']""", re.I)
FOOTNOTE_DEF = re.compile(r"^\[\^([^\]]+)\]:\s*(.*)$")
HEADING = re.compile(r"^(#{1,6})[ \t]+(\S.*)$")  # the text is stripped of closing #s in heading_text
ATTR_ID = re.compile(r"\{[^}]*#([\w\-\u4e00-\u9fff]+)[^}]*\}\s*$")
HTML_ID = re.compile(r"""\bid\s*=\s*["']([^"']+)["']""")
# Markup in a data field: a tag, a comment or a declaration (a bare "<" as in "<20%" is text).
DATA_MARKUP = re.compile(r"<\s*[A-Za-z!/?]|\bjavascript\s*:|\bon[a-z]+\s*=", re.I)
# Text fields that go into the CSV downloads, where a leading = + @ starts a formula (the
# download neutralises it too; the contributor hears of it here).
FORMULA_START = ("=", "+", "@")
FORMULA_FIELDS = {"zh", "en", "quote", "title", "title_en", "outlet", "outlet_en", "excerpt"}
SNIPPET = re.compile(r"^\s*;?-{1,}8<-{1,}")
INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+\1")
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
# A figure: two or more digits, or a decimal (single digits are ordinals and counts of points).
FIGURE = re.compile(r"(?<![\w.#/-])(\d{2,}(?:[.,]\d+)*|\d[.,]\d+)(?![\w/-])")


@dataclass(frozen=True)
class Link:
    path: str  # the page holding it
    line: int
    target: str


# --- reading pages ---------------------------------------------------------------------


def heading_text(m: re.Match) -> str:
    return re.sub(r"[ \t]+#+$", "", m.group(2).rstrip()).rstrip()


def prose_lines(page: Page) -> Iterator[tuple[int, str]]:
    """Body lines outside fenced code, with inline code blanked out."""
    return _prose(page.body_lines())


def _prose(lines: Iterable[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    fenced = False
    for line, text in lines:
        if text.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if not fenced:
            yield line, INLINE_CODE.sub(lambda m: " " * len(m.group(0)), text)


def expanded_lines(site: Site, page: Page) -> list[tuple[int, str]]:
    """Prose lines, with each generated block replaced by what it renders (at the block's line).

    Rules about links see exactly what a reader will see, written or generated.
    """
    return site._memo(("expanded", page.path), lambda: list(_expand(site, page)))


def _expand(site: Site, page: Page) -> Iterator[tuple[int, str]]:
    return _prose(source_lines(site, page))


def source_lines(site: Site, page: Page) -> list[tuple[int, str]]:
    """The page's body as the build renders it, each line tagged with the line it comes from
    (a block's output with the block's line; a block that cannot render stays as written)."""
    return site._memo(("source_lines", page.path), lambda: _source_lines(site, page))


def _source_lines(site: Site, page: Page) -> list[tuple[int, str]]:
    blocks = {b.line: b for b in render.find_blocks(page.body_lines())}
    out = []
    for line, text in page.body_lines():
        block = blocks.get(line)
        rendered = render.render_block(site, page, block) if block else None
        if rendered is None:
            out.append((line, text))
        else:
            out += [(line, part) for part in rendered.split("\n")]
    return out


def page_links(site: Site, page: Page) -> list[Link]:
    return site._memo(("links", page.path), lambda: _page_links(site, page))


def _page_links(site: Site, page: Page) -> list[Link]:
    links = []
    for line, text in expanded_lines(site, page):
        if "[" not in text and "=" not in text:
            continue  # every link form has one or the other (most generated lines have neither)
        for rx in (LINK, IMAGE, REF_DEF, HREF):
            for m in rx.finditer(text):
                links.append(Link(page.path, line, m.group(1)))
        for m in render.CITE.finditer(text):
            target = site.article_for_source(page.lang, m.group(1))
            if target:
                links.append(Link(page.path, line, render.rel_link(page, target.rel)))
    return links


def resolve(site: Site, page: Page, target: str) -> tuple[Optional[str], str]:
    """(rel path inside the language folder or None for external/anchor-only, anchor)."""
    if SCHEME.match(target) or target.startswith("//"):
        return None, ""
    path, _, anchor = target.partition("#")
    if not path:
        return page.rel, anchor
    if path.endswith("/") or path in (".", ".."):
        # A built URL (raw HTML from a block): resolve it against the page's own URL.
        here = render.page_url("zh", page.rel)
        url = posixpath.normpath(posixpath.join(here or ".", unquote(path)))
        url = "" if url == "." else url
        candidates = [f"{url}.md", f"{url}/index.md"] if url else ["index.md"]
        return next((r for r in candidates if site.page(page.lang, r)), candidates[-1]), anchor
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(page.rel), unquote(path)))
    return joined, anchor


def anchors(site: Site, page: Page) -> set[str]:
    """Anchors the page will have, written or generated: toc ids (as pymdownx.slugs makes
    them), explicit `{#id}` attributes, HTML ids and footnotes."""
    ids: set[str] = set()
    seen: dict[str, int] = {}
    slug = _slugify()
    for _, text in expanded_lines(site, page):
        m = HEADING.match(text)
        if m:
            attr = ATTR_ID.search(heading_text(m))
            if attr:
                ids.add(attr.group(1))
                continue
            plain = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading_text(m))
            plain = re.sub(r"[*_`]", "", plain)
            base = slug(plain, "-")
            n = seen.get(base, 0)
            seen[base] = n + 1
            ids.add(base if n == 0 else f"{base}_{n}")
        ids.update(HTML_ID.findall(text))
        m = FOOTNOTE_DEF.match(text)
        if m:
            ids.add(f"fn:{m.group(1)}")
    return ids


@lru_cache(maxsize=1)
def _slugify():
    return slugify(case="lower")


# --- rules -----------------------------------------------------------------------------


def check_twins(site: Site) -> Iterator[Problem]:
    from . import schema

    for (lang, rel), page in sorted(site.pages.items()):
        other = [l for l in LANGS if l != lang][0]
        twin = site.page(other, rel)
        if twin is None:
            yield Problem(page.path, 1, 1, "ATL201", f"no {other} twin: create docs/{other}/{rel}")
            continue
        if lang != LANGS[0] or page.meta is None or twin.meta is None:
            continue
        for key in schema.NEUTRAL_KEYS:
            mine, theirs = getattr(page.meta, key, None), getattr(twin.meta, key, None)
            if mine != theirs:
                line = twin.raw_meta.key_lines.get(key, 2) if hasattr(twin.raw_meta, "key_lines") else 2
                yield Problem(twin.path, line, 1, "ATL202",
                              f"'{key}' is {theirs!r} here but {mine!r} in {page.path}")


def check_links(site: Site) -> Iterator[Problem]:
    anchors_of: dict[tuple[str, str], set[str]] = {}
    for page in site.pages.values():
        for link in page_links(site, page):
            t = link.target
            if t.startswith(("http://", "https://", "mailto:")) or t.startswith("//"):
                continue
            if SCHEME.match(t):
                continue  # unsafe schemes are ATL701's
            if posixpath.basename(t) in render.DOWNLOAD_FILES and "/data/" in f"/{t}":
                continue  # written by the build itself (the downloads block)
            if t.startswith("/"):
                yield Problem(page.path, link.line, 1, "ATL304", f"absolute link '{t}': link to the .md file relatively")
                continue
            rel, anchor = resolve(site, page, t)
            if rel is None:
                continue
            other = [l for l in LANGS if l != page.lang][0]
            if rel.startswith("../") or rel == "..":
                parts = rel.split("/")
                if other in parts:
                    yield Problem(page.path, link.line, 1, "ATL303",
                                  f"'{t}' leads into docs/{other}/; link to the {page.lang} page instead")
                else:
                    yield Problem(page.path, link.line, 1, "ATL301", f"'{t}' points outside docs/{page.lang}/")
                continue
            target = site.page(page.lang, rel)
            if target is None and not rel.endswith(".md"):
                if (site.root / "docs" / page.lang / rel).exists():
                    continue
            if target is None:
                yield Problem(page.path, link.line, 1, "ATL301", f"'{t}' points to docs/{page.lang}/{rel}, which does not exist")
                continue
            if anchor:
                key = (page.lang, rel)
                if key not in anchors_of:
                    anchors_of[key] = anchors(site, target)
                if anchor not in anchors_of[key] and unquote(anchor) not in anchors_of[key]:
                    yield Problem(page.path, link.line, 1, "ATL302", f"'{t}': no anchor '#{anchor}' in {target.path}")


def _linked_rels(site: Site, page: Page) -> set[str]:
    out = set()
    for link in page_links(site, page):
        rel, _ = resolve(site, page, link.target)
        if rel:
            out.add(rel)
    return out


def check_cross_links(site: Site) -> Iterator[Problem]:
    domains = site.domains()
    for lang in LANGS:
        linked_from: dict[str, set[str]] = {}
        links_of = {p.rel: _linked_rels(site, p) for p in site.lang_pages(lang)}
        for rel, targets in links_of.items():
            for t in targets - {rel}:
                linked_from.setdefault(t, set()).add(rel)
        for page in site.article_pages(lang):
            if page.meta is None:
                continue
            for slug in page.meta.domains:
                target = site.domain_page(lang, slug)
                if target is None:
                    line = page.raw_meta.key_lines.get("domains", 2)
                    yield Problem(page.path, line, 1, "ATL503",
                                  f"unknown domain '{slug}' in `domains`{did_you_mean(slug, domains)}")
                elif target.rel not in links_of[page.rel]:
                    line = page.raw_meta.key_lines.get("domains", 2)
                    yield Problem(page.path, line, 1, "ATL401",
                                  f"lists domain '{slug}' but never links to {target.rel}")
            ledger_domains = {d for c in site.claims_of_source(page.meta.source) for d in c.claim.domains}
            missing = sorted(ledger_domains - set(page.meta.domains))
            if missing and lang == LANGS[0]:
                line = page.raw_meta.key_lines.get("domains", 2)
                yield Problem(page.path, line, 1, "ATL404",
                              f"its ledger has claims on {', '.join(missing)}, which `domains` does not list")
        for slug, dpage in sorted(domains.items()):
            page = site.domain_page(lang, slug)
            if page is None:
                continue
            for sid in site.sources_of_domain(slug):
                article = site.article_for_source(lang, sid)
                if article and article.rel not in links_of[page.rel]:
                    yield Problem(page.path, page.body_line, 1, "ATL402",
                                  f"its claims come from '{sid}' but it never links to {article.rel}"
                                  " (add <!-- atlas: articles domain=" + slug + " -->)")
            if page.meta is not None:
                for other in page.meta.related:
                    opage = site.domain_page(lang, other)
                    if opage is None:
                        line = page.raw_meta.key_lines.get("related", 2)
                        yield Problem(page.path, line, 1, "ATL503", f"unknown related domain '{other}'")
                    elif opage.meta is not None and slug not in opage.meta.related and lang == LANGS[0]:
                        line = page.raw_meta.key_lines.get("related", 2)
                        yield Problem(page.path, line, 1, "ATL405",
                                      f"lists '{other}' as related, but {opage.path} does not list '{slug}'")
        for rel, page in ((p.rel, p) for p in site.lang_pages(lang)):
            if rel == "index.md" or rel.endswith("/index.md"):
                continue  # home and section pages are reached through the navigation
            if not linked_from.get(rel):
                yield Problem(page.path, 1, 1, "ATL403", "no other page links here")


def did_you_mean(word: str, known) -> str:
    near = difflib.get_close_matches(word, sorted(known), 1, 0.7)
    return f"; did you mean '{near[0]}'?" if near else ""


def figures(text: str) -> set[str]:
    return {m.group(1).replace(",", "") for m in FIGURE.finditer(text)}


def check_figures(site: Site) -> Iterator[Problem]:
    """Figures in the prose of article, domain and theme pages must come from the ledgers, and
    from the right ones: an article page's from that article's claims, a domain or theme page's
    from the claims about it. A figure another article states elsewhere is not this page's to use.
    A line that cites a registered source (`[@id]` or a footnote) is attributed on its own.
    """
    def claim_figures(refs) -> set[str]:
        out: set[str] = set()
        for ref in refs:
            c = ref.claim
            out |= figures(" ".join((c.quote, c.zh, c.en, c.date or "", getattr(c.cited, "zh", ""),
                                     getattr(c.cited, "en", ""))))
        return out

    for page in site.pages.values():
        if page.section not in ("articles", "domains", "themes") or not page.slug or page.meta is None:
            continue
        if page.section == "articles":
            sid = getattr(page.meta, "source", None)
            known = claim_figures(site.claims_of_source(sid))
            if sid in site.sources:
                for d in (site.sources[sid].date.value, site.sources[sid].date.received):
                    known |= figures(" ".join((d or "").split("-")))  # "2025-12": the year and the month
            scope = "this article's claims"
        else:
            known = claim_figures(site.claims_of_domain(page.slug))
            scope = f"the claims about '{page.slug}'"
        for line, text in prose_lines(page):
            if render.BLOCK.match(text.strip()) or "[@" in text or "[^" in text or HEADING.match(text):
                continue  # headings follow the article's own section titles ("21 世纪以来…")
            text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets are not figures
            for figure in sorted(figures(text) - known):
                yield Problem(page.path, line, text.find(figure) + 1, "ATL406",
                              f"'{figure}' is stated by none of {scope}: add the claim to the ledger, or cite its source")


NUMBER_WORDS = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
                "two": 2, "both": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10}
ARTICLE_COUNT = re.compile(r"([两二三四五六七八九十]|\d+) ?篇(?:文章|来源)|"
                           r"\b(two|three|four|five|six|seven|eight|nine|ten|both|\d+)(?: of the)? (?:articles|sources)\b",
                           re.I)


def check_counts(site: Site) -> Iterator[Problem]:
    """ATL408: "five articles" in prose is true only until the sixth arrives. A count of articles
    written by hand must be either how many articles the site has or how many cover the page's
    domain (a topic note: how many the topic's claims come from); any other is reported, so that
    adding a source points at the sentences it made wrong."""
    total = len([sid for sid in site.sources if site.claims_of_source(sid)])

    def judge(path: str, line: int, text: str, allowed: set[int], what: str) -> Iterator[Problem]:
        for m in ARTICLE_COUNT.finditer(text):
            word = (m.group(1) or m.group(2)).lower()
            n = int(word) if word.isdigit() else NUMBER_WORDS.get(word)
            if n is not None and n not in allowed:
                yield Problem(path, line, m.start() + 1, "ATL408",
                              f"'{m.group(0)}' is a count written by hand: the site has {total} articles and "
                              f"{what}; reword it ('the articles', 'both', '其他文章') or correct it")

    for page in site.pages.values():
        if page.section in ("domains", "themes") and page.slug:
            n = len(site.sources_of_domain(page.slug))
            what = f"{n} cover '{page.slug}'"
            allowed = {total, n}
        elif page.rel in ("index.md", "compare.md"):
            what, allowed = "this page is about all of them", {total}
        else:
            continue
        for line, text in prose_lines(page):
            yield from judge(page.path, line, text, allowed, what)
    tax = site.data_trees.get("data/taxonomy.yml")
    for topic in site.taxonomy.topics if site.taxonomy else []:
        if topic.note is None:
            continue
        n = len({r.source for r in site.claims_of_topic(topic.id)})
        line = next((getattr(t, "line", 1) for t in (tax or {}).get("topics", []) if isinstance(t, dict)
                     and t.get("id") == topic.id), 1)
        for text in (topic.note.zh, topic.note.en):
            yield from judge("data/taxonomy.yml", line, text, {total, n}, f"{n} give claims on topic '{topic.id}'")


# Who says it, in a claim's own words: the article (paper, essay, report, authors), or a named
# person or body with a verb of saying. The ledger text carries the attribution, so that a claim
# reads the same on its article, the timeline, a domain page, the comparison and in claims.csv.
ZH_SAYS = re.compile(r"文章|文中|论文|该文|本文|作者|报道|(?<![数证依占])据|援引|引述|认为|表示|指出|预计|预言|介绍|强调|写道|提到|"
                     r"(?<![简号堪俗统])称(?![为作号之])|(?<![小学])说(?!明|法)|坦言|直言|看来|判断|估计|透露|主张|呼吁|提出")
EN_SAYS = re.compile(r"\b(?:the (?:article|paper|essay|report|authors?|text|commentary|feature)|according to|"
                     r"(?:says|said|argues|argued|holds|held|writes|wrote|notes|noted|states|stated|reports|reported|"
                     r"expects|expected|predicts|predicted|believes|believed|warns|warned|recalls|cites|cited|quotes|"
                     r"quoted|claims|claimed|describes|lists|names|counts|calls|puts it|told|tells|adds|added|"
                     r"estimates|considers|maintains|contends|suggests|urges|proposes|sees)\b|in \w[\w.'’ -]*'s? view|"
                     r"(?:'s|’s) view)", re.I)


def check_voice(site: Site) -> Iterator[Problem]:
    """ATL407: every claim's zh and en name who says it."""
    for ref in site.claims:
        c = ref.claim
        if not ZH_SAYS.search(c.zh):
            yield Problem(ref.path, ref.line_of("zh"), 1, "ATL407",
                          f"claim {c.id}: zh reads as the site's own statement: begin with 文章称／文章认为／据文章，"
                          "or name who says it (…认为、…表示)")
        if not EN_SAYS.search(c.en):
            yield Problem(ref.path, ref.line_of("en"), 1, "ATL407",
                          f"claim {c.id}: en reads as the site's own statement: begin with 'The article says/argues', "
                          "'According to the article', or name who says it ('X says', 'In X's view')")


def _alias_pattern(alias: str) -> re.Pattern:
    # Latin aliases are whole words ("GE" must not match "GEM"); Chinese ones are plain substrings.
    if re.search(r"[A-Za-z]", alias):
        return re.compile(r"(?<![A-Za-z0-9])" + re.escape(alias) + r"(?![A-Za-z0-9])")
    return re.compile(re.escape(alias))


def entity_mentions(site: Site, ref) -> dict[str, str]:
    """The entities a claim names, each with the first alias found: zh aliases in `zh` and in a
    Simplified quote, zht aliases in a Traditional quote, en aliases in `en`."""
    def patterns():
        return {eid: [(field, a, _alias_pattern(a)) for field, names in
                      (("zh", e.aliases.zh), ("zht", e.aliases.zht), ("en", e.aliases.en)) for a in names]
                for eid, e in site.entities.items()}

    src = site.sources.get(ref.source)
    traditional = bool(src and src.language == "zh-Hant")
    texts = {"zh": ref.claim.zh + ("" if traditional else " " + ref.claim.quote),
             "zht": ref.claim.quote if traditional else "", "en": ref.claim.en}
    spans = []  # (field, start, end, entity, alias)
    for eid, pats in site._memo("entity_patterns", patterns).items():
        for field, alias, rx in pats:
            if alias in texts[field]:  # a plain substring test first: most aliases are in no claim
                spans += [(field, m.start(), m.end(), eid, alias) for m in rx.finditer(texts[field])]
    found: dict[str, str] = {}
    for field, start, end, eid, alias in spans:
        # The longest name wins: 国务院 inside 国务院发展研究中心 names the latter, not the State Council.
        inside = any(f == field and s2 <= start and end <= e2 and (e2 - s2) > (end - start) and other != eid
                     for f, s2, e2, other, _ in spans)
        if not inside:
            found.setdefault(eid, alias)
    return found


def check_entities(site: Site) -> Iterator[Problem]:
    """ATL507, ATL409, ATL410: entity tags are honest, and every entity has its page pair."""
    if not site.entities:
        for ref in site.claims:
            for eid in ref.claim.entities:
                yield Problem(ref.path, ref.line_of("entities"), 1, "ATL507", f"claim {ref.claim.id}: unknown entity "
                              f"'{eid}' (there is no data/entities.yml)")
        return
    named: set[str] = set()
    for ref in site.claims:
        tags = ref.claim.entities
        found = entity_mentions(site, ref)
        named |= set(tags)
        for eid in tags:
            if eid not in site.entities:
                yield Problem(ref.path, ref.line_of("entities"), 1, "ATL507",
                              f"claim {ref.claim.id}: unknown entity '{eid}'{did_you_mean(eid, site.entities)}")
            elif eid not in found:
                yield Problem(ref.path, ref.line_of("entities"), 1, "ATL409",
                              f"claim {ref.claim.id} is tagged '{eid}' but names it nowhere (none of its aliases is in "
                              "the quote, zh or en): remove the tag, or add the spelling to its aliases")
        for eid, alias in sorted(found.items()):
            if eid not in tags:
                yield Problem(ref.path, ref.line_of("entities") if tags else ref.line, 1, "ATL409",
                              f"claim {ref.claim.id} names '{alias}' ({eid}) but is not tagged with it: add '{eid}' "
                              "to its entities")
    rel = "data/entities.yml"
    for eid in site.entities:
        line = site.entity_lines[eid]
        missing = [l for l in LANGS if site.entity_page(l, eid) is None]
        if missing:
            yield Problem(rel, line, 1, "ATL410", f"entity '{eid}' has no page in docs/{missing[0]}/entities/: "
                          "run python3 scripts/new.py entity-pages")
        if eid not in named:
            yield Problem(rel, line, 1, "ATL410", f"entity '{eid}' is named by no claim: tag the claims or remove it")
    for page in site.pages.values():
        eid = getattr(page.meta, "entity", None)
        if page.section == "entities" and page.slug and eid != page.slug:
            yield Problem(page.path, 2, 1, "ATL410", f"an entity page names its entity in `entity:` ('{page.slug}')")
        elif eid and eid not in site.entities:
            yield Problem(page.path, 2, 1, "ATL507", f"unknown entity '{eid}'{did_you_mean(eid, site.entities)}")


def check_references(site: Site) -> Iterator[Problem]:
    """ATL901–ATL906: outside references and the verdicts they support."""
    from . import schema

    rel = "data/references.yml"
    for rid, ref in site.references.items():
        line = site.reference_lines[rid]
        missing = [k for k in ("publisher", "url", "read", "excerpt") if not getattr(ref, k)]
        if missing:
            yield Problem(rel, line, 1, "ATL902", f"reference '{rid}' has no {', '.join(missing)}: a reference is "
                          "used only where its page was found and read, and says so")
        if ref.url and not schema.HTTPS_URL.match(ref.url):
            yield Problem(rel, line, 1, "ATL902", f"reference '{rid}': url must be the https:// address where it "
                          "was read (a page read only over http:// is not cited)")
        if ref.excerpt and len(ref.excerpt) > schema.EXCERPT_MAX:
            yield Problem(rel, line, 1, "ATL902", f"reference '{rid}': excerpt is {len(ref.excerpt)} characters; "
                          f"at most {schema.EXCERPT_MAX}")
    used: set[str] = set()
    today = datetime.date.today().isoformat()
    for key, cref in sorted(site.checks.items()):
        c = cref.check
        ref = site.claim(key)
        if ref is None:
            yield Problem(cref.path, cref.line, 1, "ATL901", f"check of claim {c.claim}: no such claim in "
                          f"data/claims/{cref.source}.yml")
            continue
        for rid in c.references:
            used.add(rid)
            if rid not in site.references:
                yield Problem(cref.path, cref.line_of("references"), 1, "ATL901",
                              f"claim {c.claim}: unknown reference '{rid}' (see data/references.yml)")
        if c.verdict in ("differs", "unclear") and c.note is None:
            yield Problem(cref.path, cref.line, 1, "ATL903", f"claim {c.claim}: a '{c.verdict}' verdict says how, "
                          "in a note in both languages (note: {zh: …, en: …})")
        if c.verdict == "not-found" and not c.searched:
            yield Problem(cref.path, cref.line, 1, "ATL903", f"claim {c.claim}: 'not-found' gives the date searched")
        if c.verdict != "not-found" and not c.references:
            yield Problem(cref.path, cref.line, 1, "ATL903", f"claim {c.claim}: a '{c.verdict}' verdict names the "
                          "references behind it; with none, the verdict is not-found")
        if ref.claim.kind == "opinion":
            yield Problem(cref.path, cref.line, 1, "ATL904", f"claim {c.claim} is an opinion: opinions get no verdict")
        elif ref.claim.kind == "forecast" and (ref.claim.date or "9999") > today[:len(ref.claim.date or "9999")]:
            yield Problem(cref.path, cref.line, 1, "ATL904", f"claim {c.claim} is a forecast for "
                          f"{ref.claim.date or 'an unstated date'}: only a forecast whose date has passed can be checked")
    if site.references or site.checks:
        for ref in site.claims:
            if ref.claim.checkable and ref.key not in site.checks and ref.source in site.sources:
                yield Problem(ref.path, ref.line, 1, "ATL905",
                              f"claim {ref.claim.id} states a figure or a date but has no check in "
                              f"data/checks/{ref.source}.yml (a 'not-found' verdict with the date searched is a check)")
    for rid in site.references:
        if rid not in used:
            yield Problem(rel, site.reference_lines[rid], 1, "ATL906", f"reference '{rid}' is used by no check")


def check_attribution(site: Site, archive: Optional[Path]) -> Iterator[Problem]:
    used: set[str] = set()
    for page in site.pages.values():
        sid = getattr(page.meta, "source", None)
        if sid:
            used.add(sid)
            if sid not in site.sources and sid not in site.invalid_sources:
                line = page.raw_meta.key_lines.get("source", 2)
                yield Problem(page.path, line, 1, "ATL501", f"source '{sid}' is not in data/sources.yml")
        for line, text in prose_lines(page):
            for m in render.CITE.finditer(text):
                used.add(m.group(1))
                if m.group(1) not in site.sources:
                    yield Problem(page.path, line, m.start() + 1, "ATL501", f"cites unknown source '{m.group(1)}'")
            fn = FOOTNOTE_DEF.match(text)
            if fn and not render.CITE.search(fn.group(2)) and not re.search(r"\]\([^)]*\.md(#[^)]*)?\)", fn.group(2)):
                yield Problem(page.path, line, 1, "ATL504",
                              f"footnote [^{fn.group(1)}] cites no [@source-id] and no page of the site")
        for block in render.find_blocks(page.body_lines()):
            if "source" in block.args:
                used.add(block.args["source"])
    for ref in site.claims:
        used.add(ref.source)
    for sid in site.sources:
        if sid not in used:
            yield Problem("data/sources.yml", site.source_lines[sid], 1, "ATL502",
                          f"source '{sid}' is cited nowhere: cite it or remove it")
    domains = site.domains()
    topics = {t.id for t in site.taxonomy.topics} if site.taxonomy else set()
    categories = {c.id for c in site.taxonomy.categories} if site.taxonomy else set()
    for ref in site.claims:
        for d in ref.claim.domains:
            if d not in domains:
                yield Problem(ref.path, ref.line_of("domains"), 1, "ATL503",
                              f"claim {ref.claim.id}: unknown domain '{d}'{did_you_mean(d, domains)}")
        if ref.claim.topic and ref.claim.topic not in topics:
            yield Problem(ref.path, ref.line_of("topic"), 1, "ATL503",
                          f"claim {ref.claim.id}: unknown topic '{ref.claim.topic}'{did_you_mean(ref.claim.topic, topics)}")
    for page in site.pages.values():
        cat = getattr(page.meta, "category", None)
        if cat and cat not in categories:
            line = page.raw_meta.key_lines.get("category", 2)
            yield Problem(page.path, line, 1, "ATL503",
                          f"unknown category '{cat}' (see data/taxonomy.yml){did_you_mean(cat, categories)}")
    if archive is not None:
        yield from check_quotes(site, archive)


def normalise(text: str) -> str:
    """NFKC, then no whitespace at all: layout breaks inside a quote must not hide it."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def check_quotes(site: Site, archive: Path) -> Iterator[Problem]:
    texts: dict[str, Optional[str]] = {}
    for sid, source in site.sources.items():
        if not source.archive:
            continue
        file = archive / source.archive
        if not file.is_file():
            line = site.source_line(sid, "archive")
            near = difflib.get_close_matches(source.archive, [f.name for f in archive.iterdir() if f.is_file()], 1)
            hint = f"; did you mean {near[0]}?" if near else ""
            yield Problem("data/sources.yml", line, 1, "ATL506", f"source '{sid}': {file} does not exist{hint}")
            texts[sid] = None
            continue
        text, problems = read_text(file, str(file))
        yield from problems
        texts[sid] = normalise(text) if text is not None else None
        yield from _manifest_problems(site, sid, source.archive, file)
    for ref in site.claims:
        text = texts.get(ref.source)
        if text and normalise(ref.claim.quote) not in text:
            yield Problem(ref.path, ref.line_of("quote"), 1, "ATL505",
                          f"claim {ref.claim.id}: quote not found in {site.sources[ref.source].archive}:"
                          f" \"{ref.claim.quote}\"")


def _manifest_problems(site: Site, sid: str, name: str, file: Path) -> Iterator[Problem]:
    """ATL508: the text read is the text registered (data/archive.yml, file name and sha256)."""
    import hashlib

    digest = hashlib.sha256(file.read_bytes()).hexdigest()
    manifest = site.archive_manifest
    line = site.source_line(sid, "archive")
    if manifest is None:
        yield Problem("data/sources.yml", line, 1, "ATL508", f"source '{sid}': there is no data/archive.yml to record "
                      f"its text; create it with: - {{file: {name}, sha256: {digest}}}")
    elif name not in manifest:
        yield Problem("data/sources.yml", line, 1, "ATL508", f"source '{sid}': {name} is not in data/archive.yml; "
                      f"add: - {{file: {name}, sha256: {digest}}}")
    elif manifest[name][0] != digest:
        yield Problem("data/archive.yml", manifest[name][1], 1, "ATL508",
                      f"{name} is not the text registered (sha256 {digest[:12]}…, recorded {manifest[name][0][:12]}…): "
                      "if the change is intended, record the new hash")


def check_blocks(site: Site) -> Iterator[Problem]:
    for page in site.pages.values():
        for block in render.find_blocks(page.body_lines()):
            why = render.block_error(site, page, block)
            source = block.args.get("source") or getattr(page.meta, "source", None)
            if why and source in site.invalid_sources and "source" in why:
                continue  # the registry entry's own mistake is reported where it is
            if why:
                yield Problem(page.path, block.line, 1, "ATL601", why)


MAX_LOCATED = 10  # located problems per page; a page with more has one more summary line


def check_html(site: Site) -> Iterator[Problem]:
    """ATL701/ATL702: render each page as the build does and report what the sanitiser removes.

    The sanitiser (sanitize.py) is the one the build applies; a removal is located by rendering
    ever longer beginnings of the page until it appears (only pages with a problem pay for it)."""
    from . import markdown, sanitize

    for page in site.pages.values():
        text = render.page_markdown(site, page)
        clean_key = _clean_cache_key(site, text)
        if clean_key is not None and clean_key.is_file():
            continue  # this exact Markdown, under these settings, was judged clean before
        html = markdown.to_html(site, text)
        if html is None:
            return
        found = sanitize.removals(html)
        if not found:
            if clean_key is not None:
                try:
                    clean_key.parent.mkdir(parents=True, exist_ok=True)
                    clean_key.touch()
                except OSError:
                    pass  # a read-only checkout is checked in full every time
            continue
        lines = source_lines(site, page)

        def count(k: int) -> int:
            prefix = "\n".join(text for _, text in lines[:k])
            return len(sanitize.removals(markdown.to_html(site, prefix) or ""))

        start = 0
        for j, what in enumerate(found[:MAX_LOCATED], 1):
            lo, hi = start, len(lines)
            if count(hi) < j:  # only in the footer (how to cite, tooltips): data, reported there
                at = page.body_line
            else:
                while lo < hi:  # the shortest beginning of the page with j removals
                    mid = (lo + hi) // 2
                    if count(mid) >= j:
                        hi = mid
                    else:
                        lo = mid + 1
                at = lines[lo - 1][0] if lo else page.body_line
                start = lo
            http = re.match(r"URL '(http://[^']*)'", what, re.I)
            rule, message = ("ATL702", f"'{http.group(1)}': use https://") if http else ("ATL701", what)
            yield Problem(page.path, at, _column(site, page, at, what), rule, message)
        if len(found) > MAX_LOCATED:
            yield Problem(page.path, page.body_line, 1, "ATL701",
                          f"{len(found) - MAX_LOCATED} more pieces the sanitiser would remove")


def _clean_cache_key(site: Site, text: str) -> Optional[Path]:
    """Where a clean verdict on this page text is remembered (~/.cache/chokepoint-atlas/): keyed by the
    text and by everything that decides it (the sanitiser, the Markdown settings and versions).
    Only "clean" is remembered; a page with a problem is always rendered and located afresh."""
    import hashlib

    import markdown as md_lib
    import nh3

    def settings() -> bytes:
        here = Path(__file__).resolve().parent
        parts = [(here / "sanitize.py").read_bytes(), (here / "markdown.py").read_bytes(),
                 (site.root / "mkdocs.yml").read_bytes() if (site.root / "mkdocs.yml").is_file() else b"",
                 md_lib.__version__.encode(), getattr(nh3, "__version__", "").encode()]
        return hashlib.sha256(b"\0".join(parts)).digest()

    try:
        digest = hashlib.sha256(site._memo("clean-cache-settings", settings) + text.encode("utf-8", "replace"))
    except OSError:
        return None
    # Outside the checkout (the checker never writes into it): the user's cache folder.
    import os

    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "chokepoint-atlas" / "clean-pages" / digest.hexdigest()[:32]


def _column(site: Site, page: Page, line: int, what: str) -> int:
    """Where on its line the removed piece was written: its URL, attribute or tag name."""
    m = re.search(r"'([^']+?)=?'|<(\w+)>", what)
    if not m or not (page.body_line <= line < page.body_line + page.body.count("\n") + 1):
        return 1
    text = page.body.split("\n")[line - page.body_line].lower()
    needle = (m.group(1) or f"<{m.group(2)}").lower()
    at = text.find(needle)
    return at + 1 if at >= 0 else 1


def _strings(node, line: int, path: tuple = ()) -> Iterator[tuple[int, tuple, str]]:
    """Every string of a parsed YAML tree, with the line of its key (LineDict keeps them)."""
    if isinstance(node, dict):
        for key, value in node.items():
            at = getattr(node, "key_lines", {}).get(key, line)
            if isinstance(key, str):
                yield at, path, key
            yield from _strings(value, at, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _strings(value, getattr(value, "line", line), path + (i,))
    elif isinstance(node, str):
        yield line, path, node


def check_data_text(site: Site) -> Iterator[Problem]:
    """ATL701: every data field and front-matter value is plain text. The renderer escapes it,
    so markup would show as text; it is refused so that nobody is surprised either way."""
    trees = [(rel, tree) for rel, tree in site.data_trees.items()]
    trees += [(p.path, p.raw_meta) for p in site.pages.values() if p.raw_meta is not None]
    for rel, tree in trees:
        for line, path, text in _strings(tree, 1):
            if text.startswith(FORMULA_START) and path and path[-1] in FORMULA_FIELDS:
                yield Problem(rel, line, 1, "ATL701", f"{'.'.join(str(x) for x in path)}: starts with "
                              f"'{text[0]}', which a spreadsheet opening the CSV download would run as a formula")
            m = DATA_MARKUP.search(text)
            if m:
                where = ".".join(str(x) for x in path) or "value"
                yield Problem(rel, line, 1, "ATL701",
                              f"{where}: '{text[m.start():m.start() + 24]}' — data is plain text, no markup or scripts")


def check_files(site: Site) -> Iterator[Problem]:
    """ATL703/ATL704: only checked pages and plain pictures are published from docs/."""
    for path, what in site.docs_other:
        if what == "symlink":
            yield Problem(path, 1, 1, "ATL703", "symbolic link under docs/: commit the file itself (a link can reach outside the repository)")
        elif what == "page-name":
            yield Problem(path, 1, 1, "ATL703", "page file names are lowercase-with-hyphens.md")
        else:
            yield Problem(path, 1, 1, "ATL703",
                          "only Markdown pages under docs/zh/ and docs/en/ and pictures (.png, .jpg, .webp, .gif) "
                          "are published; raw HTML, SVG and other files are not")
    for page in site.pages.values():
        for line, text in page.body_lines():
            if SNIPPET.match(text):
                yield Problem(page.path, line, 1, "ATL704",
                              "snippet includes are switched off: write the text here, or ask for a generated block")


PLACEHOLDER = re.compile(r"\bTODO:?\s*(.*)")


def check_placeholders(site: Site) -> Iterator[Problem]:
    """`scripts/new.py` leaves `TODO:` wherever a contributor has something to write."""
    def found(path: str, lines: Iterable[tuple[int, str]]) -> Iterator[Problem]:
        for line, text in lines:
            m = PLACEHOLDER.search(text)
            if m:
                what = m.group(1).strip().strip('"') or "fill this in"
                where = text[:m.start()]
                if "#" in where and not where.rstrip().endswith(("\"", "'")) and where.split("#")[0].strip():
                    # the placeholder is a YAML comment: the value before it may be fine already
                    what += " (then delete this TODO comment; the value before it is kept)"
                yield Problem(path, line, m.start() + 1, "ATL106", f"still to do: {what}")

    for page in site.pages.values():
        front = page.text.split("\n")[: page.body_line - 1]
        yield from found(page.path, enumerate(front, 1))
        yield from found(page.path, prose_lines(page))
    data = site.root / "data"
    for file in sorted(data.rglob("*.yml")) if data.is_dir() else []:
        text, _ = read_text(file, "")
        if text is not None:
            yield from found(file.relative_to(site.root).as_posix(), enumerate(text.split("\n"), 1))


def check_copywriting(site: Site) -> Iterator[Problem]:
    """Chinese pages follow the common copywriting conventions, as AutoCorrect lints them
    (configured by .autocorrectrc; <!-- autocorrect-disable --> marks a passage to leave alone)."""
    try:
        import autocorrect_py
    except ImportError:  # pinned in requirements.txt; a bare checkout without it skips the lint
        return
    config = site.root / ".autocorrectrc"
    if config.is_file():
        autocorrect_py.load_config(config.read_text(encoding="utf-8"))
    for page in site.pages.values():
        if page.lang != "zh":
            continue
        for result in autocorrect_py.lint_for(page.text, page.path).lines:
            old, new = result.old, result.new
            start = next((i for i, (a, b) in enumerate(zip(old, new)) if a != b), min(len(old), len(new)))
            fragment = old[max(0, start - 6):start + 6]
            fix = new[max(0, start - 6):start + 7 + len(new) - len(old)]
            yield Problem(page.path, result.line, result.col + start, "ATL801", f"'{fragment}' → '{fix}'")


def check(site: Site, archive: Optional[Path] = None) -> list[Problem]:
    """Every problem of the site, loading problems included, sorted and without repeats."""
    problems = set(site.problems)
    for rule in (check_twins, check_links, check_cross_links, check_blocks, check_html, check_data_text,
                 check_files, check_figures, check_voice, check_counts, check_entities, check_references, check_copywriting, check_placeholders):
        problems.update(rule(site))
    problems.update(check_attribution(site, archive))
    return sorted(problems)


def iter_rules() -> Iterable[tuple[str, str]]:
    return sorted(RULES.items())
