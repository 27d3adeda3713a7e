"""Issue 13: AI training never fires on a restriction of the user, a promise not to train, a definition or a
disclaimer — checked on hard negatives and on every labelled English set: no `ai.training` finding lands on a
sentence the gold labels as a promise not to train (ai.no_training) or an opt-out only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import ROOT, needs_corpus

# the sets that label promises and opt-outs (../shared/corpus/en/modern labels none)
ENGLISH_SETS = [
    (ROOT / "benchmarks" / "heldout3-en", "heldout3-"),
    (ROOT / "benchmarks" / "heldout4-en", "heldout4-"),
    (ROOT / "benchmarks" / "heldout6-en", "heldout6-"),
]


@pytest.mark.parametrize("text", [
    "You agree not to use the Service to train, fine-tune or improve any machine learning model.",
    "When using the Services, you agree not to:\n- (b) train AI systems using platform data;",
    "We do not use your artwork to train generative AI, and we never will.",
    "We won't use the photos you upload to train our models unless you expressly agree in a separate prompt.",
    "If we ever want to use your sketches to train a model, we will ask for your separate consent first.",
    "Our moderation tools scan the stories you publish, but they are not trained on them.",
    '"Training Data" means the data used to train the models.',
    "We do not guarantee the accuracy of answers from our AI models, which are trained on public data.",
    "You can stop this by turning off \"Help improve AI Tools\" in Settings.",
])
def test_ai_training_is_not_a_restriction_promise_definition_or_disclaimer(scanner, text):
    found = {c for f in scanner.scan_text(text, lang="en").findings for c in f.concepts}
    assert "ai.training" not in found


def _gold_units(folder: Path, prefix: str) -> dict[str, dict[tuple[int, int], set[str]]]:
    units: dict[str, dict[tuple[int, int], set[str]]] = {}
    for line in (folder / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        g = json.loads(line)
        if g["doc"].startswith(prefix):
            units.setdefault(g["doc"], {}).setdefault((g["start"], g["end"]), set()).add(g["concept"])
    return units


@needs_corpus()
@pytest.mark.parametrize("folder, prefix", ENGLISH_SETS, ids=lambda v: getattr(v, "name", v))
def test_no_training_finding_on_a_promise_or_an_opt_out(scanner, folder, prefix):
    checked = 0
    for doc, units in _gold_units(folder, prefix).items():
        promises = [span for span, cs in units.items()
                    if cs & {"ai.no_training", "ai.opt_out"} and "ai.training" not in cs]
        if not promises:
            continue
        findings = [f for f in scanner.scan_file(folder / doc, lang="en").findings if "ai.training" in f.concepts]
        for a, b in promises:
            checked += 1
            wrong = [f.quote for f in findings if f.start < b and f.end > a]
            assert not wrong, f"{doc}: ai.training on a promise or an opt-out: {wrong[0][:120]}"
    assert checked, "the set labels no promise or opt-out"
