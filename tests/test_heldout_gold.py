"""The gold labels of every held-out set hold the conventions `benchmarks/check_gold.py` checks (one scoring unit
per span, quote == text, known concepts, license.grant beside every other licence term …), and the checker
finds what breaks them."""

from __future__ import annotations

import importlib.util
import json
import shutil

from .conftest import ROOT, needs_corpus

spec = importlib.util.spec_from_file_location("check_gold", ROOT / "benchmarks" / "check_gold.py")
check_gold = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_gold)


@needs_corpus()
def test_every_held_out_set_is_valid(capsys):
    assert check_gold.main([]) == 0, capsys.readouterr().out


@needs_corpus()
def test_the_checker_finds_broken_labels(tmp_path):
    folder = tmp_path / "heldout6-en"
    shutil.copytree(ROOT / "benchmarks" / "heldout6-en", folder)
    lines = (folder / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    shifted = {**first, "start": first["start"] + 1, "quote": first["quote"][1:]}  # half a unit
    licence = next(json.loads(x) for x in lines if json.loads(x)["concept"] == "license.royalty_free")
    grantless = [x for x in lines if not (json.loads(x)["concept"] == "license.grant"
                                          and json.loads(x)["start"] == licence["start"])]
    (folder / "gold.jsonl").write_text("\n".join([*grantless, json.dumps(shifted), lines[1],
                                                  json.dumps({**first, "concept": "license.magic"})]) + "\n",
                                       encoding="utf-8")
    errors = check_gold.check(folder, check_gold.concept_ids(), check_gold._units())
    text = "\n".join(errors)
    assert "not exactly one scoring unit" in text
    assert "duplicate" in text
    assert "unknown concept 'license.magic'" in text
    assert "without license.grant" in text


battery_spec = importlib.util.spec_from_file_location("battery", ROOT / "benchmarks" / "battery.py")
battery = importlib.util.module_from_spec(battery_spec)
battery_spec.loader.exec_module(battery)


@needs_corpus()
def test_both_batteries_are_valid_and_the_checker_finds_broken_lines():
    known = check_gold.concept_ids()
    for lang, path in battery.BATTERIES.items():
        rows = battery.load(path)
        assert len(rows) > 800 and battery.problems(rows, known, lang) == [], path
    row = battery.load(battery.BATTERIES["en"])[0]
    broken = [row, {**row, "concepts": ["license.perpetual"]}, {**row, "id": "x", "concepts": ["license.magic"]},
              {k: v for k, v in row.items() if k != "note"},
              {**row, "id": "y", "text": "Another.", "note": "", "concepts": ["license.grant", "license.grant"]}]
    text = "\n".join(battery.problems(broken, known))
    assert "id twice" in text and "without license.grant" in text and "unknown concept license.magic" in text
    assert "keys" in text and "text twice" in text and "no note" in text and "listed twice" in text
    zh = {**row, "id": "z", "text": "您授予我们许可。我们可以使用。"}
    assert "more than one scoring unit" in "\n".join(battery.problems([zh], known, "zh"))
    assert battery.problems([zh], known, "en") == []


def test_a_battery_line_is_scanned_in_its_context():
    item = {"context": "You grant us the right to:", "text": "display your posts;"}
    text, s, e = battery.document(item, "en")
    assert text[s:e] == "display your posts;" and text.startswith("You grant us the right to:\n\n- ")
    follow = {"context": "前述授权为免费授权。", "text": "该授权不可撤销。"}
    text, s, e = battery.document(follow, "zh")
    assert text == "前述授权为免费授权。该授权不可撤销。" and text[s:e] == "该授权不可撤销。"
