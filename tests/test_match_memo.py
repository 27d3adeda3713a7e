"""A matcher the catalog writes several times is compiled once and found once per sentence; that sharing
must not change what any rule finds."""

from __future__ import annotations

from pathlib import Path

import pytest

from tosscan.catalog import Rule
from tosscan.match import Context, Engine, Frames, compile_matcher
from tosscan.normalize import normalize
from tosscan.pipeline import Scanner

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
BASE = {"id": "zh.license.t", "lang": "zh", "concepts": ["license.grant"], "severity": "high",
        "title": {"zh": "t", "en": "t"}, "explanation": {"zh": "t", "en": "t"},
        "examples": {"flag": ["x"], "pass": ["y"]}}


def spec(match: dict):
    return Rule.model_validate({**BASE, "match": match}).match


def test_equal_matchers_compile_to_one_object():
    env = Frames()
    a = compile_matcher(spec({"regex": "授予|许可", "triggers": ["授予"]}), env)
    assert compile_matcher(spec({"regex": "授予|许可", "triggers": ["授予"]}), env) is a
    assert compile_matcher(spec({"regex": "授予|许可", "triggers": ["许可"]}), env) is not a  # other triggers
    assert compile_matcher(spec({"regex": "授予|许可", "triggers": ["授予"]})) is not a  # no env: no sharing


def test_a_context_keeps_find_and_holds_apart():
    m = compile_matcher(spec({"regex": "许可", "triggers": ["许可"]}), Frames())
    ctx = Context(sentence=normalize("您授予我们许可，许可可以转让").text)
    assert m.holds(ctx, "sentence")
    assert m.find(ctx, "sentence") == [(5, 7), (8, 10)]  # the whole list, not the answer of holds
    assert m.holds(ctx, "sentence")


def _sentences(lang: str, limit: int) -> list[str]:
    folder = CORPUS / ("zh" if lang == "zh" else "en/modern")
    paths = sorted(folder.glob("zh-*.txt" if lang == "zh" else "en-*.md"))[:4]
    if not paths:
        pytest.skip(f"no corpus in {folder}")
    scanner = Scanner()
    out: list[str] = []
    for p in paths:
        text = p.read_text(encoding="utf-8")
        result = scanner.scan_text(text, lang=lang)
        out += [normalize(text[s.start:s.end]).text for s in result.structure.sentences]
    return out[:limit]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_one_context_for_every_rule_finds_what_a_context_per_rule_finds(lang):
    scanner = Scanner()
    engine = Engine(scanner.catalog.rules, lang, scanner.catalog.frames)
    for sentence in _sentences(lang, 300):
        shared = Context(sentence=sentence, lang=lang)
        for cr in engine.rules:
            assert cr.evaluate(shared) == cr.evaluate(Context(sentence=sentence, lang=lang)), (cr.rule.id, sentence)
