"""Markdown read as markdown (markdown-it-py): block facts, the display layer, and reports that show text as text."""

from __future__ import annotations

import csv
import io
import itertools
import json
import re

import pytest

from tosscan.markdown import looks_like_markdown, plain, read
from tosscan.structure import parse

from .conftest import CORPUS_ZH, SHARED

SHARED_CORPUS = SHARED / "corpus"

# An agreement as converters write it (Open Terms Archive, saved pages): a setext title and setext sections with
# escaped numbers, bold clause numbers ("**2.1**", "**2.2 Licence.**"), links inside clauses, a nested list,
# an entity, a <br>, an ATX heading with a link anchor.
AGREEMENT = """\
Brushline Terms of Service
==========================

_Last updated: March 3, 2026_

Welcome to [Brushline](https://brushline.example/)! These terms are a contract between you &amp; Brushline Inc.

1\\. Acceptance
--------------

By using the Service you agree to these Terms and to our [Privacy Policy](https://brushline.example/privacy \
"Privacy").

2\\. Your Content
----------------

**2.1** You retain ownership of the artwork you post on Brushline ("Your Content").

**2.2 Licence.** By posting Your Content, you grant Brushline a worldwide, royalty-free, **perpetual and \
irrevocable** licence to use, reproduce, modify and distribute Your Content in any media.

**2.3** We may use Your Content to train our [machine learning models](https://brushline.example/ai).<br>\
You cannot opt out.

### [](#prohibited)3\\. Prohibited conduct

You agree not to:

1.  copy the Service;
2.  resell the Service:
    *   to a competitor, or
    *   to anyone outside your country.

4\\. Termination
---------------

We may suspend or terminate your account at any time, for any reason, without notice.
"""


def test_block_facts_come_from_markdown_it() -> None:
    md = read(AGREEMENT)
    line = {AGREEMENT[a:AGREEMENT.index("\n", a)]: a for a in [0, *(m.end() for m in re.finditer("\n", AGREEMENT))]
            if a < len(AGREEMENT)}
    assert md.setext[line["Brushline Terms of Service"]] == 1
    assert md.setext[line["2\\. Your Content"]] == 2
    assert md.headings[line["### [](#prohibited)3\\. Prohibited conduct"]] == 3
    assert line["--------------"] in md.underlines
    item = md.items[line["2.  resell the Service:"]]
    assert (item.marker, item.ordered, item.number) == ("2.", True, 2)
    assert md.items[line["    *   to a competitor, or"]].marker == "*"
    assert not md.rules and not md.code


def test_display_removes_inline_markup_and_keeps_offsets() -> None:
    md = read(AGREEMENT)
    for a, b, shown in md.edits:  # each edit is markup of the original text, shown as its text
        raw = AGREEMENT[a:b]
        assert raw != shown and (shown in ("", " ", "&") or raw in ("\\.",)), (raw, shown)
    i = AGREEMENT.index("Welcome")
    j = AGREEMENT.index("\n", i)
    assert md.display(i, j) == "Welcome to Brushline! These terms are a contract between you & Brushline Inc."
    i = AGREEMENT.index("**2.2 Licence.**")
    j = AGREEMENT.index("\n", i)
    assert md.display(i, j) == ("2.2 Licence. By posting Your Content, you grant Brushline a worldwide, royalty-free, "
                                "perpetual and irrevocable licence to use, reproduce, modify and distribute Your "
                                "Content in any media.")
    i = AGREEMENT.index("We may use")
    assert md.display(i, AGREEMENT.index("You cannot")) == (
        "We may use Your Content to train our machine learning models. ")
    assert md.display(0, len(AGREEMENT)).count("1. Acceptance") == 1
    # a range that cuts a link's markup shows none of it
    k = AGREEMENT.index("](https://brushline.example/ai)")
    assert md.display(k + 5, k + 40) == ". You "  # "ps://brushline.example/ai).<br>You "
    assert md.display(i, k + 10) == "We may use Your Content to train our machine learning models"


def test_inline_constructs() -> None:
    text = ("Use `code` and ![a logo](logo.png), <https://x.example>, \\*stars\\*, ~~old~~ *em* __strong__ "
            "&copy; 2026<br/>end.\n")
    md = read(text)
    assert md.display(0, len(text)) == "Use code and a logo, https://x.example, *stars*, old em strong © 2026 end.\n"
    assert plain("**8.2 Your content.**") == "8.2 Your content."
    assert plain("1\\. The [Spotify](https://spotify.com) Service") == "1. The Spotify Service"
    assert plain("no markup here") == "no markup here"


def test_crlf_bom_and_tables_keep_offsets() -> None:
    text = ("\ufeff# Terms\r\n\r\n**1\\. Fees** are [here](u).\r\n\r\n"
            "| a | **b** |\r\n|---|---|\r\n| **a** | [a](x) |\r\n")
    md = read(text)
    assert md.headings == {0: 1}
    for a, b, _shown in md.edits:
        assert text[a:b] in ("**", "\\.", "[", "](u)", "](x)")
    assert md.display(0, len(text)) == (
        "\ufeff# Terms\r\n\r\n1. Fees are here.\r\n\r\n| a | b |\r\n|---|---|\r\n| a | a |\r\n")


def test_code_blocks_are_shown_as_written() -> None:
    text = "Intro **bold**.\n\n    **not bold** in code\n\n```\n[x](y)\n```\n"
    md = read(text)
    assert md.display(0, len(text)) == "Intro bold.\n\n    **not bold** in code\n\n```\n[x](y)\n```\n"
    assert len(md.code) == 4 and len(md.fenced) == 3
    # a number in fenced code is no clause; an indented line keeps its label (it may be a plain indented clause)
    text = "**Terms** of [use](u) \\.\n\n```\n1. not a clause\n```\n\n    2. Fees apply.\n"
    assert [c.number for c in parse(text, "en").clauses] == ["2"]


def test_table_cells_align_past_empty_cells_and_escaped_pipes() -> None:
    text = "| a | **b** |  | c |\n|---|---|---|---|\n| `x \\| y` |  | [d](e) | **f** |\n"
    md = read(text)
    assert md.display(0, len(text)) == "| a | b |  | c |\n|---|---|---|---|\n| x \\| y |  | d | f |\n"


def test_random_markdown_never_breaks_the_offsets() -> None:
    import random

    pieces = ["**", "__", "*", "_", "~~", "`", "[", "]", "(", ")", "](", "![", "<br>", "<b>", "<http://a.b>", "&amp;",
              "&bogus;", "\\", "\\.", "1\\. ", "**8.2** ", "# ", "### ", "\n", "\n\n", "\r\n", "\r", "\t", "    ",
              "- ", "* ", "1. ", "> ", "---", "===", "```", "|", " | ", "|---|", "\ufeff", "\x00", "word ", "(a) ",
              "用户协议", "\"t\"", "<!-- c -->", "\n<div>\n"]
    rng = random.Random(16)
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 50)))
        md = read(text)
        prev = 0
        for a, b, _shown in md.edits:
            assert 0 <= prev <= a < b <= len(text)
            prev = b
        got = md.view.pieces(0, len(text))
        assert not got or (got[0][0] == 0 and got[-1][1] == len(text))
        assert all(p[1] == q[0] for p, q in itertools.pairwise(got))
        for a in [*md.headings, *md.items, *md.code, *md.rules, *md.underlines]:
            assert a == 0 or text[a - 1] in "\r\n"
        st = parse(text, "en", markdown=True)
        assert all(0 <= s.start < s.end <= len(text) for s in st.sentences)


def test_markdown_is_told_by_its_syntax() -> None:
    assert looks_like_markdown(AGREEMENT)
    assert not looks_like_markdown("1. Terms\n\n1.1 We may change these terms.\n\n- a list\n* another\n")
    if CORPUS_ZH.is_dir():
        for p in sorted(CORPUS_ZH.glob("*.txt")):
            assert not looks_like_markdown(p.read_text(encoding="utf-8")), p.name


def test_structure_reads_the_markdown() -> None:
    st = parse(AGREEMENT, "en")
    got = [(c.number, c.heading) for c in st.clauses]
    assert got[:5] == [("", "Brushline Terms of Service"), ("1", "Acceptance"), ("2", "Your Content"),
                       ("2.1", "Your Content"), ("2.2", "Licence")]
    assert ("3", "Prohibited conduct") in got and ("3(1)", "Prohibited conduct") in got
    assert ("3(2)", "Prohibited conduct") in got and ("4", "Termination") in got
    assert len(st.markup) == len(read(AGREEMENT).edits)
    # no sentence is markup alone
    md = read(AGREEMENT)
    assert all(md.display(s.start, s.end).strip() for s in st.sentences)


# --------------------------------------------------------------------------- reports


MARKUP = re.compile(r"\*\*|\]\(|\\\.|<br|&amp;")


@pytest.fixture(scope="module")
def brushline(scanner, tmp_path_factory):
    p = tmp_path_factory.mktemp("md") / "brushline-terms.md"
    p.write_text(AGREEMENT, encoding="utf-8")
    return scanner.scan_file(p)


def test_findings_keep_original_offsets_and_show_text(brushline) -> None:
    from tosscan.render import render

    r = brushline
    assert r.findings
    data = json.loads(render([r], "json"))
    for f in data["findings"]:
        assert r.text[f["start"]:f["end"]] == f["quote"]  # the contract: offsets index the file
        assert not MARKUP.search(f["display"]), f["display"]
    for a in data["answers"]:
        for e in a["evidence"]:
            assert r.text[e["start"]:e["end"]] == e["quote"] and not MARKUP.search(e["display"])
    by_clause = {f["clause"]: f for f in data["findings"]}
    assert "2.2" in by_clause and "license.irrevocable" in by_clause["2.2"]["concepts"]
    # narrowed to the unit that grants, as read ("Licence." is the clause's run-in heading)
    assert by_clause["2.2"]["display"].startswith("By posting Your Content")
    assert "**perpetual" in by_clause["2.2"]["quote"]  # the quote stays the exact slice
    assert "2.3" in by_clause and "ai.training" in by_clause["2.3"]["concepts"]
    assert r.answer("ai_training").evidence[0].clause == "2.3"


def test_every_format_shows_text_as_text(brushline) -> None:
    from tosscan.render import render
    from tosscan.render.view import build_report

    doc = build_report([brushline], "en").documents[0]
    assert doc.title == "Brushline Terms of Service"
    for f in doc.findings:
        assert not MARKUP.search(f.quote)
        assert not MARKUP.search("".join(s.display for s in f.quote_segments))
        assert all(brushline.text[s.start:s.end] == s.text for s in f.quote_segments)
    for v in doc.verdicts:
        for e in v.evidence:
            assert not MARKUP.search("".join(s.display for s in e.excerpt))
    assert all(not MARKUP.search(t.label) for t in doc.toc)
    shown = "".join(s.display for s in doc.segments)  # the full text reads as text too
    assert "2.2 Licence. By posting" in shown and not MARKUP.search(shown)

    md = render([brushline], "md", ui_lang="en")
    quotes = [line for line in md.splitlines() if line.startswith("> ")]
    assert quotes and not any("\\*\\*" in q or "\\]\\(" in q or "\\\\." in q for q in quotes)
    assert "§2.2 Licence" in md
    table = [line for line in md.splitlines() if line.startswith("| ") and "§" in line]
    assert table and not any(re.search(r"[A-Za-z]\*\*[A-Za-z]", line) for line in table)  # "and **irrevocable**"

    rows = list(csv.DictReader(io.StringIO(render([brushline], "csv", ui_lang="en").lstrip("\ufeff"))))
    assert rows and not any(MARKUP.search(row["quote"]) or MARKUP.search(row["heading"]) for row in rows)

    txt = render([brushline], "text", ui_lang="en")
    assert "§2.2" in txt and not MARKUP.search(txt)

    html = render([brushline], "html", ui_lang="en")
    assert "**" not in html and "](" not in html
    assert "2.2 Licence. By posting" in re.sub(r"<[^>]+>", "", html)


# --------------------------------------------------------------------------- the shared corpus

MODERN = SHARED_CORPUS / "en" / "modern"
VERSIONS = SHARED_CORPUS / "versions"
CORPUS_MD = sorted([*MODERN.glob("*.md"), *VERSIONS.glob("*/*.md")]) if SHARED_CORPUS.is_dir() else []
LABEL_MARKUP = re.compile(r"[*_\\\[\]`<>]")


@pytest.fixture(scope="module")
def corpus_md(scanner):
    from tosscan.render.view import display_of

    results = {p.name: scanner.scan_file(p) for p in CORPUS_MD}
    return {name: (r, display_of(r)) for name, r in results.items()}


@pytest.mark.skipif(not CORPUS_MD, reason="../shared/corpus not beside the checkout")
def test_corpus_markdown_reports_show_text_and_clean_numbers(corpus_md) -> None:
    from tosscan.render import render

    assert len(corpus_md) >= 27
    for name, (r, _shown) in corpus_md.items():
        assert r.structure is not None and r.structure.markup, name  # read as markdown
        data = json.loads(render([r], "json"))
        for f in data["findings"]:
            assert r.text[f["start"]:f["end"]] == f["quote"], name
            assert not MARKUP.search(f["display"]), (name, f["display"])
            assert not LABEL_MARKUP.search(f["clause"] or ""), (name, f["clause"])
            assert not re.search(r"\*\*|\]\(|\\", f["heading"] or ""), (name, f["heading"])
        for c in r.structure.clauses:
            assert not LABEL_MARKUP.search(c.number) and not LABEL_MARKUP.search(c.label), (name, c)
        md = render([r], "md", ui_lang="en")
        assert not any(MARKUP.search(line) for line in md.splitlines() if line.startswith("> ")), name


def _finding(corpus_md, name: str, clause: str, starts: str):
    r, shown = corpus_md[name]
    hits = [f for f in r.findings if f.clause == clause and shown.display(f.start, f.end).startswith(starts)]
    assert hits, (name, clause, [(f.clause, shown.display(f.start, f.end)[:40]) for f in r.findings])
    return hits[0]


@pytest.mark.skipif(not CORPUS_MD, reason="../shared/corpus not beside the checkout")
def test_corpus_markdown_clause_numbers_checked_by_hand(corpus_md) -> None:
    # "**6.2. Suspension and/or termination of accounts by BeReal.**" (line 104), under "**6\. Termination…**"
    f = _finding(corpus_md, "en-bereal-terms-of-service-2026-07-02.md", "6.2", "BeReal may suspend a user account")
    assert f.heading.startswith("Suspension and/or termination")
    # "9.  **User Content**" then "*   9.1 **User Content Generally.** Certain features…" (a bullet, a bold heading)
    # the run-in bold heading is its own unit as read; the finding is the unit that states the grant
    f = _finding(corpus_md, "civitai-terms-of-service-2026-08-20.md", "9.1", "Certain features of the Service")
    assert f.heading == "User Content Generally" and "license.grant" in f.concepts
    assert f.quote.startswith("Certain features")
    f = _finding(corpus_md, "civitai-terms-of-service-2026-08-20.md", "5.8", "Delinquent Accounts. Civitai may")
    assert "account.unilateral_termination" in f.concepts
    # "**9\. Handling of User’s data and Contents**", then "9.2. Copyrights in the Submitted Contents…"
    r, _ = corpus_md["en-line-terms-of-service-2025-02-03.md"]
    assert {f.heading for f in r.findings if f.clause == "9.2"} == {"Handling of User’s data and Contents"}
    # the setext section "Inputs and Outputs" ("-----" underline), then "4.4 …"
    f = _finding(corpus_md, "deepseek-terms-of-use-2026-03-27.md", "4.4", "We are not responsible")
    assert f.heading == "Inputs and Outputs"
    # "[](#4-user-content-…)**4\. User Content…**" underlined with dashes; "### Licenses that you grant to us"
    r, _ = corpus_md["en-spotify-terms-of-service-2025-10-03.md"]
    assert any(f.clause == "4" and f.heading == "Licenses that you grant to us" and "license.grant" in f.concepts
               for f in r.findings)


@pytest.mark.skipif(not CORPUS_MD, reason="../shared/corpus not beside the checkout")
def test_corpus_markdown_finds_the_same_concepts_without_its_markup(scanner, corpus_md) -> None:
    """Matching reads the raw file: bold, links and escapes must not hide a concept (the display text finds the
    same ones)."""
    for name in ("en-bereal-terms-of-service-2026-07-02.md", "en-facebook-terms-of-service-2026-06-16.md",
                 "en-quora-terms-of-service-2025-10-23.md", "civitai-terms-of-service-2026-08-20.md",
                 "deepseek-terms-of-use-2026-03-27.md"):
        r, shown = corpus_md[name]
        plain_text = shown.display(0, len(r.text))
        assert "**" not in plain_text and "](" not in plain_text
        p = scanner.scan_text(plain_text, "en", name + ".txt")
        assert {c for f in p.findings for c in f.concepts} == {c for f in r.findings for c in f.concepts}, name


def test_a_bold_lead_in_still_introduces_its_list(scanner) -> None:
    """"11.  **Prohibited Conduct. BY USING THE SERVICE, YOU AGREE NOT TO:**" (Civitai): the items below are things
    the user may not do, though the raw sentence ends with "**" after its colon."""
    from tosscan.reading import Reader

    text = ("Terms of Service\n================\n\n10.  **Licence**\n\nYou grant us a licence to host your content.\n\n"
            "11.  **Prohibited Conduct. BY USING THE SERVICE, YOU AGREE NOT TO:**\n\n"
            "*   11.1 use the Service for any illegal purpose;\n    \n"
            "*   11.2 use any content on the Service to train artificial intelligence models;\n")
    r = scanner.scan_text(text, "en", "civitai-like.md")
    assert r.structure is not None and r.structure.markup
    reader = Reader(r.text, r.structure)
    i = next(k for k, s in enumerate(r.structure.sentences) if text[s.start:].startswith("use any content"))
    assert reader.lead_in(i) == "BY USING THE SERVICE, YOU AGREE NOT TO:"
    assert reader.read(i).role == "negated_list"
    assert r.answer("ai_training").answer != "yes"


def test_a_md_file_is_read_as_markdown_even_with_little_markup(tmp_path):
    """The suffix decides for .md: a short file with one bold number is markdown, its quotes show no ``**``."""
    import json

    from tosscan.api import render, scan_file

    text = "# Terms\n\n4.2 By posting, you grant us a **worldwide** licence to use your content.\n"
    for name, markdown in (("short.md", True), ("short.txt", False)):
        p = tmp_path / name
        p.write_text(text, encoding="utf-8")
        r = scan_file(p, lang="en")
        shown = [f["display"] for f in json.loads(render([r], "json"))["findings"]]
        assert shown and all(("**" in d) is not markdown for d in shown), (name, shown)


def test_rules_match_markdown_as_it_reads(tmp_path):
    """Bold marks and link targets inside a sentence do not hide it from the rules ("you **grant**
    [Inkwell](https://…) a licence"), and the finding's quote is still the exact slice of the file."""
    from tosscan.api import scan_file
    from tosscan.markdown import blanked

    assert blanked("a **b** [c](http://x) d", [(2, 4, ""), (5, 7, ""), (8, 9, ""), (10, 21, "")]) == \
        "a   b    c            d"
    text = "# Terms\n\n4.2 By posting, **you grant** [Inkwell](https://x.example/about) a worldwide licence " \
           "to use your content.\n"
    p = tmp_path / "t.md"
    p.write_text(text, encoding="utf-8")
    r = scan_file(p, lang="en")
    found = [f for f in r.findings if "license.worldwide" in f.concepts]
    assert found and found[0].clause == "4.2" and text[found[0].start:found[0].end] == found[0].quote
