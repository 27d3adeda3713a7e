"""Rule regexes that can backtrack catastrophically are found when the catalog is loaded, said by
``rules validate`` and run only under the time limit: a long hostile line never hangs a scan (issue 17)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

import pytest

from tosscan.catalog import load_catalog
from tosscan.catalog.regex_risk import GUARD, risk
from tosscan.catalog.schema import Regex
from tosscan.match import CRegex

# the classic shapes: nested quantifiers, overlapping alternatives under a quantifier, adjacent
# overlapping quantified atoms in a loop, each also inside a lookaround; and a variable-width look-behind
ATTACKS = [r"(a+)+$", r"(a|aa)*$", r"(a|a)*b", r"(?:a*a*){10}c", r"(?=(a|aa)*c)", r"(?!(a+)+c)a",
           r"(?:\s*\w+)+$", r"(x+x+)+y", r"(?:a{0,30}){0,30}b", r"(.*a){12}", r"(?<=(a|aa)*)b", r"(?x) (a+) + $"]
SAFE = [r"\byou\s+(?:may|must)\s+not\b", r"(?:\w+\s+){0,5}?train", r"(?:\d+\.)*\d+", r"(?:ab+)+c", r"[^.;]{0,200}?x",
        r"(?:\s?的)+", r"(?:the|this)+", r"(?:ab{0,2})*c", r"a*a*b", r"(?:[a-z]+(?:,\s*|$)){1,8}$", r"\p{Han}+"]


@pytest.mark.parametrize("pattern", ATTACKS)
def test_catastrophic_shapes_are_found(pattern):
    assert risk(pattern)


@pytest.mark.parametrize("pattern", SAFE)
def test_ordinary_shapes_are_not(pattern):
    assert risk(pattern) is None


def _regexes(m):
    if isinstance(m, Regex):
        yield m
    for v in vars(m).values():
        for x in v if isinstance(v, list) else [v]:
            if hasattr(x, "__dict__") and not isinstance(x, str):
                yield from _regexes(x)


def test_the_shipped_catalog_loads_and_its_risky_regexes_run_under_the_time_limit():
    cat = load_catalog()
    for rule in cat:
        for m in (x for top in (rule.match, *rule.unless) for x in _regexes(top)):
            if m.regex.startswith(GUARD):
                assert CRegex(m).guarded, rule.id
            else:
                assert risk(m.regex) is None, rule.id
    for line in cat.risky:  # one line each, naming file:line and the rule
        assert "\n" not in line and ".yaml:" in line and ": rule " in line


def catalog(tmp_path, patterns):
    rules = "".join(textwrap.dedent(f"""
        - id: en.license.redos{i}
          lang: en
          concepts: [license.grant]
          severity: high
          match:
            regex: '{p}'
            triggers: [attack]
          title: {{zh: 甲, en: A}}
          explanation: {{zh: 甲, en: A}}
          examples: {{flag: [attack], pass: [丙]}}
        """) for i, p in enumerate(patterns))
    d = tmp_path / "rules"
    d.mkdir()
    (d / "r.yaml").write_text("rules:" + textwrap.indent(rules, "  "), encoding="utf-8")
    return d


def run(*args, timeout=120):
    return subprocess.run([sys.executable, "-m", "tosscan", *args], capture_output=True, timeout=timeout,
                          env={**os.environ, "PYTHONWARNINGS": "ignore"})


def test_rules_validate_says_which_regex_and_where(tmp_path):
    d = catalog(tmp_path, [r"(a|aa)*$", r"\battack\b"])
    p = run("rules", "validate", "--rules", str(d))
    err = p.stderr.decode()
    assert p.returncode == 0, err
    assert err.count("\n") == 1 and "r.yaml:" in err and "en.license.redos0" in err and "backtrack" in err, err


def test_attack_patterns_on_long_lines_never_hang(tmp_path):
    """Before: (a|aa)*$ was judged unable to backtrack, ran on re without a time limit and hung past 60 s."""
    d = catalog(tmp_path, [p for p in ATTACKS if "(?x)" not in p])
    doc = tmp_path / "long.txt"
    doc.write_text("attack " + "a" * 20_000 + "!\n" + "attack " + ("a" * 30 + " ") * 300 + "\n", encoding="utf-8")
    t = time.monotonic()
    p = run("scan", str(doc), "--rules", str(d), "--format", "json", timeout=90)
    assert p.returncode == 0, p.stderr.decode()
    assert time.monotonic() - t < 60
