"""Frames: a domain statement (who grants what to whom) written once per language and named by rules.

The loader checks every reference; the engine decides a frame once per sentence however many rules name
it; a frame's examples run as a probe through the whole pipeline (``tests/test_rules_catalog.py``).
"""

from __future__ import annotations

import textwrap

import pytest

from tosscan.catalog import load_catalog
from tosscan.catalog.schema import rule_frame_refs
from tosscan.errors import CatalogError
from tosscan.match import CFrame, Engine
from tosscan.pipeline import Scanner

FRAME = """
frames:
  - id: grant
    lang: zh
    concepts: [license.grant]
    description: the user grants the platform rights over the user's content
    shapes:
      - name: by_user
        match:
          all:
            - any: [您授予, 您许可]
            - any: [作品, 内容]
      - name: may_use
        match:
          all:
            - any: [平台可以使用]
            - any: [您的作品]
        unless:
          - any: [不得]
    unless:
      - any: [我们授予您]
    examples: {flag: [您授予平台使用您的作品的权利。], pass: [我们授予您使用软件的许可。]}
"""

RULES = """
rules:
  - id: zh.license.free
    lang: zh
    concepts: [license.royalty_free, license.grant]
    severity: high
    match:
      all:
        - any: [免费]
        - frame: grant
    title: {zh: 免费, en: Free}
    explanation: {zh: 免费, en: Free}
    examples: {flag: [您免费授予平台使用您的作品的权利。], pass: [平台免费提供服务。]}
  - id: zh.license.forever
    lang: zh
    concepts: [license.perpetual, license.grant]
    severity: high
    match:
      all:
        - any: [永久]
        - frame: grant
    title: {zh: 永久, en: Forever}
    explanation: {zh: 永久, en: Forever}
    examples: {flag: [您永久授予平台使用您的作品的权利。], pass: [永久封禁。]}
"""


def write(tmp_path, name, text):
    (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def test_a_frame_in_one_file_is_named_by_rules_of_another(tmp_path):
    write(tmp_path, "frames.yaml", FRAME)
    cat = load_catalog(write(tmp_path, "rules.yaml", RULES))
    assert [f.id for f in cat.frames_for("zh")] == ["grant"] and not cat.unused_lists


def test_attribute_rules_fire_only_where_the_frame_holds(tmp_path):
    write(tmp_path, "frames.yaml", FRAME)
    scanner = Scanner(write(tmp_path, "rules.yaml", RULES))

    def fired(text: str) -> set[str]:
        return {r for f in scanner.scan_text(text, lang="zh").findings for r in f.rules}

    assert fired("您授予平台免费、永久使用您的作品的权利。") == {"zh.license.free", "zh.license.forever"}
    assert fired("平台可以使用您的作品，免费。") == {"zh.license.free"}  # the second shape
    # hard negatives: the frame's own (a licence TO the user) and a shape's own (a restriction)
    assert fired("我们授予您免费的许可，您授予的内容除外。") == set()
    assert fired("平台可以使用您的作品，但不得免费转售。") == set()
    assert fired("本平台永久免费。") == set()  # the words of the rule without the frame


def test_the_frame_is_decided_once_per_sentence(tmp_path, monkeypatch):
    write(tmp_path, "frames.yaml", FRAME)
    scanner = Scanner(write(tmp_path, "rules.yaml", RULES))
    calls = []
    real = CFrame._shape

    def counting(ctx, scope, m, unless):
        calls.append((ctx.sentence, id(m)))
        return real(ctx, scope, m, unless)

    monkeypatch.setattr(CFrame, "_shape", staticmethod(counting))
    scanner.scan_text("您授予平台免费、永久使用您的作品的权利。平台可以使用永久免费的内容，不得转售您的作品。",
                      lang="zh")
    # two rules name it on each sentence; each shape is decided once per sentence, the first sentence
    # stops at the first shape that holds (the second holds every literal the rules need, so the engine's
    # prefilter lets it through, and neither shape: the second one's `unless`)
    assert len(calls) == len(set(calls)) == 1 + 2
    assert len({sentence for sentence, _ in calls}) == 2


@pytest.mark.parametrize("text, error", [
    (RULES, "names an unknown frame 'grant' (frames of zh: none)"),
    (FRAME + FRAME.replace("frames:\n", ""), "frame 'grant' (zh) defined twice"),
    (FRAME.replace("- any: [我们授予您]", "- frame: grant") + RULES,
     "frames name each other in a circle (grant -> grant)"),
    (FRAME.replace("    description: the user grants the platform rights over the user's content\n", ""),
     "description: Field required"),
    (FRAME.replace("- any: [您授予, 您许可]", "- frame: Grant"), "String should match pattern"),
])
def test_bad_frames_are_one_line_errors_with_file_and_line(tmp_path, text, error):
    with pytest.raises(CatalogError) as e:
        load_catalog(write(tmp_path, "r.yaml", text))
    assert error in str(e.value) and "r.yaml:" in str(e.value) and "\n" not in str(e.value)


def test_a_frame_no_rule_names_fails_validate(tmp_path):
    other = RULES.replace("- frame: grant", "- any: [许可]")
    cat = load_catalog(write(tmp_path, "r.yaml", FRAME + other))
    assert len(cat.unused_lists) == 1 and "frame 'grant' is not named by any rule" in cat.unused_lists[0]


def test_the_shipped_grant_frames_are_compiled_once_per_engine():
    cat = load_catalog()
    for lang in ("zh", "en"):
        engine = Engine(cat.rules, lang, cat.frames)
        naming = [cr for cr in engine.rules if any(r.frame == "grant" for r in rule_frame_refs(cr.rule))]
        assert len(naming) >= 8, lang  # the attribute rules of the licence name it
        assert list(engine.frames._compiled) == ["grant"]


def test_a_part_with_scope_lead_looks_at_the_lead_in_of_the_list():
    from tosscan.catalog import Rule
    from tosscan.match import Context, compile_matcher

    rule = Rule.model_validate({
        "id": "zh.license.t", "lang": "zh", "concepts": ["license.grant"], "severity": "high",
        "title": {"zh": "t", "en": "t"}, "explanation": {"zh": "t", "en": "t"},
        "examples": {"flag": ["x"], "pass": ["y"]},
        "match": {"all": [{"any": ["展示"]}, {"any": ["您授予"]}], "scope": "lead"}})
    m = compile_matcher(rule.match)
    assert m.find(Context(sentence="在首页展示您的作品；", lead="您授予我们以下权利："), "sentence")
    assert not m.find(Context(sentence="在首页展示您的作品；", lead="您不得从事以下行为："), "sentence")
    assert not m.find(Context(sentence="在首页展示您的作品；"), "sentence")  # not an item: no lead-in


def test_items_under_a_granting_lead_in_are_grants_and_under_a_restriction_are_not():
    scanner = Scanner()

    def concepts(text: str, lang: str) -> set[str]:
        return {c for f in scanner.scan_text(text, lang=lang).findings for c in f.concepts}

    item = "\n（1）在平台中展示、复制、传播商品信息；\n"
    assert "license.grant" in concepts("（二）您授予我们以下权利：" + item, "zh")
    assert "license.grant" not in concepts("（二）您不得从事以下行为：" + item, "zh")
    en = "When you upload Seller Content, you grant us the right to:\n- (c) use it in our own marketing;\n"
    assert "license.grant" in concepts(en, "en")
    assert "license.grant" not in concepts(en.replace("you grant us the right to", "you agree not to"), "en")
    assert "license.grant" not in concepts(en.replace("you grant us", "we grant you"), "en")


FOLLOW = FRAME.replace("""    unless:
      - any: [我们授予您]""", """      - name: follow_up
        match:
          all:
            - any: [前述授权]
            - frame: grant
              shapes: [by_user]
          scope: before
    unless:
      - any: [我们授予您]""")


def test_a_shape_may_name_other_shapes_of_its_own_frame_in_the_sentences_before(tmp_path):
    scanner = Scanner(write(tmp_path, "rules.yaml", FOLLOW + RULES))
    result = scanner.scan_text("您授予平台使用您的作品的权利。前述授权是免费的。", lang="zh")
    found = {(f.quote, c) for f in result.findings for c in f.concepts}
    assert ("前述授权是免费的。", "license.royalty_free") in found
    # the grant before is a licence TO the user: the frame's own hard negative vetoes it in that scope too
    result = scanner.scan_text("我们授予您使用软件的许可，您授予的作品除外。前述授权是免费的。", lang="zh")
    found = {c for f in result.findings for c in f.concepts}
    assert "license.royalty_free" not in found


def test_a_shape_naming_itself_is_a_circle(tmp_path):
    own = FOLLOW.replace("shapes: [by_user]", "shapes: [follow_up]")
    with pytest.raises(CatalogError) as e:
        load_catalog(write(tmp_path, "r.yaml", own + RULES))
    assert "circle" in str(e.value) and "grant.follow_up" in str(e.value)
