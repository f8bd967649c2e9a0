"""The one allowlist for what page content may put in a reader's browser (nh3, the binding of Ammonia).

The build cleans every page's HTML with `clean`; the checker renders every page with the
site's own Markdown configuration and reports whatever `removals` finds, so the checker and
the build judge the same HTML with the same function. Anything not listed here is removed:
no script, style, form, meta, base, link, iframe, object or embed from content, no event
handler or `style` attribute, no URL scheme but https and mailto (relative links are kept),
and no image from another host.
"""
from __future__ import annotations

import difflib
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

# Tags that Python-Markdown, its extensions (footnotes, admonition, details, abbr, tables,
# def_list, toc, superfences) and our generated blocks produce.
TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
    "details", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
ATTRIBUTES = {
    "*": {"id", "class", "lang", "title", "dir"},
    "a": {"href", "download"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start"},
    "details": {"open"},
    # Our blocks: claim cards carry their kind; search skips what repeats elsewhere.
    "div": {"data-kind", "data-search-exclude", "data-atlas-chart"},
    "p": {"data-search-exclude"},
    "figure": {"data-search-exclude"},
    "ul": {"data-search-exclude"},
}
URL_SCHEMES = {"https", "mailto"}
URL_ATTRIBUTES = {"href", "src", "cite", "action", "formaction", "poster", "srcset", "xlink:href", "data"}


def _same_host_images(tag: str, attribute: str, value: str):
    # A picture from another host is a request readers did not ask for (a tracking pixel,
    # or a host blocked in mainland China): images come from the site itself.
    if tag == "img" and attribute == "src" and _is_remote(value):
        return None
    return value


def _is_remote(url: str) -> bool:
    url = re.sub(r"[\x00-\x20]", "", url)
    return url.startswith("//") or bool(urlsplit(url).scheme)


def clean(html: str) -> str:
    """The page content a reader gets: only what the allowlist names."""
    return nh3.clean(html, tags=TAGS, clean_content_tags={"script", "style"}, attributes=ATTRIBUTES,
                     attribute_filter=_same_host_images, url_schemes=URL_SCHEMES, link_rel=None,
                     strip_comments=True)


class _Inventory(HTMLParser):
    """Every tag name and URL scheme in a fragment, to build a cleaner that keeps everything."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.schemes: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for _, value in attrs:
            m = re.match(r"([a-zA-Z][a-zA-Z0-9+.\-]*):", re.sub(r"[\x00-\x20]", "", value or ""))
            if m:
                self.schemes.add(m.group(1).lower())

    handle_startendtag = handle_starttag


def _keep_everything(html: str) -> str:
    """The same parse and serialisation as `clean`, removing nothing but comments: the two
    outputs differ exactly where `clean` removed something."""
    inv = _Inventory()
    try:
        inv.feed(html)
        inv.close()
    except Exception:  # noqa: BLE001 - html.parser is lenient; be safe all the same
        pass
    return nh3.clean(html, tags=TAGS | inv.tags | {"svg", "math", "script", "style"}, clean_content_tags=set(),
                     generic_attribute_prefixes={""}, url_schemes=URL_SCHEMES | inv.schemes | {"http", "data"},
                     link_rel=None, strip_comments=True)


TOKEN = re.compile(r"<[^>]*>|[^<]+")


def removals(html: str) -> list[str]:
    """What `clean` takes out of `html`, one short description per removed piece (empty: safe)."""
    cleaned = clean(html)
    kept = _keep_everything(html)
    if cleaned == kept:
        return []
    a, b = TOKEN.findall(kept), TOKEN.findall(cleaned)
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            out.append(describe("".join(a[i1:i2]), "".join(b[j1:j2]) if op == "replace" else ""))
    return [d for d in out if d]


ATTR = re.compile(r"""\s([^\s=/>"']+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]*))?""")


def _attrs(tag: str) -> dict[str, str]:
    m = re.match(r"<\s*[\w:-]+", tag)
    return {k.lower(): v.strip("\"'") for k, v in ATTR.findall(tag[m.end():] if m else "")}


def describe(piece: str, kept: str = "") -> str:
    """A located problem's words for a removed piece: the tag, attribute or URL at fault.
    `kept` is what the cleaner left in its place (the same tag with fewer attributes)."""
    piece = piece.strip()
    m = re.match(r"<\s*([a-zA-Z][\w:-]*)", piece)
    if m and m.group(1).lower() not in TAGS:
        return f"<{m.group(1).lower()}> is not allowed in content"
    if m and kept.strip().startswith("<"):
        removed = {k: v for k, v in _attrs(piece).items() if k not in _attrs(kept.strip())}
        if removed:
            piece = "<" + m.group(1) + "".join(f' {k}="{v}"' for k, v in removed.items()) + ">"
    handler = re.search(r"\s(on[a-z]+)\s*=", piece, re.I)
    if handler:
        return f"event handler '{handler.group(1).lower()}=' is not allowed"
    if re.search(r"\sstyle\s*=", piece, re.I):
        return "a style attribute is not allowed (the site's stylesheet styles content)"
    url = re.search(r"\s(href|src)\s*=\s*\"([^\"]*)\"", piece, re.I)
    if url:
        value = url.group(2).replace("&amp;", "&")
        if _is_remote(value) and url.group(1).lower() == "src" and value.lower().startswith(("https:", "//")):
            return f"image from another host '{value[:60]}': images must be files of the site"
        return f"URL '{value[:60]}' is not allowed: use https://, mailto: or a relative link"
    attr = re.search(r"\s([a-zA-Z_:][\w:.-]*)(?:\s*=|>|\s)", piece)
    if m and attr:
        return f"attribute '{attr.group(1)}' is not allowed on <{m.group(1).lower()}>"
    if m:
        return f"<{m.group(1).lower()}> markup is not allowed here"
    text = re.sub(r"\s+", " ", piece)[:60]
    return f"content that cannot be published as written: '{text}'" if text else ""
