"""DOCX: paragraphs and tables in document order, headings on their own line, and list numbers as Word
shows them, computed from numbering.xml (decimal, letters, roman, Chinese counting, ``lvlText`` such as
"%1.%2" or "第%1条", ``start`` and ``startOverride``, numbering inherited from paragraph styles).

A .docx is a zip file: before python-docx opens it, the archive's entries and declared uncompressed sizes
are checked (a zip bomb is refused unread), and python-docx parses its XML with entity resolution off.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

from tosscan.errors import InputError, shown
from tosscan.ingest.html import format_number

EXTRACTOR = "docx"
MAX_ENTRIES = 2000
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def check_zip(data: bytes, name: str, limit: int) -> None:
    """Refuse an archive whose entries would unpack to more than ``limit`` × 5 bytes (or is not one)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as e:
        raise InputError(f"{name}: not a valid .docx (zip) file ({e})") from None
    if len(infos) > MAX_ENTRIES:
        raise InputError(f"{name}: too many entries in the .docx archive ({len(infos):,}; limit {MAX_ENTRIES:,})")
    total = sum(i.file_size for i in infos)
    if total > 5 * limit:
        raise InputError(f"{name}: the .docx would unpack to {total:,} bytes (limit {5 * limit:,}; "
                         "set TOSSCAN_MAX_BYTES to raise it); refusing a possible zip bomb")
    names = {i.filename for i in infos}
    if "word/document.xml" not in names:
        raise InputError(f"{name}: not a Word document (no word/document.xml); tosscan reads .docx, not .doc")


@dataclass
class Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    suffix: str = "tab"
    legal: bool = False


@dataclass
class Numbering:
    """numbering.xml: abstract definitions, num instances, and the running counters per num."""

    levels: dict[str, dict[int, Level]] = field(default_factory=dict)      # numId → ilvl → Level
    starts: dict[str, dict[int, int]] = field(default_factory=dict)        # numId → ilvl → startOverride
    counters: dict[str, dict[int, int]] = field(default_factory=dict)

    @classmethod
    def read(cls, root) -> Numbering:
        out = cls()
        if root is None:
            return out
        abstract: dict[str, dict[int, Level]] = {}
        for a in root.iter(W + "abstractNum"):
            lv: dict[int, Level] = {}
            for lvl in a.iter(W + "lvl"):
                level = Level()
                for tag, attr in (("numFmt", "fmt"), ("lvlText", "text"), ("suff", "suffix")):
                    el = lvl.find(W + tag)
                    if el is not None and el.get(W + "val") is not None:
                        setattr(level, attr, el.get(W + "val"))
                start = lvl.find(W + "start")
                if start is not None:
                    level.start = _int(start.get(W + "val"), 1)
                level.legal = lvl.find(W + "isLgl") is not None
                lv[_int(lvl.get(W + "ilvl"), 0)] = level
            abstract[a.get(W + "abstractNumId", "")] = lv
        for num in root.iter(W + "num"):
            nid = num.get(W + "numId", "")
            ref = num.find(W + "abstractNumId")
            out.levels[nid] = abstract.get(ref.get(W + "val", "") if ref is not None else "", {})
            for o in num.iter(W + "lvlOverride"):
                so = o.find(W + "startOverride")
                if so is not None:
                    out.starts.setdefault(nid, {})[_int(o.get(W + "ilvl"), 0)] = _int(so.get(W + "val"), 1)
        return out

    def label(self, num_id: str, ilvl: int) -> str:
        levels = self.levels.get(num_id)
        if not levels or num_id == "0":
            return ""
        counters = self.counters.setdefault(num_id, {})
        level = levels.get(ilvl, Level())
        if ilvl in counters:
            counters[ilvl] += 1
        else:
            counters[ilvl] = self.starts.get(num_id, {}).get(ilvl, level.start)
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if level.fmt == "bullet":
            return "•"
        if level.fmt == "none":
            return ""
        text = level.text
        for k in range(9):
            if f"%{k + 1}" in text:
                lk = levels.get(k, Level())
                n = counters.get(k, self.starts.get(num_id, {}).get(k, lk.start))
                fmt = "decimal" if level.legal else lk.fmt
                text = text.replace(f"%{k + 1}", format_number(n, fmt))
        return text

    def suffix(self, num_id: str, ilvl: int) -> str:
        level = self.levels.get(num_id, {}).get(ilvl, Level())
        return "" if level.suffix == "nothing" else " "


def _int(v: str | None, default: int) -> int:
    try:
        return int(v) if v is not None else default
    except ValueError:
        return default


def _style_numbering(doc) -> dict[str, tuple[str | None, int | None]]:
    """styleId → (numId, ilvl) a paragraph of that style gets, following basedOn."""
    raw: dict[str, tuple[str | None, int | None, str | None]] = {}
    for st in doc.styles.element.iter(W + "style"):
        sid = st.get(W + "styleId", "")
        num_id = ilvl = None
        numpr = st.find(f"{W}pPr/{W}numPr")
        if numpr is not None:
            n, i = numpr.find(W + "numId"), numpr.find(W + "ilvl")
            num_id = n.get(W + "val") if n is not None else None
            ilvl = _int(i.get(W + "val"), 0) if i is not None else None
        based = st.find(W + "basedOn")
        raw[sid] = (num_id, ilvl, based.get(W + "val") if based is not None else None)
    out: dict[str, tuple[str | None, int | None]] = {}
    for sid in raw:
        num_id, ilvl, based = raw[sid]
        seen = {sid}
        while (num_id is None or ilvl is None) and based and based not in seen:
            seen.add(based)
            b_num, b_ilvl, b_based = raw.get(based, (None, None, None))
            num_id = num_id if num_id is not None else b_num
            ilvl = ilvl if ilvl is not None else b_ilvl
            based = b_based
        out[sid] = (num_id, ilvl)
    return out


def _paragraph_text(p) -> str:
    parts: list[str] = []
    for el in p.iter(W + "t", W + "tab", W + "br", W + "cr", W + "noBreakHyphen", W + "sym"):
        tag = el.tag[len(W):]
        if tag == "t":
            parts.append(el.text or "")
        elif tag == "tab":
            if el.getparent() is not None and el.getparent().tag == W + "r":  # not a tab-stop definition
                parts.append("\t")
        elif tag in ("br", "cr"):
            parts.append("\n")
        elif tag == "noBreakHyphen":
            parts.append("-")
    return "".join(parts)


def extract_docx(data: bytes, name: str, limit: int) -> str:
    shown_name = shown(name)
    check_zip(data, shown_name, limit)
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        doc = docx.Document(io.BytesIO(data))
        part = doc.part
        try:
            numbering_root = part.numbering_part.element
        except (NotImplementedError, KeyError):
            numbering_root = None
        numbering = Numbering.read(numbering_root)
        styles = _style_numbering(doc)
        body = doc.element.body
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as e:
        raise InputError(f"{shown_name}: cannot read the .docx ({type(e).__name__}: {_one_line(e)})") from None
    except Exception as e:
        raise InputError(f"{shown_name}: cannot read the .docx ({type(e).__name__}: {_one_line(e)})") from None
    lines: list[str] = []
    _blocks(body, numbering, styles, lines)
    return "\n".join(s.strip() for s in lines if s.strip()) + "\n"


def _one_line(e: Exception) -> str:
    return " ".join(str(e).split())[:120]


def _blocks(container, numbering: Numbering, styles, lines: list[str]) -> None:
    for child in container:
        tag = child.tag
        if tag == W + "p":
            lines.append(_paragraph(child, numbering, styles))
        elif tag == W + "tbl":
            for row in child.iter(W + "tr"):
                cells = []
                for cell in row.findall(W + "tc"):
                    sub: list[str] = []
                    _blocks(cell, numbering, styles, sub)
                    cells.append(" ".join(s.strip() for s in sub if s.strip()))
                lines.append("\t".join(cells))
        elif tag in (W + "sdt", W + "sdtContent", W + "customXml", W + "ins", W + "smartTag"):
            _blocks(child, numbering, styles, lines)


def _paragraph(p, numbering: Numbering, styles) -> str:
    text = _paragraph_text(p)
    num_id: str | None = None
    ilvl: int | None = None
    ppr = p.find(W + "pPr")
    if ppr is not None:
        style = ppr.find(W + "pStyle")
        if style is not None:
            num_id, ilvl = styles.get(style.get(W + "val", ""), (None, None))
        numpr = ppr.find(W + "numPr")
        if numpr is not None:
            n, i = numpr.find(W + "numId"), numpr.find(W + "ilvl")
            num_id = n.get(W + "val") if n is not None else num_id
            ilvl = _int(i.get(W + "val"), 0) if i is not None else ilvl
    if num_id is None:
        return text
    label = numbering.label(num_id, ilvl or 0)  # an empty numbered paragraph still takes its number in Word
    if not text.strip():
        return text
    return f"{label}{numbering.suffix(num_id, ilvl or 0)}{text.lstrip()}" if label else text
