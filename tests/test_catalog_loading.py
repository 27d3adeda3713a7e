"""Bad rule files are errors that name the file and the line, never a traceback."""

from __future__ import annotations

import textwrap

import pytest

from tosscan.catalog import load_catalog
from tosscan.errors import CatalogError

GOOD = """
rules:
  - id: zh.license.x
    lang: zh
    concepts: [license.grant]
    severity: high
    match:
      all:
        - any: [甲]
          except: [非甲]
        - any: ["@who"]
    title: {zh: 甲, en: A}
    explanation: {zh: 甲, en: A}
    examples: {flag: [甲乙], pass: [丙]}
"""


def write(tmp_path, text, name="r.yaml"):
    (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def test_lists_expand(tmp_path):
    write(tmp_path, "lists:\n  who: [乙, 丁]\n", "_lists.yaml")
    cat = load_catalog(write(tmp_path, GOOD))
    assert cat.rules[0].match.all[1].any == ["乙", "丁"]
    assert len(cat.sha256) == 64


@pytest.mark.parametrize("broken, line, words", [
    (GOOD.replace("except:", "exept:"), 10, "unknown key 'exept'"),
    (GOOD.replace("severity: high", "severity: hihg"), 6, "severity"),
    (GOOD.replace("- any: [\"@who\"]", "- nay: [乙]"), 11, "exactly one of"),
    (GOOD.replace("    lang: zh\n", "    lang: zh\n    colour: red\n"), 5, "unknown key 'colour'"),
    (GOOD.replace("examples: {flag: [甲乙], pass: [丙]}", "examples: {flag: [甲乙]}"), 14, "pass"),
    (GOOD.replace("[\"@who\"]", "[\"@nobody\"]"), 3, "unknown term list"),
    (GOOD.replace("id: zh.license.x", "id: License X"), 3, "rule id"),
    (GOOD.replace("- any: [甲]", "- regex: '(unclosed'"), 9, "regular expression"),
])
def test_errors_name_file_and_line(tmp_path, broken, line, words):
    write(tmp_path, "lists:\n  who: [乙]\n", "_lists.yaml")
    with pytest.raises(CatalogError) as e:
        load_catalog(write(tmp_path, broken))
    msg = str(e.value)
    assert f"r.yaml:{line}:" in msg, msg
    assert words in msg, msg


def test_duplicate_ids(tmp_path):
    write(tmp_path, "lists:\n  who: [乙]\n", "_lists.yaml")
    write(tmp_path, GOOD, "b.yaml")
    with pytest.raises(CatalogError, match="duplicate rule id"):
        load_catalog(write(tmp_path, GOOD))


def test_invalid_yaml(tmp_path):
    with pytest.raises(CatalogError, match=r"r.yaml:\d+: invalid YAML"):
        load_catalog(write(tmp_path, "rules: [\n  - id: x\n"))


def test_lists_may_name_other_lists(tmp_path):
    write(tmp_path, "lists:\n  base: [乙]\n  who: ['@base', 丁]\n", "_lists.yaml")
    cat = load_catalog(write(tmp_path, GOOD))
    assert cat.rules[0].match.all[1].any == ["乙", "丁"]


def test_a_list_naming_an_unknown_list_is_an_error(tmp_path):
    write(tmp_path, "lists:\n  who: ['@nobody', 丁]\n", "_lists.yaml")
    with pytest.raises(CatalogError, match="unknown list '@nobody'"):
        load_catalog(write(tmp_path, GOOD))
