"""The JSON contract: one object per document (an array for several), a sibling of the other renderers.

The result model already holds the analysis (grade, answers, findings by id); this renderer adds the
rules' titles and explanations in the interface language, looked up in the catalog that was used.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from tosscan.render.view import display_of, rule_text

if TYPE_CHECKING:
    from tosscan.pipeline import ScanResult


def document_dict(result: ScanResult, ui_lang: str | None = None) -> dict[str, Any]:
    """One document's JSON object."""
    ui = ui_lang if ui_lang in ("zh", "en") else ("en" if result.document.language == "en" else "zh")
    data = result.model_dump(mode="json")
    shown = display_of(result)
    for f in data["findings"]:
        f["display"] = shown.display(f["start"], f["end"])  # the quote as a reader sees it (markdown as text)
        f["title"], f["explanation"] = rule_text(result, f["rule"], ui)
        for d in f["details"]:
            d["title"], d["explanation"] = rule_text(result, d["rule"], ui)
    for a in data["answers"]:
        for e in a["evidence"]:
            e["display"] = shown.display(e["start"], e["end"])
    return data


def render_json(results: Sequence[ScanResult], ui_lang: str | None = None) -> str:
    docs = [document_dict(r, ui_lang) for r in results]
    return json.dumps(docs[0] if len(docs) == 1 else docs, ensure_ascii=False, indent=2) + "\n"
