"""Reader features are generated from data/: one new claim shows up everywhere, with no other edit."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, commit_all, copy_repo, mkdocs_build

SENTINEL_EN = "Sentinel claim for the feature test"
SENTINEL_ZH = "用于功能测试的哨兵主张"
NEW_CLAIM = f"""
  - id: c999
    quote: "激光雷達是自動駕駛汽車的必備組件"
    zh: {SENTINEL_ZH}。
    en: {SENTINEL_EN}.
    cited: null
    domains: [lidar]
    kind: fact
    chart: {{value: 42, bound: "=", side: domestic, label: {{zh: 哨兵份额, en: Sentinel share}}}}
    date: "2031-01"
    topic: ai-chip-share
"""


NEW_CHECK = {"claim": "c999", "verdict": "not-found", "searched": "2026-12-01"}


@pytest.fixture(scope="module")
def built_with_new_claim(tmp_path_factory) -> Path:
    repo = copy_repo(tmp_path_factory.mktemp("repo"))
    ledger = repo / "data/claims/takungpao-chokepoints-2025.yml"
    ledger.write_text(ledger.read_text(encoding="utf-8").rstrip("\n") + "\n" + NEW_CLAIM, encoding="utf-8")
    checks = repo / "data/checks/takungpao-chokepoints-2025.yml"  # a checkable fact needs its check (ATL905)
    data = yaml.safe_load(checks.read_text(encoding="utf-8"))
    data["checks"].append(NEW_CHECK)
    checks.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    commit_all(repo)
    return mkdocs_build(repo, repo / "site")


@pytest.mark.parametrize("page", [
    "articles/takungpao-chokepoints-2025", "domains/lidar", "timeline", "compare", "charts"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_new_claim_appears_on_every_generated_page(built_with_new_claim, page, lang):
    path = built_with_new_claim / ("" if lang == "zh" else "en") / page / "index.html"
    text = path.read_text(encoding="utf-8")
    sentinel = SENTINEL_ZH if lang == "zh" else SENTINEL_EN
    if page == "charts":
        sentinel = "哨兵份额" if lang == "zh" else "Sentinel share"
    assert sentinel in text


def test_new_claim_updates_catalog_counts(built_with_new_claim):
    catalog = (built_with_new_claim / "en/articles/index.html").read_text(encoding="utf-8")
    ledger = (ROOT / "data/claims/takungpao-chokepoints-2025.yml").read_text(encoding="utf-8")
    before = ledger.count("\n  - id: ")
    assert f"<td>{before + 1}</td>" in catalog


def test_new_claim_is_in_the_downloads(built_with_new_claim):
    claims = json.loads((built_with_new_claim / "data/claims.json").read_text(encoding="utf-8"))
    new = [c for c in claims if c["key"] == "takungpao-chokepoints-2025:c999"]
    assert new and new[0]["en"] == SENTINEL_EN + "." and new[0]["domains"] == ["lidar"]
    rows = list(csv.DictReader(io.StringIO((built_with_new_claim / "data/claims.csv").read_text(encoding="utf-8"))))
    assert any(r["key"] == "takungpao-chokepoints-2025:c999" and r["domains"] == "lidar" for r in rows)
    domains = json.loads((built_with_new_claim / "data/domains.json").read_text(encoding="utf-8"))
    assert "takungpao-chokepoints-2025" in next(d for d in domains if d["slug"] == "lidar")["sources"]


def test_timeline_is_newest_first(built_with_new_claim):
    text = (built_with_new_claim / "en/timeline/index.html").read_text(encoding="utf-8")
    assert text.index('id="y2031"') < text.index('id="y2025"') < text.index('id="y2018"')
