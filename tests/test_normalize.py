"""Matching happens on normalized text; every span found there must map back to the original."""

from __future__ import annotations

import pytest

from tosscan.normalize import normalize


@pytest.mark.parametrize("original, term", [
    ("４．２　您授予平臺免費的、不可撤銷的許可", "不可撤销"),    # full-width digits, traditional
    ("您同意授予本公司免費（無償）的許可", "(无偿)"),           # full-width parentheses fold to ASCII
    ("ＡＢＣ公司擁有全部著作權", "abc公司拥有全部著作权"),     # full-width Latin, lower-cased
    ("第①条 用戶內容的授權", "用户内容的授权"),
    ("ﬁle 許可證", "file 许可证"),                            # a ligature that NFKC expands
    ("\ufeff您授予平台", "您授予平台"),
])
def test_spans_map_back_to_the_original(original, term):
    n = normalize(original)
    i = n.text.find(term)
    assert i >= 0, n.text
    s, e = n.to_original(i, i + len(term))
    assert normalize(original[s:e]).text == term


def test_offset_map_is_monotonic_and_complete():
    text = "甲ﬁ乙①\r\n丙　丁"
    n = normalize(text)
    assert len(n.origin) == len(n.text) + 1
    assert n.origin == sorted(n.origin)
    assert n.origin[-1] == len(text)


def test_ascii_is_lowercased_only():
    n = normalize("You GRANT us a License")
    assert n.text == "you grant us a license"
    assert n.origin[:3] == [0, 1, 2]


def test_expanding_characters_keep_later_offsets_right():
    text = "甲……乙①授予平台许可"
    n = normalize(text)
    assert n.text.startswith("甲......乙1")
    i = n.text.find("授予")
    s, e = n.to_original(i, i + 2)
    assert text[s:e] == "授予"


def test_space_runs_and_crlf_fold_with_offsets():
    text = "We  may\t\tterminate\r\nyour　　account"
    n = normalize(text)
    assert n.text == "we may terminate\nyour account"
    i = n.text.find("account")
    s, e = n.to_original(i, i + len("account"))
    assert text[s:e] == "account"
    assert len(n.origin) == len(n.text) + 1 and n.origin[-1] == len(text)


def test_line_breaks_inside_a_sentence_fold():
    text = "您同意授予平台不可撤\n销的许可，\n  并可转授权。\nWe may\nterminate it.\n第二条"
    n = normalize(text)
    assert "不可撤销的许可,并可转授权。" in n.text
    assert "we may terminate it.\n第二条" in n.text
    i = n.text.find("不可撤销")
    s, e = n.to_original(i, i + 4)
    assert text[s:e] == "不可撤\n销"
