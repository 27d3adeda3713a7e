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
