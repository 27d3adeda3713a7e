from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS_ZH = SHARED / "corpus" / "zh"
SAMPLES = ROOT / "samples"


@pytest.fixture(scope="session")
def scanner():
    from tosscan.pipeline import Scanner

    return Scanner()


def needs_corpus() -> pytest.MarkDecorator:
    return pytest.mark.skipif(not CORPUS_ZH.is_dir(), reason="../shared/corpus not beside the checkout")


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium through playwright (the browser test modules skip themselves when it is missing)."""
    from .browser import launch

    with launch() as b:
        yield b
