"""Whatever a contributor writes, the checker reports problems; it never raises."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atlas import rules
from atlas.model import load_site
from conftest import FIXTURE

KEYS = st.sampled_from(["title", "source", "domains", "category", "related", "aliases", "hide", "x", "", "- a"])
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20),
                    st.lists(st.text(max_size=8), max_size=3))
FRONT = st.one_of(
    st.dictionaries(KEYS, SCALARS, max_size=6).map(
        lambda d: "---\n" + "".join(f"{k}: {v!r}\n" for k, v in d.items()) + "---\n"),
    st.text(max_size=80).map(lambda t: f"---\n{t}\n---\n"),
    st.just("---\ntitle: [unclosed\n---\n"),
    st.just(""),
)
PIECES = st.sampled_from([
    "[x](../domains/litho.md#nope)", "[y](../../en/index.md)", "<!-- atlas: claims -->",
    "<!-- atlas: claims source=nope -->", "<!-- atlas: nonsense a=b -->", "[^1]: nothing",
    "[@alpha-2025]", "[@nope]", "<script>", "<a href='javascript:x'>", "```", "# 标题 {#id}",
    "![i](data:image/png;base64,AA)", "[z](http://a.b)", "<!-- atlas: domains -->", "\x00", "\ud7ff",
])
BODY = st.lists(st.one_of(PIECES, st.text(max_size=40)), max_size=12).map("\n".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(front=FRONT, body=BODY, ledger=st.text(max_size=120))
def test_checker_reports_but_never_raises(front, body, ledger):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "site"
        shutil.copytree(FIXTURE, root)
        (root / "docs/en/articles/alpha-2025.md").write_text(front + body, encoding="utf-8")
        (root / "data/claims/alpha-2025.yml").write_text(ledger, encoding="utf-8")
        found = rules.check(load_site(root), root / "archive")
        assert all(p.rule in rules.RULES for p in found)
