"""HTML (a saved web page, or an .html file): the agreement's text, not the page around it.

lxml parses the page (no network, no external entities, comments and processing instructions
dropped). Scripts, styles, navigation, menus, headers and footers of the site, cookie banners and
hidden elements are removed; then the agreement's container is chosen: the ``--selector`` CSS
selector when given, else the largest ``<main>``, ``role="main"`` or ``<article>`` that holds most of
the page's text, else the page's body. Its text is written out as a browser lays it out:
block elements on their own lines, ``<br>`` as a line break, headings on their own line, ordered list
items with the numbers a browser shows (``start``, ``value``, ``type``, ``reversed``; a nested
decimal list numbers as "2.1"), unordered items with "•", table cells separated by a tab.
"""

from __future__ import annotations

import re

from tosscan.errors import InputError, shown
from tosscan.ingest.text import charset_codec, decode

DROP = {"script", "style", "noscript", "template", "svg", "math", "iframe", "frame", "frameset", "object",
        "embed", "canvas", "video", "audio", "img", "picture", "button", "select", "input", "textarea",
        "option", "dialog", "head", "title", "meta", "link", "base"}
SITE_CHROME = {"nav", "aside", "footer", "header", "menu"}
CHROME_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar", "dialog",
                "alertdialog"}
# class / id words of the page around an agreement (compared word by word: "site-footer" → site, footer)
CHROME_WORDS = {"nav", "navbar", "navigation", "menu", "menubar", "sidebar", "breadcrumb", "breadcrumbs",
                "footer", "cookie", "cookies", "consent", "gdpr", "share", "social", "toolbar", "skip",
                "popup", "modal", "advert", "ads", "subscribe", "newsletter", "related", "masthead"}
BLOCK = {"p", "div", "section", "article", "main", "header", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
         "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "caption", "blockquote",
         "pre", "address", "figure", "figcaption", "hr", "form", "fieldset", "legend", "details", "summary",
         "center", "body", "html", "nav", "aside"}
_WORD_SPLIT = re.compile(r"[\s_\-]+")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_LIST_STYLE = re.compile(r"list-style(?:-type)?\s*:\s*([a-z-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>\s*(?:<!DOCTYPE[^\[>]*\[.*?\]\s*>)?", re.IGNORECASE | re.DOTALL)
_CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_CJK_GAP = re.compile(f"(?<=[{_CJK}]) (?=[{_CJK}])")
# a list item whose text already carries its label ("1.", "第一条", "（一）", "(a)") is not numbered again
_OWN_LABEL = re.compile(r"^\s*(?:第[一二三四五六七八九十百零〇\d]+[条章节款项]|[一二三四五六七八九十]+[、.]|"
                        r"[（(][一二三四五六七八九十\da-zA-Z]{1,4}[)）]|\d+(?:\.\d+)*[.、)）]?\s|"
                        r"[a-zA-Z][.)]\s|§|Section\s|Article\s)", re.IGNORECASE)


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def decode_html(data: bytes, name: str, hint: str | None = None) -> tuple[str, str]:
    """Decode a page: a BOM, then the HTTP charset, then ``<meta charset>``, then detection."""
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or hint is None:
        m = _META_CHARSET.search(data[:4096])
        hint = m.group(1).decode("ascii") if m else hint
    if hint and (codec := charset_codec(hint)) and codec not in ("utf_16", "utf-16"):
        try:
            if not data.startswith(b"\xef\xbb\xbf"):
                return data.decode(codec), codec
        except UnicodeDecodeError:
            pass
    return decode(data, name, hint)


def extract_html(data: bytes, name: str, selector: str | None = None, charset: str | None = None
                 ) -> tuple[str, str]:
    """Return (text, encoding) of the agreement in a web page."""
    import lxml.etree
    import lxml.html

    page, encoding = decode_html(data, shown(name), charset)
    page = _XML_DECL.sub("", page.lstrip("\ufeff"), count=1)
    page = _NOT_XML.sub("", page)  # control characters lxml refuses in a text node (found by the CLI fuzzer)
    if not page.strip():
        raise InputError(f"{shown(name)}: empty document (an empty web page)")
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, huge_tree=False,
                                  recover=True)
    try:
        root = lxml.html.document_fromstring(page, parser=parser)
    except (lxml.etree.ParserError, ValueError) as e:
        raise InputError(f"{shown(name)}: cannot parse the web page ({e})") from None
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
        raise InputError(f"{shown(name)}: the web page is nested too deeply (over 256 levels) to be read whole")
    container = _container(root, selector, name)
    return render(container), encoding


def _container(root, selector: str | None, name: str):
    for el in list(root.iter("script", "style", "noscript", "template")):
        _remove(el)
    if selector:
        from cssselect import SelectorError

        try:
            found = root.cssselect(selector)
        except (SelectorError, SyntaxError, ValueError) as e:
            raise InputError(f"--selector {selector!r}: not a CSS selector ({' '.join(str(e).split())})") from None
        if not found:
            raise InputError(f"{shown(name)}: --selector {selector!r} matches nothing in the page")
        if len(found) == 1:
            return _clean(found[0], keep_chrome=True)
        wrapper = root.makeelement("div", {})
        for el in found:
            wrapper.append(el)
        return _clean(wrapper, keep_chrome=True)
    body = root.find("body")
    if body is None:
        body = root
    _clean(body, keep_chrome=False)
    total = len(_text_len(body))
    candidates = [el for el in body.iter("main", "article", "div", "section")
                  if el.tag in ("main", "article") or el.get("role") == "main"]
    best = max(candidates, key=lambda el: len(_text_len(el)), default=None)
    if best is not None and len(_text_len(best)) >= 0.5 * total:
        return best
    return body


def _text_len(el) -> str:
    return "".join(el.itertext()).strip()


def _remove(el) -> None:
    """Remove an element but keep the text that follows it (its tail)."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def _chrome_words(el) -> bool:
    words = _WORD_SPLIT.split(f"{el.get('class', '')} {el.get('id', '')}".lower())
    return any(w in CHROME_WORDS for w in words)


def _clean(top, keep_chrome: bool):
    """Drop what is not agreement text. Site chrome (navigation, footers, banners) is dropped unless it
    holds most of the text (a page whose whole content sits in a <div class="page-with-sidebar">)."""
    total = len(_text_len(top)) or 1
    doomed = []
    for el in top.iter():
        if not isinstance(el.tag, str):  # comments, entities
            doomed.append(el)
            continue
        tag = el.tag.lower()
        if tag in DROP or el.get("hidden") is not None or el.get("aria-hidden") == "true" \
                or _HIDDEN_STYLE.search(el.get("style", "")):
            doomed.append(el)
            continue
        if keep_chrome or el is top:
            continue
        semantic = (tag in SITE_CHROME and not (tag == "header" and _inside(el, ("article", "main", "section")))) \
            or el.get("role") in CHROME_ROLES
        if semantic or (_chrome_words(el) and len(_text_len(el)) < 0.5 * total):
            doomed.append(el)
    for el in doomed:
        if el.getparent() is not None and not any(a in doomed for a in el.iterancestors()):
            _remove(el)
    return top


def _inside(el, tags: tuple[str, ...]) -> bool:
    return any(isinstance(a.tag, str) and a.tag.lower() in tags for a in el.iterancestors())


# --------------------------------------------------------------------------- list numbers


def _roman(n: int) -> str:
    out = []
    for value, sym in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
                       (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def _letters(n: int) -> str:
    s = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        s = chr(97 + r) + s
    return s


_CN_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (counting numbers up to 9999)."""
    if n <= 0 or n >= 10000:
        return str(n)
    out = ""
    units = ((1000, "千"), (100, "百"), (10, "十"), (1, ""))
    zero = False
    for value, unit in units:
        d, n = divmod(n, value)
        if d:
            if zero:
                out += "零"
                zero = False
            out += ("" if (value == 10 and d == 1 and not out) else _CN_DIGITS[d]) + unit
        elif out:
            zero = True
    return out


def format_number(n: int, style: str) -> str:
    """A list number in a CSS ``list-style-type`` / HTML ``type`` / Word ``numFmt`` style."""
    s = style.lower()
    if s in ("a", "lower-alpha", "lower-latin", "lowerletter"):
        return _letters(n) if style != "A" else _letters(n).upper()
    if s in ("upper-alpha", "upper-latin", "upperletter"):
        return _letters(n).upper()
    if style == "A":
        return _letters(n).upper()
    if style == "I" or s in ("upper-roman", "upperroman"):
        return _roman(n).upper()
    if s in ("i", "lower-roman", "lowerroman"):
        return _roman(n)
    if s in ("cjk-ideographic", "simp-chinese-informal", "trad-chinese-informal", "chinesecounting",
             "chinesecountingthousand", "ideographdigital", "japanesecounting", "taiwanesecounting",
             "taiwanesecountingthousand", "chineselegalsimplified"):
        return chinese_number(n)
    if s in ("decimal-leading-zero", "decimalzero"):
        return f"{n:02d}"
    return str(n)


def _list_style(el) -> str | None:
    m = _LIST_STYLE.search(el.get("style", ""))
    if m:
        return m.group(1).lower()
    return el.get("type")


# --------------------------------------------------------------------------- layout


class _Out:
    def __init__(self) -> None:
        self.parts: list[str] = []

    def text(self, s: str, pre: bool = False) -> None:
        if not s:
            return
        if not pre:
            s = re.sub(r"[ \t\r\n\f]+", " ", s)
            if s.startswith(" ") and (self.at_line_start() or self.parts[-1].endswith(" ")):
                s = s.lstrip(" ")
        if s:
            self.parts.append(s)

    def at_line_start(self) -> bool:
        for p in reversed(self.parts):
            if p:
                return p.endswith("\n")
        return True

    def newline(self) -> None:
        while self.parts and self.parts[-1].endswith(" ") and not self.parts[-1].endswith("\n"):
            self.parts[-1] = self.parts[-1].rstrip(" ")
            if not self.parts[-1]:
                self.parts.pop()
        if not self.at_line_start():
            self.parts.append("\n")

    def br(self) -> None:
        while self.parts and self.parts[-1].endswith(" "):
            self.parts[-1] = self.parts[-1].rstrip(" ")
        self.parts.append("\n")

    def result(self) -> str:
        text = "".join(self.parts)
        text = "\n".join(line.strip(" \u00a0") if line.strip() else "" for line in text.split("\n"))
        text = re.sub(r"\n{3,}", "\n\n", text)
        return _CJK_GAP.sub("", text).strip("\n") + "\n"


class _ListState:
    def __init__(self, el, parent: _ListState | None) -> None:
        self.ordered = el.tag.lower() == "ol"
        style = _list_style(el)
        self.style = style
        self.numbered = self.ordered and style not in ("none", "disc", "circle", "square")
        self.reversed = el.get("reversed") is not None
        items = [c for c in el if isinstance(c.tag, str) and c.tag.lower() == "li"]
        start = _int(el.get("start"))
        self.next = start if start is not None else (len(items) if self.reversed else 1)
        self.parent = parent
        self.current: str | None = None

    def label(self, li) -> str | None:
        value = _int(li.get("value"))
        if value is not None:
            self.next = value
        n = self.next
        self.next += -1 if self.reversed else 1
        if not self.ordered:
            self.current = None
            return None if self.style == "none" else "•"
        if not self.numbered:
            return None
        if self.style is None or self.style in ("1", "decimal"):
            outer = self._outer_decimal()
            self.current = f"{outer}.{n}" if outer else str(n)
            return self.current + "."
        self.current = None
        mark = format_number(n, self.style)
        return f"({mark})" if self.style in ("a", "i", "lower-alpha", "lower-latin", "lower-roman") \
            else mark + ("、" if _is_cjk_style(self.style) else ".")

    def _outer_decimal(self) -> str | None:
        p = self.parent
        return p.current if p is not None and p.ordered and p.current is not None else None


def _is_cjk_style(style: str) -> bool:
    return "chinese" in style or "cjk" in style


def _int(v: str | None) -> int | None:
    try:
        return int(v.strip()) if v is not None else None
    except ValueError:
        return None


def render(top) -> str:
    """The text of ``top`` laid out as lines, iteratively (no recursion limit on deep pages)."""
    import lxml.etree

    out = _Out()
    lists: list[_ListState] = []
    pre = 0
    for event, el in lxml.etree.iterwalk(top, events=("start", "end")):
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.lower()
        if event == "start":
            if tag in BLOCK:
                out.newline()
            if tag == "br":
                out.br()
            elif tag in ("td", "th") and el.getprevious() is not None:
                out.text("\t", pre=True)
            elif tag in ("ol", "ul"):
                lists.append(_ListState(el, lists[-1] if lists else None))
            elif tag == "li":
                state = lists[-1] if lists else None
                label = state.label(el) if state else "•"
                own = "".join(el.itertext())[:40]
                if label and not _OWN_LABEL.match(own):
                    out.text(label + " ", pre=True)
            elif tag == "pre":
                pre += 1
            out.text(el.text or "", pre=pre > 0)
        else:
            if tag in BLOCK:
                out.newline()
            if tag in ("ol", "ul") and lists:
                lists.pop()
            elif tag == "pre":
                pre -= 1
            if el is not top:
                out.text(el.tail or "", pre=pre > 0)
    return out.result()
