from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "clean"


def copy_fixture(dest: Path) -> Path:
    shutil.copytree(FIXTURE, dest)
    return dest


def edit(root: Path, rel: str, old: str | None, new: str | None) -> None:
    """Replace `old` by `new` in a fixture file (old=None: write `new`; new=None: delete)."""
    path = root / rel
    if new is None and old is None:
        path.unlink()
        return
    if old is None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(new, encoding="utf-8")
        return
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture {rel} has no {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems_at(found: list, path: str, line: int, rule: str) -> list:
    """The problems of `found` at exactly this place and rule; fails, listing all, when there are none."""
    matching = [p for p in found if (p.path, p.line, p.rule) == (path, line, rule)]
    assert matching, f"expected {path}:{line} {rule}, got:\n" + "\n".join(map(str, found))
    return matching


@pytest.fixture
def site_root(tmp_path: Path) -> Path:
    return copy_fixture(tmp_path / "site")


# What a copy of the repository needs to check and build (tests and the benchmark use copies).
REPO_PARTS = ("mkdocs.yml", "CONTRIBUTING.md", ".autocorrectrc", "docs", "data", "scripts", "overrides")


def copy_repo(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for name in REPO_PARTS:
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, dest / name)
    return dest


def commit_all(repo: Path) -> None:
    """A git history, for the "last updated" dates of the build."""
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    for cmd in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "fixture"]):
        subprocess.run(git + cmd, cwd=repo, check=True, capture_output=True)


def mkdocs_build(repo: Path, out: Path) -> Path:
    """`mkdocs build --strict` of a checkout into `out`; fails the test with the build's output."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    r = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(out)],
                       cwd=repo, capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    return out


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The real site, built once per test session with --strict."""
    return mkdocs_build(ROOT, tmp_path_factory.mktemp("site"))
