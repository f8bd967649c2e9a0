#!/usr/bin/env python3
"""Check a Chokepoint Atlas checkout: links, twins, attribution, quotes, safety.

    python scripts/check.py [--archive DIR] [--format text|github] [--only PATH…] [ROOT]

Prints one line per problem (`path:line:col: RULE message`), sorted, then a summary line.
Exit 0 when clean, 1 when there are problems, 2 for a usage error. Never changes a file.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from atlas import report, reread, rules  # noqa: E402
from atlas.model import load_site  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="check.py", description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", default=".", help="the site checkout (default: .)")
    parser.add_argument("--archive", metavar="DIR", help="folder of source texts; verifies every quote")
    parser.add_argument("--format", choices=("text", "github"), default="text")
    parser.add_argument("--list-rules", action="store_true", help="print every rule id and exit")
    parser.add_argument("--only", nargs="+", metavar="PATH",
                        help="report only problems in these files (the whole site is still checked)")
    args = parser.parse_args(argv)  # exits 2 on a usage error
    if args.list_rules:
        for rule, meaning in rules.iter_rules():
            print(f"{rule}  {meaning}")
        return 0
    root = Path(args.root)
    if not (root / "docs").is_dir() and not (root / "data").is_dir():
        parser.error(f"{root} is not a site checkout (no docs/ or data/)")
    archive = Path(args.archive) if args.archive else None
    if archive is not None and not archive.is_dir():
        parser.error(f"--archive {archive}: no such folder")
    site = load_site(root)
    problems = rules.check(site, archive)
    if args.only:
        wanted = {Path(p).as_posix().removeprefix("./") for p in args.only}
        problems = [p for p in problems if p.path in wanted]
    lines = report.github_lines(problems) if args.format == "github" else report.text_lines(problems)
    for line in lines:
        print(line)
    print(report.summary(problems, len(site.pages), len(site.claims), archive=archive is not None))
    if not problems and args.format == "text":
        touched = reread.pages_to_reread(site, reread.changed_claims(site))
        if touched:
            print("\nreread: new or changed claims (since the last commit) show on these pages; check that "
                  "their hand-written sections still hold:")
            for path in touched:
                print(f"  {path}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
