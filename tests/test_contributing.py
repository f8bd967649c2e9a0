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
    assert f"data/claims/{ARTICLE}.yml:4:13: ATL106 still to do: verbatim, at most 60 characters, original script" in lines
    assert not [l for l in lines if " ATL103 " in l], "a scaffold's placeholders are valid values: only ATL106 remains"
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


def fill(path: Path, replacements: list[tuple[str, str]], rest: str, after: str = "") -> None:
    """Do what the contributor does: replace each placeholder (in the registry, only in the new
    entry, which begins at `after`)."""
    text = path.read_text(encoding="utf-8")
    at = text.index(after) if after else 0
    head, text = text[:at], text[at:]
    for old, new in replacements:
        text = re.sub(old, new, text, count=1, flags=re.M)
    path.write_text(head + re.sub(r"TODO:?[^\n]*", rest, text), encoding="utf-8")


def register_text(repo: Path, text: Path) -> None:
    """What the guide says to do with a new source text: record its hash in data/archive.yml."""
    import hashlib

    manifest = repo / "data/archive.yml"
    digest = hashlib.sha256(text.read_bytes()).hexdigest()
    manifest.write_text(manifest.read_text(encoding="utf-8") + f"- {{file: {text.name}, sha256: {digest}}}\n",
                        encoding="utf-8")


def fill_new_article(repo: Path) -> None:
    """Scaffold the test article and fill in every placeholder, as a contributor would."""
    assert run(repo, "new.py", "article", ARTICLE, "--archive", "test.txt").returncode == 0
    registry = repo / "data/sources.yml"
    fill(registry, [
        (r'^  title: "TODO.*$', "  title: 国产光刻机研制新进展"),
        (r'^  title_en: "TODO.*$', "  title_en: New Progress on a Domestic Lithography Machine"),
        (r'^  short: .*TODO.*$', "  short: {zh: 测试日报, en: Test Daily}"),
        (r'^  outlet: null.*$', "  outlet: 测试日报"),
        (r'^    value: null.*$', '    value: "2026-01"'),
        (r'^    status: unknown.*$', "    status: stated"),
        (r'^      zh: "TODO.*$', "      zh: 文中注明。"),
        (r'^      en: "TODO.*$', "      en: Stated in the text."),
    ], "", after=f"- id: {ARTICLE}")
    fill(repo / f"data/claims/{ARTICLE}.yml", [
        (r'^    quote: "TODO.*$', '    quote: "工程样机已经完成装配"'),
        (r'^    zh: "TODO.*$', "    zh: 文章称，国产光刻机的工程样机已经装配完成。"),
        (r'^    en: "TODO.*$', "    en: The article says an engineering prototype of a domestic lithography machine has been assembled."),
        (r'^    cited: null  # TODO.*$', "    cited: null"),
        (r'^    domains: \[todo\]  # TODO.*$', "    domains: [lithography]"),
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


def test_new_article_passes_the_checker_and_the_build_and_is_in_the_catalogs(repo, tmp_path):
    fill_new_article(repo)
    register_text(repo, tmp_path / "archive" / "test.txt")

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


# The registry mistakes a new contributor makes first (issue 16), one at a time: each is a located
# problem naming the key, never a traceback.
REGISTRY_MISTAKES = [
    ("url: null", "url: http://example.org/story.html", "url must start with https://"),
    ("genre: news-feature", "genre: newsfeature", "'newsfeature' is not one of"),
    ("status: stated", "status: said", "'said' is not one of"),
    ('value: "2026-01"', 'value: "2026/01"', "write YYYY, YYYY-MM or YYYY-MM-DD"),
    ("short: {zh: 测试日报, en: Test Daily}", "short: Test Daily", "short"),
    ("kind: article", "kind: artcle", "'artcle' is not one of"),
]


@pytest.mark.parametrize("old,new,message", REGISTRY_MISTAKES, ids=[m[1].split(":")[0] + "-" + m[1].split()[-1]
                                                                    for m in REGISTRY_MISTAKES])
def test_a_registry_mistake_is_located_never_a_traceback(repo, tmp_path, old, new, message):
    fill_new_article(repo)
    registry = repo / "data/sources.yml"
    text = registry.read_text(encoding="utf-8")
    entry_at = text.index(f"- id: {ARTICLE}")
    at = text.index(old, entry_at)
    registry.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")
    line = text[:at].count("\n") + 1
    r = run(repo, "check.py")
    assert r.returncode == 1 and "Traceback" not in r.stdout + r.stderr, r.stdout + r.stderr
    located = [l for l in r.stdout.splitlines() if l.startswith(f"data/sources.yml:{line}:") and message in l]
    assert located, r.stdout
    # one mistake, one problem: the article and ledger of the broken entry are not "unknown sources"
    assert not [l for l in r.stdout.splitlines() if " ATL501 " in l or " ATL601 " in l], r.stdout


def test_after_a_clean_check_the_reread_list_names_the_pages_of_touched_domains(repo, tmp_path):
    commit_all(repo)
    fill_new_article(repo)
    r = run(repo, "check.py", "--archive", str(tmp_path / "archive"))
    # a new source text enters the manifest: the message gives the line to add
    line = re.search(r"add: (- \{file: test\.txt, sha256: [0-9a-f]{64}\})", r.stdout).group(1)
    manifest = repo / "data/archive.yml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")
    r = run(repo, "check.py", "--archive", str(tmp_path / "archive"))
    assert r.returncode == 0, r.stdout
    assert "quotes NOT verified" not in r.stdout
    listed = r.stdout.split("reread:", 1)[1].split()
    assert "docs/zh/domains/lithography.md" in listed and "docs/en/domains/lithography.md" in listed
    r = run(repo, "check.py")
    assert "quotes NOT verified: ATL505, ATL506, ATL508 did not run" in r.stdout


def test_the_reread_list_names_only_what_an_edited_committed_claim_touches(repo):
    commit_all(repo)
    r = run(repo, "check.py")
    assert r.returncode == 0 and "reread:" not in r.stdout, r.stdout  # nothing changed since the commit
    ledger = repo / "data/claims/cai-zhang-2026.yml"
    text = ledger.read_text(encoding="utf-8")
    ledger.write_text(text.replace("同年美国阻止 ASML 向中国企业出售光刻机", "同年美国阻止 ASML 向中国企业销售光刻机", 1),
                      encoding="utf-8")
    r = run(repo, "check.py")
    assert r.returncode == 0, r.stdout
    listed = r.stdout.split("reread:", 1)[1].split("\n", 1)[1].split()
    assert listed == ["docs/zh/themes/export-controls.md", "docs/en/themes/export-controls.md",
                      "docs/zh/domains/lithography.md", "docs/en/domains/lithography.md"], listed


def test_the_guide_lists_every_generated_block():
    from atlas.render import BLOCKS

    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert [b for b in BLOCKS if f"<!-- atlas: {b}" not in guide] == []
