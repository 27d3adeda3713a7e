"""A seeded fuzzer for the scan path: hostile and broken agreements must never crash, hang or lie.

``cases(seed, n)`` yields agreement texts: real clauses cut, spliced, repeated and mutated, random
Unicode (zero-width and control characters, surrogate-free astral planes, full-width forms, RTL marks),
markup and injection payloads, numbering in every style, huge lines. ``check(text)`` scans one through the
library API and asserts the invariants every user relies on: no exception, every finding's and every
answer's quote is ``text[start:end]``, every question is answered, and every renderer runs.
The tests run a few hundred cases; ``benchmarks/fuzz.py`` runs ten thousand and more.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

SEEDS_ZH = [
    "第一条 总则\n", "1.1 您同意授予我们免费的、不可撤销的、永久的、全球范围内的许可。\n",
    "（一）您不得从事下列行为：\n（1）使用本平台内容训练模型；\n", "我们不会将您的作品用于训练人工智能模型。\n",
    "本协议适用中华人民共和国法律，争议提交被告所在地人民法院管辖。\n", "“用户内容”是指您上传的作品。\n",
    "您删除作品后，上述许可即终止。", "4.2.1 其著作权仍由您或原权利人享有。\n", "【授权使用】", "一、", "①", "；", "：",
]
SEEDS_EN = [
    "## 5. Your Content\n", "**5.2** You grant us a worldwide, royalty-free, sublicensable license.\n",
    "You agree not to:\n(a) scrape the Service;\n(b) train AI models.\n", "We do not use your content to train.\n",
    "\"Content\" means anything you post. ", "THE SERVICE IS PROVIDED AS IS.\n", "1\\. ", "Section 7. ", "- ", "U.S. ",
]
PAYLOADS = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))", "{{ 7*7 }}", "{% raw %}",
    "\x1b[31m", "\x1b]0;title\x07", "=HYPERLINK(\"x\")", "</style></script>", "&lt;b&gt;", "\\", "`", "|", "\r\n", "\r",
]
ODD = ["\u200b", "\u200e", "\u202e", "\ufeff", "\u3000", "\u00a0", "\x00", "\x0c", "\u2028", "\U0001f600", "Ａ１．",
       "\ufffd", "\u0301", "𠀀", "\t"]


def _piece(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.35:
        return rng.choice(SEEDS_ZH)
    if r < 0.6:
        return rng.choice(SEEDS_EN)
    if r < 0.72:
        return rng.choice(PAYLOADS)
    if r < 0.85:
        return rng.choice(ODD) * rng.randint(1, 5)
    if r < 0.95:
        return "".join(chr(rng.randint(0x20, 0x2FFF)) for _ in range(rng.randint(1, 40)))
    return rng.choice(SEEDS_ZH + SEEDS_EN).rstrip("\n") * rng.randint(20, 200)  # a long line


def _mutate(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(0, 4)):
        if not text:
            break
        i = rng.randrange(len(text))
        op = rng.random()
        if op < 0.3:
            text = text[:i] + text[i + rng.randint(1, 10):]
        elif op < 0.6:
            text = text[:i] + rng.choice(ODD + PAYLOADS) + text[i:]
        else:
            j = rng.randrange(len(text))
            text = text[:i] + text[min(i, j):max(i, j)] + text[i:]
    return text


def cases(seed: int, n: int) -> Iterator[str]:
    rng = random.Random(seed)
    for _ in range(n):
        text = "".join(_piece(rng) for _ in range(rng.randint(1, 30)))
        yield _mutate(text, rng)


def check(text: str, lang: str = "auto") -> int:
    """Scan ``text`` and assert the invariants; returns the number of findings."""
    from tosscan.api import render, scan_text
    from tosscan.catalog import load_questions

    if not text.strip():
        return 0
    r = scan_text(text, lang=lang, path="fuzz.txt")
    for f in r.findings:
        assert 0 <= f.start < f.end <= len(text), (f.start, f.end)
        assert text[f.start:f.end] == f.quote
        for a, b in f.evidence:
            assert f.start <= a <= b <= f.end
    assert [a.question for a in r.answers] == [q.id for q in load_questions()]
    for a in r.answers:
        for e in a.evidence:
            assert text[e.start:e.end] == e.quote
    assert r.grade.balance == r.grade.good - r.grade.bad - 3 * r.grade.blocker
    for fmt in ("json", "html", "md", "csv", "text"):
        out = render([r], fmt)
        assert out
        if fmt == "html":
            assert out.count("<script>") == 1
        if fmt == "text":
            assert "\x1b" not in out
    return len(r.findings)
