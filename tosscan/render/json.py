"""The JSON contract: one object per document (an array for several), a sibling of the other renderers.

The result model already holds the analysis (grade, answers, findings by id); this renderer adds the
rules' titles and explanations in the interface language, looked up in the catalog that was used.

The text is made piece by piece (``json_pieces``): one finding, one quote of an answer at a time, each
dumped as ``json.dumps(…, ensure_ascii=False, indent=2)`` would dump it inside the whole, so the bytes are
those of dumping the whole document at once, but neither the whole dict nor the whole string ever exists
(a finding-dense 8 MB agreement's JSON is 240 M characters).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from tosscan.render.view import display_of, rule_text

if TYPE_CHECKING:
    from pydantic import BaseModel

    from tosscan.assess import Finding
    from tosscan.markdown import Display
    from tosscan.pipeline import ScanResult
    from tosscan.score import Answer


class _Array:
    """A JSON array whose items are made as they are written."""

    __slots__ = ("items",)

    def __init__(self, items: Iterable[Any]) -> None:
        self.items = items


class _Object(dict):
    """A JSON object written key by key (its values may be ``_Array``s or ``_Object``s)."""


def _lazy(model: BaseModel, **lazy: Any) -> _Object:
    """``model.model_dump(mode="json")`` as an ``_Object`` whose fields in ``lazy`` are replaced (same key order)."""
    data = model.model_dump(mode="json", exclude=set(lazy))
    return _Object((k, lazy[k] if k in lazy else data[k]) for k in type(model).model_fields if k in data or k in lazy)


def _pieces(value: Any, level: int) -> Iterator[str]:
    """``json.dumps(value, ensure_ascii=False, indent=2)`` as it reads nested ``level`` deep, in pieces."""
    pad = "\n" + "  " * (level + 1)
    if isinstance(value, _Object | _Array):
        opening, closing = ("{", "}") if isinstance(value, _Object) else ("[", "]")
        sep = opening + pad
        for item in value.items() if isinstance(value, _Object) else value.items:
            if isinstance(value, _Object):
                k, item = item
                yield sep + json.dumps(k, ensure_ascii=False) + ": "
            else:
                yield sep
            yield from _pieces(item, level + 1)
            sep = "," + pad
        yield opening + closing if sep.startswith(opening) else "\n" + "  " * level + closing
    else:
        text = json.dumps(value, ensure_ascii=False, indent=2)
        yield text.replace("\n", "\n" + "  " * level) if level else text


def _finding(result: ScanResult, f: Finding, shown: Display, ui: str) -> dict[str, Any]:
    d = f.model_dump(mode="json")
    d["display"] = shown.display(f.start, f.end)  # the quote as a reader sees it (markdown as text)
    d["title"], d["explanation"] = rule_text(result, f.rule, ui)
    for det in d["details"]:
        det["title"], det["explanation"] = rule_text(result, det["rule"], ui)
    return d


def _answer(a: Answer, shown: Display) -> _Object:
    def evidence() -> Iterator[dict[str, Any]]:
        for e in a.evidence:
            d = e.model_dump(mode="json")
            d["display"] = shown.display(e.start, e.end)
            yield d

    return _lazy(a, evidence=_Array(evidence()))


def _document(result: ScanResult, ui_lang: str | None) -> _Object:
    """One document's JSON object, its answers and findings made as they are written."""
    ui = ui_lang if ui_lang in ("zh", "en") else ("en" if result.document.language == "en" else "zh")
    shown = display_of(result)
    return _lazy(result, answers=_Array(_answer(a, shown) for a in result.answers),
                 findings=_Array(_finding(result, f, shown, ui) for f in result.findings))


def json_pieces(results: Sequence[ScanResult], ui_lang: str | None = None) -> Iterator[str]:
    """The JSON text of ``results`` (one object, or an array for several), piece by piece."""
    yield from _pieces(_document(results[0], ui_lang) if len(results) == 1
                       else _Array(_document(r, ui_lang) for r in results), 0)
    yield "\n"
