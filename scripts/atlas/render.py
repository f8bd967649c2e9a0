"""Generated blocks, rendered in the page's language — the one place that turns data/ into prose.

A page asks for a block with a line of its own:

    <!-- atlas: claims source=cai-zhang-2026 -->
    <!-- atlas: claims domain=lithography -->
    <!-- atlas: articles domain=lithography -->
    <!-- atlas: source-card -->            (the page's own `source`, or source=ID)
    <!-- atlas: domains -->                (an article's front-matter `domains`, linked)
    <!-- atlas: related -->                (a domain's front-matter `related`, linked)
    <!-- atlas: article-catalog -->        (every article, as a table)
    <!-- atlas: domain-catalog -->         (domains grouped by category, with counts)
    <!-- atlas: comparison -->             (claims side by side, by comparison topic)
    <!-- atlas: cite -->                   (how to cite the article and this page)

and a footnote or sentence may cite a registered source as `[@source-id]`.
An HTML comment keeps the Markdown readable on GitHub, where it simply does not show.
"""
from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass
from typing import Callable, Iterable, Optional

from .model import ClaimRef, Page, Site

BLOCK = re.compile(r"^<!--\s*atlas:\s*(?P<name>[\w-]+)(?P<args>[^>]*?)\s*-->\s*$")
ARG = re.compile(r"([a-z]+)=(\S+)")
CITE = re.compile(r"\[@([A-Za-z0-9_-]+)\]")

LABELS = {
    "zh": {
        "card": "来源卡片", "title": "原标题", "title_en": "英文标题", "outlet": "媒体／出处",
        "authors": "作者", "date": "日期", "language": "文字", "genre": "体裁", "doi": "DOI",
        "url": "链接", "notes": "说明", "not_stated": "未注明", "inferred": "推断",
        "quote": "原文", "cited": "文中所列原始出处", "as_cited": "据", "refers": "所指时间",
        "from": "出自", "opinion": "观点", "forecast": "预测", "fact": "事实陈述",
        "no_claims": "暂无主张。", "claims_n": "条相关主张", "cite_article": "引用原文",
        "cite_page": "引用本页", "accessed": "访问日期", "no_articles": "暂无文章涉及该领域。",
        "summary_of": "摘要",
    },
    "en": {
        "card": "Source card", "title": "Original title", "title_en": "English title",
        "outlet": "Outlet", "authors": "Authors", "date": "Date", "language": "Script",
        "genre": "Genre", "doi": "DOI", "url": "Link", "notes": "Notes",
        "not_stated": "not stated", "inferred": "inferred", "quote": "Original",
        "cited": "Primary source named by the article", "as_cited": "as cited by",
        "refers": "Refers to", "from": "From", "opinion": "opinion", "forecast": "forecast",
        "fact": "statement of fact", "no_claims": "No claims yet.", "claims_n": "claims on this domain",
        "cite_article": "Citing the article", "cite_page": "Citing this page",
        "accessed": "accessed", "no_articles": "No article covers this domain yet.",
        "summary_of": "summary",
    },
}
LANGUAGE_NAMES = {
    "zh": {"zh-Hans": "简体中文", "zh-Hant": "繁体中文", "en": "英文"},
    "en": {"zh-Hans": "Simplified Chinese", "zh-Hant": "Traditional Chinese", "en": "English"},
}
GENRES = {
    "zh": {"news-feature": "新闻特稿", "opinion": "评论／观点", "commentary": "科普评论",
           "essay": "论述文章", "academic-paper": "学术论文", "report": "报告", "testimony": "证词"},
    "en": {"news-feature": "news feature", "opinion": "opinion / analysis",
           "commentary": "popular commentary", "essay": "essay", "academic-paper": "academic paper",
           "report": "report", "testimony": "testimony"},
}


@dataclass(frozen=True)
class Block:
    line: int
    name: str
    args: dict


def find_blocks(lines: Iterable[tuple[int, str]]) -> list[Block]:
    """The block requests among numbered lines, skipping fenced code."""
    blocks, fenced = [], False
    for line, text in lines:
        if text.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        m = None if fenced else BLOCK.match(text.strip())
        if m:
            blocks.append(Block(line, m["name"], dict(ARG.findall(m["args"]))))
    return blocks


def block_error(site: Site, page: Page, block: Block) -> Optional[str]:
    """Why a block cannot be rendered, or None. Used by the checker (rule ATL601)."""
    spec = BLOCKS.get(block.name)
    if spec is None:
        return f"unknown block '{block.name}' (known: {', '.join(sorted(BLOCKS))})"
    allowed, _ = spec
    extra = set(block.args) - set(allowed)
    if extra:
        return f"block '{block.name}' takes no argument '{sorted(extra)[0]}'"
    if "source" in block.args and block.args["source"] not in site.sources:
        return f"block '{block.name}' names unknown source '{block.args['source']}'"
    if "domain" in block.args and block.args["domain"] not in site.domains():
        return f"block '{block.name}' names unknown domain '{block.args['domain']}'"
    if block.name == "claims" and len(block.args) != 1:
        return "block 'claims' takes exactly one of source=ID or domain=SLUG"
    if block.name == "articles" and "domain" not in block.args:
        return "block 'articles' needs domain=SLUG"
    if block.name == "source-card" and not _page_source(page, block):
        return "block 'source-card' needs source=ID on a page without a `source`"
    if block.name in ("source-card", "cite") and _page_source(page, block) not in (None, *site.sources):
        return f"block '{block.name}': the page's source '{_page_source(page, block)}' is not registered"
    if block.name == "domains" and not getattr(page.meta, "domains", None):
        return "block 'domains' needs a page whose front matter lists `domains`"
    if block.name == "related" and not getattr(page.meta, "related", None):
        return "block 'related' needs a page whose front matter lists `related`"
    return None


# --- helpers -------------------------------------------------------------------------


def rel_link(page: Page, target_rel: str) -> str:
    """A relative Markdown link from `page` to another page of the same language."""
    return posixpath.relpath(target_rel, posixpath.dirname(page.rel) or ".")


def page_url(lang: str, rel: str) -> str:
    url = rel[:-3]
    url = "" if url == "index" else (url[:-5] if url.endswith("/index") else url) + "/"
    return url if lang == "zh" else f"en/{url}"


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def format_date(site: Site, source_id: str, lang: str) -> str:
    d = site.sources[source_id].date
    t = LABELS[lang]
    if d.value is None:
        return t["not_stated"]
    if d.status == "inferred":
        return f"{d.value}（{t['inferred']}）" if lang == "zh" else f"{d.value} ({t['inferred']})"
    return d.value


def source_title(site: Site, source_id: str, lang: str) -> str:
    s = site.sources[source_id]
    if lang == "zh" and s.title:
        return f"《{s.title}》"
    if lang == "zh":  # an untitled source: our own Chinese page title names it
        article = site.article_for_source(lang, source_id)
        return article.title if article else s.title_en
    return s.title_en


def outlet(site: Site, source_id: str, lang: str) -> str:
    s = site.sources[source_id]
    if not s.outlet:
        return LABELS[lang]["not_stated"]
    return (s.outlet_en or s.outlet) if lang == "en" else s.outlet


def source_link(site: Site, page: Page, source_id: str) -> str:
    """The source's title, linked to its summary page where there is one."""
    title = source_title(site, source_id, page.lang)
    target = site.article_for_source(page.lang, source_id)
    return f"[{title}]({rel_link(page, target.rel)})" if target else title


def claim_anchor(ref: ClaimRef) -> str:
    return f"claim-{ref.source}-{ref.claim.id}"


# --- the blocks ----------------------------------------------------------------------


def _page_source(page: Page, block: Block) -> Optional[str]:
    return block.args.get("source") or getattr(page.meta, "source", None)


def render_source_card(site: Site, page: Page, block: Block) -> str:
    sid = _page_source(page, block)
    s, t, lang = site.sources[sid], LABELS[page.lang], page.lang
    rows = [
        (t["title"], esc(s.title) if s.title else t["not_stated"]),
        (t["title_en"], esc(s.title_en)),
        (t["outlet"], esc(outlet(site, sid, lang))),
        (t["authors"], esc("、".join(s.authors) if lang == "zh" else ", ".join(s.authors)) or t["not_stated"]),
        (t["date"], esc(format_date(site, sid, lang)) + f"<br><small>{esc(getattr(s.date.basis, lang))}</small>"),
        (t["language"], LANGUAGE_NAMES[lang][s.language]),
        (t["genre"], GENRES[lang][s.genre]),
    ]
    if s.doi:
        rows.append((t["doi"], f"<code>{esc(s.doi)}</code>"))
    if s.url:
        rows.append((t["url"], f'<a href="{esc(s.url)}">{esc(s.url)}</a>'))
    if s.notes:
        rows.append((t["notes"], esc(getattr(s.notes, lang))))
    body = "\n".join(f"<tr><th scope=\"row\">{k}</th><td>{v}</td></tr>" for k, v in rows)
    return (
        f'<div class="atlas-card" id="source-card">\n<table>\n<caption>{t["card"]}</caption>\n'
        f"<tbody>\n{body}\n</tbody>\n</table>\n</div>"
    )


def render_claim(site: Site, page: Page, ref: ClaimRef, with_source: bool) -> str:
    t, c, lang = LABELS[page.lang], ref.claim, page.lang
    src = site.sources.get(ref.source)
    qlang = src.language if src else "zh"
    badge = f' <span class="atlas-kind atlas-kind--{c.kind}">{t[c.kind]}</span>' if c.kind != "fact" else ""
    meta = [f'{t["quote"]}：<q lang="{qlang}">{esc(c.quote)}</q>' if lang == "zh"
            else f'{t["quote"]}: <q lang="{qlang}">{esc(c.quote)}</q>']
    if c.cited:
        name = esc(getattr(c.cited, lang))
        meta.append(f"{t['cited']}：{name}" if lang == "zh" else f"{t['cited']}: {name}")
    if c.date:
        meta.append(f"{t['refers']}：{c.date}" if lang == "zh" else f"{t['refers']}: {c.date}")
    if with_source:
        link = source_link(site, page, ref.source)
        meta.append(f"{t['from']}：{link}" if lang == "zh" else f"{t['from']}: {link}")
    statement = esc(getattr(c, lang)).replace("*", "\\*")
    return (
        f'<div class="atlas-claim" id="{claim_anchor(ref)}" data-kind="{c.kind}" markdown>\n'
        f"{statement}{badge}\n\n"
        f'<p class="atlas-claim__meta" markdown="span">{" · ".join(meta)}</p>\n</div>'
    )


def render_claims(site: Site, page: Page, block: Block) -> str:
    if "source" in block.args:
        refs = site.claims_of_source(block.args["source"])
        items = [render_claim(site, page, r, with_source=False) for r in refs]
    else:
        refs = site.claims_of_domain(block.args["domain"])
        # Grouped by article so a reader sees who says what; newest dated claims first.
        items = []
        for sid in site.sources_of_domain(block.args["domain"]):
            group = [r for r in refs if r.source == sid]
            group.sort(key=lambda r: (r.claim.date or ""), reverse=True)
            items += [render_claim(site, page, r, with_source=True) for r in group]
    if not items:
        return f"*{LABELS[page.lang]['no_claims']}*"
    return '<div class="atlas-claims" markdown>\n\n' + "\n\n".join(items) + "\n\n</div>"


def render_articles(site: Site, page: Page, block: Block) -> str:
    slug, t = block.args["domain"], LABELS[page.lang]
    lines = []
    for sid in site.sources_of_domain(slug):
        n = len([c for c in site.claims_of_domain(slug) if c.source == sid])
        detail = f"{outlet(site, sid, page.lang)}，{format_date(site, sid, page.lang)}，{n} {t['claims_n']}" \
            if page.lang == "zh" else \
            f"{outlet(site, sid, page.lang)}, {format_date(site, sid, page.lang)}, {n} {t['claims_n']}"
        lines.append(f"- {source_link(site, page, sid)} — {esc(detail)}")
    return "\n".join(lines) if lines else f"*{t['no_articles']}*"


def render_cite(site: Site, page: Page, block: Block, site_url: str = "") -> str:
    t, lang = LABELS[page.lang], page.lang
    url = site_url.rstrip("/") + "/" + page_url(lang, page.rel)
    parts = []
    sid = getattr(page.meta, "source", None)
    if sid in site.sources:
        s = site.sources[sid]
        authors = ("、".join(s.authors) if lang == "zh" else ", ".join(s.authors)) or t["not_stated"]
        title = s.title or s.title_en
        ref = f"{authors}. {title}. {outlet(site, sid, lang)}, {format_date(site, sid, lang)}."
        if s.doi:
            ref += f" DOI: {s.doi}."
        parts.append(f"**{t['cite_article']}**\n\n    {ref}")
    name = "卡脖子图谱" if lang == "zh" else "Chokepoint Atlas"
    mine = f"{name}. {page.title}. {url} ({t['accessed']} YYYY-MM-DD)."
    parts.append(f"**{t['cite_page']}**\n\n    {mine}")
    return "\n\n".join(parts)


def render_domains(site: Site, page: Page, block: Block) -> str:
    """The page's front-matter `domains`, linked, with their category."""
    lines = []
    for slug in page.meta.domains:
        target = site.domain_page(page.lang, slug)
        if target is None:
            lines.append(f"- {slug}")  # the checker reports the unknown domain
            continue
        n = len(site.claims_of_domain(slug))
        cat = category_name(site, getattr(target.meta, "category", None), page.lang)
        detail = f"（{cat}）" if page.lang == "zh" else f" ({cat})"
        lines.append(f"- [{target.title}]({rel_link(page, target.rel)}){detail if cat else ''}")
    return "\n".join(lines)


def render_related(site: Site, page: Page, block: Block) -> str:
    """The domain page's front-matter `related`, linked (the checker keeps them symmetric)."""
    lines = []
    for slug in page.meta.related:
        target = site.domain_page(page.lang, slug)
        lines.append(f"- [{target.title}]({rel_link(page, target.rel)})" if target else f"- {slug}")
    return "\n".join(lines)


def render_article_catalog(site: Site, page: Page, block: Block) -> str:
    """Every article: title (original and translated), outlet, date, script, genre, domains."""
    t, lang = LABELS[page.lang], page.lang
    head = ("| 文章 | 媒体／出处 | 日期 | 文字 | 体裁 | 主张数 |\n|---|---|---|---|---|---|" if lang == "zh" else
            "| Article | Outlet | Date | Script | Genre | Claims |\n|---|---|---|---|---|---|")
    rows = []
    for article in site.article_pages(lang):
        sid = getattr(article.meta, "source", None)
        if sid not in site.sources:
            continue
        s = site.sources[sid]
        title = f"[{article.title}]({rel_link(page, article.rel)})"
        if lang == "en" and s.title:
            title += f"<br><small lang=\"{s.language}\">{esc(s.title)}</small>"
        elif lang == "zh":
            title += f"<br><small lang=\"en\">{esc(s.title_en)}</small>"
        rows.append(f"| {title} | {esc(outlet(site, sid, lang))} | {esc(format_date(site, sid, lang))} | "
                    f"{LANGUAGE_NAMES[lang][s.language]} | {GENRES[lang][s.genre]} | "
                    f"{len(site.claims_of_source(sid))} |")
    return head + "\n" + "\n".join(rows) if rows else f"*{t['no_claims']}*"


def render_domain_catalog(site: Site, page: Page, block: Block) -> str:
    """Domains and themes grouped by category (data/taxonomy.yml), with article and claim counts."""
    lang, out = page.lang, []
    sections = (block.args["section"],) if "section" in block.args else ("domains", "themes")
    pages = [p for p in site.lang_pages(lang) if p.section in sections and p.slug and p.meta]
    for cat in site.taxonomy.categories if site.taxonomy else []:
        members = [p for p in pages if p.meta.category == cat.id]
        if not members:
            continue
        out.append(f"### {getattr(cat, lang)}\n")
        for p in members:
            n_art, n_claims = len(site.sources_of_domain(p.slug)), len(site.claims_of_domain(p.slug))
            count = f"{n_art} 篇文章，{n_claims} 条主张" if lang == "zh" else \
                f"{n_art} article{'s' if n_art != 1 else ''}, {n_claims} claim{'s' if n_claims != 1 else ''}"
            out.append(f"- [{p.title}]({rel_link(page, p.rel)}) — {count}")
        out.append("")
    return "\n".join(out)


def render_comparison(site: Site, page: Page, block: Block) -> str:
    """Claims from different articles on the same topic, side by side, grouped by article."""
    out = []
    for topic in site.taxonomy.topics if site.taxonomy else []:
        refs = [r for r in site.claims if r.claim.topic == topic.id]
        if not refs:
            continue
        sources = list(dict.fromkeys(r.source for r in refs))
        out.append(f"## {getattr(topic, page.lang)} {{#{topic.id}}}\n")
        if topic.note:
            out.append(f'!!! note "{"分歧在哪里" if page.lang == "zh" else "Where they differ"}"\n\n'
                       f"    {getattr(topic.note, page.lang)}\n")
        for sid in sources:
            out.append(f'<p class="atlas-from" markdown="span">**{source_link(site, page, sid)}**</p>\n')
            group = sorted((r for r in refs if r.source == sid), key=lambda r: r.claim.date or "")
            out.append('<div class="atlas-claims" markdown>\n')
            out += [render_claim(site, page, r, with_source=False) + "\n" for r in group]
            out.append("</div>\n")
    return "\n".join(out)


def category_name(site: Site, category: Optional[str], lang: str) -> str:
    for c in site.taxonomy.categories if site.taxonomy else []:
        if c.id == category:
            return getattr(c, lang)
    return ""


BLOCKS: dict[str, tuple[tuple[str, ...], Callable]] = {
    "source-card": (("source",), render_source_card),
    "claims": (("source", "domain"), render_claims),
    "articles": (("domain",), render_articles),
    "domains": ((), render_domains),
    "related": ((), render_related),
    "article-catalog": ((), render_article_catalog),
    "domain-catalog": (("section",), render_domain_catalog),
    "comparison": ((), render_comparison),
    "cite": ((), render_cite),
}


def render_block(site: Site, page: Page, block: Block, site_url: str = "") -> Optional[str]:
    """Markdown for one block, or None when it cannot be rendered (the checker says why)."""
    if block_error(site, page, block):
        return None
    _, fn = BLOCKS[block.name]
    return fn(site, page, block, site_url) if block.name == "cite" else fn(site, page, block)


def render_markdown(site: Site, page: Page, text: str, site_url: str = "") -> str:
    """`text` (a page body) with every block and `[@id]` citation expanded."""
    lines = text.split("\n")
    blocks = {b.line: b for b in find_blocks(enumerate(lines))}
    out = []
    for i, line in enumerate(lines):
        rendered = render_block(site, page, blocks[i], site_url) if i in blocks else None
        # A block that cannot render keeps the author's line intact; the checker reports it.
        out.append(line if rendered is None else rendered)
    return cite_sources(site, page, "\n".join(out))


def cite_sources(site: Site, page: Page, text: str) -> str:
    return CITE.sub(lambda m: _cite(site, page, m), text)


def _cite(site: Site, page: Page, m: re.Match) -> str:
    sid = m.group(1)
    if sid not in site.sources:
        return m.group(0)
    s = site.sources[sid]
    text = f"{source_link(site, page, sid)}（{outlet(site, sid, page.lang)}，{format_date(site, sid, page.lang)}）" \
        if page.lang == "zh" else \
        f"{source_link(site, page, sid)} ({outlet(site, sid, page.lang)}, {format_date(site, sid, page.lang)})"
    if s.url and not site.article_for_source(page.lang, sid):
        text += f" <{s.url}>"
    return text
