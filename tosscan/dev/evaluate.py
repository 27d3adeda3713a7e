"""Measure the catalog against gold labels, sentence by sentence.

The measure is exactly that of ``../shared/tools/score.py`` (the reference scorer): the text is cut
into units at line breaks and 。！？；!?; (and ". "); per concept a unit is gold-positive when a gold span
of that concept overlaps it and predicted-positive when a finding of that concept overlaps it;
precision/recall/F1 per concept, macro-F1 over the concepts present in the gold, and micro-F1.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tosscan.errors import InputError
from tosscan.structure import SENTENCE_BOUNDARY

if TYPE_CHECKING:
    from tosscan.pipeline import Scanner

SKIP = set(" \t\r\n\u3000*_#>`\\|")


def units(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in SENTENCE_BOUNDARY.finditer(text):
        if text[start:m.end()].strip():
            out.append((start, m.end()))
        start = m.end()
    if text[start:].strip():
        out.append((start, len(text)))
    return out


def locate(text: str, quote: str) -> tuple[int, int] | None:
    keep = [i for i, ch in enumerate(text) if ch not in SKIP]
    squeezed = "".join(text[i] for i in keep)
    q = "".join(ch for ch in quote if ch not in SKIP)
    k = squeezed.find(q) if q else -1
    return None if k < 0 else (keep[k], keep[k + len(q) - 1] + 1)


@dataclass
class Error:
    kind: str  # "fp" or "fn"
    concept: str
    doc: str
    start: int
    end: int
    text: str
    rules: list[str] = field(default_factory=list)


@dataclass
class Report:
    docs: int
    tp: Counter
    fp: Counter
    fn: Counter
    errors: list[Error]
    unlocated: int = 0

    @property
    def concepts(self) -> list[str]:
        return sorted(c for c in set(self.tp) | set(self.fn) if self.tp[c] + self.fn[c] > 0)

    def prf(self, c: str) -> tuple[float, float, float]:
        tp, fp, fn = self.tp[c], self.fp[c], self.fn[c]
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    @property
    def macro_f1(self) -> float:
        cs = self.concepts
        return sum(self.prf(c)[2] for c in cs) / len(cs) if cs else 0.0

    @property
    def micro_f1(self) -> float:
        t, p, n = sum(self.tp.values()), sum(self.fp.values()), sum(self.fn.values())
        return 2 * t / (2 * t + p + n) if t else 0.0

    def summary(self) -> dict:
        return {
            "documents": self.docs,
            "macro_f1": round(self.macro_f1, 4),
            "micro_f1": round(self.micro_f1, 4),
            "concepts": {c: dict(zip(("precision", "recall", "f1"), (round(x, 4) for x in self.prf(c)), strict=True))
                         | {"tp": self.tp[c], "fp": self.fp[c], "fn": self.fn[c]} for c in self.concepts},
            "false_positives_outside_gold": {c: self.fp[c] for c in sorted(self.fp) if c not in self.concepts},
        }


def load_gold(path: Path, texts: dict[str, str]) -> tuple[dict[str, list[tuple[str, int, int]]], int]:
    gold: dict[str, list[tuple[str, int, int]]] = {name: [] for name in texts}
    bad = 0
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise InputError(f"{path}: cannot read gold labels ({e.strerror})") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            g = json.loads(line)
            doc, concept = g["doc"], g["concept"]
        except (json.JSONDecodeError, KeyError, TypeError):
            raise InputError(f"{path}:{n}: not a gold line {{doc, concept, start, end, quote}}") from None
        if doc not in texts:
            continue
        t = texts[doc]
        if "start" in g and t[g["start"]:g["end"]] == g.get("quote"):
            span = (g["start"], g["end"])
        else:
            span = locate(t, g.get("quote", ""))
        if span is None:
            bad += 1
            continue
        gold[doc].append((concept, *span))
    return gold, bad


def score(text: str, gold: list[tuple[str, int, int]], findings: list[tuple[list[str], int, int, list[str]]],
          doc: str, report: Report, ignore: Sequence[tuple[str, int, int]] = ()) -> None:
    for s, e in units(text):
        g = {c for c, gs, ge in gold if gs < e and ge > s}
        ig = {c for c, gs, ge in ignore if gs < e and ge > s}
        pred: dict[str, list[str]] = {}
        for concepts, fs, fe, rules in findings:
            if fs < e and fe > s:
                for c in concepts:
                    pred.setdefault(c, []).extend(rules)
        for c in g | set(pred):
            if c in g and c in pred:
                report.tp[c] += 1
            elif c in pred and c not in ig:
                report.fp[c] += 1
                report.errors.append(Error("fp", c, doc, s, e, text[s:e].strip(), sorted(set(pred[c]))))
            elif c in g:
                report.fn[c] += 1
                report.errors.append(Error("fn", c, doc, s, e, text[s:e].strip()))


def evaluate_gold(scanner: Scanner, docdir: Path, gold_path: Path, prefix: str = "",
                  docs: set[str] | None = None) -> Report:
    if not docdir.is_dir():
        raise InputError(f"{docdir}: not a directory")
    paths = select(sorted(p for p in docdir.iterdir() if p.is_file() and p.suffix in (".txt", ".md")), prefix, docs)
    if not paths:
        raise InputError(f"{docdir}: no .txt/.md documents" + (f" named {prefix}*" if prefix else ""))
    results = {p.name: scanner.scan_file(p) for p in paths}
    texts = {name: r.text for name, r in results.items()}
    gold, bad = load_gold(gold_path, texts)
    report = Report(len(paths), Counter(), Counter(), Counter(), [], bad)
    for name, r in results.items():
        found = [(f.concepts, f.start, f.end, f.rules) for f in r.findings]
        score(r.text, gold[name], found, name, report)
    return report


CLAUDETTE = {"a": "dispute.arbitration", "ch": "terms.unilateral_change", "cr": "content.removal",
             "j": "dispute.jurisdiction", "law": "dispute.choice_of_law", "ltd": "liability.limitation",
             "ter": "account.unilateral_termination", "use": "terms.contract_by_using",
             "pinc": "privacy.incorporated"}
_TAG = re.compile(r"<(/?)([a-z]+)(\d)>|[^<]+|<")


def parse_claudette(raw: str) -> tuple[str, list[tuple[str, int, int]], list[tuple[str, int, int]]]:
    """CLAUDETTE inline tags → (plain text, gold spans of level ≥ 2, ignored level-1 spans)."""
    text: list[str] = []
    gold: list[tuple[str, int, int]] = []
    ignore: list[tuple[str, int, int]] = []
    stack: list[tuple[str, int, int]] = []
    pos = 0
    for m in _TAG.finditer(raw):
        if m.group(2) and m.group(2) in CLAUDETTE:
            if not m.group(1):
                stack.append((m.group(2), int(m.group(3)), pos))
                continue
            for i in range(len(stack) - 1, -1, -1):
                if stack[i][0] == m.group(2):
                    tag, level, start = stack.pop(i)
                    (gold if level >= 2 else ignore).append((CLAUDETTE[tag], start, pos))
                    break
        else:
            text.append(m.group(0))
            pos += len(m.group(0))
    return "".join(text), gold, ignore


def select(paths: list[Path], prefix: str = "", docs: set[str] | None = None) -> list[Path]:
    """Documents whose name starts with ``prefix`` and, if ``docs`` is given, named there (the extension is
    ignored: CLAUDETTE's lists name ``Yahoo.txt`` for ``Yahoo.xml``)."""
    stems = {Path(d).stem for d in docs or ()}
    return [p for p in paths if p.name.startswith(prefix) and (not docs or p.stem in stems)]


def evaluate_claudette(scanner: Scanner, docdir: Path, prefix: str = "", docs: set[str] | None = None) -> Report:
    """Score against CLAUDETTE's tagged .xml files (level 2 and 3 positive; level 1 ignored)."""
    if not docdir.is_dir():
        raise InputError(f"{docdir}: not a directory")
    paths = select(sorted(docdir.glob("*.xml")), prefix, docs)
    if not paths:
        raise InputError(f"{docdir}: no CLAUDETTE .xml documents")
    report = Report(len(paths), Counter(), Counter(), Counter(), [])
    for p in paths:
        text, gold, ignore = parse_claudette(p.read_text(encoding="utf-8"))
        result = scanner.scan_text(text, lang="en", path=p.name)
        found = [(f.concepts, f.start, f.end, f.rules) for f in result.findings]
        score(text, gold, found, p.name, report, ignore)
    return report


def format_report(report: Report, show_errors: int = 0, only: str | None = None) -> str:
    lines = [f"{'concept':34s} {'P':>5s} {'R':>5s} {'F1':>5s}   tp   fp   fn"]
    for c in report.concepts:
        if only and c != only:
            continue
        p, r, f = report.prf(c)
        lines.append(f"{c:34s} {p:5.2f} {r:5.2f} {f:5.2f} {report.tp[c]:4d} {report.fp[c]:4d} {report.fn[c]:4d}")
    extra = {c: report.fp[c] for c in sorted(report.fp) if c not in report.concepts}
    if extra:
        lines.append(f"false positives on concepts absent from the gold: {extra}")
    if report.unlocated:
        lines.append(f"warning: {report.unlocated} gold quotes not found in their documents")
    lines.append(f"{report.docs} docs: macro-F1 {report.macro_f1:.3f} micro-F1 {report.micro_f1:.3f} "
                 f"over {len(report.concepts)} concepts")
    if show_errors:
        for kind, label in (("fp", "false positives"), ("fn", "misses")):
            for c in report.concepts + list(extra):
                if only and c != only:
                    continue
                errs = [e for e in report.errors if e.kind == kind and e.concept == c][:show_errors]
                if errs:
                    lines.append(f"\n== {label}: {c}")
                    for e in errs:
                        rules = f"  [{', '.join(e.rules)}]" if e.rules else ""
                        lines.append(f"  {e.doc}:{e.start}  {e.text[:160]}{rules}")
    return "\n".join(lines)
