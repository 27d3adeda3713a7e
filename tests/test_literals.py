"""The literals a matcher needs (``tosscan.catalog.literals``): what the engine checks before it runs a rule.
A need may let through a sentence the rule then does not flag, never the other way round."""

from __future__ import annotations

import re

import pytest

from tosscan.catalog.literals import ANYWHERE, both, clause, either, holds, regex_need, strong, weak
from tosscan.match import Context, Engine


def lits(need) -> list[list[str]]:
    return sorted(sorted(c) for c in need)


@pytest.mark.parametrize("pattern, need", [
    ("许可", [["许可"]]),
    ("(您|你|用户)的(相关)?作品",
     [["你的作品", "你的相关作品", "您的作品", "您的相关作品", "用户的作品", "用户的相关作品"]]),
    ("(授予|授权)[^。]{0,5}(以下|下列)", [["下列", "以下"], ["授予", "授权"]]),
    ("(您|你)(作品|稿件)|提示词", [["你作品", "你稿件", "您作品", "您稿件", "提示词"]]),
    ("a(?:b|c)+d", [["a"], ["b", "c"], ["d"]]),
    ("ab{2,3}c", [["a"], ["b"], ["c"]]),
    ("[^:]\\s*$", []),              # nothing literal
    ("(?i)license", []),            # case-blind
    ("x(?i:abc)", [["x"]]),
    ("(?<!不)同意", [["同意"]]),      # a look-behind needs nothing
    ("(前述)?权利", [["权利"]]),
    ("可|", []),                    # an empty branch matches anywhere
    ("\\p{Han}许可", []),           # syntax only `regex` reads
])
def test_regex_need(pattern, need):
    assert lits(regex_need(pattern)) == need


def test_regex_module_syntax_that_re_reads_as_literals_needs_nothing():
    assert lits(regex_need("(?:授权){e<=1}")) == [["授权{e<=1}"]]  # what `re` reads
    assert regex_need("(?:授权){e<=1}", other_module=True) == ANYWHERE


def test_need_algebra():
    assert clause({"授权", "授权给", "许可"}) == frozenset({"授权", "许可"})  # "授权给" implies "授权"
    a, b = (clause({"授权"}),), (clause({"许可"}), clause({"平台"}))
    assert lits(both(a, b)) == [["平台"], ["授权"], ["许可"]]
    assert lits(either([a, b])) == [["平台", "授权"], ["授权", "许可"]]
    assert either([a, ANYWHERE]) == ANYWHERE
    assert holds(b, "许可平台") and not holds(b, "许可")


def test_clauses_almost_every_sentence_holds_are_not_looked_for():
    assert [w for w in ("，", " ", "a", "to", "的", "可", "use", "授权") if weak(w)] == ["，", " ", "a", "to"]
    assert lits(strong((clause({"授权", "a"}), clause({"许可"}), clause({"，"})))) == [["许可"]]
    # too many alternatives to distribute: the strongest clause of each, not one only weak words make
    wide = [(*(clause({f"{w}{w}{k}"}) for k in range(9)), clause({"a"})) for w in ("x", "y")]
    assert either(wide) and all(not any(weak(lit) for lit in c) for c in either(wide))


@pytest.mark.parametrize("pattern", [
    "(您|你|用户)的(相关)?作品", "(授予|授权)[^。]{0,5}(以下|下列)", "a(?:b|c)+d", "ab{2,3}c", "x(?i:abc)",
    "(?<!不)同意"])
@pytest.mark.parametrize("text", ["您的相关作品", "授权下列", "abbd", "acd", "abbbc", "xABC", "同意", "不同意", "ad"])
def test_a_text_the_need_refuses_does_not_match(pattern, text):
    if not holds(regex_need(pattern), text):
        assert re.search(pattern, text) is None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_rule_fires_on_a_corpus_sentence_that_misses_its_need(lang, scanner, corpus_sentences):
    engine = Engine(scanner.catalog.rules, lang, scanner.catalog.frames)
    refused = 0
    for sentence in corpus_sentences(lang, 300):
        ctx = Context(sentence=sentence, lang=lang)
        for cr, need in zip(engine.rules, engine.needs, strict=True):
            if not holds(need, sentence):
                refused += 1
                assert cr.evaluate(ctx) is None, (cr.rule.id, sentence)
    assert refused  # the needs do refuse sentences
