"""A few hundred seeded fuzz cases on every run (``benchmarks/fuzz.py`` runs ten thousand)."""

from __future__ import annotations

import pytest

from tosscan.dev.fuzz import cases, check

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
