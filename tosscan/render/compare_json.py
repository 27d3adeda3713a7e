"""The comparison as JSON, for machines: the matrix model itself (ids, values, evidence), no interface
words. Schema: ``tosscan.results.matrix.Matrix``."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tosscan.results.matrix import Matrix


def render_compare_json(matrix: Matrix) -> str:
    return json.dumps(matrix.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
