"""Inline diff inside a modified clause: characters for Chinese, words for English.

The text is cut into tokens (a Latin word or number, a run of white space, or any other single
character, so every CJK character and punctuation mark is a token of its own), the two token lists
are aligned by their longest common subsequence (rapidfuzz's Indel opcodes, bit-parallel), and tiny
coincidental equalities between two edits (a shared "的" or "the") are folded into the edits, so that
"免费的、永久的、可转让的" → "免费的、可转让的" reads as one cut of "永久的、".
"""

from __future__ import annotations

import re

from rapidfuzz.distance import Indel

from tosscan.results.diff import InlineOp

_TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*|\s+|.", re.DOTALL)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _merge(ops: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Join consecutive pieces of the same kind; order each edit as delete before insert."""
    out: list[tuple[str, str]] = []
    for op, t in ops:
        if not t:
            continue
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + t)
        else:
            out.append((op, t))
    # delete/insert/delete/insert … between two equals → one delete, one insert
    res: list[tuple[str, str]] = []
    i = 0
    while i < len(out):
        if out[i][0] == "equal":
            res.append(out[i])
            i += 1
            continue
        j = i
        dele, ins = [], []
        while j < len(out) and out[j][0] != "equal":
            (dele if out[j][0] == "delete" else ins).append(out[j][1])
            j += 1
        if dele:
            res.append(("delete", "".join(dele)))
        if ins:
            res.append(("insert", "".join(ins)))
        i = j
    return res


def _weight(t: str) -> int:
    return len(t.strip()) or 0


def _cleanup(ops: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Fold short equalities that sit between edits bigger than them into those edits (semantic cleanup)."""
    changed = True
    while changed:
        changed = False
        ops = _merge(ops)
        for k, (op, t) in enumerate(ops):
            if op != "equal" or k == 0 or k == len(ops) - 1:
                continue
            before = sum(_weight(x) for o, x in ops[max(0, k - 2):k] if o != "equal")
            after = sum(_weight(x) for o, x in ops[k + 1:k + 3] if o != "equal")
            w = _weight(t)
            if (w <= 2 and before > w and after > w) or (w == 0 and before and after):
                ops = [*ops[:k], ("delete", t), ("insert", t), *ops[k + 1:]]
                changed = True
                break
    return _merge(ops)


def inline_diff(old: str, new: str) -> list[InlineOp]:
    """The edits that turn ``old`` into ``new``: equal, delete and insert pieces, in reading order.

    Joining the equal and delete pieces gives ``old``; the equal and insert pieces give ``new``.
    """
    a, b = tokens(old), tokens(new)
    ops: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in Indel.opcodes(a, b):
        if tag == "equal":
            ops.append(("equal", "".join(a[i1:i2])))
        else:
            ops.append(("delete", "".join(a[i1:i2])))
            ops.append(("insert", "".join(b[j1:j2])))
    return [InlineOp(op=op, text=t) for op, t in _cleanup(ops)]  # type: ignore[arg-type]
