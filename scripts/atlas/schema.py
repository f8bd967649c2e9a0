"""Schemas of the registry, the claims ledgers and page front matter.

pydantic does the type checking; `extra="forbid"` turns every unknown key into a
reported problem, so a typo such as `domian:` never passes silently.
"""
from __future__ import annotations

import re
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
PARTIAL_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
QUOTE_MAX = 60
# An address a reader's browser may follow: https, and none of the characters that could end
# an attribute, a Markdown link or an autolink.
HTTPS_URL = re.compile(r"^https://[^\s<>\"'`\\{}|^]+$")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")


def single_line(value: str, what: str = "this field") -> str:
    """Data strings are one line of plain text: a line break could end the Markdown block
    the string is shown in (a table row, a list item, a fenced "how to cite" box)."""
    if "\n" in value or "\r" in value or CONTROL.search(value):
        raise ValueError(f"{what} is one line of plain text: no line breaks or control characters")
    return value


def https_url(value: Optional[str]) -> Optional[str]:
    if value is None:
        return value
    if not value.startswith("https://"):
        raise ValueError(
            "url must start with https:// — for a page that exists only at an http:// address, write "
            "url: null and name the address in `notes` (readers are not sent to unencrypted pages)")
    if not HTTPS_URL.match(value):
        raise ValueError("url has a character no address may hold (a space, quote, < or >): percent-encode it")
    return value


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class OneLine(Strict):
    """A schema whose every string field is a single line of text (see `single_line`)."""

    @field_validator("*", mode="after")
    @classmethod
    def _one_line(cls, v, info):
        if isinstance(v, str):
            return single_line(v, f"'{info.field_name}'")
        if isinstance(v, list):
            return [single_line(x, f"'{info.field_name}'") if isinstance(x, str) else x for x in v]
        return v


class Bilingual(OneLine):
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class SourceDate(OneLine):
    value: Optional[str] = Field(pattern=PARTIAL_DATE)
    status: Literal["stated", "inferred", "unknown"]
    basis: Bilingual  # why this date: what the text says, or how it was inferred
    # A manuscript's date of receipt, where the text gives one: never the date to cite.
    received: Optional[str] = Field(default=None, pattern=PARTIAL_DATE)


class Source(OneLine):
    """One entry of data/sources.yml. Every key is required: `null` says "not stated"."""

    id: str = Field(pattern=SLUG)
    kind: Literal["article", "report", "dataset", "statement", "web"]
    title: Optional[str]
    title_en: str = Field(min_length=1)
    outlet: Optional[str]
    outlet_en: Optional[str] = None
    authors: list[str]
    # The authors' names in Latin letters, as the source gives them or in pinyin, in the order of
    # `authors`: English pages show "Guo Hanlin 郭瀚林" and cite "Guo Hanlin".
    authors_en: Optional[list[str]] = None
    date: SourceDate
    language: Literal["zh-Hans", "zh-Hant", "en"]
    url: Optional[str]
    doi: Optional[str]
    genre: Literal[
        "news-feature", "opinion", "commentary", "essay", "academic-paper", "report", "testimony"
    ]
    archive: Optional[str]
    notes: Optional[Bilingual]
    short: Optional[Bilingual] = None  # a short name for charts and tables

    @field_validator("authors_en")
    @classmethod
    def one_name_each(cls, v, info):
        if v is not None and len(v) != len(info.data.get("authors") or []):
            raise ValueError("authors_en gives one romanised name for each of `authors`, in the same order")
        return v

    @field_validator("url")
    @classmethod
    def https_only(cls, v: Optional[str]) -> Optional[str]:
        return https_url(v)


class ChartPoint(OneLine):
    """A share the claim states, drawn on the shares chart (0–100, with its bound as stated)."""

    value: float = Field(ge=0, le=100)
    bound: Literal["<", "≈", ">", "="] = "="
    side: Literal["domestic", "foreign"]  # China's share, or foreign suppliers' share / dependence
    label: Bilingual  # what the share is of, in a few words


class Uncertain(OneLine):
    """What about a claim's text is uncertain, shown with the claim wherever it appears."""

    # The words of the quote that were reconstructed (from a garbled copy): shown marked.
    reconstructed: Optional[str] = None
    note: Bilingual  # why, in each language


class Claim(OneLine):
    id: str = Field(pattern=r"^c\d{3}$")
    quote: str = Field(min_length=1)
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)
    cited: Optional[Bilingual]
    domains: list[str] = Field(min_length=1)
    kind: Literal["fact", "forecast", "opinion"]
    date: Optional[str] = Field(default=None, pattern=PARTIAL_DATE)
    topic: Optional[str] = Field(default=None, pattern=SLUG)
    chart: Optional[ChartPoint] = None
    uncertain: Optional[Uncertain] = None
    entities: list[str] = []  # ids from data/entities.yml of who and what the claim names

    @property
    def checkable(self) -> bool:
        """A fact that states a figure or a date: what a reader can hold against the world (ATL905)."""
        return self.kind == "fact" and (bool(re.search(r"\d", self.quote + self.en)) or bool(self.date))

    @field_validator("uncertain")
    @classmethod
    def reconstructed_is_quoted(cls, v, info):
        quote = info.data.get("quote")
        if v is not None and v.reconstructed and quote is not None and v.reconstructed not in quote:
            raise ValueError("uncertain.reconstructed must be words of the quote, exactly as they stand in it")
        return v

    @field_validator("quote")
    @classmethod
    def short_quote(cls, v: str) -> str:
        if len(v) > QUOTE_MAX:
            raise ValueError(f"quote is {len(v)} characters; at most {QUOTE_MAX} may be quoted")
        return v


class Ledger(Strict):
    source: str = Field(pattern=SLUG)
    claims: list[Claim]


class Category(OneLine):
    id: str = Field(pattern=SLUG)
    zh: str
    en: str


class Topic(OneLine):
    id: str = Field(pattern=SLUG)
    zh: str
    en: str
    # Where the articles disagree on this topic, in plain words (ours), shown on the comparison page.
    note: Optional[Bilingual] = None


class Taxonomy(Strict):
    """data/taxonomy.yml: the categories domains are grouped by, and comparison topics."""

    categories: list[Category]
    topics: list[Topic] = []


class Forms(OneLine):
    zh: list[str] = []
    en: list[str] = []


class GlossaryTerm(OneLine):
    """One entry of data/glossary.yml: a key term, defined in each language."""

    id: str = Field(pattern=SLUG)
    term: Bilingual
    # Spellings that get a tooltip on pages of each language (the term itself if empty).
    tooltip: Forms = Forms()
    definition: Bilingual

    @field_validator("definition")
    @classmethod
    def plain_text(cls, v: Bilingual) -> Bilingual:
        # A tooltip is an HTML attribute: Markdown or brackets there would show as noise.
        for text in (v.zh, v.en):
            if any(ch in text for ch in "[]*`<>\n"):
                raise ValueError("a definition is plain text: no Markdown, brackets or line breaks")
        return v


class SearchMeta(Strict):
    exclude: bool = False
    boost: Optional[float] = None


class PageMeta(OneLine):
    """Front matter. Only these keys: MkDocs and the theme act on others (`template` picks the
    page's template file, `hooks` and the like reach the build), so an unknown key is refused."""

    title: str = Field(min_length=1)
    description: Optional[str] = None
    hide: list[Literal["navigation", "toc", "footer", "path", "tags", "feedback"]] = []
    search: Optional[SearchMeta] = None

    @field_validator("title", "description")
    @classmethod
    def plain_text(cls, v: Optional[str]) -> Optional[str]:
        # The theme prints both into <head> (<title>, <meta content="…">) as they are.
        if v is not None and any(ch in v for ch in '<>"`'):
            raise ValueError('is plain text: no <, >, " or ` (write “ ” for quotation marks)')
        return v


class ArticleMeta(PageMeta):
    source: str = Field(pattern=SLUG)
    domains: list[str] = []


class DomainMeta(PageMeta):
    category: str = Field(pattern=SLUG)
    aliases: list[str] = []
    related: list[str] = []


# Front matter keys that say the same thing in both languages; twins must agree on them.
NEUTRAL_KEYS = ("source", "domains", "category", "related", "entity")


class EntityMeta(PageMeta):
    entity: str = Field(pattern=SLUG)


def meta_model(section: str) -> type[PageMeta]:
    return {"articles": ArticleMeta, "domains": DomainMeta, "themes": DomainMeta, "entities": EntityMeta}.get(
        section, PageMeta
    )


def is_slug(value: str) -> bool:
    return bool(re.match(SLUG, value))


# --- checks against the world: outside references and a verdict per claim --------------

EXCERPT_MAX = 120
VERDICTS = ("consistent", "differs", "unclear", "not-found")


class Reference(OneLine):
    """One entry of data/references.yml: an outside document read to check an article's claim.

    Only what was found and read: `url` is the address where it was read, `excerpt` is copied
    from that page as it stands. Fields the checker requires (publisher, url, read, excerpt)
    are optional here so that a missing one is reported by its own rule (ATL902)."""

    id: str = Field(pattern=SLUG)
    publisher: Optional[Bilingual] = None  # who published the fact (for a repost: the original publisher)
    title: Optional[str] = None  # the document's title in its original language; null if not shown
    kind: Literal["official-statistics", "government-statement", "company-report", "legal-record",
                  "research-report", "news-report", "reference-work"]
    published: Optional[str] = Field(default=None, pattern=PARTIAL_DATE)
    url: Optional[str] = None  # where it was read, exactly; https
    read: Optional[str] = Field(default=None, pattern=PARTIAL_DATE)
    page: Literal["publisher", "repost"]  # the publisher's own page, or someone else's copy
    excerpt: Optional[str] = None  # verbatim from the page, in its own script
    language: Literal["zh-Hans", "zh-Hant", "en", "ja"]  # the excerpt's


class Check(OneLine):
    """The verdict on one claim, from the references."""

    claim: str = Field(pattern=r"^c\d{3}$")
    verdict: Literal["consistent", "differs", "unclear", "not-found"]
    references: list[str] = []
    note: Optional[Bilingual] = None  # what the references say where they differ (required for differs/unclear)
    searched: Optional[str] = Field(default=None, pattern=PARTIAL_DATE)  # when; required for not-found


class CheckLedger(Strict):
    """data/checks/<source-id>.yml: the checks of one source's claims."""

    source: str = Field(pattern=SLUG)
    checks: list[Check]


# --- who and what the claims name: entities ----------------------------------------------


class Aliases(OneLine):
    zh: list[str] = []  # as written in claims' zh and Simplified quotes
    zht: list[str] = []  # as written in Traditional-Chinese quotes
    en: list[str] = []  # as written in claims' en


class Entity(OneLine):
    """One entry of data/entities.yml: a company, body, person, programme, law or list the claims
    name. Background only: what kind of thing, where; never a figure (those are claims)."""

    id: str = Field(pattern=SLUG)
    kind: Literal["company", "research-body", "university", "government-body", "person", "programme",
                  "law", "list", "other"]
    name: Bilingual
    original: Optional[str] = None  # the name in its original script
    country: Optional[str] = Field(default=None, pattern=r"^(?:[A-Z]{2}|EU)$")
    aliases: Aliases = Aliases()


class CrosswalkItem(OneLine):
    zh: str
    en: str
    confirmed: bool
    domains: list[str] = []


class Crosswalk(Strict):
    """data/crosswalk.yml: the 2018 list of 35 against the domain pages that cover each item."""

    source: str = Field(pattern=SLUG)
    items: list[CrosswalkItem]


class ArchiveEntry(OneLine):
    """One entry of data/archive.yml: a source text kept outside the repository, by its hash, so
    that a missing or changed text is a located problem wherever quotes are verified."""

    file: str = Field(pattern=r"^[\w.-]+$")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
