"""tosscan compare: the matrix model, checked cell by cell against the gold labels of five corpus
agreements, its renderers (hostile text stays inert) and the command."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from tosscan.catalog import load_questions
from tosscan.cli import app
from tosscan.compare import Cell, Matrix, build_matrix, column_names
from tosscan.render import render_compare
from tosscan.render.compare_view import build_compare

from .conftest import CORPUS_ZH, SAMPLES, needs_corpus

runner = CliRunner()
HUAJIAN = SAMPLES / "huajian-user-agreement.txt"
HUAJIAN_2024 = SAMPLES / "huajian-user-agreement-2024.txt"
YUNMO = SAMPLES / "yunmo-user-agreement.txt"
FIVE = ["zh-xiaohongshu-user-registration-agreement-2017-11-14.txt", "zh-bilibili-user-agreement-2020-09-01.txt",
        "zh-douban-user-agreement-2017-11-20.txt", "zh-microsoft-terms-of-use-zh-2017-11-14.txt",
        "zh-wechat-ecommerce-service-agreement-2017-11-14.txt"]
QUESTIONS = {q.id: q for q in load_questions()}
HOSTILE = ("<script>window.__pwned=1</script>=HYPERLINK(\"http://x\")协议\n\n"
           "一、授权\n"
           "1.1 您同意授予平台免费的、不可撤销的许可<img src=x onerror=\"window.__pwned=2\">，以使用您上传的作品。\n"
           "1.2 [x](javascript:alert(1)) **粗体** | 表格 | <b>b</b>\n")


@pytest.fixture(scope="module")
def samples(scanner):
    return [scanner.scan_file(p) for p in (HUAJIAN, HUAJIAN_2024, YUNMO)]


@pytest.fixture(scope="module")
def five(scanner):
    if not CORPUS_ZH.is_dir():
        pytest.skip("../shared/corpus not beside the checkout")
    return [scanner.scan_file(CORPUS_ZH / d) for d in FIVE]


@pytest.fixture(scope="module")
def gold() -> dict[str, dict[str, list[tuple[int, int]]]]:
    """doc → concept → gold spans."""
    out: dict[str, dict[str, list[tuple[int, int]]]] = {}
    path = CORPUS_ZH / "gold.jsonl"
    if not path.is_file():
        pytest.skip("../shared/corpus not beside the checkout")
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            g = json.loads(line)
            out.setdefault(g["doc"], {}).setdefault(g["concept"], []).append((g["start"], g["end"]))
    return out


# --------------------------------------------------------------------------- the matrix on real agreements


@needs_corpus()
def test_five_agreements_give_the_matrix(five):
    m = build_matrix(five)
    assert [c.name for c in m.columns] == ["小红书用户注册协议", "哔哩哔哩弹幕网用户使用协议", "豆瓣使用协议",
                                           "Microsoft使用条款", "微信电子商务服务协议"]
    assert [c.grade.letter for c in m.columns] == [r.grade.letter for r in five]
    qrows = [r for r in m.rows if r.kind == "question"]
    assert {r.id for r in qrows} == set(QUESTIONS)  # every question, every time
    assert m.rows[: len(qrows)] == qrows  # questions first, then the other concepts
    for group in (qrows, [r for r in m.rows if r.kind == "concept"]):
        flags = [r.differs for r in group]
        assert flags == sorted(flags, reverse=True), "rows that differ come first"
    for r in m.rows:
        assert len(r.cells) == 5
        assert r.differs == (len({c.value for c in r.cells}) > 1)
        for cell, result in zip(r.cells, five, strict=True):
            if r.kind == "question":
                assert cell.value == result.answer(r.id).answer
            for e in cell.evidence:
                assert result.text[e.start:e.end] == e.quote
            assert bool(cell.evidence) == (cell.value != "not_stated")


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a < end and start < b for a, b in spans)


@needs_corpus()
def test_every_labelled_cell_agrees_with_gold(five, gold):
    """A "yes"/"no" cell (or a found concept) must rest on a gold span of a concept that states it, in that
    document, and its first quote must be one; checked for the concepts gold labels at all."""
    m = build_matrix(five)
    labelled = {c for doc in gold.values() for c in doc}
    checked = 0
    for r in m.rows:
        for cell, doc in zip(r.cells, FIVE, strict=True):
            if cell.value == "not_stated":
                continue
            if r.kind == "question":
                side = QUESTIONS[r.id].yes if cell.value == "yes" else QUESTIONS[r.id].no
                concepts = set(side.concepts) & labelled
            else:
                concepts = {r.id} & labelled
            if not concepts:
                continue
            spans = [s for c in concepts for s in gold.get(doc, {}).get(c, [])]
            assert spans, f"{doc}: {r.id} = {cell.value}, but gold has no {sorted(concepts)} span"
            first = cell.evidence[0]
            assert _overlaps(spans, first.start, first.end), \
                f"{doc}: {r.id} = {cell.value} rests on §{first.clause} «{first.quote[:60]}», not a gold span"
            checked += 1
    assert checked >= 40


@needs_corpus()
def test_not_stated_cells_have_no_gold_span(five, gold):
    """The other way round: where gold labels the concept that answers "yes", the cell says so."""
    m = build_matrix(five)
    missed = []
    for r in m.rows:
        if r.kind != "question":
            continue
        q = QUESTIONS[r.id]
        for cell, doc in zip(r.cells, FIVE, strict=True):
            if cell.value == "not_stated" and q.yes is not None and \
                    any(gold.get(doc, {}).get(c) for c in q.yes.concepts):
                missed.append((doc, r.id))
    assert missed == []


# --------------------------------------------------------------------------- columns and the model


def test_versions_of_one_platform_are_columns_of_their_own(samples):
    m = build_matrix(samples)
    names = [c.name for c in m.columns]
    assert len(set(names)) == 3, names
    assert [c.path for c in m.columns] == [s.document.path for s in samples]
    assert "huajian-user-agreement-2024" in names[1] or names[0] != names[1]


def test_names_and_duplicates(samples, scanner):
    a, b, _c = samples
    assert column_names([a, b], ["LOFTER", "小红书"]) == ["LOFTER", "小红书"]
    assert column_names([a, b], ["LOFTER"])[0] == "LOFTER"
    twice = column_names([a, a])
    assert twice[0] != twice[1] and len(set(twice)) == 2
    # two versions with the same title: each gets its file name, not only the first
    v1 = scanner.scan_text("用户协议\n1. 您同意授予平台永久的许可。\n", path="terms-2024.txt")
    v2 = scanner.scan_text("用户协议\n1. 您同意授予平台许可。\n", path="terms-2025.txt")
    assert column_names([v1, v2]) == ["用户协议 (terms-2024)", "用户协议 (terms-2025)"]
    with pytest.raises(ValueError):
        column_names([a], ["x", "y"])
    with pytest.raises(ValueError):
        build_matrix([])


def test_the_model_is_strict_and_round_trips(samples):
    with pytest.raises(ValidationError):
        Cell(value="yes", tone="bad", bogus=1)
    with pytest.raises(ValidationError):
        Cell(value="maybe", tone="bad")
    m = build_matrix(samples)
    again = Matrix.model_validate(json.loads(render_compare(m, "json")))
    assert again == m


# --------------------------------------------------------------------------- renderers


def test_markdown_escapes_hostile_text(scanner, samples):
    hostile = scanner.scan_text(HOSTILE, lang="zh", path="evil.txt")
    m = build_matrix([hostile, samples[0]], names=["*bold* [x](javascript:alert(1)) | <b>"])
    md = render_compare(m, "md")
    assert "[x](javascript" not in md and "<script>" not in md and "<b>" not in md and "<img" not in md
    assert r"\*bold\*" in md and r"\|" in md
    # every table line has as many cells as the header
    table = [line for line in md.splitlines() if line.startswith("| ")]
    assert len({len(re.findall(r"(?<!\\)\|", line)) for line in table}) == 1


def test_csv_is_one_line_per_row_and_formula_safe(scanner, samples):
    hostile = scanner.scan_text(HOSTILE, lang="zh", path="evil.txt")
    m = build_matrix([hostile, samples[0]], names=["=cmd|' /C calc'!A0", "画笺"])
    text = render_compare(m, "csv")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0][:4] == ["kind", "id", "label", "differs"] and rows[0][4].startswith("'=")
    assert len(rows) == 2 + len(m.rows)
    assert all(len(r) == 4 + 3 * 2 for r in rows)
    assert not any(cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r)


def test_html_escapes_and_carries_a_csp(scanner, samples):
    hostile = scanner.scan_text(HOSTILE, lang="zh", path="evil.txt")
    m = build_matrix([hostile, samples[0]], names=["<script>alert(1)</script>"])
    html = render_compare(m, "html")
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert "<img src=x" not in html
    assert html.count("<script>") == 1  # the page's own
    assert "Content-Security-Policy" in html and "default-src &#39;none&#39;" in html


def test_english_interface(samples):
    view = build_compare(build_matrix(samples), "en")
    assert view.groups[0].label == "Your work: the answers"
    assert {c.label for r in view.rows if r.kind == "question" for c in r.cells} <= {"Yes", "No", "Not stated"}


# --------------------------------------------------------------------------- the command


def test_compare_command_writes_each_format(tmp_path):
    for fmt in ("html", "md", "csv", "json"):
        out = tmp_path / f"c.{fmt}"
        r = runner.invoke(app, ["compare", str(HUAJIAN), str(YUNMO), "--name", "画笺", "-f", fmt, "-o", str(out),
                                "-j", "1"])
        assert r.exit_code == 0, r.output
        assert "画笺" in out.read_text(encoding="utf-8")
    data = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))
    assert data["columns"][0]["name"] == "画笺"


def test_compare_command_errors(tmp_path):
    r = runner.invoke(app, ["compare", str(HUAJIAN)])
    assert r.exit_code == 2 and "at least two" in r.output
    r = runner.invoke(app, ["compare", str(HUAJIAN), str(YUNMO), "-n", "a", "-n", "b", "-n", "c", "-j", "1"])
    assert r.exit_code == 2 and "--name" in r.output
    out = tmp_path / "c.html"
    r = runner.invoke(app, ["compare", str(HUAJIAN), str(tmp_path / "missing.txt"), "-f", "html", "-o", str(out),
                            "-j", "1"])
    assert r.exit_code == 2 and "missing.txt" in r.output
    assert not out.exists(), "a matrix with a missing column is not written"
