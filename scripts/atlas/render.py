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
    <!-- atlas: glossary -->               (the key terms of data/glossary.yml)
    <!-- atlas: timeline -->               (every dated claim, newest first)
    <!-- atlas: downloads -->              (links to the data files the build writes)
    <!-- atlas: coverage -->               (the article × domain matrix)
    <!-- atlas: chart name=shares|coverage -->  (a chart drawn from the ledgers, as SVG)
    <!-- atlas: cite -->                   (how to cite the article and this page)

and a footnote or sentence may cite a registered source as `[@source-id]`.
An HTML comment keeps the Markdown readable on GitHub, where it simply does not show.
"""
from __future__ import annotations

import functools
import html
import posixpath
import re
from dataclasses import dataclass
from typing import Callable, Iterable, Optional

from .charts import share_points, short_source
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
# Verdicts of a check, as readers see them: text, never colour alone.
VERDICT_LABELS = {
    "zh": {"consistent": "外部资料一致", "differs": "外部资料不同", "unclear": "外部资料不一或无法核对",
           "not-found": "未找到外部资料"},
    "en": {"consistent": "Consistent with outside sources", "differs": "Outside sources differ",
           "unclear": "Unclear", "not-found": "No outside source found"},
}
CHECK_TEXT = {
    "zh": {"searched": "检索日期", "repost": "转载页面，未链接", "uncertain": "文本存疑", "reconstructed": "重建的文字"},
    "en": {"searched": "searched", "repost": "read on a repost, not linked", "uncertain": "uncertain text",
           "reconstructed": "reconstructed words"},
}
ENTITY_KINDS = {
    "zh": {"company": "企业", "research-body": "科研机构", "university": "高校", "government-body": "政府机构",
           "person": "人物", "programme": "计划与基金", "law": "法律与法规", "list": "清单", "other": "其他"},
    "en": {"company": "Companies", "research-body": "Research bodies", "university": "Universities",
           "government-body": "Government bodies", "person": "People", "programme": "Programmes and funds",
           "law": "Laws and regulations", "list": "Lists", "other": "Other"},
}
ENTITY_KIND_ONE = {
    "zh": {"company": "企业", "research-body": "科研机构", "university": "高校", "government-body": "政府机构",
           "person": "人物", "programme": "计划或基金", "law": "法律或法规", "list": "清单", "other": "其他"},
    "en": {"company": "company", "research-body": "research body", "university": "university",
           "government-body": "government body", "person": "person", "programme": "programme or fund",
           "law": "law or regulation", "list": "list", "other": "other"},
}
COUNTRIES = {
    "CN": ("中国", "China"), "US": ("美国", "United States"), "NL": ("荷兰", "Netherlands"), "JP": ("日本", "Japan"),
    "DE": ("德国", "Germany"), "KR": ("韩国", "South Korea"), "GB": ("英国", "United Kingdom"), "FR": ("法国", "France"),
    "TW": ("中国台湾", "Taiwan"), "HK": ("中国香港", "Hong Kong"), "EU": ("欧盟", "European Union"),
    "SE": ("瑞典", "Sweden"), "CH": ("瑞士", "Switzerland"), "IN": ("印度", "India"), "RU": ("俄罗斯", "Russia"),
    "SG": ("新加坡", "Singapore"), "IL": ("以色列", "Israel"), "CA": ("加拿大", "Canada"), "IT": ("意大利", "Italy"),
    "AU": ("澳大利亚", "Australia"), "BE": ("比利时", "Belgium"), "FI": ("芬兰", "Finland"), "DK": ("丹麦", "Denmark"),
}


def country_name(code, lang: str) -> str:
    if not code:
        return "国别未注明" if lang == "zh" else "country not given"
    names = COUNTRIES.get(code)
    return (names[0] if lang == "zh" else names[1]) if names else code


def entity_link_html(site: Site, page: Page, eid: str) -> str:
    e = site.entities.get(eid)
    if e is None:
        return esc(eid)
    target = site.entity_page(page.lang, eid)
    name = esc(getattr(e.name, page.lang))
    return f'<a href="{url_link(page, target.rel)}">{name}</a>' if target else name


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
    if block.name in ("source-card", "check-summary") and not _page_source(page, block):
        return "block 'source-card' needs source=ID on a page without a `source`"
    if block.name in ("source-card", "cite", "check-summary") and _page_source(page, block) not in (None, *site.sources):
        return f"block '{block.name}': the page's source '{_page_source(page, block)}' is not registered"
    if block.name == "domains" and not hasattr(page.meta, "domains"):
        return "block 'domains' belongs on an article page (it lists the front matter's `domains`)"
    if block.name == "entity" and (block.args.get("entity") or getattr(page.meta, "entity", None)) not in site.entities:
        return "block 'entity' needs a registered entity (the page's `entity`, or entity=ID)"
    if block.name == "glance" and (block.args.get("domain") or page.slug) not in site.domains():
        return "block 'glance' belongs on a domain or theme page (or takes domain=SLUG)"
    if block.name == "chart" and block.args.get("name") not in ("shares", "coverage"):
        return "block 'chart' needs name=shares or name=coverage"
    if block.name == "related" and not hasattr(page.meta, "related"):
        return "block 'related' belongs on a domain page (it lists the front matter's `related`)"
    return None


# --- helpers -------------------------------------------------------------------------


def rel_link(page: Page, target_rel: str) -> str:
    """A relative Markdown link from `page` to another page of the same language."""
    return _relpath(target_rel, posixpath.dirname(page.rel) or ".")


@functools.lru_cache(maxsize=1 << 16)
def _relpath(target: str, start: str) -> str:
    """posixpath.relpath, remembered: a pure function of two relative paths, asked tens of
    thousands of times per build with few distinct pairs (every claim links its article)."""
    return posixpath.relpath(target, start)


def url_link(page: Page, target_rel: str) -> str:
    """The built URL of another page of the same language, relative to this page's URL.

    For raw HTML, which MkDocs does not rewrite; the checker maps such links back to pages.
    """
    here, there = page_url("zh", page.rel), page_url("zh", target_rel)
    rel = _relpath(there or ".", here or ".")
    return "./" if rel == "." else rel + "/"


def page_url(lang: str, rel: str) -> str:
    url = rel[:-3]
    url = "" if url == "index" else (url[:-5] if url.endswith("/index") else url) + "/"
    return url if lang == "zh" else f"en/{url}"


def esc(text: str) -> str:
    """Data as text inside HTML (an element or a quoted attribute)."""
    return html.escape(" ".join(str(text).split()) if "\n" in str(text) else str(text), quote=True)


# The characters that start Markdown syntax anywhere in a line (emphasis, code, links, attribute
# lists, table cells). Others (- + . # > :) act only at the start of a line, and escaping them
# mid-line would hide glossary terms ("deep-ultraviolet") from the tooltips.
_MD_INLINE = re.compile(r"([\\`*_{}\[\]|])")
_MD_LINE_START = re.compile(r"^([#>+:-]|\d+(?=[.)]))")


def md(text: str) -> str:
    """Data as text inside Markdown: HTML-escaped, Markdown syntax backslash-escaped, one line.
    Python-Markdown renders `\\*` as `*`, so readers see the text exactly as written."""
    one_line = " ".join(str(text).split())
    escaped = _MD_INLINE.sub(r"\\\1", html.escape(one_line, quote=False))
    return _MD_LINE_START.sub(lambda m: "\\" + m.group(0) if not m.group(0).isdigit() else m.group(0) + "\\", escaped)


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


def author_names(s, lang: str) -> str:
    """Authors as a page of this language shows them: English pages romanise, with the
    characters once (Guo Hanlin 郭瀚林)."""
    if lang == "zh" or not s.authors_en:
        return ("、" if lang == "zh" else ", ").join(s.authors)
    return ", ".join(f"{latin} {orig}" if latin != orig else latin for latin, orig in zip(s.authors_en, s.authors))


def cite_date(s, lang: str) -> str:
    """The date a reader should cite: the publication date where stated; an inferred one says
    so (with a manuscript's received date beside it, never in its place)."""
    d = s.date
    if d.value is None:
        out = "日期不详" if lang == "zh" else "n.d."
    elif d.status == "inferred":
        out = f"{d.value}（推断）" if lang == "zh" else f"{d.value} (inferred)"
    else:
        out = d.value
    if d.received:
        out += f"（收稿 {d.received}）" if lang == "zh" else f" (received {d.received})"
    return out


def source_link(site: Site, page: Page, source_id: str, html_link: bool = False) -> str:
    """The source's title, linked to its summary page where there is one (Markdown or HTML)."""
    title = source_title(site, source_id, page.lang)
    target = site.article_for_source(page.lang, source_id)
    if target is None:
        return esc(title) if html_link else md(title)
    if html_link:
        return f'<a href="{url_link(page, target.rel)}">{esc(title)}</a>'
    return f"[{md(title)}]({rel_link(page, target.rel)})"


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
        (t["authors"], esc(author_names(s, lang)) or t["not_stated"]),
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
    # Compact: one line (outlet, date, genre) that opens into the full card, so that on a phone the
    # summary is on the first screen.
    line = " · ".join((outlet(site, sid, lang), format_date(site, sid, lang), GENRES[lang][s.genre]))
    return (
        f'<details class="atlas-card" id="source-card">\n<summary>{t["card"]}{"：" if lang == "zh" else ": "}{esc(line)}</summary>\n'
        f'<table>\n<caption>{t["card"]}</caption>\n<tbody>\n{body}\n</tbody>\n</table>\n</details>'
    )


def reference_html(site: Site, lang: str, rid: str) -> str:
    """An outside reference as a citation: publisher, title, date, and the excerpt that carries the
    fact. Linked where it was read on the publisher's own page; a repost is named, not linked."""
    r = site.references.get(rid)
    if r is None:
        return esc(rid)
    ct = CHECK_TEXT[lang]
    publisher = esc(getattr(r.publisher, lang)) if r.publisher else ""
    title = f"《{esc(r.title)}》" if r.title and lang == "zh" else (f"<cite>{esc(r.title)}</cite>" if r.title else "")
    when = esc(r.published) if r.published else ("日期不详" if lang == "zh" else "n.d.")
    name = f"{publisher}{title if lang == 'zh' else (', ' + title if title else '')}（{when}）" if lang == "zh" else \
        f"{publisher}{', ' + title if title else ''} ({when})"
    if r.page == "publisher" and r.url:
        name = f'<a href="{esc(r.url)}">{name}</a>'
    else:
        name += f"（{ct['repost']}）" if lang == "zh" else f" ({ct['repost']})"
    excerpt = f' <q lang="{r.language}">{esc(r.excerpt)}</q>' if r.excerpt else ""
    return f'<span class="atlas-ref">{name}{excerpt}</span>'


def verdict_badge(lang: str, verdict: str) -> str:
    return f'<span class="atlas-verdict atlas-verdict--{verdict}">{VERDICT_LABELS[lang][verdict]}</span>'


def check_html(site: Site, lang: str, ref: ClaimRef) -> str:
    """The claim's check: its verdict as a labelled badge, the note, the references."""
    cref = site.check_of(ref)
    if cref is None:
        return ""
    c, ct = cref.check, CHECK_TEXT[lang]
    parts = [verdict_badge(lang, c.verdict)]
    if c.note:
        parts.append(esc(getattr(c.note, lang)))
    refs = ""
    if c.references:
        # The sources, with their excerpts, one tap away: a ledger page holds dozens of them.
        sep = "；" if lang == "zh" else "; "
        label = f"外部资料（{len(c.references)}）" if lang == "zh" else \
            f"Outside source{'s' if len(c.references) != 1 else ''} ({len(c.references)})"
        refs = (f'<details class="atlas-check__refs"><summary>{label}</summary><p>'
                + sep.join(reference_html(site, lang, rid) for rid in c.references) + "</p></details>")
    elif c.searched:
        parts.append(f"（{ct['searched']} {esc(c.searched)}）" if lang == "zh" else f"({ct['searched']} {esc(c.searched)})")
    return (f'<div class="atlas-check atlas-check--{c.verdict}" data-search-exclude><p>' + " ".join(parts) + "</p>"
            + refs + "</div>")


def quote_html(site: Site, lang: str, ref: ClaimRef) -> str:
    """The quote, with words reconstructed from a garbled copy marked as such in the quote itself."""
    c = ref.claim
    u = c.uncertain
    if u is None or not u.reconstructed:
        return esc(c.quote)
    label = esc(CHECK_TEXT[lang]["reconstructed"])
    before, _, after = c.quote.partition(u.reconstructed)
    return (f'{esc(before)}<mark class="atlas-reconstructed" title="{label}">{esc(u.reconstructed)}</mark>'
            f"{esc(after)}")


def uncertain_text(lang: str, ref: ClaimRef) -> str:
    """The uncertainty flag in words, for surfaces without a card (timeline, chart labels)."""
    u = ref.claim.uncertain
    if u is None:
        return ""
    return f"{CHECK_TEXT[lang]['uncertain']}：{getattr(u.note, lang)}" if lang == "zh" else \
        f"{CHECK_TEXT[lang]['uncertain'].capitalize()}: {getattr(u.note, lang)}"


def render_claim(site: Site, page: Page, ref: ClaimRef, with_source: bool) -> str:
    """One claim as plain HTML: nothing in it is Markdown, and raw HTML costs the build nothing
    to parse (pages hold hundreds of claims)."""
    t, c, lang = LABELS[page.lang], ref.claim, page.lang
    src = site.sources.get(ref.source)
    qlang = src.language if src else "zh"
    colon = "：" if lang == "zh" else ": "
    badge = f' <span class="atlas-kind atlas-kind--{c.kind}">{t[c.kind]}</span>' if c.kind != "fact" else ""
    if c.uncertain:
        badge += f' <span class="atlas-flag">{CHECK_TEXT[lang]["uncertain"]}</span>'
    meta = [f'{t["quote"]}{colon}<q lang="{qlang}">{quote_html(site, lang, ref)}</q>']
    if c.uncertain:
        meta.append(esc(uncertain_text(lang, ref)))
    if c.cited:
        meta.append(f"{t['cited']}{colon}{esc(getattr(c.cited, lang))}")
    if c.date:
        meta.append(f"{t['refers']}{colon}{c.date}")
    if with_source:
        meta.append(f"{t['from']}{colon}{source_link(site, page, ref.source, html_link=True)}")
    if c.entities and site.entities:
        names = "、" if lang == "zh" else ", "
        meta.append(("提到" if lang == "zh" else "Names") + colon +
                    names.join(entity_link_html(site, page, e) for e in c.entities))
    return (f'<div class="atlas-claim" id="{claim_anchor(ref)}" data-kind="{c.kind}">'
            f"<p>{esc(getattr(c, lang))}{badge}</p>"
            f'<p class="atlas-claim__meta" data-search-exclude>{" · ".join(meta)}</p>'
            f"{check_html(site, lang, ref)}</div>")


def render_claims(site: Site, page: Page, block: Block) -> str:
    if "source" in block.args:
        refs = site.claims_of_source(block.args["source"])
        items = [render_claim(site, page, r, with_source=False) for r in refs]
    else:
        return render_domain_claims(site, page, block)
    if not items:
        return f"*{LABELS[page.lang]['no_claims']}*"
    # A domain's claims repeat its articles' (where search finds them): keep them out of the index.
    exclude = "" if "source" in block.args else " data-search-exclude"
    return f'<div class="atlas-claims"{exclude}>\n' + "\n".join(items) + "\n</div>"


def render_domain_claims(site: Site, page: Page, block: Block) -> str:
    """A domain's claims grouped by article (who says what; newest dated first), with a jump list by
    article and a filter by kind that works without JavaScript: each kind link targets an empty
    anchor, and the stylesheet hides the other kinds while that anchor is the :target."""
    slug, lang, t = block.args["domain"], page.lang, LABELS[page.lang]
    refs = site.claims_of_domain(slug)
    if not refs:
        return f"*{t['no_claims']}*"
    colon = "：" if lang == "zh" else ": "
    groups, jumps = [], []
    for sid in site.sources_of_domain(slug):
        group = sorted((r for r in refs if r.source == sid), key=lambda r: (r.claim.date or ""), reverse=True)
        anchor = f"claims-{slug}-{sid}"
        name = esc(short_source(site, sid, lang))
        jumps.append(f'<a href="#{anchor}">{name}</a>（{len(group)}）' if lang == "zh" else
                     f'<a href="#{anchor}">{name}</a> ({len(group)})')
        groups.append(f'<p class="atlas-from" id="{anchor}"><strong>{source_link(site, page, sid, html_link=True)}</strong></p>\n'
                      + "\n".join(render_claim(site, page, r, with_source=True) for r in group))
    kinds = [(k, sum(1 for r in refs if r.claim.kind == k)) for k in ("fact", "opinion", "forecast")]
    everything = "全部" if lang == "zh" else "all"
    kind_links = [f'<a href="#claims-{slug}">{everything}</a>'] + [
        f'<a href="#kind-{k}-{slug}">{t[k]}</a>（{n}）' if lang == "zh" else f'<a href="#kind-{k}-{slug}">{t[k]}</a> ({n})'
        for k, n in kinds if n]
    sep = " · "
    nav = (f'<p class="atlas-filter" id="claims-{slug}">{"按文章" if lang == "zh" else "By article"}{colon}{sep.join(jumps)}'
           f'<br>{"按类型" if lang == "zh" else "By kind"}{colon}{sep.join(kind_links)}</p>')
    targets = "".join(f'<span class="atlas-kind-target" id="kind-{k}-{slug}"></span>' for k, n in kinds if n)
    # A domain's claims repeat its articles' (where search finds them): keep them out of the index.
    return (f'<div class="atlas-domain-claims" data-search-exclude>\n{nav}\n{targets}\n<div class="atlas-claims">\n'
            + "\n".join(groups) + "\n</div>\n</div>")


def render_articles(site: Site, page: Page, block: Block) -> str:
    slug, t = block.args["domain"], LABELS[page.lang]
    lines = []
    for sid in site.sources_of_domain(slug):
        n = len([c for c in site.claims_of_domain(slug) if c.source == sid])
        detail = f"{outlet(site, sid, page.lang)}，{format_date(site, sid, page.lang)}，{n} {t['claims_n']}" \
            if page.lang == "zh" else \
            f"{outlet(site, sid, page.lang)}, {format_date(site, sid, page.lang)}, {n} {t['claims_n']}"
        lines.append(f"- {source_link(site, page, sid)} — {md(detail)}")
    return "\n".join(lines) if lines else f"*{t['no_articles']}*"


def citations(site: Site, page: Page, site_url: str = "") -> list[tuple[str, str]]:
    """(label, reference) pairs: the page itself, and its article where it has one,
    each in a Chinese (GB/T 7714 style) and an English format."""
    lang, t = page.lang, LABELS[page.lang]
    url = site_url.rstrip("/") + "/" + page_url(lang, page.rel)
    out = []
    sid = getattr(page.meta, "source", None)
    if sid in site.sources:
        s = site.sources[sid]
        zh_authors = "，".join(s.authors) or "佚名"
        en_authors = ", ".join(s.authors_en or s.authors) or "Anonymous"
        doi = f" DOI: {s.doi}." if s.doi else ""
        zh_outlet = s.outlet or "出处不详"
        en_outlet = s.outlet_en or s.outlet or "outlet not stated"
        out.append((f"{t['cite_article']}（中文格式）" if lang == "zh" else f"{t['cite_article']} (Chinese style)",
                    f"{zh_authors}. {s.title or s.title_en}[J/N]. {zh_outlet}, {cite_date(s, 'zh')}.{doi}"))
        out.append((f"{t['cite_article']}（英文格式）" if lang == "zh" else f"{t['cite_article']} (English style)",
                    f"{en_authors}. \"{s.title_en}\". {en_outlet}, {cite_date(s, 'en')}.{doi}"))
    out.append((f"{t['cite_page']}（中文格式）" if lang == "zh" else f"{t['cite_page']} (Chinese style)",
                f"卡脖子图谱. {page.title}[EB/OL]. {url}, 访问日期：YYYY-MM-DD."))
    out.append((f"{t['cite_page']}（英文格式）" if lang == "zh" else f"{t['cite_page']} (English style)",
                f"Chokepoint Atlas. \"{page.title}\". {url} (accessed YYYY-MM-DD)."))
    return out


def _citations_markdown(site: Site, page: Page, site_url: str) -> str:
    def fenced(ref: str) -> str:
        # A citation is shown verbatim in a code block: one line, and a fence longer than any
        # run of backticks in it, so that no field can close the block early.
        ref = " ".join(ref.split())
        fence = "`" * max(3, max((len(m) for m in re.findall(r"`+", ref)), default=0) + 1)
        return f"{fence}text\n{ref}\n{fence}"

    return "\n\n".join(f"**{label}**\n\n{fenced(ref)}" for label, ref in citations(site, page, site_url))


def render_cite(site: Site, page: Page, block: Block, site_url: str = "") -> str:
    refs = _citations_markdown(site, page, site_url)
    return f'<div class="atlas-cite" data-search-exclude markdown>\n\n{refs}\n\n</div>'  # not worth a search hit


def cite_footer(site: Site, page: Page, site_url: str = "") -> str:
    """A collapsed "how to cite this page" box, for pages without a cite block of their own."""
    if any(b.name == "cite" for b in find_blocks(page.body_lines())):
        return ""
    title = "如何引用本页" if page.lang == "zh" else "How to cite this page"
    body = _citations_markdown(site, page, site_url).replace("\n", "\n    ")
    return f'\n\n<div class="atlas-cite" data-search-exclude markdown>\n\n??? quote "{title}"\n\n    {body}\n\n</div>\n'


def render_domains(site: Site, page: Page, block: Block) -> str:
    """The page's front-matter `domains`, linked, with their category."""
    lines = []
    for slug in page.meta.domains:
        target = site.domain_page(page.lang, slug)
        if target is None:
            lines.append(f"- {md(slug)}")  # the checker reports the unknown domain
            continue
        n = len(site.claims_of_domain(slug))
        cat = category_name(site, getattr(target.meta, "category", None), page.lang)
        detail = f"（{md(cat)}）" if page.lang == "zh" else f" ({md(cat)})"
        lines.append(f"- [{md(target.title)}]({rel_link(page, target.rel)}){detail if cat else ''}")
    return "\n".join(lines) or ("*暂无。*" if page.lang == "zh" else "*None yet.*")


def render_related(site: Site, page: Page, block: Block) -> str:
    """The domain page's front-matter `related`, linked (the checker keeps them symmetric)."""
    lines = []
    for slug in page.meta.related:
        target = site.domain_page(page.lang, slug)
        lines.append(f"- [{md(target.title)}]({rel_link(page, target.rel)})" if target else f"- {md(slug)}")
    return "\n".join(lines) or ("*暂无。*" if page.lang == "zh" else "*None yet.*")


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
        title = f"[{md(article.title)}]({rel_link(page, article.rel)})"
        if lang == "en" and s.title:
            title += f"<br><small lang=\"{s.language}\">{esc(s.title)}</small>"
        elif lang == "zh":
            title += f"<br><small lang=\"en\">{esc(s.title_en)}</small>"
        rows.append(f"| {title} | {md(outlet(site, sid, lang))} | {md(format_date(site, sid, lang))} | "
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
        out.append(f"### {md(getattr(cat, lang))}\n")
        for p in members:
            n_art, n_claims = len(site.sources_of_domain(p.slug)), len(site.claims_of_domain(p.slug))
            count = f"{n_art} 篇文章，{n_claims} 条主张" if lang == "zh" else \
                f"{n_art} article{'s' if n_art != 1 else ''}, {n_claims} claim{'s' if n_claims != 1 else ''}"
            out.append(f"- [{md(p.title)}]({rel_link(page, p.rel)}) — {count}")
        out.append("")
    return "\n".join(out)


def render_comparison(site: Site, page: Page, block: Block) -> str:
    """Claims from different articles on the same topic, side by side, grouped by article."""
    out = []
    for topic in site.taxonomy.topics if site.taxonomy else []:
        refs = site.claims_of_topic(topic.id)
        if not refs:
            continue
        sources = list(dict.fromkeys(r.source for r in refs))
        out.append(f"## {md(getattr(topic, page.lang))} {{#{topic.id}}}\n")
        if topic.note:
            out.append(f'!!! note "{"分歧在哪里" if page.lang == "zh" else "Where they differ"}"\n\n'
                       f"    {getattr(topic.note, page.lang)}\n")  # our editors' Markdown, judged like page prose
        for sid in sources:
            out.append(f'<p class="atlas-from" markdown="span">**{source_link(site, page, sid)}**</p>\n')
            group = sorted((r for r in refs if r.source == sid), key=lambda r: r.claim.date or "")
            out.append('<div class="atlas-claims" data-search-exclude>\n' + "\n".join(
                render_claim(site, page, r, with_source=False) for r in group) + "\n</div>\n")
        out.append(comparison_checks(site, page, refs))
    return "\n".join(out)


def comparison_checks(site: Site, page: Page, refs: list[ClaimRef]) -> str:
    """Where the articles' figures on a topic were held against outside references: which held up."""
    lang = page.lang
    checked = [(r, site.check_of(r)) for r in refs if site.check_of(r) and site.check_of(r).check.references]
    if not checked:
        return ""
    title = "外部资料怎么说" if lang == "zh" else "What outside sources say"
    lines = []
    for r, cref in checked:
        who = source_title(site, r.source, lang)
        lines.append(f"<li>{esc(who)} {r.claim.id}: {verdict_badge(lang, cref.check.verdict)}"
                     + (f" {esc(getattr(cref.check.note, lang))}" if cref.check.note else "") + "</li>")
    return (f'<div class="atlas-checks-summary" data-search-exclude><p><strong>{title}</strong></p>\n<ul>'
            + "".join(lines) + "</ul></div>\n")


def glossary_users(site: Site, term) -> list[str]:
    """The sources whose claims use a glossary term (in our zh or en statements)."""
    return site._memo(("glossary_users", term.id), lambda: _glossary_users(site, term))


def _glossary_users(site: Site, term) -> list[str]:
    zh = [term.term.zh, *term.tooltip.zh]
    # English forms are whole words: "EUV" must not match "manoeuvre".
    en = re.compile(r"\b(?:" + "|".join(re.escape(f) for f in [term.term.en, *term.tooltip.en]) + r")\b", re.I)
    users = []
    for ref in site.claims:
        if ref.source not in users and (any(f in ref.claim.zh for f in zh) or en.search(ref.claim.en)):
            users.append(ref.source)
    return users


def render_glossary(site: Site, page: Page, block: Block) -> str:
    lang, other = page.lang, ("en" if page.lang == "zh" else "zh")
    used = "使用该术语的文章" if lang == "zh" else "Used in"
    out = []
    for term in site.glossary:
        out.append(f"## {md(getattr(term.term, lang))}（{md(getattr(term.term, other))}） {{#{term.id}}}\n"
                   if lang == "zh" else f"## {md(term.term.en)} ({md(term.term.zh)}) {{#{term.id}}}\n")
        out.append(md(getattr(term.definition, lang)) + "\n")
        users = glossary_users(site, term)
        if users:
            sep = "、" if lang == "zh" else ", "
            colon = "：" if lang == "zh" else ": "
            out.append(f"{used}{colon}" + sep.join(source_link(site, page, s) for s in users) + "\n")
    return "\n".join(out)


def abbreviations(site: Site, lang: str, text: str) -> str:
    """Markdown abbreviation definitions for the glossary terms that occur in `text`: Material
    shows them as tooltips. Appended to each page by the build (one glossary per language,
    from data/glossary.yml); only the terms present, because each costs the build a pass."""
    lines = []
    for term in site.glossary:
        for form in dict.fromkeys([getattr(term.term, lang), *getattr(term.tooltip, lang)]):
            if form in text and not any(ch in form for ch in "[]\n"):
                lines.append(f"*[{form}]: {esc(getattr(term.definition, lang))}")
    return "\n\n" + "\n".join(lines) + "\n" if lines else ""


def render_timeline(site: Site, page: Page, block: Block) -> str:
    """Every dated claim, newest first, grouped by year, each linked to its article and domains."""
    lang = page.lang
    dated = sorted((r for r in site.claims if r.claim.date), key=lambda r: (r.claim.date, r.source, r.claim.id),
                   reverse=True)
    out, year = [], None
    for ref in dated:
        y = ref.claim.date[:4]
        if y != year:
            out.append(f"\n## {y}{' 年' if lang == 'zh' else ''} {{#y{y}}}\n")
            year = y
        article = site.article_for_source(lang, ref.source)
        where = f"[{md(source_title(site, ref.source, lang))}]({rel_link(page, article.rel)}#{claim_anchor(ref)})" \
            if article else md(source_title(site, ref.source, lang))
        domains = []
        for slug in ref.claim.domains:
            d = site.domain_page(lang, slug)
            if d:
                domains.append(f"[{md(d.title)}]({rel_link(page, d.rel)})")
        kind = f" *（{LABELS[lang][ref.claim.kind]}）*" if lang == "zh" and ref.claim.kind != "fact" else \
            (f" *({LABELS[lang][ref.claim.kind]})*" if ref.claim.kind != "fact" else "")
        statement = md(getattr(ref.claim, lang))
        sep = "、" if lang == "zh" else ", "
        cref = site.check_of(ref)
        verdict = f" {verdict_badge(lang, cref.check.verdict)}" if cref else ""
        flag = f'<br><small class="atlas-flag-note">{md(uncertain_text(lang, ref))}</small>' if ref.claim.uncertain else ""
        out.append(f"- **{ref.claim.date}** — {statement}{kind}{verdict}{flag}<br>"
                   f"<small>{where} · {sep.join(domains)}</small>")
    return "\n".join(out)


# Files the build writes under /data/ (see scripts/mkdocs_hooks.py); the downloads page links them.
DOWNLOAD_FILES = ("sources.json", "sources.csv", "claims.json", "claims.csv", "domains.json", "domains.csv",
                  "references.json", "references.csv")


def render_downloads(site: Site, page: Page, block: Block) -> str:
    up = "../" * (page_url(page.lang, page.rel).count("/"))
    rows = []
    for name in DOWNLOAD_FILES:
        rows.append(f'<li><a href="{up}data/{name}" download><code>/data/{name}</code></a></li>')
    return '<ul class="atlas-downloads">\n' + "\n".join(rows) + "\n</ul>"


def render_coverage(site: Site, page: Page, block: Block) -> str:
    """The article × domain coverage matrix: claims per domain and article, linked."""
    lang = page.lang
    sources = [sid for sid in site.sources if site.claims_of_source(sid)]
    head = ["领域" if lang == "zh" else "Domain"]
    for sid in sources:
        article = site.article_for_source(lang, sid)
        name = short_source(site, sid, lang)
        head.append(f"[{md(name)}]({rel_link(page, article.rel)})" if article else md(name))
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for slug in sorted(site.domains()):
        target = site.domain_page(lang, slug)
        if target is None:
            continue
        counts = [sum(1 for c in site.claims_of_domain(slug) if c.source == sid) for sid in sources]
        cells = [str(n) if n else "·" for n in counts]
        lines.append(f"| [{md(target.title)}]({rel_link(page, target.rel)}) | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def render_chart(site: Site, page: Page, block: Block) -> str:
    """A chart drawn from the ledgers (charts.py), with a caption and its data as a table."""
    from . import charts

    kind, lang = block.args["name"], page.lang
    # The drawing itself joins the page after the sanitiser has run (mkdocs_hooks.on_page_content):
    # it is our own SVG, whose every label charts.py escapes, and it needs style attributes
    # that content may not have. Here it is a placeholder.
    svg = chart_placeholder(kind)
    table_title = "图表数据" if lang == "zh" else "The data in this chart"
    if kind == "shares":
        caption = ("文章给出的国产化率与市场份额。蓝色为中国一方的份额，橙色为外国一方的份额或对外依赖；"
                   "每个标签下注明给出该数字的文章及数字所指年份。不同数字的口径各不相同，不宜相互比较。"
                   if lang == "zh" else
                   "Localisation rates and market shares given by the articles. Blue: China's share; orange: a "
                   "foreign share or dependence. Under each label, the article that gives the figure and the year it "
                   "refers to. The figures measure different things and should not be compared with one another.")
        head = ("| 数字 | 值 | 文章 | 年份 | 文中所列原始出处 |\n|---|---|---|---|---|" if lang == "zh" else
                "| Figure | Value | Article | Year | Primary source named |\n|---|---|---|---|---|")
        rows = []
        for r in charts.share_points(site, lang):
            bound = "" if r["bound"] == "=" else r["bound"]
            link = f"[{md(r['source'])}]({rel_link(page, site.article_for_source(lang, r['ref'].source).rel)}" \
                   f"#{claim_anchor(r['ref'])})" if site.article_for_source(lang, r["ref"].source) else md(r["source"])
            rows.append(f"| {md(r['label'])} | {md(bound)}{r['value']:g}% | {link} | {r['year'] or '—'} | "
                        f"{md(r['cited']) if r['cited'] else '—'} |")
        table = head + "\n" + "\n".join(rows)
    else:
        caption = ("各文章对各领域的覆盖：每格是该文章台账中涉及该领域的主张数。"
                   if lang == "zh" else
                   "How the articles cover each domain: each cell is the number of claims about that domain in that "
                   "article's ledger.")
        table = render_coverage(site, page, block)
    indented = "\n".join("    " + line for line in table.split("\n"))
    return (f'<figure class="atlas-chart" data-search-exclude>\n{svg}\n<figcaption>{esc(caption)}</figcaption>\n</figure>\n\n'
            f'<div data-search-exclude markdown>\n\n??? info "{table_title}"\n\n{indented}\n\n</div>')


def verdict_counts(site: Site, refs: list[ClaimRef]) -> dict[str, int]:
    counts = {v: 0 for v in VERDICT_LABELS["en"]}
    for r in refs:
        cref = site.check_of(r)
        if cref:
            counts[cref.check.verdict] += 1
    return counts


def render_check_summary(site: Site, page: Page, block: Block) -> str:
    """How an article's figures hold up against outside references, in one line."""
    sid, lang = _page_source(page, block), page.lang
    refs = [r for r in site.claims_of_source(sid) if r.claim.checkable or site.check_of(r)]
    counts = verdict_counts(site, refs)
    checks = rel_link(page, "checks.md") if site.page(lang, "checks.md") else None
    if lang == "zh":
        parts = "，".join(f"{counts[v]} 条{VERDICT_LABELS['zh'][v]}" for v in counts)
        more = f"全站的不同与存疑之处见[核对结果]({checks})。" if checks else ""
        return (f'<div class="atlas-holdup" data-search-exclude markdown>\n\n**数字核对：**本文有 {len(refs)} 条可核对的事实陈述：'
                f"{parts}。每条的核对结果见下方各条主张。{more}\n\n</div>")
    counted = {"consistent": "consistent with outside sources", "differs": "where outside sources differ",
               "unclear": "unclear", "not-found": "with no outside source found"}  # reads after a number
    parts = ", ".join(f"{counts[v]} {counted[v]}" for v in counts)
    more = f" Every difference across the site is on [the checks page]({checks})." if checks else ""
    return (f'<div class="atlas-holdup" data-search-exclude markdown>\n\n**How its figures hold up:** {len(refs)} '
            f"checkable statements of fact: {parts}. Each claim below shows its check.{more}\n\n</div>")


def render_check_list(site: Site, page: Page, block: Block) -> str:
    """Every claim whose figure outside references contradict or leave unclear, by domain."""
    lang, out = page.lang, []
    wanted = [r for r in site.claims if site.check_of(r) and site.check_of(r).check.verdict in ("differs", "unclear")]
    domains = site.domains()
    seen: set[str] = set()
    for slug in sorted(domains, key=lambda d: (site.domain_page(lang, d) or domains[d]).title):
        group = [r for r in wanted if r.claim.domains[0] == slug and r.key not in seen]
        if not group:
            continue
        dpage = site.domain_page(lang, slug)
        out.append(f"## {md(dpage.title if dpage else slug)} {{#{slug}}}\n")
        group.sort(key=lambda r: (site.check_of(r).check.verdict, r.source, r.claim.id))
        out.append('<div class="atlas-claims">\n' + "\n".join(
            render_claim(site, page, r, with_source=True) for r in group) + "\n</div>\n")
        seen.update(r.key for r in group)
    if not out:
        return "*暂无。*" if lang == "zh" else "*None yet.*"
    return "\n".join(out)


def render_entity(site: Site, page: Page, block: Block) -> str:
    """An entity's page: what it is (kind and country, no figure), how it is named, the domains it
    appears in, and every claim that names it, grouped by domain, each with its article."""
    lang, eid = page.lang, block.args.get("entity") or getattr(page.meta, "entity", None)
    e = site.entities[eid]
    other = "en" if lang == "zh" else "zh"
    refs = site.claims_of_entity(eid)
    sources = list(dict.fromkeys(r.source for r in refs))
    kind = ENTITY_KIND_ONE[lang][e.kind]
    if lang == "zh":
        intro = f"{kind} · {country_name(e.country, lang)}。本站 {len(sources)} 篇文章的 {len(refs)} 条主张提到它。"
    else:
        intro = (f"A {kind}, {country_name(e.country, lang)}. Named in {len(refs)} claim{'s' if len(refs) != 1 else ''} "
                 f"of {len(sources)} article{'s' if len(sources) != 1 else ''} on this site.")
    names = [("中文" if lang == "zh" else "Chinese", e.name.zh), ("英文" if lang == "zh" else "English", e.name.en)]
    if e.original and e.original not in (e.name.zh, e.name.en):
        names.append(("原文名称" if lang == "zh" else "Original name", e.original))
    spellings = list(dict.fromkeys(e.aliases.zh + e.aliases.zht + e.aliases.en))
    if spellings:
        names.append(("文章中的写法" if lang == "zh" else "Spellings in the articles", "、".join(spellings) if lang == "zh"
                      else ", ".join(spellings)))
    table = "\n".join(f"| {md(k)} | {md(v)} |" for k, v in names)
    head = "| 名称 | |\n|---|---|" if lang == "zh" else "| Name | |\n|---|---|"
    out = [md(intro), "", head, table, ""]
    domains = list(dict.fromkeys(d for r in refs for d in r.claim.domains))
    links = []
    for slug in domains:
        d = site.domain_page(lang, slug)
        if d:
            links.append(f"[{md(d.title)}]({rel_link(page, d.rel)})")
    if links:
        out.append(("**涉及领域：**" if lang == "zh" else "**Domains:** ") + ("、" if lang == "zh" else ", ").join(links))
        out.append("")
    out.append(f"## {'各篇文章的说法' if lang == 'zh' else 'What the articles say'} {{#claims}}\n")
    for slug in domains:
        d = site.domain_page(lang, slug)
        group = [r for r in refs if r.claim.domains and r.claim.domains[0] == slug]
        if not group:
            continue
        out.append(f"### {md(d.title if d else slug)}\n")
        out.append('<div class="atlas-claims" data-search-exclude>\n' + "\n".join(
            render_claim(site, page, r, with_source=True) for r in group) + "\n</div>\n")
    return "\n".join(out)


def render_entity_catalog(site: Site, page: Page, block: Block) -> str:
    """Every entity, grouped by kind and then by country, with how many claims name it."""
    lang, out = page.lang, []
    for kind in ENTITY_KINDS[lang]:
        members = [e for e in site.entities.values() if e.kind == kind]
        if not members:
            continue
        out.append(f"## {ENTITY_KINDS[lang][kind]} {{#{kind}}}\n")
        by_country: dict = {}
        for e in members:
            by_country.setdefault(e.country, []).append(e)
        for code in sorted(by_country, key=lambda c: (c != "CN", country_name(c, "en"))):
            items = sorted(by_country[code], key=lambda e: getattr(e.name, lang))
            entries = []
            for e in items:
                target = site.entity_page(lang, e.id)
                n = len(site.claims_of_entity(e.id))
                name = f"[{md(getattr(e.name, lang))}]({rel_link(page, target.rel)})" if target else md(getattr(e.name, lang))
                entries.append(f"{name}（{n}）" if lang == "zh" else f"{name} ({n})")
            sep = "、" if lang == "zh" else " · "
            out.append(f"- **{md(country_name(code, lang))}**：" + sep.join(entries) if lang == "zh" else
                       f"- **{md(country_name(code, lang))}**: " + sep.join(entries))
        out.append("")
    return "\n".join(out) if out else ("*暂无。*" if lang == "zh" else "*None yet.*")


def headline_points(site: Site, lang: str, slug: str) -> list[dict]:
    """The shares the articles give for a domain (claims with a chart value), by figure label."""
    return site._memo(("headline_points", lang), lambda: _points_by_domain(share_points(site, lang))).get(slug, [])


def _points_by_domain(rows: list[dict]) -> dict[str, list[dict]]:
    by_domain: dict[str, list[dict]] = {}
    for r in rows:
        for slug in dict.fromkeys(r["ref"].claim.domains):
            by_domain.setdefault(slug, []).append(r)
    return by_domain


def _value_range(rows: list[dict]) -> str:
    values = sorted({r["value"] for r in rows})
    return f"{values[0]:g}%" if len(values) == 1 else f"{values[0]:g}–{values[-1]:g}%"


def render_glance(site: Site, page: Page, block: Block) -> str:
    """A domain at a glance: the headline figures the articles give (each with its article and
    year, a range where they differ, the comparison where they disagree), who the claims name,
    which articles cover it, and how its figures hold up. Only claims: no figure of our own."""
    lang, slug = page.lang, block.args.get("domain") or page.slug
    refs = site.claims_of_domain(slug)
    rows = headline_points(site, lang, slug)
    t = {"zh": {"title": "一览", "figures": "文章给出的数字", "none": "文章没有给出这一领域的数字。",
                "foreign": "提到的外国一方", "domestic": "提到的中国一方", "articles": "涉及的文章",
                "checks": "数字核对", "compare": "各文章说法不一，见对照", "range": "各文章给出的范围"},
         "en": {"title": "At a glance", "figures": "Figures the articles give", "none": "The articles give no figure for this domain.",
                "foreign": "Foreign players named", "domestic": "Chinese players named", "articles": "Articles covering it",
                "checks": "How its figures hold up", "compare": "the articles differ: see the comparison",
                "range": "range across the articles"}}[lang]
    colon = "：" if lang == "zh" else ": "
    items = []
    if rows:
        lines = []
        for r in rows[:8]:
            article = site.article_for_source(lang, r["ref"].source)
            bound = "" if r["bound"] == "=" else r["bound"]
            who = f'<a href="{url_link(page, article.rel)}#{claim_anchor(r["ref"])}">{esc(r["source"])}</a>' if article \
                else esc(r["source"])
            year = f"，{esc(r['year'])}" if lang == "zh" and r["year"] else (f", {esc(r['year'])}" if r["year"] else "")
            lines.append(f"<li>{esc(r['label'])}{colon}<strong>{esc(bound)}{r['value']:g}%</strong>（{who}{year}）</li>"
                         if lang == "zh" else
                         f"<li>{esc(r['label'])}: <strong>{esc(bound)}{r['value']:g}%</strong> ({who}{year})</li>")
        topics = sorted({r["ref"].claim.topic for r in rows if r["ref"].claim.topic})
        disagree = [tp for tp in topics if len({x.source for x in site.claims_of_topic(tp)}) > 1]
        extra = ""
        if len({r["value"] for r in rows}) > 1:
            extra += f"<li>{t['range']}{colon}{esc(_value_range(rows))}</li>"
        if disagree and site.page(lang, "compare.md"):
            extra += "<li>" + " · ".join(f'<a href="{url_link(page, "compare.md")}#{tp}">{t["compare"]}</a>'
                                        for tp in disagree[:2]) + "</li>"
        items.append(f"<p><strong>{t['figures']}</strong></p><ul>{''.join(lines)}{extra}</ul>")
    else:
        items.append(f"<p><strong>{t['figures']}</strong>{colon}{t['none']}</p>")
    if site.entities:
        named = list(dict.fromkeys(e for r in refs for e in r.claim.entities if e in site.entities))
        players = [e for e in named if site.entities[e].kind in ("company", "research-body", "university")]
        foreign = [e for e in players if site.entities[e].country not in ("CN", "HK", None)]
        domestic = [e for e in players if site.entities[e].country in ("CN", "HK")]
        sep = "、" if lang == "zh" else ", "
        for label, group in ((t["foreign"], foreign), (t["domestic"], domestic)):
            if group:
                items.append(f"<p><strong>{label}</strong>{colon}" + sep.join(entity_link_html(site, page, e) for e in group[:12])
                             + "</p>")
    arts = []
    for sid in site.sources_of_domain(slug):
        article = site.article_for_source(lang, sid)
        n = len([c for c in refs if c.source == sid])
        name = esc(short_source(site, sid, lang))
        link = f'<a href="{url_link(page, article.rel)}">{name}</a>' if article else name
        arts.append(f"{link}（{n}）" if lang == "zh" else f"{link} ({n})")
    if arts:
        items.append(f"<p><strong>{t['articles']}</strong>{colon}" + ("、" if lang == "zh" else ", ").join(arts) + "</p>")
    counts = verdict_counts(site, refs)
    if sum(counts.values()):
        parts = ("，" if lang == "zh" else ", ").join(
            f"{verdict_badge(lang, v)} {n}" for v, n in counts.items() if n)
        items.append(f"<p><strong>{t['checks']}</strong>{colon}{parts}</p>")
    return (f'<div class="atlas-glance" data-search-exclude>\n<p class="atlas-glance__title">{t["title"]}</p>\n'
            + "\n".join(items) + "\n</div>")


def render_domain_grid(site: Site, page: Page, block: Block) -> str:
    """Every domain at once, by category: its headline figure (or none), how many articles cover it."""
    lang, out = page.lang, []
    pages = [p for p in site.lang_pages(lang) if p.section == "domains" and p.slug and p.meta]
    for cat in site.taxonomy.categories if site.taxonomy else []:
        members = [p for p in pages if p.meta.category == cat.id]
        if not members:
            continue
        cards = []
        for p in members:
            rows = headline_points(site, lang, p.slug)
            n = len(site.sources_of_domain(p.slug))
            if rows:
                r = rows[0]
                who = f"{r['source']}，{r['year']}" if lang == "zh" and r["year"] else \
                    (f"{r['source']}, {r['year']}" if r["year"] else r["source"])
                figure = (f"{esc(r['label'])}{'：' if lang == 'zh' else ': '}{esc('' if r['bound'] == '=' else r['bound'])}"
                          f"{r['value']:g}%" + (f"（{esc(who)}）" if lang == "zh" else f" ({esc(who)})"))
                if len(rows) > 1:
                    figure += f"（另 {len(rows) - 1} 个数字）" if lang == "zh" else f" (+{len(rows) - 1} more)"
            else:
                figure = "文章未给出数字" if lang == "zh" else "no figure in the articles"
            count = f"{n} 篇文章" if lang == "zh" else f"{n} article{'s' if n != 1 else ''}"
            cards.append(f'<li><a href="{url_link(page, p.rel)}"><strong>{esc(p.title)}</strong></a>'
                         f'<span class="atlas-grid__figure">{figure}</span><span class="atlas-grid__count">{count}</span></li>')
        out.append(f'<p class="atlas-grid__category">{esc(getattr(cat, lang))}</p>\n<ul class="atlas-grid">' + "".join(cards) + "</ul>")
    return '<div class="atlas-domain-grid" data-search-exclude>\n' + "\n".join(out) + "\n</div>"


def render_crosswalk(site: Site, page: Page, block: Block) -> str:
    """The 35 technologies of the 2018 series against the domain pages that cover each."""
    lang, cw = page.lang, site.crosswalk
    if cw is None:
        return "*暂无。*" if lang == "zh" else "*None yet.*"
    covered = sum(1 for i in cw.items if i.domains)
    unconfirmed = sum(1 for i in cw.items if not i.confirmed)
    cite = f"[@{cw.source}]"
    if lang == "zh":
        caption = (f"2018 年《科技日报》连载的 {len(cw.items)} 项技术（据 {cite}；各转载版本顺序不一），其中 {covered} 项有本站领域页涉及，"
                   f"{len(cw.items) - covered} 项本站文章未涉及；{unconfirmed} 项在所查资料中未能确认（标 *）。")
        head = "| # | 技术 | 本站领域页 |\n|---|---|---|"
        none = "本站文章未涉及"
    else:
        caption = (f"The {len(cw.items)} technologies of Science and Technology Daily's 2018 series (per {cite}; the order "
                   f"varies between reposts): {covered} are covered by a domain page of this site, {len(cw.items) - covered} "
                   f"are not covered by the articles; {unconfirmed} were not confirmed in the material searched (marked *).")
        head = "| # | Technology | Domain pages |\n|---|---|---|"
        none = "not covered by the articles"
    rows = []
    for n, item in enumerate(cw.items, 1):
        name = md(getattr(item, lang)) + ("" if lang == "zh" else f" ({md(item.zh)})") + ("" if item.confirmed else " \\*")
        links = []
        for slug in item.domains:
            d = site.domain_page(lang, slug)
            links.append(f"[{md(d.title)}]({rel_link(page, d.rel)})" if d else md(slug))
        rows.append(f"| {n} | {name} | {('、' if lang == 'zh' else ', ').join(links) if links else none} |")
    return caption + "\n\n" + head + "\n" + "\n".join(rows)


def render_recent(site: Site, page: Page, block: Block) -> str:
    """The article, domain and theme pages that changed last (from git), newest first."""
    from .history import recent_pages

    rows = recent_pages(site, page.lang)
    if not rows:
        return "*暂无修改记录。*" if page.lang == "zh" else "*No change history in this copy.*"
    return "\n".join(f"- {date} — [{md(p.title)}]({rel_link(page, p.rel)})" for date, p in rows)


def chart_placeholder(kind: str) -> str:
    return f'<div class="atlas-chart__drawing" data-atlas-chart="{esc(kind)}"></div>'


CHART_NOT_DRAWN = {"zh": "预览不绘制图表（完整构建会绘制）。", "en": "Charts are not drawn in the preview (the full build draws them)."}


def insert_charts(site: Site, lang: str, html_text: str, draw: bool = True) -> str:
    """The page's chart placeholders (kept by the sanitiser) replaced by the drawings, or, in a
    preview (`draw=False`: drawing a changed chart takes matplotlib seconds), by a note."""
    from . import charts

    for kind in ("shares", "coverage"):
        placeholder = chart_placeholder(kind)
        if placeholder not in html_text:
            continue
        if not draw:
            html_text = html_text.replace(placeholder, f'<p class="atlas-chart__preview">{esc(CHART_NOT_DRAWN.get(lang, CHART_NOT_DRAWN["en"]))}</p>')
        else:
            svg = charts.chart_svg(site, kind, lang)
            html_text = html_text.replace(placeholder, f'<div class="atlas-chart__scroll" data-chart="{kind}">'
                                          f"{chart_min_width_style(kind, svg)}{svg}</div>")
    return html_text


CHART_MIN_TEXT_PX = 11


def chart_min_width_style(kind: str, svg: str) -> str:
    """A chart scales with the column; on a narrow screen its smallest text would fall below 11 px,
    so the drawing keeps the width at which it reaches 11 px, and its box scrolls sideways.
    (A <style> element: the content-security policy allows it by its hash, computed by csp.py.)"""
    m = re.search(r'viewBox="[\d.]+ [\d.]+ ([\d.]+) [\d.]+"', svg)
    sizes = [float(x) for x in re.findall(r'font-size="([\d.]+)px"', svg)]
    if not m or not sizes:
        return ""
    width = float(m.group(1)) * CHART_MIN_TEXT_PX / min(sizes)
    return (f'<style>@media (max-width: 60em) {{ .atlas-chart__scroll[data-chart="{kind}"] svg '
            f'{{ min-width: {width:.0f}px; }} }}</style>')


def category_name(site: Site, category: Optional[str], lang: str) -> str:
    for c in site.taxonomy.categories if site.taxonomy else []:
        if c.id == category:
            return getattr(c, lang)
    return ""


def render_guide(site: Site, page: Page, block: Block) -> str:
    """CONTRIBUTING.md, for the English contributor page (one guide, kept in one file).

    Its first heading becomes the page's title heading; the checker reads it like any page."""
    return site.guide or ""


BLOCKS: dict[str, tuple[tuple[str, ...], Callable]] = {
    "source-card": (("source",), render_source_card),
    "claims": (("source", "domain"), render_claims),
    "articles": (("domain",), render_articles),
    "domains": ((), render_domains),
    "related": ((), render_related),
    "article-catalog": ((), render_article_catalog),
    "domain-catalog": (("section",), render_domain_catalog),
    "comparison": ((), render_comparison),
    "glossary": ((), render_glossary),
    "timeline": ((), render_timeline),
    "downloads": ((), render_downloads),
    "coverage": ((), render_coverage),
    "chart": (("name",), render_chart),
    "cite": ((), render_cite),
    "contributing-guide": ((), render_guide),
    "check-summary": (("source",), render_check_summary),
    "entity": (("entity",), render_entity),
    "entity-catalog": ((), render_entity_catalog),
    "glance": (("domain",), render_glance),
    "domain-grid": ((), render_domain_grid),
    "crosswalk": ((), render_crosswalk),
    "recent": ((), render_recent),
    "check-list": ((), render_check_list),
}


def render_block(site: Site, page: Page, block: Block, site_url: str = "") -> Optional[str]:
    """Markdown for one block, or None when it cannot be rendered (the checker says why)."""
    # The checker and the build ask for the same blocks: render each once per loaded site. Only
    # `cite` depends on the site's address (the checker renders without it, the build with it).
    key = ("block", page.path, block.line, block.name, tuple(sorted(block.args.items())),
           site_url if block.name == "cite" else None)
    return site._memo(key, lambda: _render_block(site, page, block, site_url))


def _render_block(site: Site, page: Page, block: Block, site_url: str) -> Optional[str]:
    if block_error(site, page, block):
        return None
    _, fn = BLOCKS[block.name]
    if block.name == "cite":
        return fn(site, page, block, site_url)
    return fn(site, page, block)


def page_markdown(site: Site, page: Page, text: Optional[str] = None, site_url: str = "") -> str:
    """The whole Markdown the build renders for a page: its body with every block expanded,
    how to cite it, and the glossary tooltips it uses. The checker judges exactly this."""
    rendered = render_markdown(site, page, page.body if text is None else text, site_url)
    return rendered + cite_footer(site, page, site_url) + abbreviations(site, page.lang, rendered)




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


# Code is shown as written: `[@id]` inside a fence or a code span is an example, not a citation.
_CODE = re.compile(r"^([ \t]*)(`{3,}|~{3,}).*?^\1\2[ \t]*$|(`+)(?:(?!\3).)+?\3", re.S | re.M)


def cite_sources(site: Site, page: Page, text: str) -> str:
    if "[@" not in text:
        return text
    out, last = [], 0
    for m in _CODE.finditer(text):
        out.append(CITE.sub(lambda c: _cite(site, page, c), text[last:m.start()]))
        out.append(m.group(0))
        last = m.end()
    out.append(CITE.sub(lambda c: _cite(site, page, c), text[last:]))
    return "".join(out)


def _cite(site: Site, page: Page, m: re.Match) -> str:
    sid = m.group(1)
    if sid not in site.sources:
        return m.group(0)
    s = site.sources[sid]
    text = f"{source_link(site, page, sid)}（{md(outlet(site, sid, page.lang))}，{md(format_date(site, sid, page.lang))}）" \
        if page.lang == "zh" else \
        f"{source_link(site, page, sid)} ({md(outlet(site, sid, page.lang))}, {md(format_date(site, sid, page.lang))})"
    if s.url and not site.article_for_source(page.lang, sid):
        text += f" <{s.url}>"
    return text
