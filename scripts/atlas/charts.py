"""Charts drawn at build time into static SVG from the claims ledgers (matplotlib).

The SVG is inlined in the page: no JavaScript, no request to anyone. Text stays text
(svg.fonttype "none"), so it is searchable and small; the reader's own fonts draw it, and a
CJK font on the build machine (fonts-noto-cjk) is only used to measure it.
"""
from __future__ import annotations

import hashlib
import io
import json
import re
from pathlib import Path

from .model import Site

COLOURS = {"domestic": "#1d4e89", "foreign": "#a34a00"}
FONTS = ["Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC", "WenQuanYi Zen Hei",
         "Microsoft YaHei", "PingFang SC", "DejaVu Sans", "sans-serif"]
TEXT = {
    "zh": {"domestic": "中国一方的份额", "foreign": "外国一方的份额或对外依赖", "share": "百分比（%）",
           "articles": "文章", "domains": "领域与主题", "claims": "主张数"},
    "en": {"domestic": "China's share", "foreign": "Foreign share or dependence", "share": "Per cent",
           "articles": "Articles", "domains": "Domains and themes", "claims": "Claims"},
}


def short_source(site: Site, sid: str, lang: str) -> str:
    s = site.sources[sid]
    if s.short:
        return getattr(s.short, lang)
    name = (s.outlet_en or s.outlet) if lang == "en" else s.outlet
    if not name:
        article = site.article_for_source(lang, sid)
        name = article.title if article else s.title_en
    return name if len(name) <= 16 else name[:15] + "…"


def share_points(site: Site, lang: str) -> list[dict]:
    """Every claim with a chart value, in domain-category order, with its label, year and source.
    Asked once per domain page (its headline figures) and per chart: computed once per model."""
    return site._memo(("share_points", lang), lambda: _share_points(site, lang))


def _share_points(site: Site, lang: str) -> list[dict]:
    order = {c.id: i for i, c in enumerate(site.taxonomy.categories)} if site.taxonomy else {}
    domains = site.domains()
    rows = []
    for ref in site.claims:
        point = ref.claim.chart
        if point is None:
            continue
        first = domains.get(ref.claim.domains[0])
        cat = getattr(first.meta, "category", "") if first and first.meta else ""
        cited = getattr(ref.claim.cited, lang) if ref.claim.cited else None
        # An uncertain figure says so in its label, on the chart and in its data table.
        flag = ("（存疑）" if lang == "zh" else " (uncertain)") if ref.claim.uncertain else ""
        rows.append({
            "label": getattr(point.label, lang) + flag, "value": point.value, "bound": point.bound,
            "side": point.side, "year": (ref.claim.date or "")[:4],
            "source": short_source(site, ref.source, lang), "cited": cited, "ref": ref,
            "order": (order.get(cat, 99), ref.claim.domains[0]),
        })
    rows.sort(key=lambda r: (r["order"], -r["value"]))
    return rows


def _figure_svg(fig, kind: str, title: str, desc: str) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]
    # Accessible: role, a title and a description; no blank line (it would end the HTML block).
    # The title's id is the chart's kind, not anything of this process: a build is reproducible.
    svg = re.sub(r"<svg\b", f'<svg role="img" aria-labelledby="atlas-chart-title-{kind}"', svg, count=1)
    svg = svg.replace(">", f'><title id="atlas-chart-title-{kind}">{_esc(title)}</title><desc>{_esc(desc)}</desc>', 1)
    svg = re.sub(r'(width|height)="[\d.]+pt"', "", svg, count=2)  # scale with the page
    svg = _presentation_attributes(svg)
    return "\n".join(line for line in svg.splitlines() if line.strip())


def _presentation_attributes(svg: str) -> str:
    """matplotlib styles with `style` attributes and a <style> element; the site's content-security
    policy allows neither inline, so each property becomes the SVG presentation attribute of the
    same name (fill, stroke, font-size, text-anchor, …), which draws the same."""
    m = re.search(r"<style[^>]*>\s*\*\s*\{([^}]*)\}\s*</style>", svg)
    if m:
        svg = svg.replace(m.group(0), "")
        root = " ".join(f'{k.strip()}="{v.strip()}"' for k, v in
                        (d.split(":", 1) for d in m.group(1).split(";") if ":" in d))
        svg = re.sub(r"<svg\b([^>]*)>", lambda t: f"<svg{t.group(1)} {root}>", svg, count=1)

    def attrs(match: re.Match) -> str:
        pairs = (d.split(":", 1) for d in match.group(1).split(";") if ":" in d)
        return " ".join(f'{k.strip()}="{v.strip().replace(chr(34), chr(39))}"' for k, v in pairs)

    return re.sub(r'style="([^"]*)"', attrs, svg)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"svg.fonttype": "none", "font.family": "sans-serif", "font.sans-serif": FONTS,
                         "font.size": 9, "axes.spines.top": False, "axes.spines.right": False,
                         "svg.hashsalt": "atlas"})
    import logging

    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    return plt


def chart_svg(site: Site, kind: str, lang: str) -> str:
    """The SVG of one chart. Drawing costs seconds (matplotlib), so a chart is cached on disk
    under .cache/charts/, keyed by a hash of exactly what it is drawn from and of this file."""
    data = share_points(site, lang) if kind == "shares" else coverage_matrix(site, lang)
    if kind == "shares":
        data = [{k: v for k, v in r.items() if k != "ref"} for r in data]
    digest = hashlib.sha256(json.dumps([kind, lang, data], ensure_ascii=False, default=str).encode()
                            + Path(__file__).read_bytes()).hexdigest()[:20]
    cache = site.root / ".cache" / "charts" / f"{kind}-{lang}-{digest}.svg"
    if cache.is_file():
        return cache.read_text(encoding="utf-8")
    import warnings

    with warnings.catch_warnings():
        # Text stays text in the SVG (the reader's fonts draw it): a glyph missing from the build
        # machine's fonts only affects measuring, and would otherwise print hundreds of warnings.
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from")
        svg = {"shares": _shares_svg, "coverage": _coverage_svg}[kind](site, lang)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(svg, encoding="utf-8")
    except OSError:
        pass  # a read-only checkout still builds, just more slowly
    return svg


def _shares_svg(site: Site, lang: str) -> str:
    plt = _pyplot()
    rows = share_points(site, lang)
    t = TEXT[lang]
    fig, ax = plt.subplots(figsize=(8, 0.55 * len(rows) + 1.0))
    ys = list(range(len(rows)))[::-1]
    ax.barh(ys, [r["value"] for r in rows], color=[COLOURS[r["side"]] for r in rows], height=0.6)
    for y, r in zip(ys, rows):
        shown = f"{'' if r['bound'] == '=' else r['bound']}{r['value']:g}%"
        ax.text(r["value"] + 1, y, shown, va="center", fontsize=8)
    ax.set_yticks(ys)
    ax.set_yticklabels([f"{r['label']}\n{r['source']}{'，' if lang == 'zh' else ', '}{r['year'] or '—'}"
                        for r in rows], fontsize=8.5, linespacing=1.3)
    ax.set_xlim(0, 105)
    ax.set_xlabel(t["share"])
    from matplotlib.patches import Patch

    ax.legend(handles=[Patch(color=COLOURS[k], label=t[k]) for k in ("domestic", "foreign")],
              loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2, fontsize=9, frameon=False)
    title = "文章给出的国产化率与市场份额" if lang == "zh" else "Localisation rates and market shares given by the articles"
    desc = "；".join(f"{r['label']}：{r['bound'] if r['bound'] != '=' else ''}{r['value']:g}%" for r in rows) \
        if lang == "zh" else "; ".join(f"{r['label']}: {r['bound'] if r['bound'] != '=' else ''}{r['value']:g}%"
                                       for r in rows)
    svg = _figure_svg(fig, "shares", title, desc)
    plt.close(fig)
    return svg


def coverage_matrix(site: Site, lang: str) -> tuple[list[str], list[str], list[list[int]]]:
    """(domain titles, article names, claim counts per domain and article)."""
    sources = [sid for sid in site.sources if site.claims_of_source(sid)]
    domains = sorted(site.domains().items(), key=lambda kv: kv[0])
    rows, names = [], []
    for slug, page in domains:
        twin = site.domain_page(lang, slug) or page
        names.append(twin.title)
        rows.append([sum(1 for c in site.claims_of_domain(slug) if c.source == sid) for sid in sources])
    return names, [short_source(site, sid, lang) for sid in sources], rows


def _coverage_svg(site: Site, lang: str) -> str:
    plt = _pyplot()
    names, cols, rows = coverage_matrix(site, lang)
    t = TEXT[lang]
    fig, ax = plt.subplots(figsize=(6.5, 0.3 * len(names) + 1.5))
    ax.imshow(rows, cmap="Blues", aspect="auto", vmin=0, vmax=max(max(r) for r in rows) or 1)
    for i, r in enumerate(rows):
        for j, n in enumerate(r):
            if n:
                ax.text(j, i, str(n), ha="center", va="center", fontsize=7,
                        color="white" if n > 25 else "black")
    ax.set_xticks(range(len(cols)))
    ax.set_xticklabels(cols, rotation=30, ha="right", fontsize=8)
    ax.set_yticks(range(len(names)))
    ax.set_yticklabels(names, fontsize=8)
    ax.tick_params(length=0)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    title = "各文章对各领域的覆盖（主张数）" if lang == "zh" else "How the articles cover each domain (number of claims)"
    desc = t["domains"] + " × " + t["articles"] + "; " + t["claims"]
    svg = _figure_svg(fig, "coverage", title, desc)
    plt.close(fig)
    return svg
