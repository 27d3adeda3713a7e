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
    (GOOD.replace("[\"@who\"]", "[\"@nobody\"]"), 11, "unknown term list '@nobody'"),
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


# --------------------------------------------------------------------------- scope: shared and local lists


def test_a_files_own_lists_are_local_to_it(tmp_path):
    """A list in a.yaml is a.yaml's; b.yaml may define its own of the same name, but not use a.yaml's."""
    write(tmp_path, "lists:\n  who: [乙]\n" + GOOD, "a.yaml")
    write(tmp_path, "lists:\n  who: [丁]\n" + GOOD.replace("zh.license.x", "zh.license.y"), "b.yaml")
    cat = load_catalog(tmp_path)
    assert [r.match.all[1].any for r in cat.rules] == [["乙"], ["丁"]]
    assert not cat.unused_lists
    write(tmp_path, GOOD.replace("zh.license.y", "zh.license.z"), "c.yaml")
    with pytest.raises(CatalogError) as e:
        load_catalog(tmp_path)
    assert "c.yaml:11:" in str(e.value) and "unknown term list '@who'" in str(e.value)


def test_shared_lists_serve_every_file_of_the_folder_only(tmp_path):
    write(tmp_path, "lists:\n  who: [乙]\n", "_lists.yaml")
    write(tmp_path, GOOD, "a.yaml")
    write(tmp_path, GOOD.replace("zh.license.x", "zh.license.y"), "b.yaml")
    assert len(load_catalog(tmp_path)) == 2
    (tmp_path / "en").mkdir()
    write(tmp_path / "en", GOOD.replace("zh.license.x", "zh.license.z"), "c.yaml")
    with pytest.raises(CatalogError, match=r"en/c.yaml:11: unknown term list '@who'"):
        load_catalog(tmp_path)


def test_a_local_list_may_not_reuse_a_shared_name(tmp_path):
    write(tmp_path, "# shared\nlists:\n  who: [乙]\n", "_lists.yaml")
    with pytest.raises(CatalogError) as e:
        load_catalog(write(tmp_path, "lists:\n  base: [丙]\n  who: [丁]\n" + GOOD))
    msg = str(e.value)
    assert "'who' defined twice" in msg and "_lists.yaml:3" in msg and "r.yaml:3" in msg, msg


def test_a_list_defined_twice_in_one_file_names_both_lines(tmp_path):
    with pytest.raises(CatalogError) as e:
        load_catalog(write(tmp_path, "lists:\n  who: [乙]\n  other: [丙]\n  who: [丁]\n" + GOOD))
    msg = str(e.value)
    assert "'who' defined twice" in msg and "r.yaml:2 and" in msg and "r.yaml:4)" in msg, msg


def test_a_shared_list_cannot_see_a_files_own_lists(tmp_path):
    write(tmp_path, "lists:\n  who: ['@mine']\n", "_lists.yaml")
    with pytest.raises(CatalogError, match=r"_lists.yaml:2: term list 'who' names an unknown list '@mine'"):
        load_catalog(write(tmp_path, "lists:\n  mine: [乙]\n" + GOOD))


def test_a_list_naming_itself_is_an_error(tmp_path):
    write(tmp_path, "lists:\n  who: ['@them']\n  them: ['@who']\n", "_lists.yaml")
    with pytest.raises(CatalogError, match=r"_lists.yaml:\d: term list '\w+' refers to itself"):
        load_catalog(write(tmp_path, GOOD))


# --------------------------------------------------------------------------- {@name} in a regex


def regex_rule(regex: str, triggers: str = "") -> str:
    return GOOD.replace("- any: [甲]\n          except: [非甲]",
                        f"- regex: '{regex}'\n          triggers: {triggers or '[甲]'}")


def test_a_list_in_a_regex_expands_escaped_and_longest_first(tmp_path):
    write(tmp_path, "lists:\n  who: [乙]\n  sym: [a.b, 中, '(x)', 中文, a+]\n", "_lists.yaml")
    cat = load_catalog(write(tmp_path, regex_rule("^{@sym}$", "['@sym']")))
    rx = cat.rules[0].match.all[0]
    assert rx.regex == r"^(?:a\.b|\(x\)|中文|a\+|中)$"
    assert rx.triggers == ["a.b", "中", "(x)", "中文", "a+"]  # a prefilter list may name lists too
    import re
    assert re.match(rx.regex, "a.b") and not re.match(rx.regex, "axb") and re.match(rx.regex, "(x)")
    assert re.match(rx.regex, "中文").group() == "中文"
    assert not cat.unused_lists


def test_an_escaped_brace_is_no_list(tmp_path):
    write(tmp_path, "lists:\n  who: [乙]\n", "_lists.yaml")
    cat = load_catalog(write(tmp_path, regex_rule(r"甲\{@who}")))
    assert cat.rules[0].match.all[0].regex == r"甲\{@who}"


@pytest.mark.parametrize("regex, words", [
    ("甲{@nobody}", "unknown term list '{@nobody}'"),
    ("甲{@stars}", "word-prefix"),
    ("甲{@caps}", "upper-case term 'Terms'"),
    ("甲{@long}", "once its term lists are expanded"),
    ("甲" * 1001, "1001 characters long"),
    ("({@who}", "regular expression"),
])
def test_a_bad_list_in_a_regex_names_file_and_line(tmp_path, regex, words):
    long = ", ".join(f"词{i:04d}" for i in range(700))
    write(tmp_path, f"lists:\n  who: [乙]\n  stars: [termin*]\n  caps: [Terms]\n  long: [{long}]\n", "_lists.yaml")
    with pytest.raises(CatalogError) as e:
        load_catalog(write(tmp_path, regex_rule(regex)))
    assert "r.yaml:9:" in str(e.value) and words in str(e.value), str(e.value)


# --------------------------------------------------------------------------- unused lists


def test_unused_lists_are_reported_and_fail_validate(tmp_path):
    from typer.testing import CliRunner

    from tosscan.cli import app

    write(tmp_path, "lists:\n  who: ['@base']\n  base: [乙]\n  spare: [丙]\n", "_lists.yaml")
    write(tmp_path, "lists:\n  mine: [丁]\n" + GOOD)
    cat = load_catalog(tmp_path)  # loading still works: a scan does not care
    assert [u.split(": ", 1)[1] for u in cat.unused_lists] == [
        "term list 'spare' is not used by any rule of its folder",
        "term list 'mine' is not used by any rule of its file"]
    assert "_lists.yaml:4" in cat.unused_lists[0] and "r.yaml:2" in cat.unused_lists[1]
    r = CliRunner().invoke(app, ["rules", "validate", "--rules", str(tmp_path)])
    assert r.exit_code == 3 and "2 unused term lists" in r.output and "'spare'" in r.output, r.output


# --------------------------------------------------------------------------- hostile catalogs (--rules is untrusted)


def _catalog(tmp_path, name: str, content: str | bytes):
    d = tmp_path / "rules" / "zh"
    d.mkdir(parents=True, exist_ok=True)
    p = d / name
    if isinstance(content, bytes):
        p.write_bytes(content)
    else:
        p.write_text(content, encoding="utf-8")
    return tmp_path / "rules"


def test_billion_laughs_is_refused(tmp_path):
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]")
    root = _catalog(tmp_path, "lol.yaml", "\n".join(lines) + "\n")
    with pytest.raises(CatalogError, match="aliases are expanded"):
        load_catalog(root)


def test_deep_nesting_is_an_error_not_a_crash(tmp_path):
    root = _catalog(tmp_path, "deep.yaml", "rules:\n  - match: " + "{not: " * 3000 + "{any: [x]}" + "}" * 3000 + "\n")
    with pytest.raises(CatalogError, match="deep"):
        load_catalog(root)


@pytest.mark.parametrize("make", ["fifo", "dir", "binary", "devzero"])
def test_special_and_binary_rule_files_are_refused(tmp_path, make):
    import os

    d = tmp_path / "rules" / "zh"
    d.mkdir(parents=True)
    p = d / "x.yaml"
    if make == "fifo":
        os.mkfifo(p)
    elif make == "dir":
        p.mkdir()
    elif make == "binary":
        p.write_bytes(b"\xff\xfe\x00\x01binary")
    else:
        p.symlink_to("/dev/zero")
    with pytest.raises(CatalogError, match=r"x\.yaml:1"):
        load_catalog(tmp_path / "rules")


@pytest.mark.parametrize("content, words", [
    ("rules: !!python/name:os.system\n", "x.yaml:1: invalid YAML: could not determine a constructor"),
    ("lists:\n  a: [!!python/object/apply:os.system [echo hi]]\n", "x.yaml:2: "),  # read as a plain list
])
def test_python_tags_are_one_line_errors_never_run(tmp_path, content, words):
    with pytest.raises(CatalogError) as e:
        load_catalog(_catalog(tmp_path, "x.yaml", content))
    assert words in str(e.value) and "\n" not in str(e.value), str(e.value)


def test_a_catalog_without_rules_is_an_error(tmp_path):
    _catalog(tmp_path, "a.yaml", "")
    root = _catalog(tmp_path, "b.yaml", "# nothing\n")
    with pytest.raises(CatalogError, match="no rules"):
        load_catalog(root)
