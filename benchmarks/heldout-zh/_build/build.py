"""Build heldout-*.txt and gold.jsonl from the annotated sources in this folder.

Each <name>.ann is the agreement text with a label marker ⟦CODE CODE⟧ placed right
after the last character of a scoring unit (after its 。；！？ or at the end of its
line).  The marker labels the unit that character belongs to.  Markers are removed
to give the clean text; offsets are computed on the clean text.
"""
import json, re, sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE.parent
CODES = {
    "G": "license.grant", "RF": "license.royalty_free", "IRR": "license.irrevocable",
    "PERP": "license.perpetual", "WW": "license.worldwide", "EXC": "license.exclusive",
    "SUB": "license.sublicensable", "TR": "license.transferable",
    "DER": "license.derivative_works", "COM": "license.commercial_use",
    "MED": "license.any_media", "TP": "license.third_parties",
    "SURV": "license.survives_termination", "AI": "ai.training",
    "OWN": "ip.ownership_transfer", "MOR": "moral_rights.waiver",
    "ENF": "enforcement.on_behalf", "CHG": "terms.unilateral_change",
    "USE": "terms.contract_by_using", "ARB": "dispute.arbitration",
    "JUR": "dispute.jurisdiction", "LAW": "dispute.choice_of_law",
    "LIA": "liability.limitation", "TERM": "account.unilateral_termination",
    "REM": "content.removal", "PRIV": "privacy.incorporated",
}
SPLIT = re.compile(r"\n|[。！？；!?;]|\.(?=\s)")
MARK = re.compile(r"⟦([^⟧]*)⟧")


def units(text):
    prev = 0
    for m in SPLIT.finditer(text):
        yield prev, m.end()
        prev = m.end()
    if prev < len(text):
        yield prev, len(text)


def build(ann_path):
    raw = ann_path.read_text(encoding="utf-8")
    clean, marks, pos = [], [], 0
    for m in MARK.finditer(raw):
        clean.append(raw[pos:m.start()])
        cpos = sum(map(len, clean))
        marks.append((cpos, m.group(1).split()))
        pos = m.end()
    clean.append(raw[pos:])
    text = "".join(clean)
    assert "⟦" not in text and "⟧" not in text
    us = list(units(text))
    labels = {}
    for cpos, codes in marks:
        hit = [u for u in us if u[0] <= cpos - 1 < u[1]]
        assert len(hit) == 1, (ann_path, cpos)
        u = hit[0]
        assert text[u[0]:u[1]].strip(), (ann_path, cpos, "marker on an empty unit")
        cs = set()
        for c in codes:
            cs.add(CODES[c])
            if CODES[c].startswith("license."):
                cs.add("license.grant")
        labels.setdefault(u, set()).update(cs)
    return text, us, labels


def main():
    review = "--review" in sys.argv
    gold = []
    for ann in sorted(HERE.glob("*.ann")):
        doc = f"heldout-{ann.stem}.txt"
        text, us, labels = build(ann)
        (OUT / doc).write_text(text, encoding="utf-8")
        nchars = len(re.sub(r"\s", "", text))
        print(f"== {doc}: {len(text)} code points ({nchars} non-space), "
              f"{sum(1 for a, b in us if text[a:b].strip())} units, "
              f"{sum(len(v) for v in labels.values())} positive lines")
        for a, b in us:
            seg = text[a:b]
            q = seg.strip()
            if not q:
                continue
            s = a + (len(seg) - len(seg.lstrip()))
            e = s + len(q)
            assert text[s:e] == q
            cs = sorted(labels.get((a, b), ()))
            if review:
                print(f"  [{','.join(c.split('.')[-1] for c in cs) or '-'}] {q}")
            for c in cs:
                gold.append({"doc": doc, "concept": c, "start": s, "end": e, "quote": q})
    with open(OUT / "gold.jsonl", "w", encoding="utf-8") as f:
        for g in gold:
            f.write(json.dumps(g, ensure_ascii=False) + "\n")
    print(f"gold.jsonl: {len(gold)} lines")


if __name__ == "__main__":
    main()
