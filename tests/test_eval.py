"""`tosscan eval` on a tiny hand-made corpus whose numbers are computed by hand below."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tosscan.cli import app
from tosscan.dev.evaluate import evaluate_claudette, evaluate_gold, parse_claudette
from tosscan.pipeline import Scanner

RULES = """
rules:
  - {id: zh.content.removal.t, lang: zh, concepts: [content.removal], severity: medium, match: {any: [删除]},
     title: {zh: t, en: t}, explanation: {zh: t, en: t}, examples: {flag: [删除], pass: [保留]}}
  - {id: zh.account.unilateral_termination.t, lang: zh, concepts: [account.unilateral_termination],
     severity: medium, match: {any: [封号]},
     title: {zh: t, en: t}, explanation: {zh: t, en: t}, examples: {flag: [封号], pass: [保留]}}
  - {id: en.content.removal.t, lang: en, concepts: [content.removal], severity: medium, match: {any: [remove]},
     title: {zh: t, en: t}, explanation: {zh: t, en: t}, examples: {flag: [remove], pass: [keep]}}
  - {id: en.account.unilateral_termination.t, lang: en, concepts: [account.unilateral_termination],
     severity: medium, match: {any: [terminate]},
     title: {zh: t, en: t}, explanation: {zh: t, en: t}, examples: {flag: [terminate], pass: [keep]}}
"""
A = "平台有权删除内容。\n平台可以封号。\n用户可以删除内容。\n"
B = "平台不承担责任。\n"
XML = ("We may remove your content. <ter2>We may terminate your account.</ter2> "
       "<ter1>We may terminate it.</ter1> <cr2>Your posts can be taken down.</cr2>\n")


def gold_line(doc: str, text: str, concept: str, quote: str) -> str:
    start = text.index(quote)
    return json.dumps({"doc": doc, "concept": concept, "start": start, "end": start + len(quote), "quote": quote},
                      ensure_ascii=False)


@pytest.fixture
def corpus(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "t.yaml").write_text(RULES, encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "zh-a.txt").write_text(A, encoding="utf-8")
    (docs / "zh-b.txt").write_text(B, encoding="utf-8")
    (docs / "t.xml").write_text(XML, encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join([
        gold_line("zh-a.txt", A, "content.removal", "平台有权删除内容。"),
        gold_line("zh-a.txt", A, "account.unilateral_termination", "平台可以封号。"),
        # located by its quote when the offsets are stale, as the reference scorer does
        json.dumps({"doc": "zh-b.txt", "concept": "liability.limitation", "start": 99, "end": 100,
                    "quote": "平台不承担责任。"}, ensure_ascii=False),
    ]) + "\n", encoding="utf-8")
    return tmp_path


def test_gold_numbers_by_hand(corpus):
    report = evaluate_gold(Scanner(corpus / "rules"), corpus / "docs", corpus / "gold.jsonl", "zh-")
    # content.removal: unit 1 found (tp), unit 3 "用户可以删除" found but not gold (fp) → P 1/2, R 1, F1 2/3
    assert (report.tp["content.removal"], report.fp["content.removal"], report.fn["content.removal"]) == (1, 1, 0)
    assert report.prf("content.removal") == pytest.approx((0.5, 1.0, 2 / 3))
    # account: 1 tp → F1 1; liability: 1 fn → F1 0
    assert report.prf("account.unilateral_termination")[2] == 1.0
    assert report.prf("liability.limitation") == (0.0, 0.0, 0.0)
    # macro over the three gold concepts; micro = 2·2 / (2·2 + 1 fp + 1 fn)
    assert report.macro_f1 == pytest.approx((2 / 3 + 1 + 0) / 3)
    assert report.micro_f1 == pytest.approx(4 / 6)


def test_claudette_numbers_by_hand(corpus):
    text, gold, ignore = parse_claudette(XML)
    assert "<" not in text and len(gold) == 2 and len(ignore) == 1
    report = evaluate_claudette(Scanner(corpus / "rules"), corpus / "docs")
    # "We may remove your content." fp; "Your posts can be taken down." fn → content.removal F1 0
    assert (report.tp["content.removal"], report.fp["content.removal"], report.fn["content.removal"]) == (0, 1, 1)
    # terminate: one tp; the level-1 sentence counts neither way
    assert (report.tp["account.unilateral_termination"], report.fp["account.unilateral_termination"]) == (1, 0)
    assert report.macro_f1 == pytest.approx(0.5)
    assert report.micro_f1 == pytest.approx(2 / 4)


def test_eval_cli_json_and_errors(corpus):
    runner = CliRunner()
    r = runner.invoke(app, ["eval", str(corpus / "docs"), "--gold", str(corpus / "gold.jsonl"), "--prefix", "zh-",
                            "--rules", str(corpus / "rules"), "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["macro_f1"] == pytest.approx(0.5556, abs=1e-4) and data["documents"] == 2
    r = runner.invoke(app, ["eval", str(corpus / "docs"), "--gold", str(corpus / "gold.jsonl"), "--prefix", "zh-",
                            "--rules", str(corpus / "rules"), "--show-errors", "5"])
    assert "用户可以删除内容" in r.stdout and "平台不承担责任" in r.stdout
    r = runner.invoke(app, ["eval", str(corpus / "docs"), "--corpus", "claudette", "--rules", str(corpus / "rules"),
                            "--min-macro", "0.9"])
    assert r.exit_code == 1
    r = runner.invoke(app, ["eval", str(corpus / "docs")])
    assert r.exit_code == 2 and "exactly one of" in r.stderr
