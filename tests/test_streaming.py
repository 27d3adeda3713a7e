"""Reports made as they are written give the bytes the whole-document renderers gave.

The JSON renderer once built the whole dict (``model_dump``) and the whole string (``json.dumps``); it now
writes one finding, one quote at a time. The old renderer is kept here as the reference and compared
byte for byte on the corpus, through the library and through ``tosscan scan -o``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tosscan.output import write_report
from tosscan.render import render, render_pieces
from tosscan.render.view import display_of, rule_text

from .conftest import CORPUS_ZH, SAMPLES, SHARED, needs_corpus

# --------------------------------------------------------------------------- the reference (the old code)


def _document_dict_ref(result, ui_lang: str | None = None) -> dict[str, Any]:
    ui = ui_lang if ui_lang in ("zh", "en") else ("en" if result.document.language == "en" else "zh")
    data = result.model_dump(mode="json")
    shown = display_of(result)
    for f in data["findings"]:
        f["display"] = shown.display(f["start"], f["end"])
        f["title"], f["explanation"] = rule_text(result, f["rule"], ui)
        for d in f["details"]:
            d["title"], d["explanation"] = rule_text(result, d["rule"], ui)
    for a in data["answers"]:
        for e in a["evidence"]:
            e["display"] = shown.display(e["start"], e["end"])
    return data


def render_json_ref(results, ui_lang: str | None = None) -> str:
    docs = [_document_dict_ref(r, ui_lang) for r in results]
    return json.dumps(docs[0] if len(docs) == 1 else docs, ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------- the corpus


def _corpus() -> list[Path]:
    zh = sorted(CORPUS_ZH.glob("zh-*.txt"))
    en = sorted((SHARED / "corpus" / "en" / "modern").glob("*.md"))
    return zh[::4] + en[::3] + sorted(SAMPLES.glob("*.md"))[:2]


@pytest.fixture(scope="module")
def results(scanner):
    return [scanner.scan_file(p) for p in _corpus()]


@needs_corpus()
def test_streamed_json_is_the_whole_dict_json_on_the_corpus(results):
    assert len(results) >= 8 and sum(len(r.findings) for r in results) > 300
    for r in results:
        for ui in (None, "en", "zh"):
            pieces = list(render_pieces([r], "json", ui))
            assert "".join(pieces) == render_json_ref([r], ui), (r.document.path, ui)
            assert len(pieces) > 1 or len(pieces[0]) < 1 << 16  # written in pieces, not one string
    assert render(results[:5], "json") == render_json_ref(results[:5])  # several: an array
    assert render(results[:1] * 2, "json", "en") == render_json_ref(results[:1] * 2, "en")
    assert render([], "json") == render_json_ref([]) == "[]\n"


def test_streamed_json_without_findings_or_evidence(scanner):
    r = scanner.scan_text("第一条 总则\n本协议由双方签订。\n", lang="zh")
    assert r.findings == [] and all(a.evidence == [] for a in r.answers)
    assert render([r], "json") == render_json_ref([r])


@needs_corpus()
def test_cli_writes_the_same_json_bytes(tmp_path, results):
    from typer.testing import CliRunner

    from tosscan.cli import app

    src = _corpus()[1]
    out = tmp_path / "r.json"
    res = CliRunner().invoke(app, ["scan", str(src), "-f", "json", "-o", str(out)])
    assert res.exit_code in (0, 1), res.output
    written = json.loads(out.read_text(encoding="utf-8"))
    again = next(r for r in results if r.document.path == str(src))
    expected = render_json_ref([again])
    # the same bytes but for the scan time
    written["document"]["scanned_at"] = again.document.scanned_at
    assert json.dumps(written, ensure_ascii=False, indent=2) + "\n" == expected
    assert out.read_text(encoding="utf-8").count("\n") == expected.count("\n")


def test_write_report_writes_pieces_as_they_come(tmp_path):
    out = tmp_path / "r.txt"
    write_report(out, iter(["a", "b\u4e00", "\udcff", b"!"]))
    assert out.read_bytes() == "ab\u4e00".encode() + b"\\udcff!"


def test_a_renderer_failure_between_writes_is_raised_as_it_is_and_leaves_nothing(tmp_path):
    def pieces():
        yield "first"
        raise ValueError("a bug in a renderer")

    out = tmp_path / "r.html"
    out.write_text("old report")
    with pytest.raises(ValueError, match="a bug in a renderer"):  # not "cannot write (ValueError)"
        write_report(out, pieces())
    assert out.read_text() == "old report"
    assert os.listdir(tmp_path) == ["r.html"]


@pytest.mark.parametrize("fmt", ["json", "html"])
def test_a_reader_that_goes_away_ends_the_report_quietly(fmt):
    """``tosscan scan … | head``: the report is written piece by piece, so the pipe breaks mid-report; the
    scan still ends as it would (exit 0, the batch summary on stderr), with no traceback."""
    import subprocess
    import sys

    docs = [str(SAMPLES / "huajian-user-agreement.txt"), str(SAMPLES / "yunmo-user-agreement.txt")]
    p = subprocess.Popen([sys.executable, "-m", "tosscan", "scan", *docs, "-f", fmt],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert p.stdout is not None and p.stderr is not None
    assert p.stdout.read(10)
    p.stdout.close()
    err = p.stderr.read().decode()
    assert p.wait(timeout=120) == 0, err
    assert "Traceback" not in err and "BrokenPipe" not in err and "2 scanned" in err
