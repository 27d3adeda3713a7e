"""The compact representations that keep memory bounded give exactly what the plain ones gave.

The offset map of ``normalize`` is stored as runs (not one int per character), a result's sentences as
arrays, the shipped catalog and engines are unpickled from a cache, and Chinese tokens come from jieba
without spaCy's ``Doc``: each is compared here with the straightforward version it replaced, on the
corpus and on generated layout-heavy text.
"""

from __future__ import annotations

import bisect
import random
import re
import unicodedata
from dataclasses import replace

import pytest

from tosscan.match import SentenceSpan
from tosscan.normalize import OffsetMap, _fold, normalize, to_simplified
from tosscan.pipeline import units_for
from tosscan.structure import parse

from .conftest import CORPUS_ZH, SAMPLES, SHARED, needs_corpus

# --------------------------------------------------------------------------- the reference (the old code)

_SPACES = re.compile(
    r"(?P<cjk>(?<=[\u3400-\u9fff\uf900-\ufaff,、])[ \t]*\n[ \t]*(?=[\u3400-\u9fff\uf900-\ufaff]))"
    r"|(?P<latin>(?<=[a-z0-9,])[ \t]*\n[ \t]*(?=[a-z(]))"
    r"|[ \t\xa0]{2,}|\t|\xa0|\r(?=\n)"
)


def _squeeze_ref(text: str, origin: list[int]) -> tuple[str, list[int]]:
    parts: list[str] = []
    new: list[int] = []
    prev = 0
    for m in _SPACES.finditer(text):
        parts.append(text[prev:m.start()])
        new.extend(origin[prev:m.start()])
        if m.group() != "\r" and not m.group("cjk"):
            parts.append(" ")
            new.append(origin[m.start()])
        prev = m.end()
    parts.append(text[prev:])
    new.extend(origin[prev:])
    return "".join(parts), new


def normalize_ref(text: str) -> tuple[str, list[int]]:
    """The normalization with a list of ints as its offset map, as it was written first."""
    if text.isascii():
        return _squeeze_ref(text.lower(), list(range(len(text) + 1)))
    origin: list[int] = []
    out: list[str] = []
    for i, ch in enumerate(text):
        f = _fold(ch)
        out.append(f)
        origin.extend([i] * len(f))
    origin.append(len(text))
    folded, origin = _squeeze_ref("".join(out), origin)
    return to_simplified(folded), origin


def _texts() -> list[str]:
    rnd = random.Random(15)
    alphabet = "甲乙國 \t\n\r\u3000…①ﬁ㈠AbC,、.\xa0\ufeff\u200b"
    out = ["", "a", "\n", "  ", "…", "ﬁ", "\r\n", "甲\n乙", "We  may\n terminate"]
    out += ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 40))) for _ in range(1500)]
    out += [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))]
    return out


def _corpus_texts() -> list[str]:
    docs = sorted((SHARED / "corpus").rglob("*.txt")) + sorted((SHARED / "corpus").rglob("*.md"))
    return [p.read_text(encoding="utf-8", errors="replace") for p in docs]


def _same_map(text: str) -> None:
    n = normalize(text)
    ref_text, ref = normalize_ref(text)
    assert n.text == ref_text
    assert list(n.origin) == ref and n.origin == ref and len(n.origin) == len(ref)
    rnd = random.Random(len(text))
    offsets = range(-1, len(text) + 3) if len(text) < 400 else rnd.sample(range(len(text) + 2), 400)
    for o in offsets:
        assert n.to_normalized(o) == bisect.bisect_left(ref, o)
    for i in (range(len(ref)) if len(ref) < 400 else rnd.sample(range(len(ref)), 400)):
        assert n.origin[i] == ref[i]
    assert n.origin[-1] == ref[-1] and n.origin[2:9] == ref[2:9]


def test_offset_map_equals_the_list_of_ints_on_generated_text():
    for text in _texts():
        _same_map(text)


@needs_corpus()
def test_offset_map_equals_the_list_of_ints_on_the_corpus():
    texts = _corpus_texts()
    assert len(texts) > 30
    for text in texts:
        _same_map(text)


def test_offset_map_is_small_for_a_hard_wrapped_document():
    line = "您同意授予平台一项免费的、不可撤销的许可，平台可以使用、复制、修改\n"
    text = line * 20000
    n = normalize(text)
    assert n.origin.runs <= 20001  # one run per folded line break, not one entry per character
    assert len(n.origin) == len(n.text) + 1 and n.origin[-1] == len(text)
    assert OffsetMap.identity(5) == [0, 1, 2, 3, 4]
    assert unicodedata.normalize("NFKC", "①") == "1"


# --------------------------------------------------------------------------- sentence units


def _units_ref(text: str, lang: str) -> list[SentenceSpan]:
    norm = normalize(text)
    structure = parse(text, lang)
    _, origin = normalize_ref(text)

    def n(o: int) -> int:
        return bisect.bisect_left(origin, o)

    clauses = structure.clauses
    spans = [(n(c.start), n(c.end)) for c in clauses]
    top: list[int] = []
    for i, c in enumerate(clauses):
        top.append(i if c.parent is None else top[c.parent])
    assert norm.text  # the reference maps into the same normalized text
    return [SentenceSpan(n(s.start), n(s.end),
                         spans[s.clause] if s.clause is not None else None,
                         spans[top[s.clause]] if s.clause is not None else None)
            for s in structure.sentences]


@needs_corpus()
def test_sentence_units_equal_the_list_they_replaced():
    docs = sorted(CORPUS_ZH.glob("zh-*.txt"))[:12] + sorted(SAMPLES.glob("*.md"))
    for p in docs:
        text = p.read_text(encoding="utf-8")
        lang = "en" if p.suffix == ".md" and "Terms" in text[:400] else "zh"
        # the fields the reference computes (``before``, the sentences before, is newer than the arrays)
        units = [replace(u, before=None) for u in units_for(normalize(text), parse(text, lang))]
        ref = _units_ref(text, lang)
        assert list(units) == ref
        assert len(units) == len(ref) and units[len(ref) // 2] == ref[len(ref) // 2] and units[-1:] == ref[-1:]


# --------------------------------------------------------------------------- Chinese tokens without spaCy


@needs_corpus()
def test_chinese_tokens_are_spacys_tokens():
    pytest.importorskip("spacy")
    from tosscan.segment import pipeline, token_spans

    nlp = pipeline("zh")
    pieces = ["", " ", "a  b\r\n c", "\u3000甲 乙\t丙\n\n", "x\u200by", "第4.2条  您同意授予平台"]
    for p in sorted(CORPUS_ZH.glob("zh-*.txt"))[:15]:
        t = normalize(p.read_text(encoding="utf-8")).text
        pieces += [t[i:i + 250] for i in range(0, len(t), 250)]
    for piece in pieces:
        doc = nlp.make_doc(piece)
        assert token_spans(piece, "zh") == [(t.idx, t.idx + len(t.text)) for t in doc if not t.is_space], piece



# --------------------------------------------------------------------------- the compiled catalog cache


def test_cached_catalog_and_engine_scan_alike(tmp_path, monkeypatch):
    from tosscan.pipeline import Scanner

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = Scanner()  # loads the catalog and writes the cache
    text = (SAMPLES / "huajian-user-agreement.txt").read_text(encoding="utf-8")
    fresh = first.scan_text(text, lang="zh")
    cached_files = sorted(p.name for p in (tmp_path / "tosscan").glob("compiled-*.pickle"))
    assert [n.split("-")[1] for n in cached_files] == ["catalog", "engine"]
    again = Scanner()  # reads it
    assert again.catalog.sha256 == first.catalog.sha256 and len(again.catalog) == len(first.catalog)
    ids = {id(r) for r in again.catalog.rules}  # the engine's rules are the catalog's own objects
    assert all(id(cr.rule) in ids for cr in again.engine("zh").rules)
    cached = again.scan_text(text, lang="zh")
    assert cached.model_dump(exclude={"document"}) == fresh.model_dump(exclude={"document"})
    for p in (tmp_path / "tosscan").glob("compiled-*.pickle"):  # a corrupt cache is loaded around
        p.write_bytes(b"not a pickle")
    assert Scanner().scan_text(text, lang="zh").model_dump(exclude={"document"}) == fresh.model_dump(
        exclude={"document"})


# --------------------------------------------------------------------------- the result's sentences


def test_result_sentences_are_the_parsed_sentences(scanner):
    import pickle

    from tosscan.pipeline import CompactSentences

    for p in sorted(SAMPLES.glob("*.*")):
        if p.suffix not in (".txt", ".md"):
            continue
        text = p.read_text(encoding="utf-8")
        r = scanner.scan_text(text)
        ref = parse(text, r.document.language).sentences
        got = r.structure.sentences
        assert isinstance(got, CompactSentences)
        assert got == ref and list(got) == ref and len(got) == len(ref)
        assert got[1:4] == ref[1:4] and got[-1] == ref[-1]
        back = pickle.loads(pickle.dumps(r))
        assert back.structure.sentences == ref and back.findings == r.findings


# --------------------------------------------------------------------------- batch: serial and parallel alike


@needs_corpus()
def test_parallel_results_equal_serial_ones_with_structure_and_report(scanner):
    import gc

    from tosscan.batch import expand, run_batch
    from tosscan.render import render

    items = expand(sorted(CORPUS_ZH.glob("zh-*.txt"))[:6])
    frozen = gc.get_freeze_count()
    serial = list(run_batch(items, jobs=1, scanner=scanner))
    assert gc.get_freeze_count() == frozen  # what the batch froze is unfrozen at its end
    parallel = list(run_batch(items, jobs=2, scanner=scanner))
    assert gc.get_freeze_count() == frozen
    for a, b in zip(serial, parallel, strict=True):
        ra, rb = a.result, b.result
        assert ra is not None and rb is not None and ra.structure is not None and rb.structure is not None
        assert ra.findings == rb.findings and ra.answers == rb.answers and ra.text == rb.text
        assert ra.structure.sentences == rb.structure.sentences and ra.structure.clauses == rb.structure.clauses
        assert rb.rules is scanner.catalog
        rb.document.scanned_at = ra.document.scanned_at
        assert render([ra], "html") == render([rb], "html")
