"""The structure stage: clauses from numbering and headings, sentences from the reference splitter."""

from __future__ import annotations

import bisect
import random
import re
from pathlib import Path

import pytest

from tosscan.models import Clause, Structure
from tosscan.structure import SENTENCE_BOUNDARY, inline_enumerations, parse

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "zh"
REFERENCE = re.compile(r"\n|[。！？；!?;]|\.(?=\s)")


def clauses_by_label(st: Structure) -> dict[str, Clause]:
    return {c.label: c for c in st.clauses}


def sentence_texts(text: str, st: Structure) -> list[str]:
    return [text[s.start : s.end] for s in st.sentences]


def reference_units(text: str) -> list[tuple[int, int]]:
    units, a = [], 0
    for m in REFERENCE.finditer(text):
        units.append((a, m.end()))
        a = m.end()
    if a < len(text):
        units.append((a, len(text)))
    return units


def check_invariants(text: str, st: Structure) -> None:
    """What every parse must satisfy, whatever the document."""
    boundaries = sorted({m.end() for m in REFERENCE.finditer(text)})
    prev_end = 0
    for s in st.sentences:
        assert 0 <= prev_end <= s.start < s.end <= len(text), s
        piece = text[s.start : s.end]
        assert piece == piece.strip() and piece, s
        # never crosses a reference boundary, and runs to the end of its unit (only a leading label is dropped)
        k = bisect.bisect_right(boundaries, s.start)
        unit_end = boundaries[k] if k < len(boundaries) else len(text)
        assert s.end <= unit_end and not text[s.end : unit_end].strip(), (s, piece)
        if s.clause is not None:
            c = st.clauses[s.clause]
            assert c.start <= s.start < c.end, (c, piece)
            for child in st.clauses[s.clause + 1 :]:
                if child.start > s.start:
                    break
                # the innermost clause: no later clause that also holds the sentence start
                assert not (child.start <= s.start < child.end), (child, c, piece)
        prev_end = s.end
    for i, c in enumerate(st.clauses):
        assert 0 <= c.start < c.end <= len(text), c
        if c.parent is not None:
            p = st.clauses[c.parent]
            assert c.parent < i and p.start <= c.start and c.end <= p.end, (p, c)
            assert c.level == p.level + 1
        else:
            assert c.level == 0
        if i:
            assert st.clauses[i - 1].start <= c.start


# --------------------------------------------------------------------------- numbering styles and nesting


def test_chapters_and_articles_with_chinese_numerals() -> None:
    text = (
        "第一章 总则\n第一条 为了规范服务，制定本协议。\n第十二条 用户应当遵守法律。\n"
        "第二章 附则\n第一百零一条 本协议自发布之日起生效。\n"
    )
    st = parse(text)
    c = clauses_by_label(st)
    assert [x.label for x in st.clauses] == ["第一章", "第一条", "第十二条", "第二章", "第一百零一条"]
    assert c["第一章"].level == 0 and c["第二章"].level == 0
    assert c["第十二条"].level == 1 and st.clauses[c["第十二条"].parent].label == "第一章"
    assert c["第一百零一条"].parent == st.clauses.index(c["第二章"])
    assert c["第十二条"].number == "第十二条"
    assert c["第一章"].heading == "总则" and c["第十二条"].heading == "总则"
    assert c["第二章"].heading == "附则"
    check_invariants(text, st)


def test_arabic_traditional_and_fullwidth_article_numbers() -> None:
    text = "第12条 用户義務如下。\n第五條 服務條款。\n第１３条 其他。\n"
    st = parse(text)
    assert [c.label for c in st.clauses] == ["第12条", "第五條", "第１３条"]
    assert st.clauses[2].number == "第13条"
    assert all(c.level == 0 for c in st.clauses)


def test_article_with_paren_items_number_path() -> None:
    text = "第四条 用户不得从事下列行为：\n（一）发布违法信息；\n（二）侵犯他人权利。\n第五条 其他。\n"
    st = parse(text)
    c = clauses_by_label(st)
    assert c["（二）"].number == "第四条（二）"
    assert c["（二）"].level == 1 and st.clauses[c["（二）"].parent].label == "第四条"
    assert c["第五条"].level == 0
    assert c["（二）"].end <= c["第五条"].start


def test_chinese_official_hierarchy() -> None:
    text = (
        "一、总则\n（一）适用范围\n1、本规则适用于全体用户。\n（1）注册用户；\n（2）访客。\n"
        "2、其他规定。\n（二）定义\n二、附则\n"
    )
    st = parse(text)
    labels = [(c.label, c.level, c.number) for c in st.clauses]
    assert labels == [
        ("一、", 0, "一"),
        ("（一）", 1, "一.（一）"),
        ("1、", 2, "一.（一）1"),
        ("（1）", 3, "一.（一）1（1）"),
        ("（2）", 3, "一.（一）1（2）"),
        ("2、", 2, "一.（一）2"),
        ("（二）", 1, "一.（二）"),
        ("二、", 0, "二"),
    ]
    assert st.clauses[1].heading == "适用范围"
    assert st.clauses[2].heading == "适用范围"  # no heading of its own: the nearest ancestor's
    check_invariants(text, st)


def test_taobao_style_mixture() -> None:
    text = (
        "一、 定义\n\n淘宝平台：指淘宝网。\n\n二、 协议范围\n\n2.1 签约主体\n\n本协议由您与淘宝共同缔结。\n\n"
        "三、 账户注册与使用\n\n3.3 注册信息管理\n\n3.3.1 真实合法\n\n您应提供真实信息：\n\n"
        "（一）未绑定账户；\n\n（二）连续六个月未登录。\n\n3.4 账户安全规范\n\n您应妥善保管账户。\n"
    )
    st = parse(text)
    c = clauses_by_label(st)
    assert c["2.1"].number == "2.1" and st.clauses[c["2.1"].parent].label == "二、"
    assert c["3.3.1"].level == 2 and st.clauses[c["3.3.1"].parent].label == "3.3"
    assert c["（二）"].number == "3.3.1（二）" and c["（二）"].level == 3
    assert c["3.4"].level == 1 and st.clauses[c["3.4"].parent].label == "三、"
    assert c["3.3.1"].heading == "真实合法" and c["（一）"].heading == "真实合法"
    assert c["2.1"].heading == "签约主体"
    check_invariants(text, st)


def test_dotted_numbers_nest_by_depth() -> None:
    text = "4 知识产权\n4.2 授权\n4.2.3 您授予我们许可。\n4.2.4 其他。\n4.3 保留\n5 其他\n"
    st = parse(text)
    got = [(c.label, c.level, c.number, c.parent) for c in st.clauses]
    assert got == [
        ("4", 0, "4", None),
        ("4.2", 1, "4.2", 0),
        ("4.2.3", 2, "4.2.3", 1),
        ("4.2.4", 2, "4.2.4", 1),
        ("4.3", 1, "4.3", 0),
        ("5", 0, "5", None),
    ]
    assert st.clauses[1].heading == "授权" and st.clauses[2].heading == "授权"
    # a clause runs to the next clause of the same or a higher level
    assert st.clauses[1].end == text.index("4.3")
    assert st.clauses[0].end == text.index("5 其他")
    assert st.clauses[-1].end == len(text)  # the last one: to the end of the text


def test_fullwidth_digits_and_dots() -> None:
    text = "１. 服务说明\n１.２ 您同意本协议。\n１．３ 其他约定。\n"
    st = parse(text)
    assert [(c.label, c.number, c.level) for c in st.clauses] == [
        ("１.", "1", 0),
        ("１.２", "1.2", 1),
        ("１．３", "1.3", 1),
    ]
    assert sentence_texts(text, st) == ["服务说明", "您同意本协议。", "其他约定。"]


def test_number_alone_on_its_line() -> None:
    text = "4.5\n您授予我们一项许可。\n第五条\n知识产权\n您保留您的权利。\n"
    st = parse(text)
    c = clauses_by_label(st)
    assert set(c) == {"4.5", "第五条"}
    assert c["第五条"].heading == "知识产权"
    sents = st.sentences
    assert [text[s.start : s.end] for s in sents] == ["您授予我们一项许可。", "知识产权", "您保留您的权利。"]
    assert st.clauses[sents[0].clause].label == "4.5"
    assert st.clauses[sents[2].clause].label == "第五条"


def test_number_split_from_its_separator() -> None:
    # a line holding only "2" and the next opening with "、": one label "2、"
    text = "1、您完成注册。\n 2\n、您设置的昵称必须合法。\n3、其他。\n"
    st = parse(text)
    assert [c.label for c in st.clauses] == ["1、", "2、", "3、"]
    assert sentence_texts(text, st) == ["您完成注册。", "您设置的昵称必须合法。", "其他。"]


def test_other_list_styles() -> None:
    text = "1. 禁止行为：\n(a) 发布广告；\n(b) 骚扰他人；\n① 辱骂；\n② 威胁。\n1) 第一项；\na) 子项。\n"
    st = parse(text)
    c = clauses_by_label(st)
    assert c["(b)"].number == "1(b)" and c["(b)"].level == 1
    assert c["②"].level == 2 and c["②"].number == "1(b)②"
    assert {"1)", "a)"} <= set(c)


def test_letters_and_roman_numerals() -> None:
    text = "(a) first;\n(b) second:\n(i) one;\n(ii) two;\n(c) third.\n(h) eighth;\n(i) ninth;\n"
    st = parse(text, lang="en")
    got = [(c.label, c.level) for c in st.clauses]
    assert got == [("(a)", 0), ("(b)", 0), ("(i)", 1), ("(ii)", 1), ("(c)", 0), ("(h)", 0), ("(i)", 0)]


def test_markdown_headings_and_bullets() -> None:
    text = "# 用户协议\n\n## 1. 服务说明\n\n1.1 我们提供服务。\n\n## 知识产权\n\n- 您保留权利。\n* 您授予我们许可。\n"
    st = parse(text)
    c = st.clauses
    assert c[0].label == "" and c[0].heading == "用户协议" and c[0].level == 0
    assert c[1].label == "1." and c[1].heading == "服务说明" and c[1].level == 1
    assert c[2].label == "1.1" and c[2].parent == 1
    assert c[3].heading == "知识产权" and c[3].level == 1 and c[3].parent == 0
    assert sentence_texts(text, st) == [
        "用户协议",
        "服务说明",
        "我们提供服务。",
        "知识产权",
        "您保留权利。",
        "您授予我们许可。",
    ]
    check_invariants(text, st)


def test_bracketed_headings() -> None:
    text = (
        "【首部及导言】\n\n欢迎您使用本服务。\n\n1. 服务说明\n\n1.1 我们提供服务。\n\n"
        "【审慎阅读】 您在注册时应阅读本协议。\n\n一、【账号规则】\n"
    )
    st = parse(text)
    c = st.clauses
    assert c[0].heading == "首部及导言" and c[0].level == 0
    assert c[0].end == text.index("1. 服务说明")  # closed by the first numbered clause
    assert c[1].label == "1." and c[1].level == 0
    # an inline 【…】 keyword is no clause
    assert not any(x.heading == "审慎阅读" for x in c)
    assert c[-1].label == "一、" and c[-1].heading == "账号规则"


def test_bracketed_heading_inside_a_section_holds_its_items() -> None:
    text = "3.2 账户说明\n您有权使用账户。\n【账户转让】\n账户不得转让：\n（一）未实名；\n（二）未登录。\n3.3 其他\n"
    st = parse(text)
    c = st.clauses
    assert [(x.label, x.level) for x in c] == [("3.2", 0), ("", 1), ("（一）", 2), ("（二）", 2), ("3.3", 0)]
    assert c[1].heading == "账户转让" and c[2].heading == "账户转让" and c[1].number == "3.2"


def test_english_sections_and_caps_headings() -> None:
    text = (
        "TERMS OF SERVICE\n\nSection 1. Acceptance\nBy using the Services you agree.\n\n"
        "7. Termination\n7.2 We may suspend your account. You may appeal.\n(a) for fraud;\n"
    )
    st = parse(text, lang="en")
    c = clauses_by_label(st)
    assert st.clauses[0].heading == "TERMS OF SERVICE" and st.clauses[0].label == ""
    assert c["Section 1"].heading == "Acceptance" and c["Section 1"].level == 0
    assert c["7."].heading == "Termination"
    assert c["7.2"].parent == st.clauses.index(c["7."])
    assert c["(a)"].number == "7.2(a)"
    assert "We may suspend your account." in sentence_texts(text, st)
    assert "You may appeal." in sentence_texts(text, st)


def test_crlf_line_ends_keep_offsets() -> None:
    text = "第一条 总则\r\n1.1 您同意本协议。\r\n1.2 我们提供服务；您遵守规则。\r\n"
    st = parse(text)
    assert [c.label for c in st.clauses] == ["第一条", "1.1", "1.2"]
    assert sentence_texts(text, st) == ["总则", "您同意本协议。", "我们提供服务；", "您遵守规则。"]
    assert [c.end for c in st.clauses] == [len(text), text.index("1.2"), len(text)]
    check_invariants(text, st)


def test_english_sentences_are_no_headings() -> None:
    text = "Section 2 License\n(a) you grant us a license.\n(i) This survives termination;\n(ii) It is irrevocable.\n"
    st = parse(text, lang="en")
    assert [(c.label, c.level, c.heading) for c in st.clauses] == [
        ("Section 2", 0, "License"),
        ("(a)", 1, "License"),
        ("(i)", 2, "License"),
        ("(ii)", 2, "License"),
    ]
    assert st.clauses[3].number == "Section 2(a)(ii)"


# --------------------------------------------------------------------------- false clauses


@pytest.mark.parametrize(
    "line",
    [
        "2020年1月1日起，本协议生效。",
        "2017.11.14 发布",
        "1.5 元/次的服务费由您承担。",
        "2.5倍的赔偿。",
        "1、2、3项所列情形除外。",
        "3 个工作日内完成审核。",
        "10%的手续费。",
        "2016年5月",
        "  依据第3条的规定处理。",
        "(2)) 的规定，应通知我们。",
    ],
)
def test_dates_decimals_and_quantities_are_no_labels(line: str) -> None:
    st = parse("前文。\n" + line + "\n")
    assert st.clauses == []


def test_numbers_inside_sentences_are_no_labels() -> None:
    text = "服务费为1.5元，自2017.11.14起收取，详见第3条。\n本协议第4.2.3条另有约定。\n"
    st = parse(text)
    assert st.clauses == []
    assert sentence_texts(text, st) == ["服务费为1.5元，自2017.11.14起收取，详见第3条。", "本协议第4.2.3条另有约定。"]


def test_restarted_list_inside_a_dotted_clause_is_a_list() -> None:
    text = "2.5 您同意并承诺：\n1. 妥善保管密码；\n2. 及时退出。\n2.6 其他。\n3. 注册账号\n"
    st = parse(text)
    got = [(c.label, c.level, c.number) for c in st.clauses]
    assert got == [("2.5", 0, "2.5"), ("1.", 1, "2.5(1)"), ("2.", 1, "2.5(2)"), ("2.6", 0, "2.6"), ("3.", 0, "3")]


def test_markdown_list_number_before_the_real_label() -> None:
    text = "一、定义条款\n  1. 1.1.“团购”：指商业活动。\n  2. 1.2.“用户”：指接受本协议者。\n"
    st = parse(text)
    assert [(c.label, c.level) for c in st.clauses] == [("一、", 0), ("1.1.", 1), ("1.2.", 1)]
    assert sentence_texts(text, st) == ["定义条款", "“团购”：指商业活动。", "“用户”：指接受本协议者。"]


# --------------------------------------------------------------------------- sentences


def test_sentence_labels_are_stripped() -> None:
    text = "4.2 您授予我们免费的许可。我们可以再许可；\n1. 用户应遵守法律.\n4.2.3 不得转让!\n"
    st = parse(text)
    assert sentence_texts(text, st) == ["您授予我们免费的许可。", "我们可以再许可；", "用户应遵守法律.", "不得转让!"]
    first = st.sentences[0]
    assert text[first.start] == "您"
    assert st.clauses[first.clause].label == "4.2"
    for s in st.sentences:
        assert text[s.start : s.end] == text[s.start : s.end].strip()


def test_english_sentences_split_at_period_space_only() -> None:
    text = "1. Users must comply. Fees are 1.5 USD per month! See v2.0 docs.\n"
    st = parse(text, lang="en")
    assert sentence_texts(text, st) == ["Users must comply.", "Fees are 1.5 USD per month!", "See v2.0 docs."]


def test_label_only_lines_make_no_sentence() -> None:
    text = "第五条\n\n（一）\n您应遵守规则。\n## \n- \n"
    st = parse(text)
    assert sentence_texts(text, st) == ["您应遵守规则。"]


def test_sentence_clause_is_the_innermost() -> None:
    text = "一、总则\n总则正文。\n（一）定义\n定义正文。\n二、附则\n附则正文。\n"
    st = parse(text)
    by_text = {text[s.start : s.end]: st.clauses[s.clause].label for s in st.sentences if s.clause is not None}
    assert by_text == {
        "总则": "一、",
        "总则正文。": "一、",
        "定义": "（一）",
        "定义正文。": "（一）",
        "附则": "二、",
        "附则正文。": "二、",
    }


def test_text_before_any_clause_has_no_clause() -> None:
    st = parse("前言。\n1. 正文。\n")
    assert st.sentences[0].clause is None and st.sentences[1].clause == 0


def test_empty_and_blank_texts() -> None:
    assert parse("") == Structure()
    assert parse("\n\n  \r\n") == Structure()


_ALPHABET = list("您协议授权我们内容") + list("。！？；!?;.,，") + [" ", "  ", "\n", "\r\n", "\t", "\u3000", "\xa0"]


def test_sentences_equal_the_reference_units_without_labels() -> None:
    rng = random.Random(7)
    for _ in range(300):
        text = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 80)))
        expected = []
        for a, b in reference_units(text):
            piece = text[a:b]
            core = piece.strip()
            if core:
                start = a + piece.index(core)
                expected.append((start, start + len(core)))
        got = [(s.start, s.end) for s in parse(text).sentences]
        assert got == expected, text


def test_random_labelled_texts_keep_the_invariants() -> None:
    rng = random.Random(11)
    labels = ["1. ", "4.2 ", "（一）", "一、", "第三条", "\n2\n、", "- ", "# ", "【标题】\n", "(a) ", "１.２", "①"]
    pieces = [*_ALPHABET, *labels]
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 60)))
        check_invariants(text, parse(text))


def test_reference_splitter_is_exported() -> None:
    assert SENTENCE_BOUNDARY.pattern == REFERENCE.pattern


# --------------------------------------------------------------------------- dense and hostile input


_SECTION = (
    "第{n}条 用户内容的授权\n\n"
    "{n}.1 您在本平台发布的内容，您授予我们一项免费的、永久的、不可撤销的、全球范围内的许可，"
    "我们可以在现有或未来的任何媒体上使用、复制、修改、改编您的内容。我们可以再许可给关联公司；\n\n"
    "{n}.2 您理解并同意，在下列情形下我们有权删除您的内容或暂停您的账号：\n\n"
    "（一）发布违反法律法规的信息；\n（二）侵犯他人合法权益的。\n\n"
    "{n}.3 本条的约定在本协议终止后继续有效，详见第{n}.1条和1.5 元的收费说明。\n\n"
)


def test_a_long_label_dense_agreement_parses() -> None:
    # speed is measured by benchmarks/bench_scan.py, not here
    text = "".join(_SECTION.format(n=i) for i in range(1, 400))[:70_000]
    st = parse(text)
    assert len(st.clauses) > 1000 and len(st.sentences) > 1500


@pytest.mark.parametrize(
    "text",
    [
        "您" * 70_000,
        "（" * 70_000,
        "1." * 35_000,
        "1.1.1.1.1." * 7_000,
        "\n".join(["1.1 a"] * 12_000),
        "\n".join(["（一）"] * 12_000),
        "第一条" + " " * 70_000 + "x",
        "#" * 70_000,
        "【" * 70_000,
        "\n" + "\u3000" * 70_000 + "1.",
        "a. " * 25_000,
        "\n".join(["1、a", "（1）b"] * 5_000),
        "\n".join(["短行一", "短行二", "短行三", "一个很长的句子，用来隔开这些像目录一样的短行。"] * 2_000),
    ],
    ids=[
        "cjk",
        "parens",
        "dots",
        "deep",
        "labels",
        "paren-labels",
        "spaces",
        "hashes",
        "brackets",
        "ws",
        "letters",
        "restarting-lists",
        "toc-like",
    ],
)
def test_hostile_input_is_parsed(text: str) -> None:
    # time is not asserted here (the machine is shared): benchmarks/bench_scan.py measures that parse stays linear
    st = parse(text)
    assert all(c.level < 12 for c in st.clauses)  # nesting is bounded
    check_invariants(text[:5000], parse(text[:5000]))


# --------------------------------------------------------------------------- the real corpus


CORPUS_FILES = sorted(CORPUS.glob("*.txt")) if CORPUS.is_dir() else []


@pytest.mark.skipif(not CORPUS_FILES, reason="shared corpus not present")
def test_corpus_invariants() -> None:
    for path in CORPUS_FILES:
        text = path.read_text(encoding="utf-8")
        st = parse(text)
        check_invariants(text, st)
        assert st.sentences, path.name
        assert st.clauses, path.name


@pytest.mark.skipif(not CORPUS_FILES, reason="shared corpus not present")
@pytest.mark.parametrize(
    ("name", "labels"),
    [
        ("zh-taobao-platform-service-agreement-2017-11-14.txt", {"一、": 0, "2.1": 1, "3.3.1": 2, "（一）": 3}),
        ("zh-bilibili-user-agreement-2020-09-01.txt", {"1.": 0, "1.1": 1, "1.1.1": 2}),
        ("zh-yy-community-guidelines-2024-09-05.txt", {"第一章": 0, "第一条": 1}),
        ("zh-6cn-community-guidelines-2024-09-05.txt", {"一、": 0, "1.1": 1, "（1）": 2}),
    ],
)
def test_corpus_levels(name: str, labels: dict[str, int]) -> None:
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"{name} not in the corpus")
    st = parse(path.read_text(encoding="utf-8"))
    first: dict[str, Clause] = {}
    for c in st.clauses:
        first.setdefault(c.label, c)
    for label, level in labels.items():
        assert first[label].level == level, (label, first[label])


@pytest.mark.skipif(not CORPUS_FILES, reason="shared corpus not present")
def test_corpus_bracketed_preamble_is_a_top_level_clause() -> None:
    path = CORPUS / "zh-bilibili-user-agreement-2020-09-01.txt"
    if not path.exists():
        pytest.skip("bilibili agreement not in the corpus")
    text = path.read_text(encoding="utf-8")
    st = parse(text)
    head = st.clauses[0]
    assert head.heading == "首部及导言" and head.level == 0
    assert st.clauses[1].label == "1." and st.clauses[1].level == 0


def test_hard_wrapped_paragraphs_are_folded_into_sentences() -> None:
    body = (
        "第一条 您同意授予平台一项免费的、不可撤销的、\n非排他的许可，平台可以在全球范围内使用\n您上传的作品。\n"
        "第二条 平台有权随时修改本协议，修改后的\n协议一经公布即生效，您继续使用\n即视为接受。\n"
        "第三条 因本协议产生的争议，由平台所在地\n人民法院管辖，适用中华人民共和国\n法律。\n"
        "第四条 平台有权删除违反本协议的内容，并可\n暂停或终止您的账号，由此造成的损失\n由您自行承担。\n"
    )
    st = parse(body)
    quotes = [body[x.start : x.end] for x in st.sentences]
    assert quotes[0] == "您同意授予平台一项免费的、不可撤销的、\n非排他的许可，平台可以在全球范围内使用\n您上传的作品。"
    assert len(quotes) == 4


def test_ordinary_headings_over_text_are_not_folded() -> None:
    body = "一、定义\n本协议中的用户是指注册账号的人。\n二、授权\n您授予平台许可。\n"
    st = parse(body)
    quotes = [body[x.start : x.end] for x in st.sentences]
    assert quotes == ["定义", "本协议中的用户是指注册账号的人。", "授权", "您授予平台许可。"]


def test_english_headings_are_not_folded_into_the_next_sentence() -> None:
    para = "We may revise these Terms at any\ntime and without notice\nto you, as we see fit.\n"
    body = "".join(f"Heading number {i}\n{para}" for i in range(8))
    st = parse(body, "en")
    quotes = [body[x.start : x.end] for x in st.sentences]
    assert "Heading number 0" in quotes
    assert "We may revise these Terms at any\ntime and without notice\nto you, as we see fit." in quotes


def test_english_sentences_run_to_the_full_stop() -> None:
    body = ("Section 9. Disputes\nThese Terms are governed by U.S. law; any dispute goes to the courts of "
            "Delaware: (a) exclusively; (b) finally. We may also remove content.\n")
    st = parse(body, "en")
    quotes = [body[x.start : x.end] for x in st.sentences]
    # ";" and "U.S." do not end it; the items of an inline enumeration are its own sentences, and
    # inline_enumerations gives the run back to the rules that read it whole
    lead = "These Terms are governed by U.S. law; any dispute goes to the courts of Delaware: (a) exclusively;"
    assert lead in quotes and "(b) finally." in quotes
    k = quotes.index(lead)
    assert (k, k + 1) in inline_enumerations(body, st.sentences)
    assert "We may also remove content." in quotes
    zh = parse("第九条 本协议适用中国法律；争议由北京法院管辖。\n", "zh")
    assert len(zh.sentences) == 2  # Chinese keeps the scoring units: GOLD.md labels each ；-unit on its own


# --------------------------------------------------------------------------- markdown agreements (converted pages)


def numbers(st: Structure) -> list[str]:
    return [c.number for c in st.clauses]


def test_bold_clause_numbers_start_their_clause() -> None:
    text = (
        "**8\\. Your Content**\n\nYou keep your rights.\n\n"
        "**8.1 Licence.** You grant us a licence to host it.\n\n"
        "**8.2** You may delete it at any time.\n\n"
        "__9.__ Termination\n\nWe may end this agreement.\n\n**(a)** Notice. We tell you first.\n"
    )
    st = parse(text, "en")
    assert numbers(st) == ["8", "8.1", "8.2", "9", "9(a)"]
    c = clauses_by_label(st)
    assert c["8."].heading == "Your Content" and c["8.1"].heading == "Licence"
    assert st.clauses[c["8.1"].parent].label == "8." and c["9."].level == 0
    assert c["8.2"].start == text.index("8.2") and c["8.2"].end == text.index("9.__")
    # the label and the bold around it are markers; the rest of the sentence is unchanged
    assert "Licence.** You grant us a licence to host it." in sentence_texts(text, st)
    assert "You may delete it at any time." in sentence_texts(text, st)
    check_invariants(text, st)


def test_bold_phrases_and_years_are_not_numbers() -> None:
    text = (
        "**Welcome to Example!** These terms apply.\n\n"
        "**2024** update: we changed the terms.\n\n"
        "**30 days** after notice the change applies.\n\n"
        "**10 things** we ask of you.\n"
    )
    st = parse(text, "en")
    assert st.clauses == []
    # no marker stripped: the sentences read as before
    assert "**2024** update: we changed the terms." in sentence_texts(text, st)
    assert "**10 things** we ask of you." in sentence_texts(text, st)
    check_invariants(text, st)


def test_setext_headings_and_escaped_numbers() -> None:
    text = (
        "Example Terms of Service\n========================\n\n"
        "1\\. AGREEMENT TO TERMS\n----------------------\n\nThese terms bind you.\n\n"
        "2\\. PROHIBITED ACTIVITIES\n-------------------------\n\nYou may not:\n\n"
        "1.  copy the Service.\n\n2.  resell the Service.\n\n"
        "3\\. TERMINATION\n---------------\n\n(5) we may suspend you;\n\n"
        "6) we may delete your account.\n"
    )
    st = parse(text, "en")
    assert numbers(st) == ["", "1", "2", "2(1)", "2(2)", "3", "3(5)", "3(6)"]
    title = st.clauses[0]
    assert title.heading == "Example Terms of Service" and title.level == 0
    c = st.clauses
    assert (c[1].label, c[1].heading, c[1].level) == ("1.", "AGREEMENT TO TERMS", 1)
    assert c[3].parent == 2 and c[4].parent == 2  # the list inside the heading "2." is no clause "1."
    assert "========================" not in sentence_texts(text, st)  # an underline is a marker
    check_invariants(text, st)


def test_dash_line_after_a_blank_line_is_a_rule_not_a_heading() -> None:
    text = "1. Terms\n\nWe may change the terms.\n\n---\n\nWe will tell you.\n\n* an item\n---\n2. Fees\n"
    st = parse(text, "en")
    assert numbers(st) == ["1", "2"]
    assert all(c.heading != "We may change the terms." for c in st.clauses)
    check_invariants(text, st)


def test_markdown_heading_ranks_nest_numbered_headings() -> None:
    text = (
        "17\\. DMCA NOTICE\n----------------\n\n(a) intro item\n\n### A. Notifications\n\n(1) a signature;\n\n"
        "### B. Counter Notification\n\n(1) your name;\n\n18\\. TERM\n---------\n\nThese terms last.\n"
    )
    st = parse(text, "en")
    assert numbers(st) == ["17", "17(a)", "17(A)", "17(A)(1)", "17(B)", "17(B)(1)", "18"]
    c = clauses_by_label(st)
    assert c["A."].heading == "Notifications" and c["A."].parent == 0
    check_invariants(text, st)


def test_links_and_anchors_do_not_break_labels_or_headings() -> None:
    text = (
        "[Spotify Terms of Use](#terms)\n=============================\n\n"
        "[](#1-introduction)**1\\. Introduction**\n---------------------------------------\n\n"
        "Read these terms.\n\n### [](#service-provider)**Service provider**\n\nThese terms are between us.\n\n"
        "[](#2-the-service)**2\\. The [Spotify](https://spotify.com) Service**\n-----------------\n\nMore.\n"
    )
    st = parse(text, "en")
    assert numbers(st) == ["", "1", "1", "2"]
    assert [c.heading for c in st.clauses] == [
        "Spotify Terms of Use", "Introduction", "Service provider", "The Spotify Service"
    ]
    assert st.clauses[1].start == text.index("1\\.")
    check_invariants(text, st)


def test_navigation_before_the_agreement_makes_no_clauses() -> None:
    text = (
        "[Home](https://example.com/)[Legal](https://example.com/legal)\n\n"
        "1.  [Introduction](https://example.com/terms#1-introduction)\n"
        "2.  [Your Content](https://example.com/terms#2-your-content)\n\n"
        "(c) 2026 Example Inc. All rights reserved.\n\n"
        "Terms of Service\n================\n\n"
        "**1\\. Introduction**\n\nWelcome.\n\n**2\\. Your Content**\n\n(a) You own it.\n"
    )
    st = parse(text, "en")
    assert numbers(st) == ["", "1", "2", "2(a)"]
    assert st.clauses[1].start == text.index("1\\. Introduction")
    # the menu's numbers are markers of their lines, as before; their text stays a sentence
    assert "[Introduction](https://example.com/terms#1-introduction)" in sentence_texts(text, st)
    check_invariants(text, st)


def test_list_split_by_a_converter_keeps_the_clause_number() -> None:
    text = (
        "9.  **User Content**\n\n*   9.7 **Reporting.** You may report content.\n\n"
        "1.  **Communications**\n\n*   10.1 **Push Notifications.** We may send them.\n\n"
        "11.  **Prohibited Conduct. BY USING THE SERVICE, YOU AGREE NOT TO:**\n"
    )
    st = parse(text, "en")
    assert numbers(st) == ["9", "9.7", "10", "10.1", "11"]
    c = clauses_by_label(st)
    assert c["1."].heading == "Communications" and c["11."].heading == "Prohibited Conduct"
    check_invariants(text, st)


def test_chapter_with_a_brand_name_heading_keeps_its_articles() -> None:
    text = (
        "**Chapter 3 Yahoo! JAPAN Wallet Regulations**\n\n**1\\. Registration in Yahoo! JAPAN Wallet**\n\n"
        "You need to register.\n\n**2\\. Restrictions on use**\n\nLimits apply.\n"
    )
    st = parse(text, "en")
    assert numbers(st) == ["Chapter 3", "Chapter 3(1)", "Chapter 3(2)"]
    assert st.clauses[1].heading == "Registration in Yahoo! JAPAN Wallet"


def test_cited_section_is_not_a_label() -> None:
    text = "1.1 Ads\n\nSection 2 below explains this.\n\n**Section 4** applies too.\n\nSection 3. Fees\n"
    st = parse(text, "en")
    assert numbers(st) == ["1.1", "Section 3"]


MODERN = CORPUS.parent / "en" / "modern" / "en-truthsocial-terms-of-service-2026-07-08.md"


@pytest.mark.skipif(not MODERN.is_file(), reason="shared corpus not present")
def test_truth_social_clause_numbers() -> None:
    text = MODERN.read_text(encoding="utf-8")
    st = parse(text, "en")
    found = set(numbers(st))
    assert {str(n) for n in range(1, 35)} <= found  # every section "N\\." is a clause
    assert "7(13)" in found and "(8)13" not in found and "(5)6" not in found
    assert not any(n.startswith("(") for n in found)  # no list item outside its section


def test_inserted_clauses_keep_their_letter() -> None:
    """"6A." between 6 and 7 is clause 6A, not a clause 6 with a heading "A. …" (a journalist cites "6A")."""
    text = ("### 6. Ending the permission\n\nText.\n\n### 6A. Collections\n\nMore text.\n\n### 7. AI\n\nEnd.\n")
    st = parse(text, "en")
    assert [c.number for c in st.clauses] == ["6", "6A", "7"]
    assert st.clauses[1].heading == "Collections"
    zh = "4. 模板\n4.1 内容一。\n4A. 官方征稿\n4A.1 内容二。\n4A.2 内容三。\n5. 其他\n"
    assert [c.number for c in parse(zh, "zh").clauses] == ["4", "4.1", "4A", "4A.1", "4A.2", "5"]
    # a word with a capital after a number is no clause ("5G network", "3D models")
    assert [c.number for c in parse("1. Scope\n5G networks are fast.\n3D models are files.\n", "en").clauses] == ["1"]


def test_a_heading_after_its_label_loses_the_colon() -> None:
    st = parse("Part I: The basics\n------------------\n\n### 1. Accepting\n\nText.\n", "en", markdown=True)
    assert (st.clauses[0].number, st.clauses[0].heading) == ("Part I", "The basics")


def test_a_heading_after_the_label_and_a_dash_or_colon_is_the_clause_heading() -> None:
    text = ("TERMS OF SERVICE\n\nARTICLE 5 — LICENCES GRANTED BY THE USER\n\n5.01 The user licenses us.\n\n"
            "ARTICLE 6: TRAINING\n\n6.01 We train models.\n")
    st = parse(text, "en", markdown=False)
    heads = {c.number: c.heading for c in st.clauses}
    assert heads["ARTICLE 5"] == heads["5.01"] == "LICENCES GRANTED BY THE USER"
    assert heads["ARTICLE 6"] == heads["6.01"] == "TRAINING"
