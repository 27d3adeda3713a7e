"""The report: view model (segments, verdicts, grade), HTML safety, and Markdown/CSV from the same data."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tosscan.assess import Detail, Finding
from tosscan.catalog import load_concepts, load_questions
from tosscan.models import Clause, Sentence, Structure
from tosscan.pipeline import CatalogInfo, DocumentInfo, ScanResult, ToolInfo
from tosscan.render import render
from tosscan.render.csv import COLUMNS
from tosscan.render.md import md_escape
from tosscan.render.view import build_report, excerpt_of, method_text
from tosscan.score import GRADES, grade_letter, score

from .conftest import SAMPLES

HUAJIAN = SAMPLES / "huajian-user-agreement.txt"
YUNMO = SAMPLES / "yunmo-user-agreement.txt"
INKWELL = SAMPLES / "inkwell-terms.md"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "zh"

HOSTILE = (
    "<script>alert(1)</script>[x](javascript:alert(1))用户协议\n"
    "\n"
    "一、授权\n"
    "1.1 您同意授予平台免费的、不可撤销的许可<script>alert(1)</script>，以使用您上传的作品。\n"
    "1.2 <img src=x onerror=alert(1)> 请点击[x](javascript:alert(1))查看。\n"
    "1.3 \"><svg onload=alert(1)> </p></a></article> &lt;b&gt; &amp; ' \" {{ 7*7 }} {% raw %}\n"
    "1.4 =HYPERLINK(\"x\") ** _x_ `code` | a | # not a heading\n"
)


# --------------------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def huajian(scanner) -> ScanResult:
    return scanner.scan_file(HUAJIAN)


@pytest.fixture(scope="module")
def yunmo(scanner) -> ScanResult:
    return scanner.scan_file(YUNMO)


@pytest.fixture(scope="module")
def hostile(scanner) -> ScanResult:
    return scanner.scan_text(HOSTILE, lang="zh", path="hostile.txt")


def has_rule_for(scanner, concept: str, lang: str = "zh") -> bool:
    return any(concept in r.concepts for r in scanner.catalog.for_lang(lang))


def answers(result: ScanResult, ui_lang: str | None = None) -> dict[str, str]:
    doc = build_report([result], ui_lang).documents[0]
    return {v.question_id: v.answer for v in doc.verdicts}


def assert_covers(doc, text: str) -> None:
    segs = doc.segments
    pos = 0
    for s in segs:
        assert s.start == pos, f"gap or overlap at {pos}"
        assert s.end > s.start
        assert text[s.start:s.end] == s.text
        pos = s.end
    assert pos == len(text)
    assert "".join(s.text for s in segs) == text


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.data: dict[str, list[str]] = {}
        self._open: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._open.append(tag)

    def handle_endtag(self, tag):
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data):
        if self._open:
            self.data.setdefault(self._open[-1], []).append(data)


def parse(html: str) -> Tags:
    p = Tags()
    p.feed(html)
    return p


def fake_result(text: str, spans: list[tuple[str, list[str], str]], lang: str = "zh") -> ScanResult:
    """A ScanResult with hand-made findings: (substring, concepts, severity) each."""
    findings = []
    for sub, concepts, sev in spans:
        start = text.index(sub)
        end = start + len(sub)
        findings.append(Finding(
            rule=f"{lang}.test.{concepts[0].replace('.', '_')}", rules=[f"{lang}.test.{concepts[0].replace('.', '_')}"],
            concepts=concepts, severity=sev, start=start, end=end, quote=sub, clause="1.1", heading="授权",
            evidence=[(start, start + 2)],
            details=[Detail(rule=f"{lang}.test.x", concepts=concepts, severity=sev)]))
    structure = Structure(clauses=[Clause(start=0, end=len(text), level=0, label="1.1", number="1.1", heading="授权")],
                          sentences=[Sentence(start=f.start, end=f.end, clause=0) for f in findings])
    grade, answered = score(text, structure, findings)
    return ScanResult(tosscan=ToolInfo(), catalog=CatalogInfo(rules=1, sha256="0" * 64),
                      document=DocumentInfo(path="fake.txt", sha256="1" * 64, language=lang, chars=len(text),
                                            encoding="utf-8", scanned_at="2026-01-01T00:00:00+00:00"),
                      grade=grade, answers=answered, findings=findings, structure=structure, text=text)


# --------------------------------------------------------------------------- questions and grade


def test_questions_name_known_concepts():
    known = load_concepts()
    qs = load_questions()
    assert {q.id for q in qs} >= {"ai_training", "ai_opt_out", "revocable", "perpetual", "worldwide", "royalty_free",
                                  "sublicense", "derivative_works", "commercial_use", "survives_deletion", "ownership",
                                  "limited_purpose"}
    for q in qs:
        assert set(q.concepts) <= set(known)
        assert q.zh.endswith("？") and q.en.endswith("?")
        for _answer, side in q.sides():  # a good answer is named by good concepts, a bad one by the others
            assert all((known[c].get("polarity") == "good") == (side.tone == "good") for c in side.concepts), q.id
    by_id = {q.id: q for q in qs}
    # answered both ways
    assert by_id["revocable"].no.concepts == ["license.irrevocable"]
    assert by_id["revocable"].yes.concepts == ["license.revocable"]
    assert by_id["ownership"].no.concepts == ["ip.ownership_transfer"]
    assert by_id["ownership"].yes.concepts == ["ip.user_retains_ownership"]
    assert by_id["ai_training"].yes.concepts == ["ai.training"]
    assert by_id["ai_training"].no.concepts == ["ai.no_training"]
    assert by_id["ai_opt_out"].yes.concepts == ["ai.opt_out"]


@pytest.mark.parametrize(("good", "bad", "blocker", "letter"), [
    (0, 0, 0, "A"), (2, 0, 0, "A"), (0, 1, 0, "B"), (0, 4, 0, "B"), (0, 5, 0, "C"), (3, 7, 0, "B"), (3, 8, 0, "C"),
    (0, 0, 1, "D"), (0, 7, 1, "D"), (0, 8, 1, "E"), (0, 1, 3, "D"), (0, 2, 3, "E"), (0, 11, 0, "E"),
])
def test_grade_formula_is_tosdr(good, bad, blocker, letter):
    assert grade_letter(good, bad, blocker) == letter


def test_verdicts_and_grade_from_findings():
    text = "您授予我们免费的、不可撤销的、永久的许可。您删除账号后许可继续有效。平台可以删除内容。"
    r = fake_result(text, [
        ("您授予我们免费的、不可撤销的、永久的许可。", ["license.grant", "license.irrevocable", "license.perpetual",
                                         "license.royalty_free"], "high"),
        ("您删除账号后许可继续有效。", ["license.survives_termination"], "medium"),
        ("平台可以删除内容。", ["content.removal"], "low"),
    ])
    doc = build_report([r]).documents[0]
    got = {v.question_id: v for v in doc.verdicts}
    assert got["revocable"].answer == "no" and got["revocable"].answer_label == "否"
    assert got["perpetual"].answer == "yes" and got["royalty_free"].answer == "yes"
    assert got["survives_deletion"].answer == "yes"
    assert got["ai_training"].answer == "not_stated" and got["ai_training"].evidence == []
    assert got["ownership"].answer == "not_stated"
    ev = got["revocable"].primary
    assert ev is not None and ev.clause_label == "§1.1" and ev.text_anchor == doc.findings[0].text_anchor
    assert any(s.evidence and s.text == "不可撤销" for s in ev.excerpt), "the card emphasises the cue"
    # grade: irrevocable (high) is a blocker; perpetual, royalty-free (high, detail) are bad; survives_termination
    # found only at medium counts as bad; content.removal (low) and license.grant (neutral) do not count
    g = doc.grade
    kinds = {p.concept.id: p.kind for p in g.points}
    assert kinds == {"license.irrevocable": "blocker", "license.perpetual": "bad", "license.royalty_free": "bad",
                     "license.survives_termination": "bad"}
    assert (g.good, g.bad, g.blocker, g.balance, g.letter) == (0, 3, 1, -6, "D")
    assert doc.summary.startswith("等级 D：1 项严重、3 项不利、0 项有利。")
    en = build_report([r], "en").documents[0]
    assert {v.question_id: v.answer_label for v in en.verdicts}["revocable"] == "No"
    assert en.summary.startswith("Grade D: 1 blocker, 3 bad points, 0 good points.")


def test_answered_questions_come_first(huajian):
    doc = build_report([huajian]).documents[0]
    answered = [v.answer != "not_stated" for v in doc.verdicts]
    assert answered == sorted(answered, reverse=True)
    order = [q.id for q in load_questions()]
    for group in (True, False):
        ids = [v.question_id for v, a in zip(doc.verdicts, answered, strict=True) if a is group]
        assert ids == [q for q in order if q in ids], "each group keeps the order of questions.yaml"


def test_nothing_found_is_not_graded():
    doc = build_report([fake_result("本协议自发布之日起生效。", [])]).documents[0]
    assert doc.grade.letter == "N/A"
    assert all(v.answer == "not_stated" for v in doc.verdicts)
    html = render([fake_result("本协议自发布之日起生效。", [])], "html")
    assert "N/A" in html


def test_excerpt_centres_on_the_first_cue_found():
    quote = "甲" * 50 + "不可撤销" + "乙" * 80
    segs, before, after = excerpt_of(quote, 100, ["永久", "不可撤销"])
    assert before and after
    cue = [s for s in segs if s.evidence]
    assert len(cue) == 1 and cue[0].text == "不可撤销" and cue[0].start == 150
    assert "".join(s.text for s in segs) in quote
    short, b, a = excerpt_of("免费的许可。", 0, ["免费"])
    assert (b, a) == (False, False) and "".join(s.text for s in short) == "免费的许可。"


# --------------------------------------------------------------------------- the samples


def test_segments_cover_the_text_once_in_order(huajian, yunmo, hostile, scanner):
    for r in (huajian, yunmo, hostile, scanner.scan_file(INKWELL)):
        doc = build_report([r]).documents[0]
        assert_covers(doc, r.text)
        # every finding is covered by its own runs, and its anchor is placed once
        ids = [f.id for f in doc.findings]
        covered = {fid for b in doc.blocks for run in b.runs for fid in run.findings}
        assert covered == set(ids)
        anchors = [a for b in doc.blocks for run in b.runs for a in run.anchors]
        assert sorted(anchors) == sorted(f.text_anchor for f in doc.findings)
        for b in doc.blocks:
            for run in b.runs:
                if run.findings:
                    fs = [f for f in doc.findings if f.id in run.findings]
                    assert all(f.start <= run.segments[0].start and run.segments[-1].end <= f.end for f in fs)


HUAJIAN_EXPECTED = {
    "ai_training": "yes", "revocable": "no", "perpetual": "yes", "worldwide": "yes", "royalty_free": "yes",
    "sublicense": "yes", "derivative_works": "yes", "commercial_use": "yes", "survives_deletion": "yes",
}


@pytest.mark.parametrize(("question", "expected"), sorted(HUAJIAN_EXPECTED.items()))
def test_huajian_verdicts(huajian, scanner, question, expected):
    q = {q.id: q for q in load_questions()}[question]
    if not any(has_rule_for(scanner, c) for c in q.concepts):
        pytest.skip(f"the catalog has no zh rule for {q.concepts} yet")
    assert answers(huajian)[question] == expected


def test_huajian_copyright_stays_with_the_user(huajian):
    # 4.2.1 keeps the copyright with the user; 4.1 is the platform's own IP: neither is a transfer
    assert answers(huajian)["ownership"] != "no"


def test_huajian_evidence_points_at_the_licence_clause(huajian, scanner):
    if not has_rule_for(scanner, "license.irrevocable"):
        pytest.skip("no zh rule for license.irrevocable yet")
    doc = build_report([huajian]).documents[0]
    v = {v.question_id: v for v in doc.verdicts}["revocable"]
    assert v.primary is not None and v.primary.clause_label == "§4.2.2"
    assert "不可撤销" in v.primary.quote
    assert doc.grade.letter in ("D", "E")
    assert doc.title == "画笺用户服务协议"
    toc = [e.label for e in doc.toc]
    assert "四、知识产权与用户内容" in toc and "4.2 用户内容的授权" in toc


def test_yunmo_is_milder(huajian, yunmo):
    hj, ym = build_report([huajian]).documents[0], build_report([yunmo]).documents[0]
    assert GRADES.index(ym.grade.letter) < GRADES.index(hj.grade.letter)
    bad = lambda d: sum(v.tone == "bad" for v in d.verdicts)  # noqa: E731
    assert bad(ym) < bad(hj)
    a = answers(yunmo)
    # 第二十条 promises not to train AI; 第十六条 licence is 可撤销; 第十七条 it ends on deletion
    assert a["ai_training"] != "yes"
    assert a["revocable"] != "no"
    assert a["survives_deletion"] != "yes"
    assert a["perpetual"] != "yes"
    assert a["ownership"] != "no"


def test_ui_language(huajian):
    zh = build_report([huajian]).documents[0]
    en = build_report([huajian], "en").documents[0]
    assert zh.ui_lang == "zh" and en.ui_lang == "en"
    assert {v.question_id: v.question for v in zh.verdicts}["ai_training"] == "平台能否用我的作品训练AI？"
    assert {v.question_id: v.question for v in en.verdicts}["ai_training"] == "Can the platform train AI on my work?"
    assert en.labels["full_text"] == "The full agreement"
    html = render([huajian], "html", ui_lang="en")
    assert '<html lang="en">' in html and "The full agreement" in html and "协议全文" not in html
    assert "How the grade is computed" in html
    # the agreement itself stays in its language
    assert 'class="text" id="d1-text" lang="zh-CN"' in html
    with pytest.raises(ValueError):
        build_report([huajian], "fr")


# --------------------------------------------------------------------------- HTML


def test_html_is_self_contained_with_csp(huajian):
    html = render([huajian], "html")
    assert html.startswith("<!DOCTYPE html>")
    m = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
    assert m, "CSP meta tag"
    csp = m.group(1).replace("&#39;", "'")
    assert "default-src 'none'" in csp and "img-src data:" in csp and "base-uri 'none'" in csp
    assert "unsafe-eval" not in csp
    # the CSP comes before any style or script, and it allows exactly the page's own by hash
    assert html.index("Content-Security-Policy") < html.index("<style>")
    style = html[html.index("<style>") + 7: html.index("</style>")]
    script = html[html.index("<script>") + 8: html.index("</script>")]

    def digest(s: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"

    assert f"style-src {digest(style)}" in csp
    assert f"script-src {digest(script)}" in csp
    tags = parse(html).tags
    assert [t for t, _a in tags].count("script") == 1
    assert [t for t, _a in tags].count("style") == 1
    assert not [t for t, a in tags if t in ("link", "img", "iframe", "object", "embed", "base", "form") and
                (t != "form" or a.get("action"))]
    assert not re.search(r"https?://", html), "no network references"
    assert "@import" not in style and "url(" not in style


def test_html_shows_answers_text_and_metadata(huajian):
    html = render([huajian], "html")
    doc = build_report([huajian]).documents[0]
    p = parse(html)
    cards = [a for t, a in p.tags if t == "li" and "card" in (a.get("class") or "")]
    assert len(cards) == len(load_questions())
    assert {a["data-question"]: a["data-answer"] for a in cards} == {v.question_id: v.answer for v in doc.verdicts}
    # every finding has a highlight in the text and an entry in the list, linked both ways
    for f in doc.findings:
        assert f'id="{f.text_anchor}"' in html and f'id="{f.id}"' in html
        assert f'href="#{f.id}"' in html and f'href="#{f.text_anchor}"' in html
    # clause numbers survive, the TOC links to clause anchors, metadata is there to cite
    assert "4.2.2 " in html and 'href="#d1-c26"' in html
    for key in (huajian.document.sha256, huajian.catalog.sha256, huajian.document.scanned_at,
                huajian.tosscan.version, "utf-8", str(HUAJIAN.relative_to(SAMPLES.parent)).split("/")[-1]):
        assert key in html
    for para in method_text("zh"):
        assert para.split("：")[0] in html
    assert "@media print" in html
    assert f"等级 {doc.grade.letter}" in html


def test_hostile_document_renders_as_text(hostile):
    html = render([hostile], "html")
    p = parse(html)
    tags = [t for t, _a in p.tags]
    assert tags.count("script") == 1, "only tosscan's own script"
    assert "img" not in tags and "svg" not in tags
    for t, attrs in p.tags:
        assert not any(k.startswith("on") for k in attrs), (t, attrs)
        assert not (attrs.get("href") or "").lower().startswith("javascript"), (t, attrs)
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "[x](javascript:alert(1))" in html  # plain text, not a link
    assert "{{ 7*7 }}" in html and "49" not in html.split("{{ 7*7 }}")[0][-5:]
    assert "&amp;lt;b&amp;gt;" in html  # an entity in the agreement is shown, not decoded
    title = html[html.index("<title>"): html.index("</title>")]
    assert "&lt;script&gt;" in title
    if hostile.findings:  # the licence sentence with a script in it is a highlight, a card quote and a list quote
        assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 3


def test_hostile_document_in_markdown_and_csv(hostile):
    md = render([hostile], "md")
    assert not re.search(r"(?<!\\)\]\(javascript:", md), "no live Markdown link"
    assert "<script>" not in md and "<img" not in md and "<svg" not in md
    assert "\\<script\\>alert(1)\\</script\\>" in md
    assert "\\[x\\](javascript:alert(1))" in md
    rows = list(csv.DictReader(io.StringIO(render([hostile], "csv").lstrip("\ufeff"))))
    doc = build_report([hostile]).documents[0]
    assert len(rows) == len(doc.findings)
    for row in rows:
        assert not row["quote"].startswith(("=", "+", "-", "@"))


def test_md_escape():
    assert md_escape("[x](javascript:alert(1))") == "\\[x\\](javascript:alert(1))"
    assert md_escape("<b>*a*</b>") == "\\<b\\>\\*a\\*\\</b\\>"
    assert md_escape("- item") == "\\- item" and md_escape("12. x") == "12\\. x" and md_escape("# h") == "\\# h"
    assert md_escape("a\nb") == "a b"
    assert md_escape("不可撤销的、永久的") == "不可撤销的、永久的"


# --------------------------------------------------------------------------- Markdown and CSV


def test_markdown_and_csv_come_from_the_same_view(huajian, yunmo):
    view = build_report([huajian, yunmo])
    md = render([huajian, yunmo], "md")
    out = render([huajian, yunmo], "csv")
    assert out.startswith("\ufeff"), "a BOM, so that spreadsheet programs read the Chinese"
    out = out[1:]
    rows = list(csv.DictReader(io.StringIO(out)))
    assert out.splitlines()[0] == ",".join(COLUMNS)
    assert out.count("document,clause,heading") == 1, "one header for several documents"
    findings = [(d, f) for d in view.documents for f in d.findings]
    assert len(rows) == len(findings)
    for row, (d, f) in zip(rows, findings, strict=True):
        assert row["document"] == d.path
        assert row["clause"] == (f.clause or "") and row["heading"] == (f.heading or "")
        assert (int(row["start"]), int(row["end"])) == (f.start, f.end)
        assert row["severity"] == f.severity
        assert row["concepts"].split("; ") == [c.id for c in f.concepts]
        assert row["rules"].split("; ") == f.rules
        assert row["quote"] == f.quote and row["explanation"] == f.explanation
        src = (huajian if d.path == huajian.document.path else yunmo).text
        assert src[f.start:f.end] == row["quote"]
        # the same finding in the Markdown: clause number, title and the exact quote
        assert f"### {md_escape(f.clause_label)}" in md
        assert f"> {md_escape(f.quote)}" in md
        assert md_escape(f.title) in md
    for d in view.documents:
        assert f"# {md_escape(d.title)}" in md
        assert f"**{d.grade.letter}**" in md
        for v in d.verdicts:
            assert f"| {md_escape(v.question)} | **{v.answer_label}** |" in md
        assert d.sha256 in md
    assert md.count("\n---\n") == 1, "documents are concatenated"


def test_several_documents_in_one_page(huajian, yunmo):
    html = render([huajian, yunmo], "html")
    arts = [a for t, a in parse(html).tags if t == "article"]
    assert [a["id"] for a in arts] == ["d1", "d2"]
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "anchors are unique across documents"


def test_unknown_format():
    with pytest.raises(ValueError):
        render([], "pdf")


def test_templates_never_mark_text_safe():
    tdir = Path(__file__).resolve().parents[1] / "tosscan" / "render" / "templates"
    for p in tdir.iterdir():
        assert "|safe" not in p.read_text(encoding="utf-8").replace(" ", ""), p.name


# --------------------------------------------------------------------------- the corpus


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus/zh not beside the checkout")
def test_every_corpus_document_renders(scanner):
    # the Chinese agreements and the dated English WeChat terms
    files = sorted(CORPUS.glob("*.txt")) + sorted((CORPUS.parent / "versions").glob("*/*.txt"))
    assert len(files) > 33
    for path in files:
        r = scanner.scan_file(path)
        doc = build_report([r]).documents[0]
        assert_covers(doc, r.text)
        html = render([r], "html")
        assert html.count("<script>") == 1, path.name
        assert not re.search(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:|//|javascript:)""", html), path.name
        md = render([r], "md")
        rows = list(csv.DictReader(io.StringIO(render([r], "csv")[1:])))
        assert len(rows) == len(r.findings), path.name
        assert md.startswith("# ")


@pytest.mark.parametrize("ui", ["zh", "en"])
def test_huajian_cards_answer_both_ways_with_the_right_clause_first(huajian, ui):
    doc = build_report([huajian], ui).documents[0]
    v = {v.question_id: v for v in doc.verdicts}
    expected = {"ownership": ("yes", "good", "§4.2.1"), "ai_training": ("yes", "bad", "§4.7"),
                "revocable": ("no", "bad", "§4.2.2")}
    for q, (answer, tone, clause) in expected.items():
        assert (v[q].answer, v[q].tone, v[q].primary.clause_label) == (answer, tone, clause), q
    assert "著作权仍由您" in v["ownership"].primary.quote
    html = render([huajian], "html", ui_lang=ui)
    card = re.search(r'<li class="card tone-good" data-question="ownership" data-answer="yes">(.*?)</li>', html, re.S)
    assert card and "§4.2.1" in card.group(1)
    assert doc.grade.good >= 1


def test_yunmo_says_what_is_in_the_users_favour(yunmo):
    got = {v.question_id: v for v in build_report([yunmo]).documents[0].verdicts}
    # 第二十条 promises not to train AI; 第十六条 the licence may be withdrawn
    assert got["ai_training"].answer == "no" and got["ai_training"].tone == "good"
    assert got["revocable"].answer == "yes" and got["revocable"].tone == "good"
