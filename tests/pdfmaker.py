"""A tiny PDF writer for tests: text at given positions in a Type0 font (Identity-H) with a ToUnicode
map, as word processors and browsers write them, so the extractor reads it like a real agreement PDF.
No font program is embedded (extraction never draws glyphs). Nothing is committed as a binary: the
tests build their PDFs with this.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

Line = tuple[float, float, str, float]  # x, y (points from the bottom), text, font size

A4 = (595.0, 842.0)


def _width(ch: str) -> int:
    return 1000 if ord(ch) > 0x2e7f else 500


def _content(lines: Sequence[Line], rects: int = 0) -> bytes:
    out = []
    for _ in range(rects):  # an image-like page: filled shapes, no text
        out.append("0.5 g 50 50 495 742 re f")
    for x, y, text, size in lines:
        hexed = "".join(f"{ord(c):04X}" for c in text)
        out.append(f"BT /F1 {size:g} Tf 1 0 0 1 {x:g} {y:g} Tm <{hexed}> Tj ET")
    return "\n".join(out).encode("ascii")


def make_pdf(pages: Sequence[Sequence[Line]], blank_pages: int = 0) -> bytes:
    """A PDF with one page per item of ``pages`` (and ``blank_pages`` pages of shapes without text)."""
    used = sorted({ord(c) for page in pages for _, _, t, _ in page for c in t}) or [32]
    # one bfchar entry per character used, in blocks of 100, as a subset font's map has
    blocks = [used[i:i + 100] for i in range(0, len(used), 100)]
    ranges = "\n".join(f"{len(b)} beginbfchar\n" + "\n".join(f"<{c:04X}> <{c:04X}>" for c in b) + "\nendbfchar"
                        for b in blocks)
    cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Adobe-Identity-UCS def "
            "/CMapType 2 def 1 begincodespacerange <0000> <FFFF> endcodespacerange "
            f"{ranges}\nendcmap CMapName currentdict /CMap defineresource pop "
            "end end").encode("ascii")
    wide = sorted({ord(c) for page in pages for _, _, t, _ in page for c in t if _width(c) == 500})
    widths = " ".join(f"{c} [500]" for c in wide)
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def stream(data: bytes) -> int:
        z = zlib.compress(data)
        return add(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(z) + z + b"\nendstream")

    catalog = add(b"")  # filled in below
    pages_id = add(b"")
    tounicode = stream(cmap)
    descriptor = add(b"<< /Type /FontDescriptor /FontName /TestSans /Flags 4 /FontBBox [0 -200 1000 900] "
                     b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>")
    cid = add(b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /TestSans /CIDSystemInfo << /Registry (Adobe) "
              b"/Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R /DW 1000 /W [%s] "
              b"/CIDToGIDMap /Identity >>" % (descriptor, widths.encode("ascii")))
    font = add(b"<< /Type /Font /Subtype /Type0 /BaseFont /TestSans /Encoding /Identity-H "
               b"/DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (cid, tounicode))
    kids = []
    all_pages: list[tuple[Sequence[Line], int]] = [(p, 0) for p in pages] + [((), 1)] * blank_pages
    for lines, rects in all_pages:
        content = stream(_content(lines, rects))
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %g %g] /Resources << /Font << /F1 %d 0 R "
                        b">> >> /Contents %d 0 R >>" % (pages_id, A4[0], A4[1], font, content)))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id
    objects[pages_id - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        " ".join(f"{k} 0 R" for k in kids).encode("ascii"), len(kids))
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref)
    return bytes(out)


def _display(text: str) -> float:
    return sum(_width(c) for c in text) / 1000


def wrap(paragraph: str, width_em: float) -> list[str]:
    """Hard-wrap a paragraph to ``width_em`` ems as a word processor would: English at spaces (a long word
    hyphenated), Chinese anywhere."""
    lines: list[str] = []
    cur = ""
    for token in _tokens(paragraph):
        if _display(cur + token) <= width_em or not cur:
            cur += token
            continue
        word = token.rstrip(" ,.;:")
        room = min(int((width_em - _display(cur)) * 2) - 1, len(word) - 3)
        if word.isascii() and word.isalpha() and room >= 3:  # hyphenate a long word, as word processors do
            lines.append(cur + token[:room] + "-")
            cur = token[room:]
            continue
        lines.append(cur.rstrip())
        cur = token.lstrip()
    if cur.strip():
        lines.append(cur.rstrip())
    return lines


def _tokens(text: str) -> list[str]:
    out: list[str] = []
    for ch in text:
        in_word = ch.isascii() and ch != " " and out and out[-1][-1].isascii() and out[-1][-1] != " "
        if in_word or (ch == " " and out):
            out[-1] += ch
        else:
            out.append(ch)
    return out


def paginate(paragraphs: Sequence[str], header: str | None = None, page_numbers: str | None = "{n}",
             width_em: float = 40, size: float = 11, lines_per_page: int = 48, header_last: bool = False
             ) -> list[list[Line]]:
    """Lay paragraphs out on A4 pages with a running header and a page number at the foot.

    ``header_last`` writes the header after the body in the content stream (some producers do), so the
    extractor must restore the reading order.
    """
    body: list[str] = []
    for para in paragraphs:
        body.extend(wrap(para, width_em) if para else [""])
    pages: list[list[Line]] = []
    for i in range(0, len(body), lines_per_page):
        n = len(pages) + 1
        lines: list[Line] = []
        top = A4[1] - 90
        for k, text in enumerate(body[i:i + lines_per_page]):
            if text:
                lines.append((72, top - k * size * 1.4, text, size))
        extra: list[Line] = []
        if header:
            extra.append((72, A4[1] - 50, header, 9))
        if page_numbers:
            extra.append((A4[0] / 2 - 10, 40, page_numbers.format(n=n), 9))
        pages.append(lines + extra if header_last else extra[:1] + lines + extra[1:])
    return pages
