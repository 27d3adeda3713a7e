"""The scan pipeline: ingest → normalize → structure → reading → segment/match → assess → score.

``Scanner`` loads the catalog and compiles one engine per language once; ``scan_file`` and
``scan_text`` are then cheap per document. Everything returned is a pydantic model that serialises
to the JSON contract documented in README.
"""

from __future__ import annotations

import contextlib
import os
import re
from array import array
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from tosscan import __version__
from tosscan.assess import Finding, assess
from tosscan.catalog import Catalog, load_catalog, load_concepts
from tosscan.ingest import Source, read
from tosscan.markdown import blanked
from tosscan.match import Engine, SentenceSpan
from tosscan.models import Sentence, Structure
from tosscan.normalize import Normalized, normalize
from tosscan.reading import Reader, unit_sized
from tosscan.score import Answer, Grade, score
from tosscan.structure import inline_enumerations, parse

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


class CompactSentences(Sequence[Sentence]):
    """A scanned document's sentences kept in three arrays; each ``Sentence`` is built when it is read.

    ``ScanResult.structure.sentences`` is one of these once the scan is done: the renderers read the
    clauses, not the sentences, and 80,000 ``Sentence`` models (a 10 MB agreement) held 50 MB until the
    result was dropped. It reads like the list it replaces (index, slice, iterate, ``==`` with a list) and
    pickles as its arrays (a batch's results come back to the parent cheaper)."""

    __slots__ = ("_clause", "_ends", "_starts")

    def __init__(self, sentences: Sequence[Sentence]):
        self._starts = array("q", (s.start for s in sentences))
        self._ends = array("q", (s.end for s in sentences))
        self._clause = array("q", (-1 if s.clause is None else s.clause for s in sentences))

    def __len__(self) -> int:
        return len(self._starts)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        c = self._clause[i]
        return Sentence(self._starts[i], self._ends[i], None if c < 0 else c)

    def __iter__(self) -> Iterator[Sentence]:
        for i in range(len(self)):
            yield self[i]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, CompactSentences):
            return (self._starts, self._ends, self._clause) == (other._starts, other._ends, other._clause)
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(other) == len(self) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __getstate__(self) -> tuple[array, array, array]:
        return self._starts, self._ends, self._clause

    def __setstate__(self, state: tuple[array, array, array]) -> None:
        self._starts, self._ends, self._clause = state

    def __repr__(self) -> str:
        return f"CompactSentences({len(self)} sentences)"


def compact(structure: Structure) -> Structure:
    """The same structure with its sentences in arrays (see ``CompactSentences``)."""
    if isinstance(structure.sentences, CompactSentences):
        return structure
    return structure.model_copy(update={"sentences": CompactSentences(structure.sentences)})  # markup kept


BEFORE_SENTENCES = 2  # how far back the ``before`` scope looks (a follow-up refers to the last sentence or two)


def units_for(norm: Normalized, structure: Structure, reader: Reader | None = None,
              statements: Sequence[tuple[int, int]] = ()) -> list[SentenceSpan]:
    """Map the structure's sentences (and their clause/section spans, and with a ``reader`` the lead-in of
    the list each item belongs to) into normalized offsets. An item of an inline enumeration (``statements``,
    "… grants us a licence to: (a) reproduce …; (b) adapt …; and (c) sell …") has the run's first sentence,
    which holds the lead-in, as its lead-in.

    A plain list: the engine reads a unit for every trigger it finds, and building them on demand from
    arrays (tried: 18 MB less at 10 MB, outside the peak) made the engine 20 % slower."""
    n = norm.to_normalized
    clauses = structure.clauses
    spans = [(n(c.start), n(c.end)) for c in clauses]
    top: list[int] = []  # the outermost ancestor of each clause; parents come before their children
    for i, c in enumerate(clauses):
        top.append(i if c.parent is None else top[c.parent])
    sentences = structure.sentences
    leads = [reader.lead_span(i) if reader is not None else None for i in range(len(sentences))]
    for i, j in statements:
        for k in range(i + 1, j + 1):
            leads[k] = leads[k] or (sentences[i].start, sentences[i].end)
    sections = [top[s.clause] if s.clause is not None else None for s in sentences]
    parents = [clauses[s.clause].parent if s.clause is not None else -1 for s in sentences]
    starts = [n(s.start) for s in sentences]
    ends = [n(s.end) for s in sentences]
    out: list[SentenceSpan] = []
    for k, (s, lead) in enumerate(zip(sentences, leads, strict=True)):
        # the sentences just before, in the same section or a sibling clause ("5.3 … 5.4 Opting out. You can
        # turn that off."): what a follow-up refers back to
        j = k
        while j > 0 and k - j < BEFORE_SENTENCES and (sections[j - 1] == sections[k] or parents[j - 1] == parents[k]):
            j -= 1
        out.append(SentenceSpan(starts[k], ends[k],
                                spans[s.clause] if s.clause is not None else None,
                                spans[sections[k]] if sections[k] is not None else None,
                                (n(lead[0]), n(lead[1])) if lead else None,
                                (starts[j], ends[k - 1]) if j < k else None))
    return out


# --------------------------------------------------------------------------- the compiled catalog, cached
#
# Loading the shipped catalog (YAML, validation, every regex checked) and compiling an engine cost about 2 s
# of a cold process; unpickling them costs a tenth of that. The pickles live in tosscan's private cache
# directory (the one jieba's cache uses: owned by the user, mode 0700; never the shared temp directory), are
# written atomically, and are keyed by the sha256 of everything that could change them: the rule files, the
# whole tosscan package (code and data) and the versions of Python and the libraries. A custom ``--rules``
# catalog is never cached (it is untrusted input, loaded with its limits every time); any problem with the
# cache (missing, stale, corrupt, unwritable) falls back to loading, and a rebuilt cache replaces the old.


def _shipped_key() -> str | None:
    import hashlib
    import sys
    from importlib import metadata

    from tosscan.catalog.loader import default_rules_dir

    h = hashlib.sha256()
    h.update(sys.version.encode())
    for dist in ("pydantic", "pydantic_core", "regex", "pyahocorasick", "PyYAML", "OpenCC"):
        try:
            h.update(f"{dist}={metadata.version(dist)};".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{dist}=none;".encode())
    pkg = Path(__file__).resolve().parent
    rules = default_rules_dir().resolve()
    for base in (pkg, rules):
        for f in sorted(base.rglob("*")):
            if f.is_file() and "__pycache__" not in f.parts:
                h.update(str(f.relative_to(base)).encode() + b"\0")
                h.update(f.read_bytes())
                h.update(b"\0")
    return h.hexdigest()[:32]


class _CachePickler:
    """Pickles an engine with its rules as references into the catalog (unpickled: the same objects)."""

    @staticmethod
    def dump(obj: object, catalog: Catalog) -> bytes:
        import io
        import pickle

        index = {id(r): i for i, r in enumerate(catalog.rules)}

        class P(pickle.Pickler):
            def persistent_id(self, o: object) -> int | None:
                return index.get(id(o))

        buf = io.BytesIO()
        P(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(obj)
        return buf.getvalue()

    @staticmethod
    def load(data: bytes, catalog: Catalog) -> object:
        import io
        import pickle

        class U(pickle.Unpickler):
            def persistent_load(self, pid: int) -> object:
                return catalog.rules[pid]

        return U(io.BytesIO(data)).load()


_KEEP_KEYS = 4  # compiled caches kept per kind (catalog, engine-zh, engine-en)


class _CompiledCache:
    def __init__(self) -> None:
        from tosscan.segment import cache_dir

        self.dir = cache_dir()
        self.key = None
        if self.dir is not None:
            try:
                self.key = _shipped_key()
            except OSError:
                self.dir = None

    def _path(self, name: str) -> Path | None:
        return self.dir / f"compiled-{name}-{self.key}.pickle" if self.dir is not None and self.key else None

    def read(self, name: str) -> bytes | None:
        p = self._path(name)
        if p is None:
            return None
        try:
            st = p.lstat()
            if not p.is_file() or p.is_symlink() or st.st_uid != os.getuid():
                return None
            return p.read_bytes()
        except OSError:
            return None

    def write(self, name: str, data: bytes) -> None:
        import tempfile

        p = self._path(name)
        if p is None:
            return
        try:
            # other keys: older versions, or other checkouts sharing this directory; the newest few stay, so
            # that two checkouts used in turn do not rebuild each other's cache every time
            others = sorted((q for q in p.parent.glob(f"compiled-{name}-*.pickle") if q != p),
                            key=lambda q: q.stat().st_mtime, reverse=True)
            for old in others[_KEEP_KEYS - 1:]:
                old.unlink(missing_ok=True)
            fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=".compiled-", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.replace(tmp, p)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
        except OSError:
            pass


class Scanner:
    def __init__(self, rules_dir: str | Path | None = None):
        self._cache = _CompiledCache() if rules_dir is None and not os.environ.get("TOSSCAN_NO_CACHE") else None
        self.catalog: Catalog = self._load_catalog(rules_dir)
        self.concepts = load_concepts()
        self._engines: dict[str, Engine] = {}

    def _load_catalog(self, rules_dir: str | Path | None) -> Catalog:
        import pickle

        data = self._cache.read("catalog") if self._cache is not None else None
        if data is not None:
            try:
                catalog = pickle.loads(data)
                if isinstance(catalog, Catalog):
                    return catalog
            except Exception:  # a corrupt or foreign cache: load the catalog instead
                pass
        catalog = load_catalog(rules_dir)
        if self._cache is not None:
            self._cache.write("catalog", pickle.dumps(catalog, protocol=pickle.HIGHEST_PROTOCOL))
        return catalog

    def engine(self, lang: str) -> Engine:
        if lang not in self._engines:
            self._engines[lang] = self._build_engine(lang)
        return self._engines[lang]

    def _build_engine(self, lang: str) -> Engine:
        cache = self._cache
        data = cache.read(f"engine-{lang}") if cache is not None else None
        if data is not None:
            try:
                engine = _CachePickler.load(data, self.catalog)
                if isinstance(engine, Engine) and engine.lang == lang:
                    return engine
            except Exception:  # a corrupt or foreign cache: compile instead
                pass
        engine = Engine(self.catalog.rules, lang, self.catalog.frames)
        if cache is not None:
            _ = engine.automaton  # built now, so that it is cached too
            cache.write(f"engine-{lang}", _CachePickler.dump(engine, self.catalog))
        return engine

    def scan_source(self, src: Source, lang: str = "auto", *, engine: Engine | None = None) -> ScanResult:
        """Scan one source; ``engine`` replaces the catalog's (a probe of one frame, ``tosscan.dev.examples``)."""
        text = src.text
        lang = detect_language(text) if lang == "auto" else lang
        # a .md file is markdown whatever it holds; otherwise the text decides (tosscan.markdown)
        structure = parse(text, lang, markdown=True if src.path.lower().endswith((".md", ".markdown")) else None)
        # rules match the text as read: bold marks and link targets blanked ("you **grant** us" is "you grant us")
        norm = normalize(blanked(text, list(structure.markup)))
        reader = Reader(text, structure)
        # an English sentence whose enumeration is written inline is read item by item by the rules about the
        # grant (each item under its lead-in), and whole by the others (tosscan.structure.inline_enumerations)
        statements = inline_enumerations(text, structure.sentences) if lang == "en" else []
        hits = (engine or self.engine(lang)).run(norm, units_for(norm, structure, reader, statements), reader.admits,
                                                 unit_sized,
                                                 partial(reader.referred, lang=lang), statements)
        del norm  # the normalized copy of the text is not needed any more: free it before the result grows
        findings = assess(text, structure, hits, list(self.concepts))
        del hits
        grade, answers = score(text, structure, findings, reader)
        del reader
        structure = compact(structure)
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
