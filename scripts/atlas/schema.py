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


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Bilingual(Strict):
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class SourceDate(Strict):
    value: Optional[str] = Field(pattern=PARTIAL_DATE)
    status: Literal["stated", "inferred", "unknown"]
    basis: Bilingual  # why this date: what the text says, or how it was inferred


class Source(Strict):
    """One entry of data/sources.yml. Every key is required: `null` says "not stated"."""

    id: str = Field(pattern=SLUG)
    kind: Literal["article", "report", "dataset", "statement", "web"]
    title: Optional[str]
    title_en: str = Field(min_length=1)
    outlet: Optional[str]
    outlet_en: Optional[str] = None
    authors: list[str]
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

    @field_validator("url")
    @classmethod
    def https_only(cls, v: Optional[str]) -> Optional[str]:
        if v is not None and not v.startswith("https://"):
            raise ValueError("url must start with https://")
        return v


class ChartPoint(Strict):
    """A share the claim states, drawn on the shares chart (0–100, with its bound as stated)."""

    value: float = Field(ge=0, le=100)
    bound: Literal["<", "≈", ">", "="] = "="
    side: Literal["domestic", "foreign"]  # China's share, or foreign suppliers' share / dependence
    label: Bilingual  # what the share is of, in a few words


class Claim(Strict):
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

    @field_validator("quote")
    @classmethod
    def short_quote(cls, v: str) -> str:
        if len(v) > QUOTE_MAX:
            raise ValueError(f"quote is {len(v)} characters; at most {QUOTE_MAX} may be quoted")
        return v


class Ledger(Strict):
    source: str = Field(pattern=SLUG)
    claims: list[Claim]


class Category(Strict):
    id: str = Field(pattern=SLUG)
    zh: str
    en: str


class Topic(Strict):
    id: str = Field(pattern=SLUG)
    zh: str
    en: str
    # Where the articles disagree on this topic, in plain words (ours), shown on the comparison page.
    note: Optional[Bilingual] = None


class Taxonomy(Strict):
    """data/taxonomy.yml: the categories domains are grouped by, and comparison topics."""

    categories: list[Category]
    topics: list[Topic] = []


class Forms(Strict):
    zh: list[str] = []
    en: list[str] = []


class GlossaryTerm(Strict):
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


class PageMeta(Strict):
    title: str = Field(min_length=1)
    description: Optional[str] = None
    hide: list[str] = []
    search: Optional[dict] = None


class ArticleMeta(PageMeta):
    source: str = Field(pattern=SLUG)
    domains: list[str] = []


class DomainMeta(PageMeta):
    category: str = Field(pattern=SLUG)
    aliases: list[str] = []
    related: list[str] = []


# Front matter keys that say the same thing in both languages; twins must agree on them.
NEUTRAL_KEYS = ("source", "domains", "category", "related")


def meta_model(section: str) -> type[PageMeta]:
    return {"articles": ArticleMeta, "domains": DomainMeta, "themes": DomainMeta}.get(
        section, PageMeta
    )


def is_slug(value: str) -> bool:
    return bool(re.match(SLUG, value))
