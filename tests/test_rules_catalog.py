"""The catalog is data: every rule validates, names known concepts, and carries examples that hold.

Each example becomes its own test case (``zh.license.irrevocable:flag0``), as in sqlfluff and
semgrep-rules, so adding a rule adds its tests.
"""

from __future__ import annotations

import pytest
import yaml

from tosscan.catalog import load_catalog, load_concepts
from tosscan.dev.examples import cases, run_case

from .conftest import ROOT, SHARED

CATALOG = load_catalog()
CASES = cases(CATALOG.rules, CATALOG.frames)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_rule_example(scanner, case):
    out = run_case(scanner, case)
    if case.kind == "flag":
        assert out.fired, f"{case.rule.id} must flag: {case.text}"
    else:
        assert not out.fired, f"{case.rule.id} must pass: {case.text}"


def test_catalog_is_not_empty_and_covers_every_concept_in_chinese():
    concepts = set(load_concepts())
    covered = {c for r in CATALOG.for_lang("zh") for c in r.concepts}
    assert concepts - covered == set(), "concepts with no Chinese rule"


@pytest.mark.parametrize("frame", CATALOG.frames, ids=[f"{f.lang}.frame.{f.id}" for f in CATALOG.frames])
def test_frame_meta(frame):
    """A frame names known concepts, states itself in examples both ways, and some rule names it."""
    assert set(frame.concepts) <= set(load_concepts())
    assert frame.examples.flag and frame.examples.pass_
    assert not [u for u in CATALOG.unused_lists if f"frame {frame.id!r}" in u]


def test_every_language_writes_its_grant_frame_once():
    for lang in ("zh", "en"):
        assert [f.id for f in CATALOG.frames_for(lang)].count("grant") == 1


@pytest.mark.parametrize("rule", CATALOG.rules, ids=[r.id for r in CATALOG.rules])
def test_rule_meta(rule):
    known = set(load_concepts())
    assert set(rule.concepts) <= known, f"unknown concepts {set(rule.concepts) - known}"
    assert rule.examples.flag and rule.examples.pass_
    assert rule.id.startswith(rule.lang + ".")
    assert rule.title.zh and rule.title.en and rule.explanation.zh and rule.explanation.en


def test_shipped_concepts_match_the_shared_vocabulary():
    shared = SHARED / "concepts.yaml"
    if not shared.exists():
        pytest.skip("../shared not beside the checkout")
    ours = yaml.safe_load((ROOT / "tosscan" / "data" / "concepts.yaml").read_text(encoding="utf-8"))
    theirs = yaml.safe_load(shared.read_text(encoding="utf-8"))
    assert ours == theirs, "tosscan/data/concepts.yaml is out of date: copy ../shared/concepts.yaml"
