"""A few hundred seeded fuzz cases on every run (``benchmarks/fuzz.py`` runs ten thousand)."""

from __future__ import annotations

import pytest

from tosscan.dev.fuzz import CliCase, cases, check, cli_cases, run_cli, tosscan_command

BATCHES = 4
PER_BATCH = 50


@pytest.mark.parametrize("seed", range(BATCHES))
def test_fuzz_batch(seed):
    for i, text in enumerate(cases(seed, PER_BATCH)):
        try:
            check(text)
        except AssertionError as e:  # name the case so it can be replayed: cases(seed, i + 1)
            raise AssertionError(f"seed {seed}, case {i}: {e!r} on {text[:200]!r}") from None


def test_the_generator_is_seeded():
    assert list(cases(7, 5)) == list(cases(7, 5))
    assert list(cases(7, 5)) != list(cases(8, 5))


@pytest.mark.parametrize("text", ["\u200b", "\ufeff", "\ufeff\ufeff\ufeff", "\u200b\n\u200b。", "a\u200b"])
def test_invisible_text_through_the_library(text):
    # the CLI refuses such a file, but the library and the web page take text directly (found by the fuzzer)
    check(text)


# --------------------------------------------------------------------------- through the real command

CLI_CASES = 8  # `python benchmarks/fuzz.py --cli` runs hundreds


@pytest.mark.parametrize("i", range(CLI_CASES))
def test_cli_fuzz(tmp_path, i):
    case = list(cli_cases(0, CLI_CASES))[i]
    why = run_cli(case, tmp_path / "w", tosscan_command(), timeout=90)
    assert why is None, f"cli_cases(0, {CLI_CASES})[{i}]: {case.args} on {[(n, d[:60]) for n, d in case.files]}: {why}"


@pytest.mark.parametrize("files, args", [
    ([("z.txt", "\u200b".encode())], ["scan", "{0}"]),                      # the 190 exit-70s of the first run
    ([("b.txt", bytes(range(256)))], ["scan", "{0}", "-o", "{out}.json"]),
    ([("a.txt", "您同意".encode("big5")), ("b.md", b"")], ["diff", "{0}", "{1}", "--encoding", "nope"]),
    ([("a.txt", "利用規約".encode("shift_jis"))], ["scan", "{0}", "--encoding", "utf-8"]),
    # found by the first 300-case CLI run: an OSC sequence in diff's terminal text; a control character after
    # a <script> in a web page (lxml refused the text node: exit 70)
    ([("a.txt", b"S 7."), ("b", "\u3010\u6388\u6743\u3011\x1b]0;title\x07# 5. Your Content".encode())],
     ["diff", "{0}", "{1}"]),
    ([("p.html", b"<html><body><main><p>a<script>x</script>\x1b[31m tail \x01 b</p></main></body></html>")],
     ["scan", "{0}"]),
])
def test_cli_edge_cases(tmp_path, files, args):
    assert run_cli(CliCase(files, args), tmp_path / "w", tosscan_command()) is None
