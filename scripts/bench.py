#!/usr/bin/env python3
"""Benchmark: build and checker cost, how they scale, page weight, and Lighthouse scores.

    python scripts/bench.py [--scales 1,4,16] [--no-lighthouse] [--runs 3]

Prints a report and writes it to BENCHMARKS.md. Every time is measured in this one run and
reported beside a plain `mkdocs build` of the same Markdown without our hooks, because this
machine is shared and noisy: compare the ratios, not the seconds.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COPY = ("mkdocs.yml", "CONTRIBUTING.md", ".autocorrectrc", "docs", "data", "scripts", "overrides")
PAGE_TYPES = {"home": "", "article": "articles/cai-zhang-2026/", "domain": "domains/lithography/",
              "catalog": "articles/", "comparison": "compare/", "timeline": "timeline/",
              "glossary": "glossary/", "charts": "charts/"}
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")


# --- synthetic content ------------------------------------------------------------------

def make_copy(dest: Path, scale: int) -> int:
    """A copy of the site with `scale` times the article, domain and theme pages (and claims)."""
    for name in COPY:
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, dest / name)
    if scale > 1:
        sources = [e["id"] for e in _yaml(dest / "data/sources.yml")]
        slugs = [p.stem for p in (dest / "docs/zh/domains").glob("*.md") if p.stem != "index"] + \
                [p.stem for p in (dest / "docs/zh/themes").glob("*.md") if p.stem != "index"]
        registry = (dest / "data/sources.yml").read_text(encoding="utf-8")
        for k in range(2, scale + 1):
            rename = {s: f"{s}-x{k}" for s in sources + slugs}
            token = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, sorted(rename, key=len, reverse=True)))
                               + r")(?![\w-])")
            sub = partial(token.sub, lambda m: rename[m.group(1)])
            # the registry: every entry again under new ids, without archive (quotes are checked once)
            entries = registry.split("\n- id: ")[1:]
            registry_k = "".join("\n- id: " + sub(e) for e in entries)
            registry_k = re.sub(r"archive: \S+", "archive: null", registry_k)
            with open(dest / "data/sources.yml", "a", encoding="utf-8") as f:
                f.write(registry_k)
            for sid in sources:
                for folder in ("claims", "checks"):  # a copy's claims keep their checks (ATL905)
                    ledger = dest / "data" / folder / f"{sid}.yml"
                    if ledger.is_file():
                        (dest / "data" / folder / f"{sid}-x{k}.yml").write_text(
                            sub(ledger.read_text(encoding="utf-8")), encoding="utf-8")
            _checks_for_copies(dest, [f"{sid}-x{k}" for sid in sources])
            for lang in ("zh", "en"):
                for section in ("articles", "domains", "themes"):
                    for page in list((dest / "docs" / lang / section).glob("*.md")):
                        if page.stem == "index" or re.search(r"-x\d+$", page.stem):
                            continue
                        (page.parent / f"{page.stem}-x{k}.md").write_text(
                            sub(page.read_text(encoding="utf-8")), encoding="utf-8")
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org"]
    for cmd in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "bench"]):
        subprocess.run(git + cmd, cwd=dest, check=True, capture_output=True)
    return sum(1 for _ in (dest / "docs").rglob("*.md"))


def _checks_for_copies(dest: Path, copies: list[str]) -> None:
    """A copy's renamed text can turn a claim checkable ("lidar" → "lidar-x4" holds a digit): every
    fact claim of a copy gets a check, the original's where there is one, else not-found. And the
    comparison notes' hand-written counts of articles ("two articles") no longer hold with four
    times the sources: they become "the articles" (ATL408 would rightly stop the build)."""
    import yaml

    for sid in copies:
        if not (dest / "data/claims" / f"{sid}.yml").is_file():
            continue  # a registered source with no ledger (an outside reference)
        ledger = _yaml(dest / "data/claims" / f"{sid}.yml")
        path = dest / "data/checks" / f"{sid}.yml"
        have = {c["claim"]: c for c in (_yaml(path)["checks"] if path.is_file() else [])}
        checks = [have.get(c["id"], {"claim": c["id"], "verdict": "not-found", "searched": "2026-12-01"})
                  for c in ledger["claims"] if c.get("kind") == "fact"]
        path.write_text(yaml.safe_dump({"source": sid, "checks": checks}, allow_unicode=True), encoding="utf-8")
    sys.path.insert(0, str(dest / "scripts"))
    from atlas.rules import ARTICLE_COUNT

    taxonomy = dest / "data/taxonomy.yml"
    text = taxonomy.read_text(encoding="utf-8")
    text = ARTICLE_COUNT.sub(lambda m: "各篇文章" if m.group(1) else "the articles", text)
    taxonomy.write_text(text, encoding="utf-8")


def _yaml(path: Path):
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


def plain_config(repo: Path) -> Path:
    """The same site without our hooks: blocks stay HTML comments, nothing is checked."""
    text = (repo / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"\nhooks:\n(  - .*\n)+", "\n", text).replace("strict: true", "strict: false")
    path = repo / "mkdocs-plain.yml"
    path.write_text(text, encoding="utf-8")
    return path


def timed(cmd: list[str], cwd: Path, ok: tuple = (0, 1)) -> float:
    start = time.perf_counter()
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=ENV)
    if r.returncode not in ok:  # the checker exits 1 on synthetic copies' warnings; a crash is 2+
        raise SystemExit(f"{' '.join(cmd)} failed:\n{r.stdout[-2000:]}{r.stderr[-2000:]}")
    return time.perf_counter() - start


def measure_scale(scale: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "site"
        repo.mkdir()
        pages = make_copy(repo, scale)
        plain = plain_config(repo)
        py = sys.executable
        t_plain = timed([py, "-m", "mkdocs", "build", "-q", "-f", str(plain), "-d", str(Path(tmp) / "p")], repo)
        # A build with problems now stops before it renders anything: only a successful one is timed.
        t_build = timed([py, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(Path(tmp) / "b")], repo, ok=(0,))
        t_check = timed([py, "scripts/check.py"], repo)
    return {"scale": scale, "pages": pages, "plain": t_plain, "build": t_build, "check": t_check}


# --- page weight ------------------------------------------------------------------------

ASSET = re.compile(r"""<(?:script|link)\b[^>]*?(?:src|href)=["']([^"']+\.(?:css|js))["']""")


def page_weight(site: Path) -> list[dict]:
    rows = []
    for lang in ("zh", "en"):
        index = site / ("" if lang == "zh" else "en") / "search/search_index.json"
        for kind, url in PAGE_TYPES.items():
            page = site / ("" if lang == "zh" else "en") / url / "index.html"
            html = page.read_text(encoding="utf-8")
            files = {"html": [page], "css": [], "js": [], "fonts": []}
            for ref in ASSET.findall(html):
                if ref.startswith(("http:", "https:", "//")):
                    continue
                target = (page.parent / ref).resolve()
                files["css" if ref.endswith(".css") else "js"].append(target)
            worker = re.search(r'"search": "([^"]+)"', html)
            if worker:
                files["js"].append((page.parent / worker.group(1)).resolve())
            row = {"lang": lang, "page": kind}
            for part, paths in files.items():
                data = b"".join(p.read_bytes() for p in paths if p.is_file())
                row[part] = (len(data), len(gzip.compress(data, 6)))
            row["total"] = tuple(sum(row[p][i] for p in files) for i in (0, 1))
            # The index waits until a reader reaches for search (overrides/main.html).
            data = index.read_bytes()
            row["search index"] = (len(data), len(gzip.compress(data, 6)))
            rows.append(row)
    return rows


# --- Lighthouse -------------------------------------------------------------------------

class GzipHandler(SimpleHTTPRequestHandler):
    """Serves files gzip-compressed when the client accepts it, as GitHub Pages does."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        from io import BytesIO

        return BytesIO(body)


def lighthouse(site: Path, runs: int) -> dict:
    npm_dir = ROOT / ".bench"
    cli = npm_dir / "node_modules/.bin/lighthouse"
    if not cli.exists():
        npm_dir.mkdir(exist_ok=True)
        r = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(npm_dir), "lighthouse@13"],
                           capture_output=True, text=True)
        if r.returncode != 0:
            return {"error": "npm install lighthouse failed: " + r.stderr[-300:]}
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(GzipHandler, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    out = {}
    flags = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"
    try:
        for label, url in (("zh article", base + PAGE_TYPES["article"]), ("en article", base + "en/" + PAGE_TYPES["article"])):
            scores = []
            for _ in range(runs):
                with tempfile.TemporaryDirectory() as tmp:
                    report = Path(tmp) / "r.json"
                    r = subprocess.run([str(cli), url, "--quiet", "--output=json", f"--output-path={report}",
                                        f"--chrome-flags={flags}", "--only-categories=performance,accessibility,best-practices,seo"],
                                       capture_output=True, text=True, env=dict(ENV, CHROME_PATH="/usr/bin/chromium"))
                    if r.returncode != 0 or not report.is_file():
                        return {"error": f"lighthouse failed: {r.stderr[-500:]}"}
                    data = json.loads(report.read_text(encoding="utf-8"))
                    cats = {k: round(v["score"] * 100) for k, v in data["categories"].items()}
                    failed = sorted(a for a, v in data["audits"].items()
                                    if v.get("score") is not None and v["score"] < 1 and v.get("scoreDisplayMode") == "binary")
                    scores.append((cats, failed))
            out[label] = {k: statistics.median(s[0][k] for s in scores) for k in scores[0][0]}
            out[label]["failing audits"] = scores[0][1]
    finally:
        httpd.shutdown()
    return out


# --- report ------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,4,16")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (median)")
    parser.add_argument("--no-lighthouse", action="store_true")
    args = parser.parse_args()
    lines = ["# Benchmarks", "",
             f"Command: `python scripts/bench.py --scales {args.scales} --runs {args.runs}`  ",
             f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
             f"{platform.platform()}; measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.  ",
             "Times are wall-clock seconds of one run on a shared, noisy machine: read the ratios.", ""]
    print("\n".join(lines))
    rows = []
    for scale in (int(s) for s in args.scales.split(",")):
        row = measure_scale(scale)
        rows.append(row)
        print(f"scale {scale}: {row}", flush=True)
    base = rows[0]
    lines += ["## Build and checker", "",
              "| content | pages | plain build (s) | strict build (s) | checker (s) | build ÷ plain | checker ÷ build | build ÷ 1× build |",
              "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['scale']}× | {r['pages']} | {r['plain']:.1f} | {r['build']:.1f} | {r['check']:.2f} | "
                     f"{r['build'] / r['plain']:.2f} | {r['check'] / r['build']:.1%} | {r['build'] / base['build']:.1f} |")
    lines.append("")
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)], cwd=ROOT,
                       check=True, capture_output=True, env=ENV)
        weights = page_weight(site)
        lines += ["## Page weight of a first visit (KB, raw / gzip)", "",
                  "The first visit is HTML, CSS, JS and fonts; the search index is fetched only when a reader "
                  "first uses search, and is shown apart.", "",
                  "| language | page | HTML | CSS | JS (incl. search worker) | fonts | first visit | search index (on first search) |",
                  "|---|---|---|---|---|---|---|---|"]
        for w in weights:
            cell = lambda p: f"{w[p][0] / 1024:.0f} / {w[p][1] / 1024:.0f}"  # noqa: E731
            lines.append(f"| {w['lang']} | {w['page']} | {cell('html')} | {cell('css')} | {cell('js')} | "
                         f"{cell('fonts')} | **{cell('total')}** | {cell('search index')} |")
        lines.append("")
        if not args.no_lighthouse:
            scores = lighthouse(site, args.runs)
            lines += ["## Lighthouse (mobile preset, gzip-served from 127.0.0.1, median of "
                      f"{args.runs} runs)", ""]
            if "error" in scores:
                lines.append(f"Not measured: {scores['error']}")
            else:
                lines += ["| page | performance | accessibility | best practices | SEO | failing audits |", "|---|---|---|---|---|---|"]
                for page, s in scores.items():
                    lines.append(f"| {page} | {s['performance']:g} | {s['accessibility']:g} | {s['best-practices']:g} | "
                                 f"{s['seo']:g} | {', '.join(s['failing audits']) or '—'} |")
            lines.append("")
    report = "\n".join(lines) + "\n"
    (ROOT / "BENCHMARKS.md").write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
