"""The blind licence labels of real ToS (benchmarks/real-en) point at the text they quote, in the documents of
../shared/corpus/en/claudette, and use only the 22 licence/AI/IP concepts."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONCEPTS = {"license.grant", "license.third_parties", "license.commercial_use", "license.derivative_works",
            "license.survives_termination", "license.worldwide", "license.sublicensable", "license.perpetual",
            "license.exclusive", "license.irrevocable", "license.royalty_free", "license.any_media",
            "license.limited_purpose", "license.revocable", "license.transferable", "ai.training",
            "ai.no_training", "ai.opt_out", "ip.user_retains_ownership", "ip.ownership_transfer",
            "moral_rights.waiver", "enforcement.on_behalf"}


def _real_en():
    spec = importlib.util.spec_from_file_location("real_en", ROOT / "benchmarks" / "real_en.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_every_label_quotes_its_document(tmp_path):
    gold, problems = _real_en().build(tmp_path)
    assert problems == []
    lines = [json.loads(x) for x in gold.read_text(encoding="utf-8").splitlines()]
    assert len(lines) > 250
    assert {g["concept"] for g in lines} <= CONCEPTS
    assert len({g["doc"] for g in lines}) == 9
