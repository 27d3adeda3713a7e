"""The command line: the JSON contract, exit codes, and one-line errors instead of tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from tosscan.cli import app

from .conftest import CORPUS_ZH, SAMPLES, needs_corpus

runner = CliRunner()
SAMPLE = SAMPLES / "huajian-user-agreement.txt"


def run(*args: str):
    return runner.invoke(app, list(args))


def test_scan_json_contract():
    r = run("scan", str(SAMPLE), "--format", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["tosscan"]["version"]
    assert doc["catalog"]["rules"] > 0 and len(doc["catalog"]["sha256"]) == 64
    assert doc["document"]["language"] == "zh"
    text = SAMPLE.read_text(encoding="utf-8")
    assert doc["document"]["chars"] == len(text)
    assert doc["findings"], "the sample has findings"
    for f in doc["findings"]:
        assert {"rule", "concepts", "severity", "start", "end", "quote", "clause", "heading",
                "explanation"} <= set(f)
        assert text[f["start"]:f["end"]] == f["quote"]
        assert f["concepts"]


def test_several_paths_give_an_array(tmp_path):
    out = tmp_path / "r.json"
    r = run("scan", str(SAMPLE), str(SAMPLES / "yunmo-user-agreement.txt"), "-f", "json", "-o", str(out))
    assert r.exit_code == 0, r.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [d["document"]["path"] for d in data] == [str(SAMPLE), str(SAMPLES / "yunmo-user-agreement.txt")]


def test_text_format_groups_by_concept():
    r = run("scan", str(SAMPLE))
    assert r.exit_code == 0
    assert "license.irrevocable" in r.stdout and "§4.2.2" in r.stdout


@pytest.mark.parametrize("make, code, words", [
    (lambda p: p.write_bytes(b"\x00\x01\x02binary"), 2, "not a text file"),
    (lambda p: None, 2, "no such file"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, make, code, words):
    p = tmp_path / "bad.txt"
    make(p)
    r = run("scan", str(p))
    assert r.exit_code == code
    assert words in r.stderr and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr


def test_refuses_to_overwrite_its_input(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    before = p.read_bytes()
    r = run("scan", str(p), "-o", str(p))
    assert r.exit_code == 2 and "overwrite" in r.stderr
    assert p.read_bytes() == before


def test_usage_error_exits_2():
    assert run("scan", str(SAMPLE), "--format", "pdf").exit_code == 2
    assert run("scan").exit_code == 2


def test_bad_catalog_exits_3(tmp_path):
    (tmp_path / "r.yaml").write_text("rules:\n  - id: zh.x.y\n    colour: red\n", encoding="utf-8")
    r = run("scan", str(SAMPLE), "--rules", str(tmp_path))
    assert r.exit_code == 3 and "r.yaml:" in r.stderr


def test_fail_on():
    assert run("scan", str(SAMPLE), "--fail-on", "high").exit_code == 1
    assert run("scan", str(SAMPLES / "yunmo-user-agreement.txt"), "--fail-on", "never").exit_code == 0


def test_rules_commands():
    r = run("rules", "validate")
    assert r.exit_code == 0 and "rules valid" in r.stdout
    assert run("rules", "list").exit_code == 0
    shown = run("rules", "show", "zh.license.irrevocable")
    assert shown.exit_code == 0 and "license.irrevocable" in shown.stdout
    assert run("rules", "show", "zh.nope").exit_code == 2
    assert run("concepts").exit_code == 0


def test_no_traceback_from_the_real_entry_point(tmp_path):
    p = tmp_path / "x.txt"
    p.write_bytes(b"\xff\xfe\x00\xd8garbage\x00\x00")
    r = subprocess.run([sys.executable, "-m", "tosscan.cli", "scan", str(p)], capture_output=True, text=True)
    assert r.returncode == 2 and "Traceback" not in r.stderr


@needs_corpus()
def test_every_corpus_document_scans(tmp_path):
    docs = sorted(CORPUS_ZH.glob("zh-*.txt"))
    out = tmp_path / "all.json"
    r = run("scan", *map(str, docs), "-f", "json", "-o", str(out))
    assert r.exit_code == 0, r.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data) == len(docs)
    for d, p in zip(data, docs, strict=True):
        text = p.read_text(encoding="utf-8")
        for f in d["findings"]:
            assert text[f["start"]:f["end"]] == f["quote"]


@pytest.mark.parametrize("fmt, marker", [("html", "Content-Security-Policy"), ("md", "|"), ("csv", "document,clause")])
def test_report_formats(tmp_path, fmt, marker):
    out = tmp_path / f"r.{fmt}"
    r = run("scan", str(SAMPLE), "--format", fmt, "-o", str(out), "--ui-lang", "en")
    assert r.exit_code == 0, r.output
    content = out.read_text(encoding="utf-8-sig")
    assert marker in content
    if fmt == "csv":
        assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # spreadsheet programs need the BOM for Chinese
    if fmt == "html":
        assert "4.2.2" in content and "http://" not in content and "https://" not in content


def test_written_reports_get_ordinary_permissions(tmp_path):
    import os
    import stat

    out = tmp_path / "r.html"
    assert run("scan", str(SAMPLE), "-f", "html", "-o", str(out)).exit_code == 0
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask


# --------------------------------------------------------------------------- answers and grade in the result


def test_scan_json_has_grade_and_every_answer():
    from tosscan.catalog import load_questions

    doc = json.loads(run("scan", str(SAMPLE), "--format", "json").stdout)
    assert list(doc)[:6] == ["tosscan", "catalog", "document", "grade", "answers", "findings"]
    g = doc["grade"]
    assert {"letter", "good", "bad", "blocker", "balance"} <= set(g)
    assert g["balance"] == g["good"] - g["bad"] - 3 * g["blocker"]
    assert [a["question"] for a in doc["answers"]] == [q.id for q in load_questions()]
    text = SAMPLE.read_text(encoding="utf-8")
    for a in doc["answers"]:
        assert a["answer"] in ("yes", "no", "not_stated")
        assert (a["answer"] == "not_stated") == (a["evidence"] == [])
        for e in a["evidence"]:
            assert {"start", "end", "clause", "quote", "concepts"} <= set(e)
            assert text[e["start"]:e["end"]] == e["quote"]


HUAJIAN_ANSWERS = {"ai_training": ("yes", "4.7"), "revocable": ("no", "4.2.2"), "ownership": ("yes", "4.2.1")}


@pytest.mark.parametrize("question", sorted(HUAJIAN_ANSWERS))
def test_huajian_answers_quote_the_right_clause_first(question):
    doc = json.loads(run("scan", str(SAMPLE), "--format", "json").stdout)
    a = next(a for a in doc["answers"] if a["question"] == question)
    answer, clause = HUAJIAN_ANSWERS[question]
    assert a["answer"] == answer
    assert a["evidence"][0]["clause"] == clause


def test_ui_language_is_applied_at_render_time_with_a_custom_catalog(tmp_path):
    import shutil

    import yaml

    from tosscan.catalog import default_rules_dir

    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules, ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    p = rules / "zh" / "license.yaml"
    data = yaml.safe_load(p.read_text(encoding="utf-8"))
    ids = {r["id"] for r in data["rules"]}
    for r in data["rules"]:
        r["title"] = {"zh": f"自定义标题{r['id']}", "en": f"Custom title {r['id']}"}
    p.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = json.loads(run("scan", str(SAMPLE), "-f", "json", "--rules", str(rules), "--ui-lang", "en").stdout)
    titles = [d["title"] for f in out["findings"] for d in f["details"] if d["rule"] in ids]
    assert titles and all(t.startswith("Custom title zh.license.") for t in titles)
    html_path = tmp_path / "r.html"
    r = run("scan", str(SAMPLE), "-f", "html", "--rules", str(rules), "--ui-lang", "en", "-o", str(html_path))
    assert r.exit_code == 0, r.output
    html = html_path.read_text(encoding="utf-8")
    assert "Custom title zh.license." in html and "自定义标题" not in html
    zh = json.loads(run("scan", str(SAMPLE), "-f", "json", "--rules", str(rules)).stdout)
    assert any(d["title"].startswith("自定义标题") for f in zh["findings"] for d in f["details"])


def test_fail_on_a_calm_document(tmp_path):
    calm = tmp_path / "calm.txt"
    calm.write_text("本协议自发布之日起生效。\n", encoding="utf-8")
    assert run("scan", str(calm), "--fail-on", "info").exit_code == 0


def test_library_api_without_the_cli():
    from tosscan.api import FORMATS, render, scan_file, scan_text

    r = scan_file(SAMPLE)
    assert r.answer("ai_training").answer == "yes"
    again = scan_text(SAMPLE.read_text(encoding="utf-8"), lang="zh")
    assert [f.start for f in again.findings] == [f.start for f in r.findings]
    for fmt in FORMATS:
        out = render([r], fmt, ui_lang="en")
        assert out.strip(), fmt
    assert json.loads(render([r], "json"))["grade"]["letter"] == r.grade.letter
