"""The HTML report of a finding-dense agreement lists at most ``MAX_CARDS`` findings, and stays whole.

Every finding is still highlighted and anchored in the text; the highlights of findings with a card link to
it, the others link nowhere; every link of the page resolves to an element of the page; the answers quote
what the JSON says they quote; the JSON, Markdown and CSV still have every finding.
"""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser

import pytest

from tosscan.render import render
from tosscan.render.view import MAX_CARDS, MAX_QUOTES, build_report

LINE = "第{i}条 用户授予平台永久的、不可撤销的许可，平台可以使用用户内容训练人工智能模型。\n"


class _Page(HTMLParser):
    """Ids, links and the text of each answer's quotes of a report page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.links: list[str] = []
        self.cards = 0
        self.highlights: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(a["id"] or "")
        if tag == "a" and (a.get("href") or "").startswith("#"):
            self.links.append((a["href"] or "")[1:])
        if tag == "li" and "finding" in (a.get("class") or "").split():
            self.cards += 1
        if "hl" in (a.get("class") or "").split():
            self.highlights.append({"tag": tag, **a})


@pytest.fixture(scope="module")
def dense(scanner):
    text = "".join(LINE.format(i=i) for i in range(1, MAX_CARDS + 151))
    return scanner.scan_text(text, lang="zh", path="dense.txt")


@pytest.fixture(scope="module")
def page(dense) -> tuple[str, _Page]:
    html = render([dense], "html")
    p = _Page()
    p.feed(html)
    return html, p


def test_the_limit_is_stated_and_applied(dense, page):
    html, p = page
    total = len(dense.findings)
    assert total > MAX_CARDS + 100
    assert p.cards == MAX_CARDS
    assert f"仅列出前 {MAX_CARDS} 处发现（共 {total} 处" in html
    en = render([dense], "html", "en")
    assert f"Showing the first {MAX_CARDS} of {total} findings" in en and "the JSON report has all of them" in en
    assert f"<h2 class=\"section-title\" id=\"d1-findings\">全部发现 ({total})</h2>" in html


def test_every_link_resolves_and_every_finding_keeps_its_anchor(dense, page):
    _html, p = page
    assert len(p.ids) == len(set(p.ids)), "ids are unique"
    ids = set(p.ids)
    missing = sorted(set(p.links) - ids)
    assert not missing, missing[:5]
    total = len(dense.findings)
    assert all(f"d1-t{n}" in ids for n in range(1, total + 1))  # every highlight is a link target
    assert {f"d1-f{n}" for n in range(1, total + 1)} & ids == {f"d1-f{n}" for n in range(1, MAX_CARDS + 1)}
    # highlights of listed findings link to their cards; the others are not links and name no card
    linked = [h for h in p.highlights if h["tag"] == "a"]
    assert linked and all(re.fullmatch(r"#d1-f\d+", h["href"] or "") for h in linked)
    assert all(int(f[4:]) <= MAX_CARDS for h in linked for f in (h["data-f"] or "").split())
    plain = [h for h in p.highlights if h["tag"] != "a"]
    assert plain and all("href" not in h and "data-f" not in h for h in plain)
    assert len(linked) + len(plain) >= total


def test_answers_quote_what_the_json_says(dense):
    data = json.loads(render([dense], "json"))
    view = build_report([dense], limit=MAX_CARDS).documents[0]
    by_anchor = {f"d1-t{n}": f for n, f in enumerate(sorted(dense.findings, key=lambda f: (f.start, f.end)), 1)}
    answered = {a["question"]: a for a in data["answers"]}
    checked = 0
    for v in view.verdicts:
        ev = answered[v.question_id]["evidence"]
        if not ev:
            assert not v.evidence
            continue
        assert v.primary is not None and len(ev) > MAX_QUOTES + 2
        assert (by_anchor[v.primary.text_anchor].start, by_anchor[v.primary.text_anchor].end) == \
            (ev[0]["start"], ev[0]["end"])
        assert len(v.more) <= MAX_QUOTES and v.unlisted == len(ev) - len(v.evidence) > 0
        for e in v.evidence:  # each quote is its finding's text, and its excerpt a piece of it
            f = by_anchor[e.text_anchor]
            assert e.quote == dense.text[f.start:f.end]
            assert "".join(s.text for s in e.excerpt) in e.quote
            assert all(dense.text[s.start:s.end] == s.text for s in e.excerpt)
            checked += 1
    assert checked > MAX_QUOTES


def test_json_markdown_and_csv_keep_every_finding(dense):
    total = len(dense.findings)
    assert len(json.loads(render([dense], "json"))["findings"]) == total
    md = render([dense], "md")
    assert md.count("\n### ") == total + 1 and "仅列出前" not in md  # a heading per finding, and the method
    rows = list(csv.reader(io.StringIO(render([dense], "csv").lstrip("\ufeff"))))
    assert len(rows) == total + 1


def test_a_normal_agreement_has_no_limit_line(scanner):
    from .conftest import SAMPLES

    r = scanner.scan_file(SAMPLES / "huajian-user-agreement.txt")
    html = render([r], "html")
    assert "仅列出前" not in html and 'id="d1-more"' not in html
    assert html.count('<li class="finding ') == len(r.findings)
