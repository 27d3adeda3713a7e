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


@pytest.fixture(scope="session")
def corpus_sentences(scanner):
    """``corpus_sentences(lang, limit)``: normalized sentences of the first corpus documents (zh or modern en)."""
    from tosscan.normalize import normalize

    def sentences(lang: str, limit: int) -> list[str]:
        folder = SHARED / "corpus" / ("zh" if lang == "zh" else "en/modern")
        paths = sorted(folder.glob("zh-*.txt" if lang == "zh" else "en-*.md"))[:4]
        if not paths:
            pytest.skip(f"no corpus in {folder}")
        out: list[str] = []
        for p in paths:
            text = p.read_text(encoding="utf-8")
            result = scanner.scan_text(text, lang=lang)
            out += [normalize(text[s.start:s.end]).text for s in result.structure.sentences]
        return out[:limit]

    return sentences


def needs_corpus() -> pytest.MarkDecorator:
    return pytest.mark.skipif(not CORPUS_ZH.is_dir(), reason="../shared/corpus not beside the checkout")


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium through playwright (the browser test modules skip themselves when it is missing)."""
    from .browser import launch

    with launch() as b:
        yield b
