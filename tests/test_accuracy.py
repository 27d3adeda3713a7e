"""Measured behaviour on the real corpus and the clauses the project exists for."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tosscan.dev.evaluate import evaluate_gold

from .conftest import CORPUS_ZH, SHARED, needs_corpus

SEED = ("4.2 您同意授予小红书免费的、不可撤销的、非排他的、无地域限制的许可使用，包括使用、复制、修改、改编、汇编、"
        "翻译或制作派生作品，以已知或日后开发的形式、媒体或技术使用您的内容。")
MIN_MACRO_F1 = 0.75


def concepts_of(scanner, text: str) -> set[str]:
    return {c for f in scanner.scan_text(text, lang="zh").findings for c in f.concepts}


def test_seed_clause(scanner):
    found = concepts_of(scanner, SEED)
    assert {"license.grant", "license.royalty_free", "license.irrevocable", "license.worldwide",
            "license.derivative_works", "license.any_media"} <= found
    assert "license.exclusive" not in found


@pytest.mark.parametrize("text, concept", [
    ("用户不得对本软件进行复制、修改、改编、翻译或制作派生作品。", "license.derivative_works"),
    ("用户不得对本软件进行复制、修改、改编、翻译或制作派生作品。", "license.grant"),
    ("本平台的软件、界面设计及全部内容的知识产权归本公司所有。", "ip.ownership_transfer"),
    ("我们授予您一项个人的、不可转让的、非排他的许可，以使用本软件。", "license.grant"),
    ("我们授予您一项个人的、不可转让的、非排他的许可，以使用本软件。", "license.transferable"),
    ("我们不会将您的内容用于训练人工智能模型。", "ai.training"),
    ("您授予平台非独家、非排他的许可。", "license.exclusive"),
    ("平台不对任何间接的、衍生的损失承担责任。", "license.derivative_works"),
])
def test_hard_negatives(scanner, text, concept):
    assert concept not in concepts_of(scanner, text)


@needs_corpus()
def test_chinese_gold_macro_f1(scanner):
    report = evaluate_gold(scanner, CORPUS_ZH, CORPUS_ZH / "gold.jsonl", "zh-")
    assert report.docs == 33
    assert report.macro_f1 >= MIN_MACRO_F1, f"macro-F1 {report.macro_f1:.3f} < {MIN_MACRO_F1}"


@needs_corpus()
def test_eval_agrees_with_the_reference_scorer(scanner, tmp_path):
    """`tosscan eval` and ../shared/tools/score.py must print the same numbers."""
    exe = shutil.which("tosscan", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip("tosscan console script not installed")
    r = subprocess.run([sys.executable, str(SHARED / "tools" / "score.py"), exe, "zh", str(CORPUS_ZH),
                        str(CORPUS_ZH / "gold.jsonl")], capture_output=True, text=True, timeout=600)
    m = re.search(r"macro-F1 ([\d.]+) micro-F1 ([\d.]+)", r.stdout)
    assert m, r.stdout + r.stderr
    report = evaluate_gold(scanner, CORPUS_ZH, CORPUS_ZH / "gold.jsonl", "zh-")
    assert f"{report.macro_f1:.3f}" == m.group(1)
    assert f"{report.micro_f1:.3f}" == m.group(2)
    for line in r.stdout.splitlines():
        row = re.match(r"(\S+)\s+P [\d.]+ R [\d.]+ F1 [\d.]+\s+\(tp (\d+) fp (\d+) fn (\d+)\)", line)
        if row:
            c = row.group(1)
            assert (report.tp[c], report.fp[c], report.fn[c]) == tuple(map(int, row.groups()[1:])), c
