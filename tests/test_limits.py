"""Never crash, hang or lie: special files, limits, safe outputs, one-line errors (issue 17's rows).

Each test runs the real command (``python -m tosscan``) in a subprocess with a timeout, so a hang is a
failure, not a stuck CI.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import SAMPLES

SAMPLE = SAMPLES / "huajian-user-agreement.txt"


def tosscan(*args: str, stdin: bytes | None = None, env: dict | None = None, timeout: float = 120,
            preexec=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tosscan", *args], input=stdin, capture_output=True,
                          timeout=timeout, env={**os.environ, **(env or {})}, preexec_fn=preexec)


def one_line_error(p: subprocess.CompletedProcess, code: int = 2) -> str:
    err = p.stderr.decode("utf-8", "replace")
    assert p.returncode == code, (p.returncode, err)
    assert err.startswith("tosscan: error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    return err


def leftovers(d: Path) -> list[str]:
    return [p.name for p in d.iterdir() if p.name.startswith(".tosscan-")]


# --------------------------------------------------------------------------- inputs


def test_zero_width_space_only_is_an_empty_document(tmp_path):
    p = tmp_path / "z.txt"
    p.write_bytes("\u200b".encode())
    assert "empty document" in one_line_error(tosscan("scan", str(p)))


def test_a_fifo_is_refused_not_waited_on(tmp_path):
    p = tmp_path / "x.txt"
    os.mkfifo(p)
    assert "not a regular file" in one_line_error(tosscan("scan", str(p), timeout=30))


def test_dev_zero_is_refused(tmp_path):
    p = tmp_path / "zero.txt"
    p.symlink_to("/dev/zero")
    assert "not a regular file" in one_line_error(tosscan("scan", str(p), timeout=30))


def test_size_limit_is_configurable_and_said(tmp_path):
    assert "too large" in one_line_error(tosscan("scan", str(SAMPLE), env={"TOSSCAN_MAX_BYTES": "1000"}))
    assert "too large" in one_line_error(tosscan("scan", "-", stdin=b"x" * 2000, env={"TOSSCAN_MAX_BYTES": "1000"}))


def test_stdin_is_read_with_a_dash():
    p = tosscan("scan", "-", "--format", "json", stdin=SAMPLE.read_bytes())
    assert p.returncode == 0, p.stderr
    assert b'"path": "<stdin>"' in p.stdout and b'"ai_training"' in p.stdout


@pytest.mark.parametrize("name", ["x" * 300 + ".txt", "line\nbreak.txt", "esc\x1b[31m.txt"])
def test_odd_file_names_are_one_line_errors(tmp_path, name):
    err = one_line_error(tosscan("scan", str(tmp_path / name)))
    assert "\x1b" not in err


# --------------------------------------------------------------------------- outputs


def test_output_onto_a_fifo_is_refused_and_the_fifo_stays(tmp_path):
    fifo = tmp_path / "out.html"
    os.mkfifo(fifo)
    assert "not a regular file" in one_line_error(tosscan("scan", str(SAMPLE), "-f", "html", "-o", str(fifo)))
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_output_onto_a_device_is_refused():
    assert "not a regular file" in one_line_error(tosscan("scan", str(SAMPLE), "-o", "/dev/null"))


def _small_fsize():  # runs in the child: a file-size limit, as a full disk would
    import resource

    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


def test_a_failed_write_leaves_nothing_behind(tmp_path):
    target = tmp_path / "report.html"
    p = tosscan("scan", str(SAMPLE), "-f", "html", "-o", str(target), preexec=_small_fsize)
    assert "cannot write" in one_line_error(p)
    assert not target.exists() and leftovers(tmp_path) == []


def test_overwriting_a_report_keeps_its_permissions(tmp_path):
    target = tmp_path / "report.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o600)
    p = tosscan("scan", str(SAMPLE), "-f", "json", "-o", str(target))
    assert p.returncode == 0, p.stderr
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert target.read_text(encoding="utf-8").startswith("{")


@pytest.mark.parametrize("fmt", ["html", "json", "md"])
def test_a_non_utf8_file_name_with_output_is_written_not_an_internal_error(tmp_path, fmt):
    doc = os.path.join(os.fsencode(tmp_path), b"bad\xff.txt")
    with open(doc, "wb") as fh:
        fh.write(SAMPLE.read_bytes())
    out = os.path.join(os.fsencode(tmp_path), b"out\xfe." + fmt.encode())
    p = subprocess.run([sys.executable, "-m", "tosscan", "scan", doc, "-f", fmt, "-o", out], capture_output=True,
                       timeout=120)
    assert p.returncode == 0, p.stderr
    with open(out, "rb") as fh:
        fh.read().decode("utf-8")  # valid UTF-8: the odd byte is written escaped
    assert leftovers(tmp_path) == []


def test_an_input_is_never_overwritten(tmp_path):
    doc = tmp_path / "a.txt"
    doc.write_bytes(SAMPLE.read_bytes())
    assert "input" in one_line_error(tosscan("scan", str(doc), "-o", str(doc)))
    assert doc.read_bytes() == SAMPLE.read_bytes()


# --------------------------------------------------------------------------- usage and the terminal


@pytest.mark.parametrize("args", [("frobnicate",), ("--bogus",), ("scan",), ("scan", str(SAMPLE), "-f", "pdf")])
def test_usage_errors_are_one_line(args):
    one_line_error(tosscan(*args))


def test_terminal_escapes_in_an_agreement_never_reach_the_terminal(tmp_path):
    p = tmp_path / "esc.txt"
    p.write_text("1. 您同意授予平台永久的、不可撤销的许可\x1b]0;pwned\x07，\x1b[2J以使用您的作品。\n", encoding="utf-8")
    out = tosscan("scan", str(p))
    assert out.returncode == 0, out.stderr
    assert b"\x1b" not in out.stdout and b"\x07" not in out.stdout
    assert "不可撤销".encode() in out.stdout


def test_ctrl_c_at_start_up_is_one_line_and_130(tmp_path):
    target = tmp_path / "r.html"
    proc = subprocess.Popen([sys.executable, "-m", "tosscan", "scan", str(SAMPLE), "-f", "html", "-o", str(target)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(1.0)  # during the imports (typer, rich, pydantic, spaCy), before any work
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=60)
    if proc.returncode == 0:
        pytest.skip("the scan finished before the signal arrived")
    if proc.returncode == -signal.SIGINT or (b"tosscan" not in err and b"KeyboardInterrupt" in err):
        pytest.skip("the signal arrived while Python itself was starting, before tosscan's code ran")
    assert proc.returncode == 130 and err == b"tosscan: interrupted\n", err
    assert leftovers(tmp_path) == []


def test_jieba_cache_is_private():
    from tosscan.segment import _jieba, cache_dir

    d = cache_dir()
    j = _jieba()
    if d is not None:
        assert j.dt.tmp_dir == str(d)
        assert stat.S_IMODE(os.stat(d).st_mode) & 0o077 == 0
    import tempfile

    assert j.dt.tmp_dir != tempfile.gettempdir()


def test_a_file_name_with_a_line_break_stays_on_one_line_in_text_output(tmp_path):
    from tosscan.api import scan_file
    from tosscan.render import render

    p = tmp_path / "a\nb.txt"
    p.write_text("您同意授予平台免费使用您上传作品的许可。\n", encoding="utf-8")
    out = render([scan_file(p)], "text")
    first = out.splitlines()[0]
    assert first.endswith("a\\nb.txt") and "\x1b" not in out
