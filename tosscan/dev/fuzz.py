"""A seeded fuzzer for the scan path: hostile and broken agreements must never crash, hang or lie.

``cases(seed, n)`` yields agreement texts: real clauses cut, spliced, repeated and mutated, random
Unicode (zero-width and control characters, surrogate-free astral planes, full-width forms, RTL marks),
markup and injection payloads, numbering in every style, huge lines. ``check(text)`` scans one through the
library API and asserts the invariants every user relies on: no exception, every finding's and every
answer's quote is ``text[start:end]``, every question is answered, and every renderer runs.
The tests run a few hundred cases; ``benchmarks/fuzz.py`` runs ten thousand and more.

``cli_cases(seed, n)`` and ``run_cli`` do the same through the real ``tosscan`` process: files in every
encoding and kind (text, bytes, fake PDF/DOCX, empty, cut mid-character) under odd suffixes, with random
commands and options (good and bad); each run must end with a documented exit code, errors in one line,
no traceback, no hang, the inputs untouched and no temporary file left (``benchmarks/fuzz.py --cli``).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SEEDS_ZH = [
    "第一条 总则\n", "1.1 您同意授予我们免费的、不可撤销的、永久的、全球范围内的许可。\n",
    "（一）您不得从事下列行为：\n（1）使用本平台内容训练模型；\n", "我们不会将您的作品用于训练人工智能模型。\n",
    "本协议适用中华人民共和国法律，争议提交被告所在地人民法院管辖。\n", "“用户内容”是指您上传的作品。\n",
    "您删除作品后，上述许可即终止。", "4.2.1 其著作权仍由您或原权利人享有。\n", "【授权使用】", "一、", "①", "；", "：",
]
SEEDS_EN = [
    "## 5. Your Content\n", "**5.2** You grant us a worldwide, royalty-free, sublicensable license.\n",
    "You agree not to:\n(a) scrape the Service;\n(b) train AI models.\n", "We do not use your content to train.\n",
    "\"Content\" means anything you post. ", "THE SERVICE IS PROVIDED AS IS.\n", "1\\. ", "Section 7. ", "- ", "U.S. ",
]
PAYLOADS = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))", "{{ 7*7 }}", "{% raw %}",
    "\x1b[31m", "\x1b]0;title\x07", "=HYPERLINK(\"x\")", "</style></script>", "&lt;b&gt;", "\\", "`", "|", "\r\n", "\r",
]
ODD = ["\u200b", "\u200e", "\u202e", "\ufeff", "\u3000", "\u00a0", "\x00", "\x0c", "\u2028", "\U0001f600", "Ａ１．",
       "\ufffd", "\u0301", "𠀀", "\t"]


def _piece(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.35:
        return rng.choice(SEEDS_ZH)
    if r < 0.6:
        return rng.choice(SEEDS_EN)
    if r < 0.72:
        return rng.choice(PAYLOADS)
    if r < 0.85:
        return rng.choice(ODD) * rng.randint(1, 5)
    if r < 0.95:
        return "".join(chr(rng.randint(0x20, 0x2FFF)) for _ in range(rng.randint(1, 40)))
    return rng.choice(SEEDS_ZH + SEEDS_EN).rstrip("\n") * rng.randint(20, 200)  # a long line


def _mutate(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(0, 4)):
        if not text:
            break
        i = rng.randrange(len(text))
        op = rng.random()
        if op < 0.3:
            text = text[:i] + text[i + rng.randint(1, 10):]
        elif op < 0.6:
            text = text[:i] + rng.choice(ODD + PAYLOADS) + text[i:]
        else:
            j = rng.randrange(len(text))
            text = text[:i] + text[min(i, j):max(i, j)] + text[i:]
    return text


def cases(seed: int, n: int) -> Iterator[str]:
    rng = random.Random(seed)
    for _ in range(n):
        text = "".join(_piece(rng) for _ in range(rng.randint(1, 30)))
        yield _mutate(text, rng)


def check(text: str, lang: str = "auto") -> int:
    """Scan ``text`` and assert the invariants; returns the number of findings."""
    from tosscan.api import render, scan_text
    from tosscan.catalog import load_questions

    if not text.strip():
        return 0
    r = scan_text(text, lang=lang, path="fuzz.txt")
    for f in r.findings:
        assert 0 <= f.start < f.end <= len(text), (f.start, f.end)
        assert text[f.start:f.end] == f.quote
        for a, b in f.evidence:
            assert f.start <= a <= b <= f.end
    assert [a.question for a in r.answers] == [q.id for q in load_questions()]
    for a in r.answers:
        for e in a.evidence:
            assert text[e.start:e.end] == e.quote
    assert r.grade.balance == r.grade.good - r.grade.bad - 3 * r.grade.blocker
    for fmt in ("json", "html", "md", "csv", "text"):
        out = render([r], fmt)
        assert out
        if fmt == "html":
            assert out.count("<script>") == 1
        if fmt == "text":
            assert "\x1b" not in out
    return len(r.findings)


# --------------------------------------------------------------------------- through the command line

EXIT_CODES = {0, 1, 2, 3}  # documented: success, --fail-on reached, bad input or usage, bad catalog (70 is a bug)
ENCODINGS = ["utf-8", "utf-8-sig", "gb18030", "big5", "shift_jis", "euc_kr", "cp1252", "utf-16"]
FILE_SUFFIXES = [".txt", ".txt", ".txt", ".md", ".html", ".pdf", ".docx", ".doc", ".yaml", "", ".TXT", ".mhtml"]
FORMATS = {"scan": ["text", "json", "html", "md", "csv", "xml"], "diff": ["text", "json", "html", "md", "csv"],
           "compare": ["html", "md", "csv", "json", "text"]}


@dataclass
class CliCase:
    """One run of the real command: input files (name, bytes) and the arguments ({0}, {1}: the files'
    paths; {out}: an output path beside them)."""

    files: list[tuple[str, bytes]]
    args: list[str]


def _file_bytes(rng: random.Random, text: str) -> bytes:
    r = rng.random()
    if r < 0.5:
        enc = rng.choice(ENCODINGS)
        data = text.encode(enc, "replace")
        return data[:rng.randrange(len(data) + 1)] if rng.random() < 0.1 else data  # cut mid-character
    if r < 0.6:
        return rng.randbytes(rng.randint(0, 3000))
    if r < 0.7:
        return f"<!DOCTYPE html><html><body><main><p>{text}</p></main></body></html>".encode()
    if r < 0.75:
        return b"%PDF-1.4\n" + rng.randbytes(rng.randint(0, 500))
    if r < 0.8:
        return b"PK\x03\x04" + rng.randbytes(rng.randint(0, 500))
    if r < 0.9:
        return rng.choice([b"", b" \n\t", "\u200b\ufeff".encode(), b"\xef\xbb\xbf", b"\x00" * 10,
                           b"\x1b[2J\x1b]0;x\x07"])
    return "".join(SEEDS_ZH + SEEDS_EN).encode(rng.choice(["utf-8", "gb18030", "utf-16"]), "replace")


def cli_cases(seed: int, n: int) -> Iterator[CliCase]:
    rng = random.Random(seed)
    texts = cases(seed + 1, n * 2)
    for _ in range(n):
        cmd = rng.choices(["scan", "diff", "compare"], [6, 2, 2])[0]
        n_files = 1 if cmd == "scan" and rng.random() < 0.8 else 2
        files = [(f"in{i}{rng.choice(FILE_SUFFIXES)}", _file_bytes(rng, next(texts))) for i in range(n_files)]
        args = [cmd, *(f"{{{i}}}" for i in range(n_files))]
        options = [["-f", rng.choice(FORMATS[cmd])], ["--lang", rng.choice(["auto", "zh", "en", "fr"])],
                   ["--encoding", rng.choice(["gb18030", "big5", "shift_jis", "cp1252", "utf-8", "nope", "base64"])],
                   ["-o", "{out}" + rng.choice([".txt", ".json", ".html", ""])],
                   ["--ui-lang", rng.choice(["zh", "en"])],
                   ["--fail-on", rng.choice(["high", "low", "never"])], ["--jobs", rng.choice(["1", "2", "0"])],
                   ["--bogus"], ["--selector", "main"]]
        for opt in rng.sample(options, rng.randint(0, 3)):
            args += opt
        yield CliCase(files, args)


def run_cli(case: CliCase, workdir: Path, command: list[str], timeout: float = 60) -> str | None:
    """Run one case in ``workdir`` (emptied first); None if every invariant holds, else what broke:
    an exit code outside the documented set, a traceback, an error that is not one line, a hang, an
    input changed, a temporary file left behind, escape sequences in text output."""
    import os
    import shutil
    import subprocess

    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    paths = []
    for name, data in case.files:
        (workdir / name).write_bytes(data)
        paths.append(str(workdir / name))
    before = [(p.read_bytes(), p.stat().st_mtime_ns) for p in map(Path, paths)]
    args = [a.replace("{out}", str(workdir / "out")).format(*paths) if "{" in a else a for a in case.args]
    env = {k: v for k, v in os.environ.items() if k not in ("TOSSCAN_ENCODING", "TOSSCAN_DEBUG")}
    try:
        p = subprocess.run([*command, *args], capture_output=True, timeout=timeout, cwd=workdir, env=env)
    except subprocess.TimeoutExpired:
        return f"hang (over {timeout:.0f} s)"
    err = p.stderr.decode("utf-8", "replace")
    lines = err.splitlines()
    if p.returncode not in EXIT_CODES:
        return f"exit {p.returncode}: {err[-300:]!r}"
    if "Traceback" in err:
        return f"traceback: {err[-300:]!r}"
    table = next((i for i, line in enumerate(lines) if line.startswith("#  document")), len(lines))
    if any(not line.startswith("tosscan: ") for line in lines[:table]):  # a batch's summary table follows
        return f"stderr not in tosscan's one-line form: {err[-300:]!r}"
    errors = [line for line in lines if line.startswith("tosscan: error:")]
    if p.returncode in (2, 3) and case.args[0] != "compare" and len(case.files) == 1 and len(errors) != 1:
        return f"exit {p.returncode} without exactly one error line: {err[-300:]!r}"
    if p.returncode in (0, 1) and errors:
        return f"exit {p.returncode} with an error: {err[-300:]!r}"
    if [(q.read_bytes(), q.stat().st_mtime_ns) for q in map(Path, paths)] != before:
        return "an input file was changed"
    if [q.name for q in workdir.iterdir() if q.name.startswith(".tosscan-")]:
        return "a temporary file was left behind"
    if "\x1b" in p.stdout.decode("utf-8", "replace") and ("-f" not in args or "text" in args):
        return "an escape sequence reached the terminal"
    return None


def tosscan_command() -> list[str]:
    """The installed ``tosscan`` beside this Python (else ``python -m tosscan``)."""
    import shutil
    import sys

    exe = Path(sys.executable).parent / "tosscan"
    if exe.exists():
        return [str(exe)]
    found = shutil.which("tosscan")
    return [found] if found else [sys.executable, "-m", "tosscan"]
