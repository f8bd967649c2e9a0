"""The contributor preview (scripts/preview.py): one language, no search or downloads, and the
data model kept between rebuilds while data/ is unchanged. Its speed is measured by
scripts/bench.py (BENCHMARKS.md), not here."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import commit_all, copy_repo, edit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from atlas import preview  # noqa: E402
import preview as preview_script  # noqa: E402


def test_the_data_model_is_kept_until_a_file_under_data_changes(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    first, changed = preview.load(repo)
    assert changed is False  # nothing to compare with yet
    edit(repo, "docs/zh/domains/lithography.md", "\n## ", "\n新加的一段话。\n\n## ")
    second, changed = preview.load(repo)
    assert changed is False
    assert second.sources is first.sources and second.claims is first.claims and second.entities is first.entities
    assert "新加的一段话" in second.page("zh", "domains/lithography.md").body  # pages are read afresh
    assert second.memo is not first.memo
    edit(repo, "data/taxonomy.yml", "\n", "\n# a comment changes the file\n")
    third, changed = preview.load(repo)
    assert changed is True and third.sources is not first.sources
    assert third.data_problems == []


def test_after_a_data_change_only_the_changed_file_is_parsed_again(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    first, _ = preview.load(repo)
    ledger = "data/claims/cai-zhang-2026.yml"
    edit(repo, ledger, "同年美国阻止 ASML 向中国企业出售光刻机", "同年美国阻止 ASML 向中国企业出售光刻机（改）")
    second, changed = preview.load(repo)
    assert changed is True
    assert second.data_trees[ledger] is not first.data_trees[ledger]
    assert second.data_trees["data/sources.yml"] is first.data_trees["data/sources.yml"]  # unchanged: not parsed again
    assert any("光刻机（改）" in r.claim.zh for r in second.claims_of_source("cai-zhang-2026"))
    # A file broken between two saves is reported at its line, and mended, it is read again.
    edit(repo, ledger, "\nclaims:\n", "\nsource: cai-zhang-2026\nclaims:\n")
    third, _ = preview.load(repo)
    broken = [p for p in third.problems if p.path == ledger]
    assert [(p.rule, p.line, p.message) for p in broken] == [("ATL102", 2, "duplicate key 'source'")]
    edit(repo, ledger, "\nsource: cai-zhang-2026\nclaims:\n", "\nclaims:\n")
    fourth, _ = preview.load(repo)
    assert fourth.problems == [] and len(fourth.claims) == len(second.claims)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_preview_build_is_one_language_without_search_dates_or_downloads(tmp_path, lang):
    repo = copy_repo(tmp_path / "repo")
    commit_all(repo)
    out = tmp_path / "out"
    env = dict(os.environ, **preview_script.preview_env(lang))
    r = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(out)], cwd=repo,
                       capture_output=True, text=True, env=env, timeout=600)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    page = (out / "domains/lithography/index.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}"' in page
    assert ("光刻设备" if lang == "zh" else "Lithography equipment") in page
    assert not (out / "en").exists() and not (out / "zh").exists()  # the other language is not built
    assert not (out / "pagefind").exists() and not (out / "data").exists()  # no search bundle, no downloads
    charts = (out / "charts/index.html").read_text(encoding="utf-8")
    assert "atlas-chart__preview" in charts and 'data-chart="' not in charts  # not drawn
    assert "Content-Security-Policy" in page  # the walls stay up in a preview


def test_preview_serves_one_language_with_the_checker_beside_it():
    env = preview_script.preview_env("en")
    assert env["ATLAS_PREVIEW"] == "en" and env["ATLAS_EN_DEFAULT"] == "true" and env["ATLAS_ZH_BUILD"] == "false"
    assert env["ATLAS_GIT_DATES"] == "false"
    assert preview_script.served_path() == "/chokepoint-atlas/"
