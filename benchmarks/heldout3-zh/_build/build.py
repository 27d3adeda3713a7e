#!/usr/bin/env python3
"""Build the heldout3 documents and gold.jsonl from marked sources.

Sources live in <set>/_build/src/heldout3-*.{txt,md}.  A label marker ⟦CODE CODE …⟧ is written
right after the unit it labels (after its 。；. or at the end of its line); the marker is removed
from the published text, and the unit (as cut by shared/tools/score.py's units()) that holds the
last non-blank character before the marker gets those concepts.  Any license.* attribute implies
license.grant (added automatically).

usage: build.py            (builds heldout3-zh and heldout3-en)
"""
import json, pathlib, re, sys

HERE = pathlib.Path(__file__).resolve().parent
BENCH = HERE.parent.parent
sys.path.insert(0, "/work/shared/tools")
from score import units  # noqa: E402

CODES = {
    "G": "license.grant", "RF": "license.royalty_free", "IRR": "license.irrevocable",
    "PERP": "license.perpetual", "WW": "license.worldwide", "EXCL": "license.exclusive",
    "SUB": "license.sublicensable", "TRANS": "license.transferable", "DER": "license.derivative_works",
    "COM": "license.commercial_use", "MEDIA": "license.any_media", "TP": "license.third_parties",
    "SURV": "license.survives_termination", "AIT": "ai.training", "OWN": "ip.ownership_transfer",
    "MR": "moral_rights.waiver", "ENF": "enforcement.on_behalf", "RET": "ip.user_retains_ownership",
    "REV": "license.revocable", "LP": "license.limited_purpose", "NOT": "ai.no_training",
    "OPT": "ai.opt_out", "CHG": "terms.unilateral_change", "USE": "terms.contract_by_using",
    "ARB": "dispute.arbitration", "JUR": "dispute.jurisdiction", "LAW": "dispute.choice_of_law",
    "LIAB": "liability.limitation", "TERM": "account.unilateral_termination",
    "REM": "content.removal", "PRIV": "privacy.incorporated",
}
MARK = re.compile(r"⟦([^⟧]*)⟧")


def build_one(src):
    raw = src.read_text(encoding="utf-8")
    clean, marks, last = [], [], 0
    pos = 0
    for m in MARK.finditer(raw):
        seg = raw[last:m.start()]
        clean.append(seg); pos += len(seg)
        marks.append((pos, m.group(1).replace(",", " ").split()))
        last = m.end()
    clean.append(raw[last:])
    text = "".join(clean)
    us = units(text)
    labels = {}
    for p, codes in marks:
        q = p - 1
        while q >= 0 and text[q].isspace():
            q -= 1
        hit = [(s, e) for s, e in us if s <= q < e]
        assert len(hit) == 1, (src.name, p, text[max(0, p - 40):p])
        s, e = hit[0]
        seg = text[s:e]
        s2 = s + (len(seg) - len(seg.lstrip()))
        e2 = e - (len(seg) - len(seg.rstrip()))
        for c in codes:
            if c not in CODES:
                raise SystemExit(f"{src.name}: unknown code {c!r} near {text[max(0, p - 40):p]!r}")
            labels.setdefault((s2, e2), set()).add(CODES[c])
    rows = []
    for (s, e), cs in sorted(labels.items()):
        if any(c.startswith("license.") for c in cs):
            cs.add("license.grant")
        for c in sorted(cs):
            rows.append({"doc": src.name, "concept": c, "start": s, "end": e, "quote": text[s:e]})
    return text, rows


def main():
    for lang in ("zh", "en"):
        d = BENCH / f"heldout3-{lang}"
        allrows = []
        for src in sorted((d / "_build" / "src").glob("heldout3-*")):
            text, rows = build_one(src)
            (d / src.name).write_bytes(text.encode("utf-8"))
            allrows += rows
        with open(d / "gold.jsonl", "w", encoding="utf-8") as f:
            for r in allrows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(lang, len(allrows), "gold lines")


if __name__ == "__main__":
    main()
