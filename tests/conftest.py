from __future__ import annotations

import shutil
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


@pytest.fixture
def site_root(tmp_path: Path) -> Path:
    return copy_fixture(tmp_path / "site")
