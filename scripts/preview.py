#!/usr/bin/env python3
"""A fast preview for contributors: one language, rebuilt in seconds on every save.

    python3 scripts/preview.py            # Chinese, at http://127.0.0.1:8000/chokepoint-atlas/
    python3 scripts/preview.py en         # English, at the same address (not under /en/)
    python3 scripts/preview.py en -a 127.0.0.1:8001

It runs `mkdocs serve` on this checkout with, through environment variables that mkdocs.yml and
the hooks read:
- one language: mkdocs-static-i18n builds only it (English is made the default to be built alone);
- no "last updated" dates (one `git log` per page), no chart drawing, no search bundle and no
  downloads;
- `--dirty`: a save rebuilds only the page saved, or, when something under data/ changed, the
  pages whose generated Markdown changed with it; the data model (registries, ledgers,
  references, checks, entities) is kept between rebuilds while data/ is unchanged (after a
  change, only the changed files are parsed);
- the checker (every rule, the list `scripts/check.py` prints) runs beside each rebuild, in its
  own process, and prints to this console when done, instead of holding the rebuild up.
Pages that list a page you edit (catalogs, navigation) show the edit after a data change or a
restart. The full build (`mkdocs build --strict`, what CI and deploy run) is unchanged and fails
on every problem. BENCHMARKS.md has the timings.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from atlas.model import LANGS  # noqa: E402


def preview_env(lang: str) -> dict[str, str]:
    """The environment under which `mkdocs serve` builds the preview of one language."""
    other = next(l for l in LANGS if l != lang)
    return {
        "ATLAS_PREVIEW": lang,
        "ATLAS_GIT_DATES": "false",
        f"ATLAS_{lang.upper()}_DEFAULT": "true",
        f"ATLAS_{other.upper()}_DEFAULT": "false",
        f"ATLAS_{lang.upper()}_BUILD": "true",
        f"ATLAS_{other.upper()}_BUILD": "false",
        "NO_MKDOCS_2_WARNING": "1",
    }


def served_path() -> str:
    """`mkdocs serve` serves under the path of site_url (/chokepoint-atlas/)."""
    m = re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    return urlsplit(m.group(1)).path if m else "/"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog="The full build stays `mkdocs build --strict`.")
    parser.add_argument("lang", nargs="?", default="zh", choices=LANGS, help="the language to preview (default zh)")
    parser.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", help="address to serve on (default 127.0.0.1:8000)")
    args = parser.parse_args(argv)
    env = dict(os.environ, **preview_env(args.lang))
    # --dirty: a save rebuilds the pages whose file changed (after a data change, the hooks mark
    # the pages whose generated Markdown changed).
    # --no-strict: MkDocs warns that a dirty build may leave navigation stale, which strict mode
    # would turn into a failed rebuild; the checker beside each rebuild reports real problems.
    command = [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--no-strict", "-f", str(ROOT / "mkdocs.yml"),
               "-a", args.dev_addr, "-w", str(ROOT / "CONTRIBUTING.md")]
    print(f"Previewing {args.lang} at http://{args.dev_addr}{served_path()} (one language; no dates, charts or "
          "search; the checker's list follows each rebuild).", flush=True)
    os.execvpe(command[0], command, env)
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
