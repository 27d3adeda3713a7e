"""The matching primitives, one by one, on stand-alone sentences."""

from __future__ import annotations

import itertools

import pytest

from tosscan.catalog import Rule
from tosscan.match import Context, compile_matcher
from tosscan.normalize import normalize

BASE = {"id": "zh.license.t", "lang": "zh", "concepts": ["license.grant"], "severity": "high",
        "title": {"zh": "t", "en": "t"}, "explanation": {"zh": "t", "en": "t"},
        "examples": {"flag": ["x"], "pass": ["y"]}}


def matcher(spec: dict):
    return compile_matcher(Rule.model_validate({**BASE, "match": spec}).match)


def hits(spec: dict, text: str, clause: str = "") -> list:
    ctx = Context(sentence=normalize(text).text, clause=normalize(clause).text if clause else "")
    return matcher(spec).find(ctx, "sentence")


def test_any_finds_each_occurrence():
    assert hits({"any": ["许可", "授权"]}, "授权并许可") == [(0, 2), (3, 5)]


def test_any_matches_traditional_and_full_width():
    assert hits({"any": ["不可撤销"]}, "您授予的許可係不可撤銷的")


def test_except_phrase_cancels_the_occurrence_inside_it():
    spec = {"any": ["排他", "独家"], "except": ["非排他", "非独家"]}
    assert not hits(spec, "非排他的许可")
    assert hits(spec, "独家的、排他的许可")
    assert hits(spec, "非排他的许可以及独家代理权") == [(8, 10)]


@pytest.mark.parametrize("text, negated", [
    ("用户不得对本软件进行修改、改编或制作派生作品", True),
    ("我们不会将您的内容用于训练", True),
    ("平台有权对您的内容制作派生作品", False),
])
def test_negation_guard(text, negated):
    spec = {"any": ["派生作品", "训练"], "negated_by": {"cues": ["不得", "不会"], "within": 16}}
    assert bool(hits(spec, text)) is not negated


def test_negation_guard_stops_at_punctuation():
    spec = {"any": ["派生作品"], "negated_by": {"cues": ["不得"], "within": 30, "stop": [","]}}
    assert hits(spec, "您不得转售，平台可制作派生作品")
    assert not hits(spec, "您不得转售平台制作的派生作品")


def test_negation_guard_in_tokens():
    spec = {"any": ["派生作品"], "negated_by": {"cues": ["不得"], "within": 3, "unit": "tokens"}}
    assert not hits(spec, "用户不得制作派生作品")
    assert hits(spec, "用户不得转售本软件，平台可以依法制作派生作品")


def test_all_within_sentence_and_within_clause():
    spec = {"all": [{"any": ["永久"]}, {"any": ["授予"]}]}
    assert hits(spec, "您永久授予平台")
    assert not hits(spec, "该许可永久有效", clause="您授予平台许可。该许可永久有效")
    spec_clause = {"all": [{"any": ["永久"]}, {"any": ["授予"]}], "scope": "clause"}
    assert hits(spec_clause, "该许可永久有效", clause="您授予平台许可。该许可永久有效")


def test_near_in_chars_and_tokens():
    spec = {"near": [{"any": ["授予"]}, {"any": ["许可"]}], "window": 4}
    assert hits(spec, "您授予平台许可")
    assert not hits(spec, "您授予平台一项免费的、全球性的许可")
    tok = {"near": [{"any": ["授予"]}, {"any": ["许可"]}], "window": 2, "unit": "tokens"}
    assert hits(tok, "您授予平台许可")
    assert not hits(tok, "您授予平台一项免费的、全球性的许可")


def test_seq_requires_order():
    spec = {"seq": [{"any": ["您"]}, {"any": ["授予"]}, {"any": ["平台"]}], "gap": 5}
    assert hits(spec, "您同意授予平台")
    assert not hits(spec, "平台授予您")


def test_not_holds_when_the_inner_matcher_is_absent():
    spec = {"all": [{"any": ["许可"]}, {"not": {"any": ["授予您"]}}]}
    assert hits(spec, "您授予平台许可")
    assert not hits(spec, "我们授予您许可")


def test_regex_with_timeout_on_hostile_input():
    spec = {"regex": r"第[一二三]条", "triggers": ["第"]}
    assert hits(spec, "见第二条") == [(1, 4)]
    evil = {"regex": r"(a+)+$", "triggers": ["a"]}
    assert hits(evil, "a" * 40 + "!") == []  # catastrophic backtracking is cut off, not hung


def test_whole_tokens():
    spec = {"any": ["撤销"], "whole_tokens": True}
    assert hits(spec, "您可以撤销授权")
    assert not hits(spec, "不可撤销的授权")  # 不可撤销 is one token thanks to the legal dictionary


def test_latin_terms_match_whole_words_unless_starred():
    assert hits({"any": ["law"]}, "governed by the laws of Ireland") == []
    assert hits({"any": ["laws"]}, "governed by the laws of Ireland")
    assert hits({"any": ["law"]}, "all lawful purposes") == []
    assert hits({"any": ["terminat*"]}, "We may TERMINATE your account")
    assert hits({"any": ["terminat*"]}, "termination of the account")
    assert hits({"any": ["may terminate"]}, "we may  terminate")  # white space runs are folded


def test_lemma_matching_in_english():
    spec = {"any": ["suspend account", "remove content"], "lemma": True}
    ctx = Context(sentence=normalize("We may have suspended accounts and removed the contents").text, lang="en")
    m = matcher(spec)
    assert m.find(ctx, "sentence") == [(12, 30)]
    assert m.triggers() == ["suspend", "remov"]
    ctx2 = Context(sentence=normalize("We removed contents").text, lang="en")
    assert m.find(ctx2, "sentence") == [(3, 19)]


def test_guard_cue_exceptions():
    spec = {"any": ["删除"], "negated_by": {"cues": ["未经"], "within": 10, "except": ["未经通知"]}}
    assert hits(spec, "平台可未经通知删除您的内容")
    assert not hits(spec, "平台未经您同意不会删除您的内容")


def test_near_and_seq_stop_at_punctuation():
    spec = {"near": [{"any": ["平台"]}, {"any": ["删除"]}], "window": 20, "stop": [","]}
    assert hits(spec, "平台有权删除内容")
    assert not hits(spec, "平台提示，用户可删除内容")  # full-width comma folds to the stop ","
    seq = {"seq": [{"any": ["平台"]}, {"any": ["删除"]}], "gap": 20, "stop": [","]}
    assert not hits(seq, "平台提示,用户可删除内容")


def test_either_is_an_or_of_matchers_and_feeds_the_prefilter():
    spec = {"either": [{"any": ["封号"]}, {"all": [{"any": ["终止"]}, {"any": ["账号"]}]}]}
    assert hits(spec, "平台有权封号")
    assert hits(spec, "平台有权终止您的账号")
    assert not hits(spec, "平台有权终止服务")
    assert sorted(matcher(spec).triggers()) == ["封号", "终止"]


def test_only_risky_regexes_pay_for_the_time_limit():
    assert not matcher({"regex": r"(不|无需)(承担)[^。;]{0,30}?(责任|赔偿)", "triggers": ["承担"]}).guarded
    assert matcher({"regex": r"(a+)+$", "triggers": ["a"]}).guarded
    assert matcher({"regex": r"(?:x*y)*z", "triggers": ["z"]}).guarded


def test_a_sentence_longer_than_the_match_window_is_matched_in_pieces():
    """A 5 MB line with no full stop is matched a piece at a time (linear), and findings still say which
    sentence they are in: a grant in the middle of a 40,000-character line is found in that sentence."""
    from tosscan.match import MAX_MATCHED, SentenceSpan, _pieces
    from tosscan.pipeline import Scanner

    filler = "and we may update this page from time to time, " * 400
    text = filler + "you grant us a worldwide licence to use your content, " + filler
    pieces, owner = _pieces(text, [SentenceSpan(0, len(text))])
    assert owner is not None and set(owner) == {0} and len(pieces) >= len(text) // MAX_MATCHED
    assert pieces[0].nstart == 0 and pieces[-1].nend == len(text)
    assert all(a.nend == b.nstart for a, b in itertools.pairwise(pieces))
    assert all(p.nend - p.nstart <= MAX_MATCHED for p in pieces)
    r = Scanner().scan_text(text, lang="en")
    grants = [f for f in r.findings if "license.grant" in f.concepts or "license.worldwide" in f.concepts]
    assert grants and all(f.start == 0 for f in grants)  # the whole (one) sentence, as for a short one
    assert _pieces(text[:100], [SentenceSpan(0, 100)])[1] is None  # short sentences are left alone
