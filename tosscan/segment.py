"""Stage 4 — segment: jieba with tosscan's legal user dictionary (so that 不可撤销, 非排他, 再许可, 派生作品 …
come out whole; the same tokens as spaCy's Chinese tokenizer with the jieba segmenter), or spaCy's blank
English.

English tokens carry lemmas from spacy-lookups-data's lookup table, so ``suspended accounts`` matches a
rule term ``suspend account`` written with ``lemma: true``.

Only candidate sentences (those the Aho-Corasick prefilter says some rule may match) are segmented,
and only when a rule needs token boundaries or a token window. The pipelines are built once per
process and imported lazily: a scan that needs no tokens never loads spaCy.
"""

from __future__ import annotations

import logging
import os
import tempfile
from functools import lru_cache
from importlib import resources
from pathlib import Path

LEGAL_DICT = "legal_dict.txt"


def legal_dict_path() -> str:
    return str(resources.files("tosscan") / "data" / LEGAL_DICT)


def cache_dir() -> Path | None:
    """tosscan's own cache directory (``$XDG_CACHE_HOME/tosscan`` or ``~/.cache/tosscan``), private to the
    user (0700), or None when it cannot be made so. Never the shared temp directory: a cache planted
    there by someone else would silently change the tokens, and so the findings."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    d = Path(base) / "tosscan"
    try:
        d.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = d.stat()
        if st.st_uid != os.getuid() or st.st_mode & 0o077:
            return None
        return d
    except (OSError, AttributeError):
        return None


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    d = cache_dir()
    # no private cache directory: a fresh private one for this process (jieba rebuilds its cache there)
    jieba.dt.tmp_dir = str(d) if d is not None else tempfile.mkdtemp(prefix="tosscan-jieba-")
    jieba.dt.cache_file = "jieba.cache"
    jieba.initialize()  # a corrupt cache file is rebuilt by jieba itself
    jieba.load_userdict(legal_dict_path())
    return jieba


@lru_cache(maxsize=2)
def pipeline(lang: str):
    """The spaCy pipeline for ``lang`` ("zh" or "en"), built once."""
    import spacy

    if lang == "zh":
        _jieba()  # the user dictionary must be loaded into jieba before spaCy wraps it
        return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp = spacy.blank("en")
    # lemmas from spacy-lookups-data's English lookup table (no model download)
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp


def lemma_spans(text: str, lang: str = "en") -> list[tuple[int, int, str]]:
    """(start, end, lemma) of the tokens of ``text``, lemmas lower-cased (English lookup lemmatizer)."""
    doc = pipeline(lang)(text)
    return [(t.idx, t.idx + len(t.text), (t.lemma_ or t.text).lower()) for t in doc if not t.is_space]


def token_spans(text: str, lang: str) -> list[tuple[int, int]]:
    """Character spans of the tokens of ``text`` (white space tokens dropped).

    Chinese tokens are jieba's words, read straight from ``jieba.cut``: exactly the tokens spaCy's
    Chinese tokenizer makes of them (it only wraps the same words in a ``Doc``; a test compares both
    on the corpus), without importing spaCy (1.5 s and 70 MB per process) or building a ``Doc``."""
    if lang == "zh":
        spans: list[tuple[int, int]] = []
        pos = 0
        for w in _jieba().cut(text, cut_all=False):
            end = pos + len(w)
            if w and not w.isspace():
                spans.append((pos, end))
            pos = end
        return spans
    doc = pipeline(lang).make_doc(text)
    return [(t.idx, t.idx + len(t.text)) for t in doc if not t.is_space]
