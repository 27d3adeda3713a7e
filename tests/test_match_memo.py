"""A matcher the catalog writes several times is compiled once and found once per sentence; that sharing
must not change what any rule finds."""

from __future__ import annotations

import pytest

from tosscan.catalog import Rule
from tosscan.match import Context, Engine, Frames, compile_matcher
from tosscan.normalize import normalize

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


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_one_context_for_every_rule_finds_what_a_context_per_rule_finds(lang, scanner, corpus_sentences):
    engine = Engine(scanner.catalog.rules, lang, scanner.catalog.frames)
    for sentence in corpus_sentences(lang, 300):
        shared = Context(sentence=sentence, lang=lang)
        for cr in engine.rules:
            assert cr.evaluate(shared) == cr.evaluate(Context(sentence=sentence, lang=lang)), (cr.rule.id, sentence)
