"""scripts/check.py as contributors and CI run it."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ROOT, edit

CHECK = [sys.executable, str(ROOT / "scripts" / "check.py")]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*CHECK, *args], capture_output=True, text=True, encoding="utf-8")


def test_clean_site_exits_0_with_a_summary(site_root):
    r = run("--archive", str(site_root / "archive"), str(site_root))
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.strip().splitlines() == ["clean: 8 pages, 2 claims checked"]


def test_problems_exit_1_sorted_one_per_line(site_root):
    edit(site_root, "data/claims/alpha-2025.yml", "domains: [litho]", "domains: [lito]")
    edit(site_root, "docs/en/domains/litho.md", "Lithography.", "[L](http://example.org/)")
    r = run(str(site_root))
    assert r.returncode == 1
    lines = r.stdout.strip().splitlines()
    assert lines[-1].startswith(f"{len(lines) - 1} problems in ")
    assert lines[:-1] == sorted(lines[:-1], key=lambda l: (l.split(":")[0], int(l.split(":")[1])))
    assert "data/claims/alpha-2025.yml:8:1: ATL503 claim c001: unknown domain 'lito'; did you mean 'litho'?" in lines
    assert "docs/en/domains/litho.md:12:5: ATL702 'http://example.org/': use https://" in lines


def test_github_format_prints_annotations(site_root):
    edit(site_root, "data/claims/alpha-2025.yml", "domains: [litho]", "domains: [lito]")
    r = run("--format", "github", str(site_root))
    assert r.returncode == 1
    assert r.stdout.splitlines()[0].startswith(
        "::error file=data/claims/alpha-2025.yml,line=8,col=1,title=ATL503 ")


def test_usage_errors_exit_2(tmp_path):
    assert run("--format", "xml").returncode == 2
    assert run(str(tmp_path / "nowhere")).returncode == 2
    r = run("--archive", str(tmp_path / "missing"), str(ROOT))
    assert r.returncode == 2 and "no such folder" in r.stderr


def test_the_repository_itself_is_clean():
    shared = ROOT.parent / "shared" / "sources"
    args = ["--archive", str(shared)] if shared.is_dir() else []
    r = run(*args, str(ROOT))
    assert r.returncode == 0, r.stdout[-3000:]


def test_every_rule_is_explained_in_the_contributor_guide():
    from atlas.rules import RULES

    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    missing = [rule for rule in RULES if f"### {rule} — " not in guide]
    assert missing == []


def test_list_rules_prints_every_rule():
    from atlas.rules import RULES

    r = run("--list-rules")
    assert r.returncode == 0 and len(r.stdout.splitlines()) == len(RULES)


def test_only_reports_the_named_files(site_root):
    edit(site_root, "data/claims/alpha-2025.yml", "domains: [litho]", "domains: [lito]")
    edit(site_root, "docs/en/domains/litho.md", "Lithography.", "[L](http://example.org/)")
    r = subprocess.run([*CHECK, "--only", "docs/en/domains/litho.md"], cwd=site_root, capture_output=True, text=True)
    assert r.returncode == 1
    assert [l.split(":")[0] for l in r.stdout.splitlines()[:-1]] == ["docs/en/domains/litho.md"]
