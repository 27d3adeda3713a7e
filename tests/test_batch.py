"""Batch scanning: directories expanded, parallel results equal to a serial run and in the same order,
a failing document reported while the others go on, one report per document, exit codes."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from typer.testing import CliRunner

from tosscan.batch import expand, run_batch
from tosscan.cli import app
from tosscan.errors import InputError

from .conftest import CORPUS_ZH, SAMPLES

runner = CliRunner()


@pytest.fixture()
def tree(tmp_path):
    """in/a.txt, in/sub/b.md, in/sub/bad.txt (binary), in/.hidden/x.txt, in/notes.pdf"""
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / ".hidden").mkdir()
    shutil.copy(SAMPLES / "huajian-user-agreement.txt", root / "a.txt")
    shutil.copy(SAMPLES / "yunmo-user-agreement.txt", root / "sub" / "b.MD")
    (root / "sub" / "bad.txt").write_bytes(b"\x00\x01\x02binary")
    (root / ".hidden" / "x.txt").write_text("用户协议", encoding="utf-8")
    (root / "notes.csv").write_text("a,b\n", encoding="utf-8")  # not an agreement
    (root / "image.png").write_bytes(b"\x89PNG")
    return root


def _strip(result) -> dict:
    return result.model_dump(mode="json", exclude={"document": {"scanned_at"}})


def test_expand_finds_agreements_recursively_in_order(tree, tmp_path):
    items = expand([tree])
    assert [str(i.rel) for i in items] == ["a.txt", "sub/b.MD", "sub/bad.txt"]
    assert [i.path for i in expand([tree / "a.txt", "-"])] == [str(tree / "a.txt"), "-"]
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match=r"no agreement files"):
        expand([tmp_path / "empty"])
    assert [str(i.rel) for i in expand([tree], exclude=[tree / "sub"])] == ["a.txt"]


def test_parallel_equals_serial_in_the_same_order(scanner):
    paths = [SAMPLES / n for n in sorted(os.listdir(SAMPLES)) if n.endswith(".txt")]
    if CORPUS_ZH.is_dir():
        paths += sorted(CORPUS_ZH.glob("*.txt"))[:8]
    items = expand(paths)
    serial = list(run_batch(items, jobs=1, scanner=scanner))
    parallel = list(run_batch(items, jobs=2, scanner=scanner))
    assert [o.index for o in parallel] == list(range(len(items)))
    assert [o.path for o in parallel] == [o.path for o in serial] == [i.path for i in items]
    assert all(o.ok for o in parallel)
    assert [_strip(o.result) for o in parallel] == [_strip(o.result) for o in serial]
    assert all(o.result.rules is scanner.catalog for o in parallel), "the parent's catalog, not a copy per result"


def test_rendering_in_the_workers_keeps_no_results(scanner, tree):
    outs = list(run_batch(expand([tree]), jobs=2, scanner=scanner, fmt="json", keep=False))
    assert [o.ok for o in outs] == [True, True, False]
    assert all(o.result is None for o in outs)
    assert json.loads(outs[0].output)["document"]["path"] == str(tree / "a.txt")
    assert "not a text file" in outs[2].error and not outs[2].internal
    assert outs[0].summary.letter in "ABCDE" and outs[0].summary.reaches("high")


def test_out_dir_one_report_per_document_and_exit_2(tree, tmp_path):
    out = tmp_path / "out"
    r = runner.invoke(app, ["scan", str(tree), "--out-dir", str(out), "-f", "html", "-j", "2"])
    assert r.exit_code == 2, r.output
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()) == ["a.html", "sub/b.html"]
    assert "bad.txt: not a text file" in r.stderr
    assert "3 documents: 2 scanned, 1 failed" in r.stdout  # the summary table goes to stdout with --out-dir
    assert "<!DOCTYPE html>" in (out / "a.html").read_text(encoding="utf-8")


def test_out_dir_names_do_not_collide(tmp_path):
    for d in ("x", "y"):
        (tmp_path / d).mkdir()
        shutil.copy(SAMPLES / "yunmo-user-agreement.txt", tmp_path / d / "terms.txt")
    out = tmp_path / "out"
    r = runner.invoke(app, ["scan", str(tmp_path / "x" / "terms.txt"), str(tmp_path / "y" / "terms.txt"),
                            "--out-dir", str(out), "-f", "md", "-j", "1"])
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.iterdir()) == ["terms-2.md", "terms.md"]


def test_many_paths_one_report_and_failures_go_on(tree, tmp_path):
    out = tmp_path / "all.json"
    r = runner.invoke(app, ["scan", str(tree), "-f", "json", "-o", str(out), "-j", "2"])
    assert r.exit_code == 2
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [d["document"]["path"] for d in data] == [str(tree / "a.txt"), str(tree / "sub" / "b.MD")]


@pytest.mark.parametrize("fail_on, code", [("never", 0), ("high", 1)])
def test_exit_codes(fail_on, code, tmp_path):
    r = runner.invoke(app, ["scan", str(SAMPLES / "huajian-user-agreement.txt"),
                            str(SAMPLES / "yunmo-user-agreement.txt"), "--out-dir", str(tmp_path / "o"),
                            "--fail-on", fail_on])
    assert r.exit_code == code, r.output


def test_bad_usage(tmp_path, tree):
    r = runner.invoke(app, ["scan", str(tree), "-o", str(tmp_path / "x"), "--out-dir", str(tmp_path / "o")])
    assert r.exit_code == 2 and "either" in r.stderr
    r = runner.invoke(app, ["scan", str(tree), "--jobs", "0"])
    assert r.exit_code == 2
    (tmp_path / "empty").mkdir()
    r = runner.invoke(app, ["scan", str(tmp_path / "empty")])
    assert r.exit_code == 2 and "no agreement files" in r.stderr


def test_workers_reuse_the_parents_catalog(scanner, monkeypatch, tree):
    """Forked workers inherit the parent's compiled catalog: none of them loads it again."""
    import tosscan.batch as batch

    class NoScanner:
        def __init__(self, *a, **k):
            raise AssertionError("a worker loaded the catalog again")

    monkeypatch.setattr(batch, "Scanner", NoScanner)
    if batch._context().get_start_method() != "fork":
        pytest.skip("workers are not forked on this platform")
    outs = list(run_batch(expand([tree / "a.txt", tree / "sub" / "b.MD"]), jobs=2, scanner=scanner, fmt="html",
                          keep=False))
    assert [o.ok for o in outs] == [True, True], [o.error for o in outs]


def _dies_on_b(job):
    import tosscan.batch as batch

    if job.item.path.endswith("b.MD"):
        os._exit(9)  # a worker killed (out of memory, kill -9)
    return batch._real_work(job)


def test_a_dying_worker_fails_only_its_document(scanner, monkeypatch, tree):
    import tosscan.batch as batch

    if batch._context().get_start_method() != "fork":
        pytest.skip("workers are not forked on this platform")
    monkeypatch.setattr(batch, "_real_work", batch._work, raising=False)
    monkeypatch.setattr(batch, "_work", _dies_on_b)
    items = expand([tree / "a.txt", tree / "sub" / "b.MD", tree / "a.txt", tree / "a.txt", tree / "a.txt"])
    outs = list(run_batch(items, jobs=2, scanner=scanner, keep=False))
    assert [o.index for o in outs] == [0, 1, 2, 3, 4]
    assert [o.ok for o in outs] == [True, False, True, True, True], [o.error for o in outs]
    assert "died" in outs[1].error and not outs[1].internal
