"""A sentence that names clauses by number reads what those clauses say ("Sections 3.1 and 10 survive
termination" is about the licence when section 3.1 grants one): ``Reader.referred`` resolves the numbers
against the clause tree, and rules with ``refers`` run after the others."""

from __future__ import annotations

import pytest

from tosscan.pipeline import Scanner
from tosscan.reading import references


@pytest.mark.parametrize("text, lang, expected", [
    ("Sections 3.2 to 3.4, 4.2, 6, 9 and 12 continue after termination.", "en",
     ["3.2", "3.3", "3.4", "4.2", "6", "9", "12"]),
    ("**13.3** Sections 3.1, 10, 14 and 15 survive termination.", "en", ["3.1", "10", "14", "15"]),
    ("Parts C and D, and paragraph B1.4, continue to apply.", "en", ["C", "D", "B1.4"]),
    ("The license in section 4.2 lasts only as long as your Work is on Inkmoth.", "en", ["4.2"]),
    ("This section explains how we use cookies.", "en", []),
    ("Articles 4, 5.2(b), 6.5, 9.3 and 10 through 14 shall survive any termination.", "en",
     ["4", "5.2(b)", "6.5", "9.3", "10", "11", "12", "13", "14"]),
    ("Sections 4, 6, and 9 survive.", "en", ["4", "6", "9"]),
    ("依第4.2条获得的许可随即终止。", "zh", ["第4.2条"]),
    ("本协议终止后，第三条第（三）项至第（五）项、第四条的约定继续有效。", "zh",
     ["第三条.（三）", "第三条.（四）", "第三条.（五）", "第四条"]),
    ("第十二条第（一）项", "zh", ["第十二条.（一）"]),
])
def test_clause_numbers_named_in_a_sentence(text, lang, expected):
    assert [ways[0] for ways in references(text, lang)] == expected


def test_a_range_of_chinese_items_is_every_item_in_it():
    ways = references("第五条第（二）项至第（四）项继续有效", "zh")
    assert [w[1] for w in ways] == ["五.（二）", "五.（三）", "五.（四）"]


@pytest.fixture(scope="module")
def scanner():
    return Scanner()


def concepts(scanner, text: str, lang: str, needle: str) -> set[str]:
    r = scanner.scan_text(text, lang=lang)
    start = text.index(needle)
    return {c for f in r.findings if f.start <= start < f.end or start <= f.start < start + len(needle)
            for c in f.concepts}


EN = """1. Your content

1.1 You grant us a worldwide licence to host, display and distribute your content.

1.2 We may remove content that breaks these Terms.

2. General

2.1 We may change these Terms.

2.2 Sections {n} survive termination.
"""


def test_surviving_sections_are_about_the_licence_only_when_they_hold_it(scanner):
    assert {"license.survives_termination", "license.grant"} <= concepts(scanner, EN.format(n="1.1 and 2"), "en",
                                                                          "Sections")
    assert not concepts(scanner, EN.format(n="1.2 and 2.1"), "en", "Sections") & {"license.survives_termination"}
    # a sentence naming its own section does not read itself
    assert not concepts(scanner, EN.format(n="2"), "en", "Sections") & {"license.survives_termination"}


ZH = """第三条 授权
（一）您同意授予平台免费使用您上传的作品的权利。
（二）平台有权删除违规内容。
第九条 其他
（一）本协议终止后，第三条第（{n}）项的约定继续有效。
"""


def test_chinese_clauses_named_by_article_and_item(scanner):
    assert "license.survives_termination" in concepts(scanner, ZH.format(n="一"), "zh", "本协议终止后")
    assert "license.survives_termination" not in concepts(scanner, ZH.format(n="二"), "zh", "本协议终止后")


PARTS = """Part I: The basics
------------------

### 1. Accepting these Terms

1. You accept these Terms by using the Archive.
2. You must be 13 or older.

Part II: Your Works
-------------------

### 5. The permission you give us

By posting a story, you give us a worldwide permission to store and display it on the Archive.

### 6. Other things

We may change the layout of the site.

Part IV: Legal terms
--------------------

### 19. Everything else

- Sections {n} continue to apply after your account is closed.
"""


def test_sections_cited_by_their_own_number_inside_parts(scanner):
    """Clause 5 is cited by the reader as "Part II(5)"; "Sections 5 and 19" still names it (not item "5." of a
    list), so the survival clause is about the licence."""
    assert "license.survives_termination" in concepts(scanner, PARTS.format(n="5 and 19"), "en", "- Sections")
    assert "license.survives_termination" not in concepts(scanner, PARTS.format(n="6 and 19"), "en", "- Sections")


# ------------------------------------------------------------------ the sentences just before ("before")

AI = """## 5. How we use AI

5.1 We use the prompts you type to improve the models behind the Generator.

5.2 Opting out. You can switch that off at any time under Settings.

## 6. Notifications

6.1 We send product news by e-mail.

6.2 You can switch that off at any time under Settings.
"""


def test_a_follow_up_reads_the_finding_of_the_sentence_before(scanner):
    # the switch offered right after the training it stops is an opt-out …
    assert "ai.opt_out" in concepts(scanner, AI, "en", "Opting out. You can switch that off")
    # … the same words after a sentence about e-mails are not
    assert "ai.opt_out" not in concepts(scanner, AI, "en", "6.2 You can switch that off")


def test_before_does_not_cross_into_another_section():
    from tosscan.normalize import normalize
    from tosscan.pipeline import units_for
    from tosscan.reading import Reader
    from tosscan.structure import parse

    text = ("# 1. Licence\n\nYou grant us a licence. It is worldwide.\n\n"
            "# 2. Fees\n\nFees are due monthly. They are due.\n")
    st = parse(text, "en", markdown=True)
    norm = normalize(text)
    units = units_for(norm, st, Reader(text, st))
    befores = [norm.text[u.before[0]:u.before[1]] if u.before else "" for u in units]
    sentences = [norm.text[u.nstart:u.nend] for u in units]
    it = sentences.index("it is worldwide.")  # the normalized text is lower case
    assert "you grant us a licence." in befores[it]
    due = sentences.index("they are due.")
    assert "licence" not in befores[due] and "fees are due monthly." in befores[due]


FOLLOW = """## 4. Your photos

You give us permission to host and display the photos you post. It may be sublicensed to our hosting providers.
This section also explains how to contact us.

## 9. Fees

The rights to refunds are set out below.
"""


def test_a_licence_follow_up_carries_the_grant_of_the_sentence_before(scanner):
    assert {"license.grant", "license.sublicensable"} <= concepts(scanner, FOLLOW, "en", "It may be sublicensed")
    # not every sentence after a grant is about it, and no follow-up reads across a section
    assert not concepts(scanner, FOLLOW, "en", "This section also explains")
    assert not concepts(scanner, FOLLOW, "en", "The rights to refunds")
