"""What keeps a huge agreement's scan small: the shapes of the objects it holds per clause, sentence and finding.

Clauses and sentences are slotted dataclasses (no ``__dict__``); findings and answer quotes share one fields
set and equal lists instead of one per object. The JSON they give is compared with the old renderer on the
corpus in ``test_streaming``.
"""

from __future__ import annotations

import pickle

from tosscan.models import Clause, Sentence, Structure

LINE = "第{i}条 用户授予平台永久的、不可撤销的许可，平台可以使用用户内容训练人工智能模型。\n"


def test_clauses_and_sentences_have_no_dict_and_read_as_before(scanner):
    text = "".join(LINE.format(i=i) for i in range(1, 41))
    r = scanner.scan_text(text, lang="zh")
    c = r.structure.clauses[3]
    s = r.structure.sentences[3]
    assert not hasattr(c, "__dict__") and not hasattr(s, "__dict__")
    assert (c.label, c.number, c.level, c.parent, text[c.start:c.end]) == ("第4条", "第4条", 0, None, LINE.format(i=4))
    assert s == Sentence(start=s.start, end=s.end, clause=3) and LINE.format(i=4).strip().endswith(text[s.start:s.end])
    assert pickle.loads(pickle.dumps(r.structure)).clauses == r.structure.clauses  # a batch sends them back
    st = Structure(clauses=[Clause(start=0, end=5, level=0, label="1", number="1")], sentences=[Sentence(0, 5, 0)])
    assert st.clauses[0].heading == "" and st.sentences[0].clause == 0


def test_findings_and_quotes_share_their_lists(scanner):
    text = "".join(LINE.format(i=i) for i in range(1, 201))
    r = scanner.scan_text(text, lang="zh")
    assert len(r.findings) >= 200
    assert len({id(f.concepts) for f in r.findings}) == 1 and len({id(f.details) for f in r.findings}) == 1
    assert len({id(f.__pydantic_fields_set__) for f in r.findings}) == 1
    quotes = [e for a in r.answers for e in a.evidence]
    assert len(quotes) >= 200 and len({id(e.__pydantic_fields_set__) for e in quotes}) == 1
    assert len({id(e.concepts) for e in quotes}) <= len(r.answers)
    assert all(r.text[e.start:e.end] == e.quote for e in quotes)
