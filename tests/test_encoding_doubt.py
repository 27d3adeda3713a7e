"""Short legacy-encoded snippets are never decoded as the wrong text without a word (issue 17): a guess
that is doubtful says so (``Source.encoding_doubt``, a one-line warning), and ``--encoding`` forces one."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tosscan.ingest import read
from tosscan.ingest.text import detect

from .conftest import SAMPLES

SNIPPETS = [  # (encoding, text): short, as a clause quoted in a mail or a forum post
    ("gbk", "您同意授予我们永久许可。"), ("gb18030", "用户协议：您同意授予我们永久许可。"), ("gbk", "您同意"),
    ("big5", "用戶協議：您同意授予我們永久許可。"), ("big5", "您同意"),
    ("shift_jis", "利用規約：ユーザーは永久の許可を与えます。"), ("shift_jis", "利用規約"),
    ("cp1252", "Café terms — you grant us a licence, naïvely."), ("cp1252", "Café"),
    ("euc_kr", "이용약관: 귀하는 영구 라이선스를 부여합니다."), ("latin-1", "Conditions générales d'été"),
]


@pytest.mark.parametrize("encoding, text", SNIPPETS)
def test_a_snippet_is_read_right_or_said_to_be_a_guess(encoding, text):
    d = detect(text.encode(encoding), "x.txt")
    assert d.text == text or (d.doubt and d.confidence < 0.5), (d.encoding, d.text)
    if d.doubt:
        assert "\n" not in d.doubt and "--encoding" in d.doubt


@pytest.mark.parametrize("encoding, text", SNIPPETS)
def test_a_forced_encoding_reads_it_right(encoding, text):
    d = detect(text.encode(encoding), "x.txt", forced=encoding)
    assert d.text == text and d.doubt is None


def test_the_wrong_guesses_are_the_doubtful_ones():
    for encoding, text in [("shift_jis", "利用規約"), ("cp1252", "Café terms — you grant us a licence, naïvely."),
                           ("euc_kr", "이용약관: 귀하는 영구 라이선스를 부여합니다.")]:
        d = detect(text.encode(encoding), "x.txt")
        assert d.text != text and d.doubt, encoding  # detection alone gets these wrong: it must say so


def test_whole_agreements_in_legacy_encodings_are_read_without_doubt(tmp_path):
    text = (SAMPLES / "huajian-user-agreement.txt").read_text(encoding="utf-8")
    for enc in ("gbk", "gb18030"):
        p = tmp_path / f"{enc}.txt"
        p.write_bytes(text.encode(enc, "replace"))
        src = read(p)
        assert src.encoding_doubt is None and src.encoding_confidence > 0.9, src.encoding_doubt
    assert read(SAMPLES / "huajian-user-agreement.txt").encoding_confidence == 1.0  # UTF-8 is never a guess


def tosscan(*args):
    env = {k: v for k, v in os.environ.items() if k != "TOSSCAN_ENCODING"}
    return subprocess.run([sys.executable, "-m", "tosscan", *args], capture_output=True, timeout=120, env=env)


def test_cli_warns_in_one_line_and_encoding_forces(tmp_path):
    p = tmp_path / "sjis.txt"
    p.write_bytes("利用規約：ユーザー".encode("shift_jis")[:8])
    r = tosscan("scan", str(p), "-f", "json")
    err = r.stderr.decode()
    assert r.returncode == 0 and err.startswith("tosscan: warning: ") and err.count("\n") == 1, err
    assert "sjis.txt" in err and "--encoding" in err
    doc = json.loads(r.stdout)["document"]
    assert doc["encoding_confidence"] < 0.5 and "--encoding" in doc["encoding_doubt"]  # the result says it too
    r = tosscan("scan", str(p), "-f", "json", "--encoding", "shift_jis")
    assert r.returncode == 0 and r.stderr == b"", r.stderr
    doc = json.loads(r.stdout)["document"]
    assert doc["encoding"] == "shift_jis" and doc["encoding_confidence"] == 1.0 and doc["encoding_doubt"] is None


@pytest.mark.parametrize("cmd", ["scan", "diff", "compare"])
def test_bad_encoding_name_and_undecodable_text_are_one_line_errors(tmp_path, cmd):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_bytes("Café terms: you grant us a licence.".encode("cp1252"))
    b.write_bytes("Café terms: you grant us a licence.".encode("cp1252"))
    files = [str(a)] if cmd == "scan" else [str(a), str(b)]
    for enc, words in [("klingon", "unknown text encoding"), ("rot13", "unknown text encoding"),
                       ("utf-8", "does not decode as utf-8")]:
        r = tosscan(cmd, *files, "--encoding", enc)
        err = r.stderr.decode()
        assert r.returncode == 2 and err.startswith("tosscan: error:") and words in err, (cmd, enc, err)
        assert "Traceback" not in err and err.count("\n") == (1 if cmd != "compare" or enc != "utf-8" else 3), err
    r = tosscan(cmd, *files, "--encoding", "cp1252", "-o", str(tmp_path / "out"))
    assert r.returncode == 0 and r.stderr == b"", r.stderr
