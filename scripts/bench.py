#!/usr/bin/env python3
"""Benchmark: build and checker cost, how they scale, our hooks' share, save-to-reload in
`mkdocs serve` and the preview, a reader's first search, page weight, and Lighthouse scores.

    python scripts/bench.py [--scales 1,4,16] [--with-64] [--no-lighthouse] [--runs 3]

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


def timed(cmd: list[str], cwd: Path, ok: tuple = (0, 1), env: dict | None = None) -> float:
    start = time.perf_counter()
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=dict(ENV, **(env or {})))
    if r.returncode not in ok:  # the checker exits 1 on synthetic copies' warnings; a crash is 2+
        raise SystemExit(f"{' '.join(cmd)} failed:\n{r.stdout[-2000:]}{r.stderr[-2000:]}")
    return time.perf_counter() - start


ARCHIVE = ROOT.parent / "shared" / "sources"  # the source texts, where they sit beside the checkout


def measure_scale(scale: int, serve: bool = True) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "site"
        repo.mkdir()
        pages = make_copy(repo, scale)
        plain = plain_config(repo)
        py = sys.executable
        t_plain = timed([py, "-m", "mkdocs", "build", "-q", "-f", str(plain), "-d", str(Path(tmp) / "p")], repo)
        # A build with problems now stops before it renders anything: only a successful one is timed.
        # The hooks time their own parts into ATLAS_PROFILE (scripts/mkdocs_hooks.py).
        profile_file = Path(tmp) / "profile.json"
        built = Path(tmp) / "b"
        t_build = timed([py, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(built)], repo, ok=(0,),
                        env={"ATLAS_PROFILE": str(profile_file)})
        profile = json.loads(profile_file.read_text(encoding="utf-8"))
        t_check = timed([py, "scripts/check.py"], repo)
        t_check_archive = timed([py, "scripts/check.py", "--archive", str(ARCHIVE)], repo) if ARCHIVE.is_dir() else None
        row = {"scale": scale, "pages": pages, "plain": t_plain, "build": t_build, "check": t_check,
               "check_archive": t_check_archive, "profile": profile}
        row["search"] = search_figures(built)
        row["preview"] = reload_figures(repo, [py, "scripts/preview.py"], data_edit=True)
        row["serve"] = reload_figures(repo, [py, "-m", "mkdocs", "serve"], data_edit=False) if serve else None
    return row


# --- save to reload ---------------------------------------------------------------------

PAGE_EDITED = "docs/zh/domains/lithography.md"
DATA_EDITED = ("data/claims/cai-zhang-2026.yml", "同年美国阻止 ASML 向中国企业出售光刻机")
SERVED = "chokepoint-atlas/domains/lithography/"  # mkdocs serve serves under site_url's path


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, marker: str | None, limit: float) -> float | None:
    import urllib.request

    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        try:
            body = urllib.request.urlopen(url, timeout=60).read().decode("utf-8")
            if marker is None or marker in body:
                return time.perf_counter() - start
        except OSError:
            pass
        time.sleep(0.1)
    return None


def _edit_and_wait(path: Path, new_text: str, url: str, marker: str, limit: float = 900) -> float | None:
    old = path.read_text(encoding="utf-8")
    try:
        path.write_text(new_text, encoding="utf-8")
        return _wait_for(url, marker, limit)
    finally:
        path.write_text(old, encoding="utf-8")


def reload_figures(repo: Path, command: list[str], data_edit: bool) -> dict:
    """Save-to-reload: a server on the copy; once it serves, a page (and a claim) is edited and
    the time is taken until the served page shows the edit."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}/{SERVED}"
    proc = subprocess.Popen(command + ["-a", f"127.0.0.1:{port}"], cwd=repo, env=ENV, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    out: dict = {}
    try:
        out["first build"] = _wait_for(url, None, 1800)
        time.sleep(3)
        page = repo / PAGE_EDITED
        marker = f"benchmark-edit-{time.time_ns()}"
        out["page edit"] = _edit_and_wait(page, page.read_text(encoding="utf-8") + f"\n\n{marker}\n", url, marker)
        if data_edit:
            time.sleep(3)
            path, anchor = repo / DATA_EDITED[0], DATA_EDITED[1]
            text = path.read_text(encoding="utf-8")
            if anchor in text:
                marker = f"基准{time.time_ns() % 10**6}"
                out["data edit"] = _edit_and_wait(path, text.replace(anchor, anchor + marker, 1), url, marker)
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)
    return out


# --- search -----------------------------------------------------------------------------

SEARCHES = {"zh": ("", "光刻"), "en": ("en/", "lithography")}
# Types the query and notes, in the page, the time until Material shows the first result.
FIRST_RESULT = """([query]) => {
  const input = document.querySelector("input[data-md-component=search-query]");
  const list = document.querySelector(".md-search-result__list");
  const start = performance.now();
  new MutationObserver((_, seen) => {
    if (list.querySelector(".md-search-result__item")) { window.atlasFirstResult = performance.now() - start; seen.disconnect(); }
  }).observe(list, {childList: true, subtree: true});
  input.focus();
  input.value = query;  // Material reads the field on keyup, as when a reader types
  input.dispatchEvent(new KeyboardEvent("keyup", {bubbles: true, key: query.slice(-1)}));
}"""


SEARCH_RUNS = 3  # fresh browser profiles per language; the time is their median


def _throttled_page(browser, url: str):
    """A fresh profile's page at `url` with 4x CPU slowdown, once Material's page script has run
    (it exposes component$)."""
    context = browser.new_context()
    page = context.new_page()
    page.context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 4})
    page.goto(url, wait_until="networkidle")
    for _ in range(300):
        if page.evaluate("() => typeof window.component$ !== 'undefined'"):
            break
        page.wait_for_timeout(100)
    return context, page


def _time_to_first_result(page, query: str) -> float | None:
    page.evaluate(FIRST_RESULT, [query])
    for _ in range(600):  # polled from here: the page's policy forbids a string eval
        ms = page.evaluate("() => window.atlasFirstResult")
        if ms is not None:
            return ms
        page.wait_for_timeout(100)
    return None


def _typed_after_loading(browser, base: str, prefix: str, query: str) -> float | None:
    """The time from the keystroke to the first result when the reader focused the field first and
    the search finished loading before the first key (Material's "type to start searching")."""
    context, page = _throttled_page(browser, base + prefix + "domains/lithography/")
    page.locator("input[data-md-component=search-query]").click()
    initialising = page.inner_text(".md-search-result__meta")
    for _ in range(300):  # until the worker is ready: the meta line changes from "initialising"
        if page.inner_text(".md-search-result__meta") != initialising:
            break
        page.wait_for_timeout(100)
    ms = _time_to_first_result(page, query)
    context.close()
    return ms


def _first_search(browser, base: str, prefix: str, query: str) -> dict:
    context, page = _throttled_page(browser, base + prefix + "domains/lithography/")
    page.wait_for_timeout(500)
    fetched: list = []
    page.on("requestfinished", lambda r: fetched.append(r))
    ms = _time_to_first_result(page, query)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    size = sum(r.sizes()["responseBodySize"] for r in fetched)
    outside = [r.url for r in fetched if not r.url.startswith(base)]
    result = {"kb": size / 1024, "ms": ms, "requests": len(fetched), "outside": outside,
              "meta": page.inner_text(".md-search-result__meta")}
    context.close()
    return result


def search_figures(site: Path) -> dict:
    """A reader's first search in Chromium with 4x CPU slowdown, served gzip-compressed: what it
    fetches (KB gzip, from focusing the field until the results are in) and the time from the
    keystroke to the first result (median of SEARCH_RUNS fresh profiles). The field is focused and
    typed in at once, so the time includes loading the search (Pagefind's code, its WebAssembly,
    the index chunks)."""
    from playwright.sync_api import sync_playwright

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(GzipHandler, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    out = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            for lang, (prefix, query) in SEARCHES.items():
                runs = [_first_search(browser, base, prefix, query) for _ in range(SEARCH_RUNS)]
                ms = statistics.median(r["ms"] for r in runs)
                loaded = [_typed_after_loading(browser, base, prefix, query) for _ in range(SEARCH_RUNS)]
                out[lang] = dict(runs[0], query=query, ms=ms, all_ms=[r["ms"] for r in runs],
                                 ms_loaded=statistics.median(x for x in loaded if x is not None) if any(loaded) else None)
            browser.close()
    finally:
        httpd.shutdown()
    return out


# --- page weight ------------------------------------------------------------------------

ASSET = re.compile(r"""<(?:script|link)\b[^>]*?(?:src|href)=["']([^"']+\.(?:css|js))["']""")


def page_weight(site: Path) -> list[dict]:
    rows = []
    for lang in ("zh", "en"):
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

def _s(value) -> str:
    return "—" if value is None else f"{value:.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,4,16")
    parser.add_argument("--with-64", action="store_true",
                        help="add a 64x row (about 45 minutes more on 2 cores; no plain mkdocs serve at that size)")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (median)")
    parser.add_argument("--no-lighthouse", action="store_true")
    args = parser.parse_args()
    scales = [int(x) for x in args.scales.split(",")] + ([64] if args.with_64 else [])
    command = f"python scripts/bench.py --scales {args.scales}{' --with-64' if args.with_64 else ''} --runs {args.runs}"
    lines = ["# Benchmarks", "",
             f"Command: `{command}`  ",
             f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
             f"{platform.platform()}; measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.  ",
             "Times are wall-clock seconds of one run on a shared, noisy machine: read the ratios. "
             "Every row below comes from this one run.", ""]
    print("\n".join(lines))
    rows = []
    for scale in scales:
        row = measure_scale(scale, serve=scale <= 16)
        rows.append(row)
        print(f"scale {scale}: {json.dumps(row, default=str)}", flush=True)
    base = rows[0]
    lines += ["## Build and checker", "",
              "The checker alone, and with `--archive` (every quote verified against the source texts).", "",
              "| content | pages | plain build (s) | strict build (s) | checker (s) | checker with archive (s) | "
              "build ÷ plain | checker ÷ build | build ÷ 1× build |",
              "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['scale']}× | {r['pages']} | {r['plain']:.1f} | {r['build']:.1f} | {r['check']:.2f} | "
                     f"{_s(r['check_archive'])} | {r['build'] / r['plain']:.2f} | {r['check'] / r['build']:.1%} | "
                     f"{r['build'] / base['build']:.1f} |")
    parts = ["model", "rules", "rendering", "sanitising", "charts", "policy and metadata", "search bundle", "export"]
    lines += ["", "## Our hooks' share of a strict build", "",
              "Seconds each part of `scripts/mkdocs_hooks.py` took, timed inside the build (ATLAS_PROFILE); "
              "the rest is MkDocs, the theme and the other plugins.", "",
              "| content | " + " | ".join(parts) + " | our hooks | hooks ÷ build |",
              "|---|" + "---|" * (len(parts) + 2)]
    for r in rows:
        prof = r["profile"]
        ours = sum(prof.get(p, 0.0) for p in parts)
        lines.append(f"| {r['scale']}× | " + " | ".join(f"{prof.get(p, 0.0):.2f}" for p in parts) +
                     f" | {ours:.1f} | {ours / prof['build']:.0%} |")
    lines += ["", "## Save to reload", "",
              "A server on a copy of the site; once it serves, a page is saved with a new line and the time is "
              "taken until the served page shows it (and the same for a claim's wording in data/). "
              "`mkdocs serve` rebuilds both languages; `scripts/preview.py` one (see README).", "",
              "| content | `mkdocs serve`: first build | `mkdocs serve`: page saved | preview: first build | "
              "preview: page saved | preview: claim saved | serve ÷ preview (page) |",
              "|---|---|---|---|---|---|---|"]
    for r in rows:
        serve, prev = r["serve"] or {}, r["preview"]
        ratio = (f"{serve['page edit'] / prev['page edit']:.0f}" if serve.get("page edit") and prev.get("page edit")
                 else "—")
        lines.append(f"| {r['scale']}× | {_s(serve.get('first build'))} | {_s(serve.get('page edit'))} | "
                     f"{_s(prev.get('first build'))} | {_s(prev.get('page edit'))} | {_s(prev.get('data edit'))} | {ratio} |")
    lines += ["", "## A reader's first search", "",
              "Chromium with 4× CPU slowdown, the site served gzip-compressed from 127.0.0.1, a fresh browser "
              "profile: what the first search fetches (from focusing the field until its results are in) and "
              "the time from the keystroke to the first result (focused and typed at once, so loading the "
              "search is included). Goal at 16×: ≤ 150 KB and ≤ 500 ms.", "",
              "| content | language | query | fetched (KB gzip) | requests | keystroke → first result (ms), "
              "focused and typed at once | …typed once search has loaded | requests elsewhere | result count shown |",
              "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        for lang, f in r["search"].items():
            loaded = "—" if f.get("ms_loaded") is None else f"{f['ms_loaded']:.0f}"
            lines.append(f"| {r['scale']}× | {lang} | {f['query']} | {f['kb']:.0f} | {f['requests']} | {f['ms']:.0f} | "
                         f"{loaded} | {len(f['outside'])} | {f['meta']} |")
    lines.append("")
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)], cwd=ROOT,
                       check=True, capture_output=True, env=ENV)
        weights = page_weight(site)
        lines += ["## Page weight of a first visit (KB, raw / gzip)", "",
                  "HTML, CSS, JS (with the search worker) and fonts; search fetches its bundle only when a "
                  "reader first uses it (above).", "",
                  "| language | page | HTML | CSS | JS (incl. search worker) | fonts | first visit |",
                  "|---|---|---|---|---|---|---|"]
        for w in weights:
            cell = lambda p: f"{w[p][0] / 1024:.0f} / {w[p][1] / 1024:.0f}"  # noqa: E731
            lines.append(f"| {w['lang']} | {w['page']} | {cell('html')} | {cell('css')} | {cell('js')} | "
                         f"{cell('fonts')} | **{cell('total')}** |")
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
