"""A contributor's path, in a temporary copy of the repository: scaffold → fill → check → build."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, commit_all, copy_repo, mkdocs_build

ARTICLE = "test-article-2026"
SOURCE_TEXT = "测试日报\n\n记者报道：国产光刻机的研制取得新进展，工程样机已经完成装配。\n"


def run(repo: Path, script: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(repo / "scripts" / script), *args], cwd=repo,
                          capture_output=True, text=True, encoding="utf-8")


@pytest.fixture
def repo(tmp_path) -> Path:
    repo = copy_repo(tmp_path / "repo")
    (tmp_path / "archive").mkdir()
    shared = ROOT.parent / "shared" / "sources"
    for text in shared.glob("*.txt") if shared.is_dir() else []:  # the existing sources' texts
        shutil.copy2(text, tmp_path / "archive" / text.name)
    (tmp_path / "archive" / "test.txt").write_text(SOURCE_TEXT, encoding="utf-8")
    return repo


def test_scaffold_then_check_says_exactly_what_to_fill_in(repo):
    r = run(repo, "new.py", "article", ARTICLE, "--archive", "test.txt")
    assert r.returncode == 0, r.stderr
    r = run(repo, "check.py")
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    placeholders = [l for l in lines if " ATL106 " in l]
    assert f"docs/en/articles/{ARTICLE}.md:2:9: ATL106 still to do: a short English title" in lines
    assert f"data/claims/{ARTICLE}.yml:4:13: ATL106 still to do: verbatim from the source text, at most 60 " \
           "characters, in its original script" in lines
    assert any(l.startswith("data/sources.yml:") and "a faithful English title" in l for l in placeholders)
    # every other message is about the same new files, never about existing content
    assert all(ARTICLE in l or l.startswith("data/sources.yml:") for l in lines[:-1]), r.stdout


def test_scaffold_refuses_existing_ids_and_changes_nothing(repo):
    before = (repo / "data/sources.yml").read_bytes()
    r = run(repo, "new.py", "article", "cai-zhang-2026")
    assert r.returncode == 2 and "already" in r.stderr
    r = run(repo, "new.py", "domain", "lithography", "--category", "semiconductors")
    assert r.returncode == 2 and "already exists" in r.stderr
    r = run(repo, "new.py", "domain", "quantum-sensing", "--category", "nonsense")
    assert r.returncode == 2 and "unknown category" in r.stderr
    r = run(repo, "new.py", "claim", "no-such-source")
    assert r.returncode == 2 and "does not exist" in r.stderr
    r = run(repo, "new.py", "article", "Not_A_Slug")
    assert r.returncode == 2
    assert (repo / "data/sources.yml").read_bytes() == before
    assert not (repo / "docs/zh/domains/quantum-sensing.md").exists()


def test_claim_stub_takes_the_next_id(repo):
    run(repo, "new.py", "article", ARTICLE)
    r = run(repo, "new.py", "claim", ARTICLE)
    assert r.returncode == 0 and "c002" in r.stdout
    assert (repo / f"data/claims/{ARTICLE}.yml").read_text(encoding="utf-8").count("- id: c00") == 2


def fill(path: Path, replacements: list[tuple[str, str]], rest: str) -> None:
    """Do what the contributor does: replace each placeholder."""
    text = path.read_text(encoding="utf-8")
    for old, new in replacements:
        text = re.sub(old, new, text, count=1, flags=re.M)
    path.write_text(re.sub(r"TODO:?[^\n]*", rest, text), encoding="utf-8")


def test_new_article_passes_the_checker_and_the_build_and_is_in_the_catalogs(repo, tmp_path):
    assert run(repo, "new.py", "article", ARTICLE, "--archive", "test.txt").returncode == 0
    registry = repo / "data/sources.yml"
    fill(registry, [
        (r'^  kind: article  # TODO.*$', "  kind: article"),
        (r'^  title: "TODO.*$', "  title: 国产光刻机研制新进展"),
        (r'^  title_en: "TODO.*$', "  title_en: New Progress on a Domestic Lithography Machine"),
        (r'^  outlet: null  # TODO.*$', "  outlet: 测试日报"),
        (r'^  authors: \[\]  # TODO.*$', "  authors: []"),
        (r'^    value: null  # TODO.*$', '    value: "2026-01"'),
        (r'^    status: unknown  # TODO.*$', "    status: stated"),
        (r'^      zh: "TODO.*$', "      zh: 文中注明。"),
        (r'^      en: "TODO.*$', "      en: Stated in the text."),
        (r'^  genre: news-feature  # TODO.*$', "  genre: news-feature"),
    ], "")
    fill(repo / f"data/claims/{ARTICLE}.yml", [
        (r'^    quote: "TODO.*$', '    quote: "工程样机已经完成装配"'),
        (r'^    zh: "TODO.*$', "    zh: 文章称，国产光刻机的工程样机已经装配完成。"),
        (r'^    en: "TODO.*$', "    en: The article says an engineering prototype of a domestic lithography machine has been assembled."),
        (r'^    cited: null  # TODO.*$', "    cited: null"),
        (r'^    domains: \[todo\]  # TODO.*$', "    domains: [lithography]"),
        (r'^    kind: fact  # TODO.*$', "    kind: fact"),
    ], "")
    for lang, title, prose in (("zh", "国产光刻机研制新进展", "文章报道了国产光刻机的进展。"),
                               ("en", "New Progress on a Domestic Lithography Machine",
                                "The article reports progress on a domestic lithography machine.")):
        fill(repo / f"docs/{lang}/articles/{ARTICLE}.md", [
            (r'^title: "TODO.*$', f"title: {title}"),
            (r'^description: "TODO.*$', f"description: {prose}"),
            (r"^domains: \[\]  # TODO.*$", "domains: [lithography]"),
            (r"^# TODO.*$", f"# {title}"),
            (r"^### TODO.*$", "### " + ("正文" if lang == "zh" else "The report")),
        ], prose)

    shared = ROOT.parent / "shared" / "sources"
    r = run(repo, "check.py", *(["--archive", str(tmp_path / "archive")] if shared.is_dir() else []))
    assert r.returncode == 0, r.stdout
    assert r.stdout.startswith("clean:")

    commit_all(repo)
    out = mkdocs_build(repo, tmp_path / "site")
    assert (out / f"articles/{ARTICLE}/index.html").is_file()
    assert f'href="{ARTICLE}/"' in (out / "articles/index.html").read_text(encoding="utf-8")
    assert f'href="../../articles/{ARTICLE}/"' in (out / "en/domains/lithography/index.html").read_text(encoding="utf-8")
    assert "工程样机已经完成装配" in (out / "en/articles" / ARTICLE / "index.html").read_text(encoding="utf-8")
