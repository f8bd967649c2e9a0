"""Load data/ and docs/ into one content model — once — for the checker and the build.

Loading never raises on bad content: a file that cannot be read or validated becomes a
`Problem` naming its path and line, and the rest of the site still loads.
"""
from __future__ import annotations

import dataclasses
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional

import yaml
from pydantic import BaseModel, ValidationError

from . import schema

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
SECTIONS_WITH_SLUGS = ("articles", "domains", "themes", "entities")


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    col: int
    rule: str
    message: str


# --- YAML with line numbers ----------------------------------------------------------


class LineDict(dict):
    """A mapping that remembers the line of itself and of each key (1-based)."""

    line: int = 1

    def __init__(self, *a: Any, **kw: Any) -> None:
        super().__init__(*a, **kw)
        self.key_lines: dict[Any, int] = {}
        self.duplicates: list[tuple[Any, int]] = []


# LibYAML parses, our constructor keeps line numbers (pure-Python PyYAML where LibYAML is missing).
class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool, type(None))):
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a plain value", key_node.start_mark
            )
        if key in mapping:
            mapping.duplicates.append((key, key_node.start_mark.line + 1))
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Dates stay strings: "2025-11" and "2025-11-23" must compare and print alike.
_LineLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


# Limits that keep a hostile file from exhausting the checker or the build: aliases (the
# "billion laughs" bomb) have no use in our data, and no data file nests anywhere near this deep.
YAML_MAX_DEPTH = 32
YAML_MAX_BYTES = 2_000_000


def _yaml_limits(text: str, path: str, first_line: int) -> list[Problem]:
    """ATL107 problems for an alias, nesting deeper than YAML_MAX_DEPTH, or a file too large.

    Read from LibYAML's event stream (no objects are built), so a hostile file costs one pass."""
    if len(text.encode("utf-8", "surrogatepass")) > YAML_MAX_BYTES:
        return [Problem(path, first_line, 1, "ATL107", f"YAML larger than {YAML_MAX_BYTES // 1_000_000} MB: split it")]
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_LineLoader):
            line = event.start_mark.line + first_line
            if isinstance(event, yaml.AliasEvent):
                return [Problem(path, line, event.start_mark.column + 1, "ATL107",
                                f"YAML alias '*{event.anchor}' is not allowed in data: write the value out")]
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if getattr(event, "anchor", None):
                    return [Problem(path, line, event.start_mark.column + 1, "ATL107",
                                    f"YAML anchor '&{event.anchor}' is not allowed in data: write the value out")]
                depth += 1
                if depth > YAML_MAX_DEPTH:
                    return [Problem(path, line, event.start_mark.column + 1, "ATL107",
                                    f"YAML nested more than {YAML_MAX_DEPTH} levels deep")]
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            elif isinstance(event, yaml.ScalarEvent) and event.anchor:
                return [Problem(path, line, event.start_mark.column + 1, "ATL107",
                                f"YAML anchor '&{event.anchor}' is not allowed in data: write the value out")]
    except yaml.YAMLError:
        return []  # the full parse below reports the syntax error at its line
    return []


def load_yaml(text: str, path: str, first_line: int = 1) -> tuple[Any, list[Problem]]:
    """Parse YAML; syntax errors become ATL102 problems at the right line, and hostile
    structure (aliases, deep nesting, huge files) ATL107 problems, without building it."""
    limits = _yaml_limits(text, path, first_line)
    if limits:
        return None, limits
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except RecursionError:
        return None, [Problem(path, first_line, 1, "ATL107", "YAML nested too deeply to read")]
    except yaml.YAMLError as exc:
        # An unclosed [ or { is best shown where it opens, not where the parser gave up.
        flow = "flow" in (getattr(exc, "context", None) or "")
        mark = (getattr(exc, "context_mark", None) if flow else None) or \
            getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = (mark.line + first_line) if mark else first_line
        col = (mark.column + 1) if mark else 1
        what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return None, [Problem(path, line, col, "ATL102", f"YAML cannot be parsed: {what}")]
    problems = [
        Problem(path, line + first_line - 1, 1, "ATL102", f"duplicate key '{key}'")
        for key, line in _walk_duplicates(data)
    ]
    if isinstance(data, LineDict) and first_line != 1:
        _shift_lines(data, first_line - 1)
    return data, problems


def _walk_duplicates(node: Any) -> Iterable[tuple[Any, int]]:
    if isinstance(node, LineDict):
        yield from node.duplicates
        for v in node.values():
            yield from _walk_duplicates(v)
    elif isinstance(node, list):
        for v in node:
            yield from _walk_duplicates(v)


def _shift_lines(node: Any, by: int) -> None:
    if isinstance(node, LineDict):
        node.line += by
        node.key_lines = {k: v + by for k, v in node.key_lines.items()}
        for v in node.values():
            _shift_lines(v, by)
    elif isinstance(node, list):
        for v in node:
            _shift_lines(v, by)


def line_of(data: Any, loc: tuple, default: int) -> int:
    """The line of the value at pydantic location `loc` inside a LineDict tree."""
    line, node = default, data
    for step in loc:
        if isinstance(node, LineDict):
            line = node.key_lines.get(step, node.line)
            node = node.get(step)
        elif isinstance(node, list) and isinstance(step, int) and step < len(node):
            node = node[step]
            line = getattr(node, "line", line)
        else:
            break
    return line


def validate(model: type[BaseModel], data: Any, path: str, line: int = 1):
    """Validate against a schema; return (object or None, problems)."""
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            where = ".".join(str(p) for p in loc) or "(top level)"
            at = line_of(data, loc, line)
            if err["type"] == "extra_forbidden":
                problems.append(Problem(path, at, 1, "ATL104", f"unknown key '{where}'"))
            else:
                problems.append(Problem(path, at, 1, "ATL103", f"{where}: {_plain_message(err)}"))
        return None, problems


# pydantic's words for the patterns contributors meet, in the guide's words instead.
PATTERN_HINTS = {
    schema.PARTIAL_DATE: "write YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2018-07",
    schema.SLUG: "use lowercase letters, digits and hyphens, e.g. lithography or cai-zhang-2026",
    r"^c\d{3}$": "write c and three digits, e.g. c007",
}


def _plain_message(err: dict) -> str:
    if err["type"] == "string_pattern_mismatch":
        pattern = (err.get("ctx") or {}).get("pattern", "")
        return f"'{err.get('input')}' does not fit: {PATTERN_HINTS.get(pattern, 'see CONTRIBUTING.md for the form')}"
    if err["type"] == "literal_error":
        expected = (err.get("ctx") or {}).get("expected", "")
        return f"'{err.get('input')}' is not one of {expected}"
    if err["type"] == "missing":
        return "is missing (every key is required: write null for \"not stated\")"
    return err["msg"].removeprefix("Value error, ")


# --- the content model -------------------------------------------------------------


@dataclass
class Page:
    path: str  # posix path from the root, e.g. docs/zh/articles/x.md
    lang: str
    rel: str  # path inside the language folder, e.g. articles/x.md
    meta: Any  # the validated front matter model, or None when invalid
    raw_meta: Any
    body: str
    body_line: int  # line number of the first body line
    text: str = ""  # the whole file as read, front matter included (for line-based rules)

    @property
    def section(self) -> str:
        parts = self.rel.split("/")
        return parts[0] if len(parts) > 1 else ""

    @property
    def slug(self) -> Optional[str]:
        if self.section in SECTIONS_WITH_SLUGS and self.rel.count("/") == 1:
            name = self.rel.split("/")[1][:-3]
            return None if name == "index" else name
        return None

    @property
    def title(self) -> str:
        if self.meta is not None:
            return self.meta.title
        return self.rel

    def body_lines(self) -> Iterable[tuple[int, str]]:
        for i, text in enumerate(self.body.split("\n")):
            yield self.body_line + i, text


@dataclass
class ClaimRef:
    """A claim together with the source it belongs to and where it stands."""

    source: str
    claim: schema.Claim
    path: str
    line: int
    key_lines: dict = field(default_factory=dict)  # line of each key, to point at `quote:` etc.

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)

    @property
    def key(self) -> str:
        return f"{self.source}:{self.claim.id}"


@dataclass
class CheckRef:
    """A check together with where it stands (data/checks/<source>.yml)."""

    source: str
    check: schema.Check
    path: str
    line: int
    key_lines: dict = field(default_factory=dict)

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)

    @property
    def key(self) -> str:
        return f"{self.source}:{self.check.claim}"


@dataclass
class Site:
    root: Path
    sources: dict[str, schema.Source] = field(default_factory=dict)
    source_lines: dict[str, int] = field(default_factory=dict)
    source_key_lines: dict[str, dict] = field(default_factory=dict)  # the line of each key of each entry
    claims: list[ClaimRef] = field(default_factory=list)
    ledger_paths: dict[str, str] = field(default_factory=dict)
    taxonomy: Optional[schema.Taxonomy] = None
    glossary: list[schema.GlossaryTerm] = field(default_factory=list)
    pages: dict[tuple[str, str], Page] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # Every data file as parsed (LineDict trees with lines), for rules over every field.
    data_trees: dict[str, Any] = field(default_factory=dict)
    # The text each data file was parsed from, with what parsing gave: the preview reloads data/
    # after every change to one file, and parsing the others again was most of that reload.
    # (Seeded with the earlier model's; an entry is reused only for the same file and text.)
    data_parsed: dict[str, tuple[str, Any, list]] = field(default_factory=dict, repr=False)
    # Registry entries that did not validate: their ledgers and pages are not "unknown sources".
    invalid_sources: set[str] = field(default_factory=set)
    # Everything under docs/ that is not a page read into `pages`: (path, what it is).
    docs_other: list[tuple[str, str]] = field(default_factory=list)
    guide: Optional[str] = None  # CONTRIBUTING.md, which the English contributor page includes
    references: dict[str, schema.Reference] = field(default_factory=dict)
    reference_lines: dict[str, int] = field(default_factory=dict)
    checks: dict[str, "CheckRef"] = field(default_factory=dict)  # by claim key, "source:c001"
    entities: dict[str, schema.Entity] = field(default_factory=dict)
    entity_lines: dict[str, int] = field(default_factory=dict)
    crosswalk: Optional[schema.Crosswalk] = None
    archive_manifest: Optional[dict[str, tuple[str, int]]] = None  # file -> (sha256, line); None: no manifest
    data_problems: list[Problem] = field(default_factory=list)  # those of data/ alone
    data_fingerprint: tuple = ()
    # Derived lookups, computed once: the model is never changed after loading, and the
    # rules and blocks ask the same questions thousands of times.
    memo: dict = field(default_factory=dict, repr=False)

    def _memo(self, key, compute):
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]

    # -- lookups used by rules and render --
    def page(self, lang: str, rel: str) -> Optional[Page]:
        return self.pages.get((lang, rel))

    def lang_pages(self, lang: str) -> list[Page]:
        return self._memo(("lang_pages", lang),
                          lambda: [p for (l, _), p in sorted(self.pages.items()) if l == lang])

    def domains(self) -> dict[str, Page]:
        """Domain and theme pages by slug (from the default language)."""
        return self._memo("domains", self._domains)

    def _domains(self) -> dict[str, Page]:
        out: dict[str, Page] = {}
        for lang in (DEFAULT_LANG,) + tuple(l for l in LANGS if l != DEFAULT_LANG):
            for p in self.lang_pages(lang):
                if p.section in ("domains", "themes") and p.slug and p.slug not in out:
                    out[p.slug] = p
        return out

    def domain_page(self, lang: str, slug: str) -> Optional[Page]:
        return self.page(lang, f"domains/{slug}.md") or self.page(lang, f"themes/{slug}.md")

    def article_pages(self, lang: str) -> list[Page]:
        return [p for p in self.lang_pages(lang) if p.section == "articles" and p.slug]

    def article_for_source(self, lang: str, source_id: str) -> Optional[Page]:
        def index() -> dict[str, Page]:
            out: dict[str, Page] = {}
            for p in self.article_pages(lang):
                if p.meta is not None:
                    out.setdefault(p.meta.source, p)
            return out

        return self._memo(("article_for_source", lang), index).get(source_id)

    def claims_of_source(self, source_id: str) -> list[ClaimRef]:
        def index() -> dict[str, list[ClaimRef]]:
            out: dict[str, list[ClaimRef]] = {}
            for c in self.claims:
                out.setdefault(c.source, []).append(c)
            return out

        return self._memo("claims_of_source", index).get(source_id, [])

    def _claims_by(self, field_name: str, key: str) -> list[ClaimRef]:
        """The claims whose field `field_name` holds `key`, in ledger order: a list field (domains,
        entities) or a single value (topic, None for none)."""
        def index() -> dict[str, list[ClaimRef]]:
            out: dict[str, list[ClaimRef]] = {}
            for c in self.claims:
                value = getattr(c.claim, field_name)
                for tag in dict.fromkeys(value if isinstance(value, list) else [] if value is None else [value]):
                    out.setdefault(tag, []).append(c)
            return out

        return self._memo(("claims_by", field_name), index).get(key, [])

    def claims_of_domain(self, slug: str) -> list[ClaimRef]:
        return self._claims_by("domains", slug)

    def claims_of_entity(self, eid: str) -> list["ClaimRef"]:
        return self._claims_by("entities", eid)

    def claims_of_topic(self, topic_id: str) -> list["ClaimRef"]:
        return self._claims_by("topic", topic_id)

    def entity_page(self, lang: str, eid: str) -> Optional[Page]:
        return self.page(lang, f"entities/{eid}.md")

    def source_line(self, sid: str, key: str) -> int:
        """The line of one key of a registry entry (e.g. its `archive:`), else of the entry."""
        return self.source_key_lines.get(sid, {}).get(key, self.source_lines[sid])

    def check_of(self, ref: "ClaimRef") -> Optional[CheckRef]:
        return self.checks.get(ref.key)

    def claim(self, key: str) -> Optional["ClaimRef"]:
        return self._memo("claims_by_key", lambda: {c.key: c for c in self.claims}).get(key)

    def sources_of_domain(self, slug: str) -> list[str]:
        seen: list[str] = []
        for c in self.claims_of_domain(slug):
            if c.source not in seen:
                seen.append(c.source)
        return seen


# A page line longer than this is refused before any rule or Markdown reads it: no prose line
# comes near it (the longest today is under 2 000), and unbounded lines are how a hostile page
# makes regular expressions and the Markdown parser crawl.
MAX_LINE = 5000
MAX_FILE_BYTES = 2_000_000


def read_text(path: Path, rel: str) -> tuple[Optional[str], list[Problem]]:
    try:
        if path.is_symlink():
            return None, [Problem(rel, 1, 1, "ATL703", "symbolic links are not read: commit the file itself")]
        if path.stat().st_size > MAX_FILE_BYTES:
            return None, [Problem(rel, 1, 1, "ATL107", f"file larger than {MAX_FILE_BYTES // 1_000_000} MB")]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(rel, 1, 1, "ATL101", f"cannot be read: {exc.strerror}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(rel, line, 1, "ATL101", "not valid UTF-8")]
    return text.removeprefix("\ufeff").replace("\r\n", "\n"), []


FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(\n|\Z)", re.S)


def load_page(root: Path, file: Path) -> tuple[Optional[Page], list[Problem]]:
    rel_path = file.relative_to(root).as_posix()
    text, problems = read_text(file, rel_path)
    if text is None:
        return None, problems
    lang, _, rel = rel_path.removeprefix("docs/").partition("/")
    text, long_lines = _blank_long_lines(text, rel_path)
    problems += long_lines
    m = FRONT_MATTER.match(text)
    if not m:
        if text.startswith("---"):
            problems.append(Problem(rel_path, 1, 1, "ATL102", "front matter is not closed by a '---' line"))
        else:
            problems.append(Problem(rel_path, 1, 1, "ATL103", "page has no front matter (needs at least 'title')"))
        return Page(rel_path, lang, rel, None, None, text, 1, text), problems
    raw, yproblems = load_yaml(m.group(1) or "", rel_path, first_line=2)
    problems += yproblems
    body_line = text[: m.end()].count("\n") + 1
    page = Page(rel_path, lang, rel, None, raw, text[m.end():], body_line, text)
    if raw is None and not yproblems:
        problems.append(Problem(rel_path, 1, 1, "ATL103", "front matter is empty (needs at least 'title')"))
    elif raw is not None and not isinstance(raw, dict):
        problems.append(Problem(rel_path, 2, 1, "ATL103", "front matter must be a mapping of keys"))
    elif raw is not None:
        # A section's index.md is a catalog page, not an article or a domain.
        model = schema.PageMeta if page.slug is None else schema.meta_model(page.section)
        page.meta, vproblems = validate(model, raw, rel_path, 2)
        problems += vproblems
    return page, problems


def _blank_long_lines(text: str, rel: str) -> tuple[str, list[Problem]]:
    """Lines over MAX_LINE become empty (and ATL107 problems), so nothing downstream reads them."""
    if len(text) <= MAX_LINE or all(len(line) <= MAX_LINE for line in text.split("\n")):
        return text, []
    problems, lines = [], text.split("\n")
    for i, line in enumerate(lines):
        if len(line) > MAX_LINE:
            problems.append(Problem(rel, i + 1, 1, "ATL107",
                                    f"line of {len(line)} characters; at most {MAX_LINE}: break it up"))
            lines[i] = ""
    return "\n".join(lines), problems


# What may be published from docs/ besides pages: pictures that cannot carry script.
ASSET_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".gif")
PAGE_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\.md$")


def _inventory_docs(site: Site) -> list[Path]:
    """The page files under docs/<lang>/, and everything else under docs/ in `docs_other`.

    Walks without following symbolic links: a link out of the repository must never be read."""

    pages: list[Path] = []
    docs = site.root / "docs"
    if not docs.is_dir():
        return pages
    for folder, dirs, files in os.walk(docs, followlinks=False):
        here = Path(folder)
        for d in sorted(dirs):
            if (here / d).is_symlink():
                site.docs_other.append(((here / d).relative_to(site.root).as_posix(), "symlink"))
        dirs[:] = sorted(d for d in dirs if not (here / d).is_symlink())
        for name in sorted(files):
            path = here / name
            rel = path.relative_to(site.root).as_posix()
            parts = rel.split("/")
            if path.is_symlink():
                site.docs_other.append((rel, "symlink"))
            elif name.endswith(".md") and len(parts) >= 3 and parts[1] in LANGS:
                if PAGE_NAME.match(name):
                    pages.append(path)
                else:
                    site.docs_other.append((rel, "page-name"))
            elif name.lower().endswith(ASSET_SUFFIXES):
                continue  # a picture; the HTML rule keeps its use honest
            else:
                site.docs_other.append((rel, "file"))
    return pages


def _data_fingerprint(root: Path) -> tuple:
    """What the data part of the model is read from, as (path, size, modified) of every file."""
    files = []
    for dirpath, dirnames, filenames in os.walk(root / "data"):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            try:
                st = path.lstat()
            except OSError:
                continue
            files.append((str(path.relative_to(root)), st.st_size, st.st_mtime_ns))
    return tuple(files)


def load_site(root: Path | str, previous: Optional[Site] = None) -> Site:
    root = Path(root)
    fingerprint = _data_fingerprint(root)
    if previous is not None and previous.data_fingerprint == fingerprint:
        # The data objects are never changed after loading, so a new model may share them.
        site = dataclasses.replace(previous, pages={}, problems=list(previous.data_problems), docs_other=[],
                                   guide=None, memo={})
    else:
        site = _load_data(root, parsed=previous.data_parsed if previous is not None else None)
    site.data_fingerprint = fingerprint
    for file in _inventory_docs(site):
        page, problems = load_page(root, file)
        site.problems += problems
        if page is not None:
            site.pages[(page.lang, page.rel)] = page
    guide = root / "CONTRIBUTING.md"
    if guide.is_file() and not guide.is_symlink():
        site.guide, problems = read_text(guide, "CONTRIBUTING.md")
        site.problems += problems
    return site


def _load_data(root: Path, parsed: Optional[dict] = None) -> Site:
    """Every registry and ledger under data/. `parsed`: an earlier model's parses, reused for
    each file whose text is unchanged (the trees are never changed after parsing)."""
    site = Site(root=root, data_parsed=dict(parsed or {}))
    _load_sources(site)
    _load_taxonomy(site)
    _load_glossary(site)
    _load_claims(site)
    _load_references(site)
    _load_checks(site)
    _load_entities(site)
    _load_archive_manifest(site)
    _load_crosswalk(site)
    site.data_problems = list(site.problems)
    return site


def _parse_data(site: Site, text: str, rel: str) -> tuple[Any, list[Problem]]:
    """load_yaml, or the earlier model's result when the file's text is the same."""
    earlier = site.data_parsed.get(rel)
    if earlier is not None and earlier[0] == text:
        data, problems = earlier[1], earlier[2]
    else:
        data, problems = load_yaml(text, rel)
    site.data_parsed[rel] = (text, data, problems)
    return data, list(problems)


def _load_data_file(site: Site, rel: str) -> Any:
    path = site.root / rel
    if not path.is_file():
        site.problems.append(Problem(rel, 1, 1, "ATL101", "file is missing"))
        return None
    text, problems = read_text(path, rel)
    site.problems += problems
    if text is None:
        return None
    data, problems = _parse_data(site, text, rel)
    site.problems += problems
    site.data_trees[rel] = data
    if data is None and not problems:
        site.problems.append(Problem(rel, 1, 1, "ATL103", f"{rel} is empty"))
    return data


@dataclass
class Entry:
    """One validated entry of a list data file, with where it stands."""

    obj: Any
    line: int
    key_lines: dict  # the line of each of its keys


def _load_entries(site: Site, rel: str, model: type[BaseModel], noun: str,
                  key: str = "id") -> tuple[list[Entry], set[str]]:
    """A data file that is a list of entries, unique by `key`: each validated, with its lines.
    Also returns the keys of the entries that did not validate (reported already), so that what
    refers to them is not reported a second time as unknown."""
    data = _load_data_file(site, rel)
    if data is None:
        return [], set()
    if not isinstance(data, list):
        site.problems.append(Problem(rel, 1, 1, "ATL103", f"{rel} must be a list of {noun}s"))
        return [], set()
    entries, seen, invalid = [], set(), set()
    for i, entry in enumerate(data):
        line = getattr(entry, "line", None) or _list_item_line(data, i)
        if not isinstance(entry, dict):
            site.problems.append(Problem(rel, line, 1, "ATL103",
                                         f"each entry of {rel} is a {noun} with keys ({key}: …), not {_shape(entry)}"))
            continue
        obj, problems = validate(model, entry, rel, line)
        site.problems += problems
        if obj is None:
            if isinstance(entry.get(key), str):
                invalid.add(entry[key])
            continue
        if getattr(obj, key) in seen:
            site.problems.append(Problem(rel, line, 1, "ATL105", f"{noun} {key} '{getattr(obj, key)}' is used twice"))
            continue
        seen.add(getattr(obj, key))
        entries.append(Entry(obj, line, dict(getattr(entry, "key_lines", {}))))
    return entries, invalid


def _shape(value: Any) -> str:
    if value is None:
        return "an empty entry"
    return {str: "a plain string", list: "a list", int: "a number", float: "a number", bool: "true/false"}.get(
        type(value), type(value).__name__)


def _list_item_line(data: list, i: int) -> int:
    """The line of a list item that is not a mapping: the line after the previous mapping's, at best."""
    for j in range(i - 1, -1, -1):
        prev = data[j]
        if isinstance(prev, LineDict):
            return max(prev.key_lines.values(), default=prev.line) + 1
    return 1


def _load_sources(site: Site) -> None:
    entries, invalid = _load_entries(site, "data/sources.yml", schema.Source, "source")
    for e in entries:
        site.sources[e.obj.id] = e.obj
        site.source_lines[e.obj.id] = e.line
        site.source_key_lines[e.obj.id] = e.key_lines
    # An entry with a mistake is reported where it is; its ledger and page are not "unknown".
    site.invalid_sources = invalid - set(site.sources)


def _load_taxonomy(site: Site) -> None:
    rel = "data/taxonomy.yml"
    data = _load_data_file(site, rel)
    if data is not None:
        site.taxonomy, problems = validate(schema.Taxonomy, data, rel)
        site.problems += problems


def _load_glossary(site: Site) -> None:
    if (site.root / "data/glossary.yml").is_file():  # optional: a site may have no glossary
        site.glossary = [e.obj for e in _load_entries(site, "data/glossary.yml", schema.GlossaryTerm, "term")[0]]


def _load_claims(site: Site) -> None:
    folder = site.root / "data" / "claims"
    for file in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
        rel = file.relative_to(site.root).as_posix()
        text, problems = read_text(file, rel)
        site.problems += problems
        if text is None:
            continue
        data, problems = _parse_data(site, text, rel)
        site.problems += problems
        site.data_trees[rel] = data
        if data is None:
            continue
        if not isinstance(data, dict):
            site.problems.append(Problem(rel, 1, 1, "ATL103",
                                         f"a ledger is a mapping with `source:` and `claims:`, not {_shape(data)}"))
            continue
        ledger, problems = validate(schema.Ledger, data, rel)
        if ledger is None and isinstance(data, dict) and isinstance(data.get("claims"), list):
            # Keep the valid claims of a ledger with a few bad ones: one typo should not
            # hide a whole source's claims from every other rule.
            site.problems += [p for p in problems]
            good = []
            for entry in data["claims"]:
                claim, _ = validate(schema.Claim, entry, rel, getattr(entry, "line", 1))
                if claim is not None:
                    good.append((claim, entry))
            source = data.get("source") if isinstance(data.get("source"), str) else None
            if source:
                _add_claims(site, source, rel, file, good)
            continue
        site.problems += problems
        if ledger is None:
            continue
        _add_claims(site, ledger.source, rel, file, list(zip(ledger.claims, data["claims"])))


def _load_references(site: Site) -> None:
    if (site.root / "data/references.yml").is_file():  # optional: a site may check nothing yet
        for e in _load_entries(site, "data/references.yml", schema.Reference, "reference")[0]:
            site.references[e.obj.id] = e.obj
            site.reference_lines[e.obj.id] = e.line


def _load_entities(site: Site) -> None:
    if (site.root / "data/entities.yml").is_file():  # optional, like the references
        for e in _load_entries(site, "data/entities.yml", schema.Entity, "entity")[0]:
            site.entities[e.obj.id] = e.obj
            site.entity_lines[e.obj.id] = e.line


def _load_archive_manifest(site: Site) -> None:
    if (site.root / "data/archive.yml").is_file():  # None (no manifest) is itself reported, by ATL508
        entries, _ = _load_entries(site, "data/archive.yml", schema.ArchiveEntry, "archived text", key="file")
        site.archive_manifest = {e.obj.file: (e.obj.sha256, e.line) for e in entries}


def _load_crosswalk(site: Site) -> None:
    if (site.root / "data/crosswalk.yml").is_file():
        data = _load_data_file(site, "data/crosswalk.yml")
        if data is not None:
            site.crosswalk, problems = validate(schema.Crosswalk, data, "data/crosswalk.yml")
            site.problems += problems


def _load_checks(site: Site) -> None:
    folder = site.root / "data" / "checks"
    for file in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
        rel = file.relative_to(site.root).as_posix()
        data = _load_data_file(site, rel)
        if data is None:
            continue
        if not isinstance(data, dict):
            site.problems.append(Problem(rel, 1, 1, "ATL103", f"a checks file is a mapping with `source:` and `checks:`, "
                                                              f"not {_shape(data)}"))
            continue
        ledger, problems = validate(schema.CheckLedger, data, rel)
        site.problems += problems
        if ledger is None:
            continue
        if file.stem != ledger.source:
            site.problems.append(Problem(rel, 1, 1, "ATL105", f"checks of source '{ledger.source}' must be named "
                                                              f"data/checks/{ledger.source}.yml"))
        for check, entry in zip(ledger.checks, data["checks"]):
            line = getattr(entry, "line", 1)
            key = f"{ledger.source}:{check.claim}"
            if key in site.checks:
                site.problems.append(Problem(rel, line, 1, "ATL105", f"claim {check.claim} is checked twice"))
                continue
            site.checks[key] = CheckRef(ledger.source, check, rel, line, getattr(entry, "key_lines", {}))


def _add_claims(site: Site, source: str, rel: str, file: Path, claims: list) -> None:
    if source not in site.sources:
        # Claims of a source the registry does not hold (or holds with a mistake) cannot be shown:
        # every page would have to say "from an unknown source". Reported, then left out.
        if source not in site.invalid_sources:
            line = getattr(site.data_trees.get(rel), "key_lines", {}).get("source", 1)
            site.problems.append(Problem(rel, line, 1, "ATL501",
                                         f"ledger of unknown source '{source}': register it in data/sources.yml"))
        site.ledger_paths[source] = rel
        return
    if file.stem != source:
        site.problems.append(
            Problem(rel, 1, 1, "ATL105", f"ledger of source '{source}' must be named data/claims/{source}.yml")
        )
    site.ledger_paths[source] = rel
    seen: set[str] = set()
    for claim, entry in claims:
        line = getattr(entry, "line", 1)
        if claim.id in seen:
            site.problems.append(Problem(rel, line, 1, "ATL105", f"claim id '{claim.id}' is used twice"))
            continue
        seen.add(claim.id)
        site.claims.append(ClaimRef(source, claim, rel, line, getattr(entry, "key_lines", {})))
