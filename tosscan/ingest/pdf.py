"""PDF: the text layer, read with pypdf in layout mode (lines in the order they stand on the page, so a
header written last in the content stream still comes first), then running headers, footers and page
numbers removed and hard wraps repaired (``tosscan.ingest.lines``).

Why pypdf: on the same generated agreements (tests/pdfmaker.py; README "Inputs") it recovers the same text
as pdfplumber 3–9× faster, is pure Python, and is BSD-licensed (PyMuPDF is AGPL). A PDF without a text
layer (a scan) is an error that says so: tosscan does not run OCR.
"""

from __future__ import annotations

import io
import re

from tosscan.errors import InputError, shown
from tosscan.ingest.lines import strip_running, unwrap

EXTRACTOR = "pdf:pypdf"
_SPACES = re.compile(r"[ \t\u00a0]{2,}")
MAX_PAGES = 2000


def _page_lines(text: str) -> list[str]:
    lines = []
    blank = False
    for raw in text.splitlines():
        line = _SPACES.sub(" ", raw.replace("\u00ad", "-")).strip()
        if line:
            if blank and lines:
                lines.append("")
            lines.append(line)
            blank = False
        else:
            blank = True
    return lines


def extract_pdf(data: bytes, name: str) -> str:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError, PyPdfError

    shown_name = shown(name)
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # malformed PDFs warn on stderr otherwise
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(f"{shown_name}: the PDF is encrypted with a password; give an unprotected copy")
        if len(reader.pages) > MAX_PAGES:
            raise InputError(f"{shown_name}: too many pages ({len(reader.pages):,}; limit {MAX_PAGES:,})")
        pages = [_page_lines(page.extract_text(extraction_mode="layout") or "") for page in reader.pages]
    except InputError:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, IndexError, AttributeError,
            RecursionError, NotImplementedError, ZeroDivisionError) as e:
        raise InputError(f"{shown_name}: cannot read the PDF ({type(e).__name__}: {' '.join(str(e).split())[:120]})"
                         ) from None
    if not any(any(s for s in p) for p in pages):
        raise InputError(f"{shown_name}: the PDF has no text layer (a scanned image?); tosscan does not run OCR: "
                         "give a PDF with text, or the agreement's web page")
    lines: list[str] = []
    for page in strip_running(pages):
        while page and not page[0]:
            page = page[1:]
        while page and not page[-1]:
            page = page[:-1]
        lines.extend(page)  # a wrap may run across a page break
    return unwrap(lines)
