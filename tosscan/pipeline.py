"""The scan pipeline: ingest → normalize → structure → reading → segment/match → assess → score.

``Scanner`` loads the catalog and compiles one engine per language once; ``scan_file`` and
``scan_text`` are then cheap per document. Everything returned is a pydantic model that serialises
to the JSON contract documented in README.
"""

from __future__ import annotations

import bisect
import re
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from tosscan import __version__
from tosscan.assess import Finding, assess
from tosscan.catalog import Catalog, load_catalog, load_concepts
from tosscan.ingest import Source, read
from tosscan.match import Engine, SentenceSpan
from tosscan.models import Structure
from tosscan.normalize import Normalized, normalize
from tosscan.reading import Reader, unit_sized
from tosscan.score import Answer, Grade, score
from tosscan.structure import parse

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")


def detect_language(text: str) -> str:
    """"zh" when CJK ideographs make up a real share of the letters, else "en"."""
    sample = text[:20000]
    cjk = len(_CJK.findall(sample))
    latin = len(_LATIN.findall(sample))
    return "zh" if cjk and cjk * 3 >= latin * 0.5 else "en"


class ToolInfo(BaseModel):
    name: str = "tosscan"
    version: str = __version__


class CatalogInfo(BaseModel):
    rules: int
    sha256: str


class DocumentInfo(BaseModel):
    path: str
    sha256: str                       # of the exact bytes read (file, standard input, HTTP body)
    language: str
    chars: int
    encoding: str
    encoding_confidence: float = 1.0   # below 0.5 the encoding was a guess (see encoding_doubt)
    encoding_doubt: str | None = None  # why the encoding is in doubt, or null
    scanned_at: str
    extractor: str = "text"           # "text", "html", "pdf:pypdf", "docx"
    url: str | None = None            # for URLs: the URL fetched (after redirects) …
    fetched_at: str | None = None     # … and when
    snapshot: str | None = None       # where --save-snapshot kept the bytes
    text: str | None = None           # the extracted text the offsets index (null for .txt/.md: the file)


class ScanResult(BaseModel):
    """One scanned document: its grade, the answers to the artist questions and the findings.

    ``tosscan.render.json`` turns it into the JSON contract; the other renderers read it too. It holds
    ids, not interface texts: ``rules`` is the catalog that produced it, where renderers look up each
    rule's title and explanation in the interface language.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    tosscan: ToolInfo
    catalog: CatalogInfo
    document: DocumentInfo
    grade: Grade
    answers: list[Answer]
    findings: list[Finding]
    structure: Structure | None = Field(None, exclude=True)  # clauses and sentences, for renderers
    text: str = Field("", exclude=True)                      # the original text
    rules: Catalog | None = Field(None, exclude=True)        # the catalog used

    def answer(self, question: str) -> Answer:
        return next(a for a in self.answers if a.question == question)


def units_for(norm: Normalized, structure: Structure, reader: Reader | None = None) -> list[SentenceSpan]:
    """Map the structure's sentences (and their clause/section spans, and with a ``reader`` the lead-in of
    the list each item belongs to) into normalized offsets."""
    origin = norm.origin

    def n(o: int) -> int:
        return bisect.bisect_left(origin, o)

    clauses = structure.clauses
    spans = [(n(c.start), n(c.end)) for c in clauses]
    top: list[int] = []  # the outermost ancestor of each clause; parents come before their children
    for i, c in enumerate(clauses):
        top.append(i if c.parent is None else top[c.parent])
    leads = [reader.lead_span(i) if reader is not None else None for i in range(len(structure.sentences))]
    return [SentenceSpan(n(s.start), n(s.end),
                 spans[s.clause] if s.clause is not None else None,
                 spans[top[s.clause]] if s.clause is not None else None,
                 (n(lead[0]), n(lead[1])) if lead else None)
            for s, lead in zip(structure.sentences, leads, strict=True)]


class Scanner:
    def __init__(self, rules_dir: str | Path | None = None):
        self.catalog: Catalog = load_catalog(rules_dir)
        self.concepts = load_concepts()
        self._engines: dict[str, Engine] = {}

    def engine(self, lang: str) -> Engine:
        if lang not in self._engines:
            self._engines[lang] = Engine(self.catalog.rules, lang, self.catalog.frames)
        return self._engines[lang]

    def scan_source(self, src: Source, lang: str = "auto", *, engine: Engine | None = None) -> ScanResult:
        """Scan one source; ``engine`` replaces the catalog's (a probe of one frame, ``tosscan.dev.examples``)."""
        text = src.text
        lang = detect_language(text) if lang == "auto" else lang
        norm = normalize(text)
        # a .md file is markdown whatever it holds; otherwise the text decides (tosscan.markdown)
        structure = parse(text, lang, markdown=True if src.path.lower().endswith((".md", ".markdown")) else None)
        reader = Reader(text, structure)
        hits = (engine or self.engine(lang)).run(norm, units_for(norm, structure, reader), reader.admits, unit_sized,
                                                 lambda i: reader.referred(i, lang))
        findings = assess(text, structure, hits, list(self.concepts))
        grade, answers = score(text, structure, findings, reader)
        return ScanResult(
            tosscan=ToolInfo(),
            catalog=CatalogInfo(rules=len(self.catalog), sha256=self.catalog.sha256),
            document=DocumentInfo(path=src.path, sha256=src.sha256, language=lang, chars=len(text),
                                  encoding=src.encoding, encoding_confidence=src.encoding_confidence,
                                  encoding_doubt=src.encoding_doubt,
                                  scanned_at=datetime.now(UTC).replace(microsecond=0).isoformat(),
                                  extractor=src.extractor, url=src.url, fetched_at=src.fetched_at,
                                  snapshot=src.snapshot, text=None if src.extractor == "text" else text),
            grade=grade, answers=answers, findings=findings, structure=structure, text=text, rules=self.catalog,
        )

    def scan_file(self, path: str | Path, lang: str = "auto", *, selector: str | None = None,
                  user_agent: str | None = None) -> ScanResult:
        """Scan a file, ``-`` (standard input) or an http(s) URL (see ``tosscan.ingest.read``)."""
        return self.scan_source(read(path, selector=selector, user_agent=user_agent), lang)

    def scan_text(self, text: str, lang: str = "auto", path: str = "<text>", *,
                  engine: Engine | None = None) -> ScanResult:
        import hashlib

        src = Source(path=path, text=text, encoding="utf-8",
                     sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())
        return self.scan_source(src, lang, engine=engine)
