"""Patterns rewritten for speed (``tosscan.catalog.rxfast``) match exactly what they matched before: the
rewrites one by one, and every regex of the shipped catalog over every example text of its language."""

from __future__ import annotations

import re
from functools import cache

import pytest
import regex

from tosscan.catalog.loader import load_catalog
from tosscan.catalog.rxfast import first_chars, fixed_width_lookbehinds, lookahead_prefix
from tosscan.catalog.schema import Regex, walk
from tosscan.normalize import normalize


@pytest.mark.parametrize("pattern, rewritten", [
    ("(?<!您|你|用户)(有权|可以)", "(?<!您)(?<!你)(?<!用户)(有权|可以)"),
    ("(?<=平台|公司|关联方)得", "(?:(?<=平台)|(?<=公司)|(?<=关联方))得"),
    ("(?<![向给被经]|[^视]为|获得)授予", "(?<![向给被经])(?<![^视]为)(?<!获得)授予"),
    ("(?<!不可撤销地?)授予", "(?<!不可撤销地)(?<!不可撤销)授予"),
    # left alone: already of one width, an empty alternative (always or never), an escaped paren, a group
    ("(?<!ab|cd)x", "(?<!ab|cd)x"),
    ("(?<!a?)x", "(?<!a?)x"),
    ("(?<!a|b?)x", "(?<!a|b?)x"),
    (r"\(?<!a|bb)", r"\(?<!a|bb)"),
    (r"(?<!\byou\s|\bwe\s)x", r"(?<!\byou\s|\bwe\s)x"),
])
def test_fixed_width_lookbehinds(pattern, rewritten):
    assert fixed_width_lookbehinds(pattern) == rewritten


@pytest.mark.parametrize("pattern, chars", [
    ("(?<![向为给被])(您|你|用户)授予", {"您", "你", "用"}),
    (r"\b(?:grant|give)s?\b", {"g"}),
    ("(a)?b", {"a", "b"}),
    ("(?:x|)y", {"x", "y"}),
    ("[a-c]d", {"a", "b", "c"}),
    # unknowable: can match empty, starts with a class of unknown size, a negated class, any character
    ("[^:]\\s*$", None), ("x*", None), (r"\d+", None), ("[^a]b", None), (".b", None),
    ("(?i)abc", None), ("(?i:a)b", None),
    ("(?:授权){e<=1}", None),  # fuzzy matching in `regex`: the first character may be any
])
def test_first_chars(pattern, chars):
    other = "{e" in pattern
    got = first_chars(pattern, other_module=other)
    assert (None if got is None else set(got)) == chars


def test_lookahead_prefix_only_where_re_does_not_skip_ahead_itself():
    assert lookahead_prefix("授予|许可") == "授予|许可"        # alternatives opening with literals
    assert lookahead_prefix("[您你]的作品") == "[您你]的作品"  # a class
    assert lookahead_prefix("(?<!不)同意") == "(?=[同])(?:(?<!不)同意)"
    assert lookahead_prefix(r"[^:]\s*$") == r"[^:]\s*$"    # no known start: unchanged


@cache
def _texts() -> dict[str, str]:
    """Every example text of the shipped catalog, normalized as the engine reads it, one per line."""
    cat = load_catalog()
    out: dict[str, list[str]] = {"zh": [], "en": []}
    for item in (*cat.rules, *cat.frames):
        for t in (*item.examples.flag, *item.examples.pass_):
            out[item.lang].append(normalize(t).text)
    return {lang: "\n".join(ts) for lang, ts in out.items()}


def _catalog_regexes() -> list[tuple[str, str]]:
    cat = load_catalog()
    found: set[tuple[str, str]] = set()
    for item in (*cat.rules, *cat.frames):
        matchers = [item.match, *item.unless] if hasattr(item, "match") else \
            [m for s in item.shapes for m in (s.match, *s.unless)] + list(item.unless)
        for m in matchers:
            found |= {(item.lang, x.regex) for x in walk(m) if isinstance(x, Regex)}
    return sorted(found)


def test_the_catalog_has_regexes_to_check():
    assert len(_catalog_regexes()) > 300


def test_every_catalog_regex_matches_the_same_after_the_rewrites():
    texts = _texts()
    changed = 0
    for lang, src in _catalog_regexes():
        try:
            before = re.compile(src)
        except re.error:
            before = regex.compile(src)
        fast_src = lookahead_prefix(fixed_width_lookbehinds(src))
        try:
            fast = re.compile(fast_src)
        except re.error:
            fast = regex.compile(lookahead_prefix(src, other_module=True))
        if fast.pattern == src:
            continue
        changed += 1
        spans = [m.span() for m in before.finditer(texts[lang])]
        assert [m.span() for m in fast.finditer(texts[lang])] == spans, src
    assert changed > 100  # the rewrites do apply to most of the catalog
