"""The downloadable data: registry, claims ledger and domain index as JSON and CSV.

Written by the build under /data/ so that they never drift from what the pages show.
Lists become `|`-separated strings in the CSV files; the JSON keeps them as lists.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from .model import DEFAULT_LANG, LANGS, Site
from .render import DOWNLOAD_FILES, page_url


def _url(site_url: str, lang: str, rel: str) -> str:
    return site_url.rstrip("/") + "/" + page_url(lang, rel)


def tables(site: Site, site_url: str = "") -> dict[str, list[dict]]:
    sources = []
    for sid, s in site.sources.items():
        row = s.model_dump(mode="json")
        row["claims"] = len(site.claims_of_source(sid))
        for lang in LANGS:
            article = site.article_for_source(lang, sid)
            row[f"page_{lang}"] = _url(site_url, lang, article.rel) if article else None
        sources.append(row)
    claims = []
    for ref in site.claims:
        c = ref.claim
        article = {lang: site.article_for_source(lang, ref.source) for lang in LANGS}
        claims.append({
            "source": ref.source, "id": c.id, "key": ref.key, "kind": c.kind, "date": c.date,
            "topic": c.topic, "domains": c.domains, "quote": c.quote, "zh": c.zh, "en": c.en,
            "cited_zh": c.cited.zh if c.cited else None, "cited_en": c.cited.en if c.cited else None,
            "uncertain_zh": c.uncertain.note.zh if c.uncertain else None,
            "uncertain_en": c.uncertain.note.en if c.uncertain else None,
            "reconstructed": c.uncertain.reconstructed if c.uncertain else None,
            **_check_columns(site.check_of(ref)),
            **{f"page_{lang}": (_url(site_url, lang, article[lang].rel) + f"#claim-{ref.source}-{c.id}")
               if article[lang] else None for lang in LANGS},
        })
    references = []
    for rid, r in site.references.items():
        row = r.model_dump(mode="json")
        row["publisher_zh"], row["publisher_en"] = (r.publisher.zh, r.publisher.en) if r.publisher else (None, None)
        del row["publisher"]
        row["claims"] = sorted(k for k, c in site.checks.items() if rid in c.check.references)
        references.append(row)
    domains = []
    for slug, page in sorted(site.domains().items()):
        twins = {lang: site.domain_page(lang, slug) for lang in LANGS}
        domains.append({
            "slug": slug, "section": page.section, "category": getattr(page.meta, "category", None),
            **{f"title_{lang}": twins[lang].title if twins[lang] else None for lang in LANGS},
            **{f"aliases_{lang}": list(getattr(twins[lang].meta, "aliases", []) or []) if twins[lang] else []
               for lang in LANGS},
            "related": list(getattr(page.meta, "related", []) or []),
            "sources": site.sources_of_domain(slug), "claims": len(site.claims_of_domain(slug)),
            **{f"page_{lang}": _url(site_url, lang, twins[lang].rel) if twins[lang] else None for lang in LANGS},
        })
    return {"sources": sources, "claims": claims, "domains": domains, "references": references}


def _check_columns(cref) -> dict:
    c = cref.check if cref else None
    return {"verdict": c.verdict if c else None,
            "check_note_zh": c.note.zh if c and c.note else None, "check_note_en": c.note.en if c and c.note else None,
            "check_references": list(c.references) if c else [], "check_searched": c.searched if c else None}


def claimreview_jsonld(site: Site, page, site_url: str) -> str:
    """schema.org ClaimReview for each checked claim of an article page: the claim reviewed, the
    article as where it appears, the verdict as text (we give no numeric rating)."""
    from .render import VERDICT_LABELS, claim_anchor

    sid = getattr(page.meta, "source", None)
    if sid not in site.sources:
        return ""
    s, lang = site.sources[sid], page.lang
    url = _url(site_url, lang, page.rel)
    appearance = {"@type": "CreativeWork", "name": s.title or s.title_en, "headline": s.title_en}
    if s.url:
        appearance["url"] = s.url
    if s.date.value:
        appearance["datePublished"] = s.date.value
    if s.outlet:
        appearance["publisher"] = {"@type": "Organization", "name": s.outlet_en or s.outlet}
    reviews = []
    for ref in site.claims_of_source(sid):
        cref = site.check_of(ref)
        if cref is None:
            continue
        dates = [site.references[r].read for r in cref.check.references if r in site.references and site.references[r].read]
        review = {
            "@context": "https://schema.org", "@type": "ClaimReview",
            "url": f"{url}#{claim_anchor(ref)}",
            "claimReviewed": getattr(ref.claim, lang),
            "itemReviewed": {"@type": "Claim", "appearance": appearance, "inLanguage": s.language},
            "author": {"@type": "Organization", "name": "卡脖子图谱 · Chokepoint Atlas", "url": site_url or None},
            "reviewRating": {"@type": "Rating", "alternateName": VERDICT_LABELS[lang][cref.check.verdict]},
            "inLanguage": "zh-Hans" if lang == "zh" else "en",
        }
        if dates or cref.check.searched:
            review["datePublished"] = max(dates + [cref.check.searched or ""])
        reviews.append(review)
    return json.dumps(reviews, ensure_ascii=False) if reviews else ""


def _flat(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "|".join(_flat(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


# A cell a spreadsheet would evaluate as a formula (OWASP, "CSV injection"): = + - @ tab CR.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = _flat(value)
    if text.startswith(FORMULA_START) and not isinstance(value, (int, float)):
        return "'" + text  # shown as text, as OWASP advises
    return text


def to_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else [], lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return out.getvalue()


def write(site: Site, out_dir: Path, site_url: str = "") -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in tables(site, site_url).items():
        for ext, text in (("json", json.dumps(rows, ensure_ascii=False, indent=1)), ("csv", to_csv(rows))):
            path = out_dir / f"{name}.{ext}"
            path.write_text(text, encoding="utf-8")
            written.append(path)
    assert sorted(p.name for p in written) == sorted(DOWNLOAD_FILES)
    return written


def dataset_jsonld(site: Site, lang: str, site_url: str) -> str:
    """schema.org Dataset metadata for the downloads page."""
    base = site_url.rstrip("/") + "/data/"
    name = {"zh": "卡脖子图谱数据：来源登记、主张台账与领域索引",
            "en": "Chokepoint Atlas data: source registry, claims ledger and domain index"}
    desc = {"zh": "本站摘要的文章的书目信息、每条主张（附原文引语、转述、原始出处、领域和日期）以及技术领域索引。",
            "en": "Bibliographic records of the articles the site summarises, every claim (with its quote, "
                  "restatement, named primary source, domains and date), and the index of technology domains."}
    data = {
        "@context": "https://schema.org", "@type": "Dataset", "name": name[lang], "description": desc[lang],
        "inLanguage": ["zh-Hans", "en"], "license": "https://creativecommons.org/licenses/by/4.0/",
        "isAccessibleForFree": True, "url": site_url.rstrip("/") + "/" + ("" if lang == DEFAULT_LANG else f"{lang}/")
        + "downloads/",
        "distribution": [{"@type": "DataDownload", "encodingFormat": "application/json" if n.endswith("json")
                          else "text/csv", "contentUrl": base + n} for n in DOWNLOAD_FILES],
    }
    return json.dumps(data, ensure_ascii=False)
