"""Direction through structure, end to end: the engine's gate (tosscan.reading) on real scans."""

from __future__ import annotations

import pytest

from tosscan.api import scan_text

CASES = [
    # (text, language, concept that must NOT be found, why)
    ("You agree not to:\n(a) scrape or crawl the Service;\n(b) train AI or machine learning models using content "
     "from the Service;\n(c) resell the Service.\n", "en", "ai.training", "an item of a list of things you may not do"),
    ("You agree not to:\n- scrape or crawl the Service;\n- use Content to train artificial intelligence models.\n",
     "en", "ai.training", "a bullet under a restriction"),
    ("您不得从事下列行为：\n（1）破解、反编译本软件；\n（2）使用本平台的内容训练人工智能模型或算法；\n", "zh",
     "ai.training", "一项“不得”清单中的条目"),
    ("除非获得我们的书面许可，您不得：(1) 复制本平台内容；(2) 使用本平台内容训练模型。\n", "zh", "ai.training",
     "lead-in and items on one line"),
    ("我们承诺不会：\n（1）将您发布的作品用于训练人工智能模型；\n（2）将您的作品出售给第三方。\n", "zh", "ai.training",
     "a promise's items"),
    ("**Things you may not do**\n\n- Scrape routes, profiles or the Heat Map.\n- Use Stridemap data to train any AI or "
     "machine-learning system.\n- Harass other athletes.\n", "en", "ai.training",
     "bullets under a heading that restricts"),
]


@pytest.mark.parametrize(("text", "lang", "concept", "why"), CASES, ids=[c[3] for c in CASES])
def test_list_items_inherit_their_lead_in(text, lang, concept, why):
    r = scan_text(text, lang=lang)
    assert not [f.quote for f in r.findings if concept in f.concepts], why
    assert r.answer("ai_training").answer != "yes"


POSITIVE = [
    ("By posting Content you grant us a license to:\n(a) host and display your Content;\n(b) use your Content to "
     "train and improve our artificial intelligence models.\n", "en"),
    ("您同意授予我们以下权利：\n（1）存储、展示您上传的作品；\n（2）将您上传的作品用于训练人工智能模型。\n", "zh"),
    ("Content will not be deleted in the following situations:\n- where we use your content to train our AI "
     "models, until training is complete.\n", "en"),
    ("**How we use your uploads**\n\n- We host and display your uploads.\n- We may use your uploads to train our "
     "AI models.\n", "en"),
]


@pytest.mark.parametrize(("text", "lang"), POSITIVE)
def test_items_of_a_grant_or_a_neutral_lead_in_still_count(text, lang):
    r = scan_text(text, lang=lang)
    assert any("ai.training" in f.concepts for f in r.findings)
    assert r.answer("ai_training").answer == "yes"


def test_a_term_of_the_grant_is_found_in_its_own_unit():
    text = ("If you send us any Suggestions, you agree that: (1) your Suggestions become our property and you are "
            "not owed any compensation; (2) none of the Suggestions contain confidential information of a third "
            "party; (3) we may use or redistribute Suggestions for any purpose.\n")
    r = scan_text(text, lang="en")
    owners = [f for f in r.findings if "ip.ownership_transfer" in f.concepts]
    assert owners, "the transfer is found"
    assert all("(2)" not in f.quote for f in owners), "the confidentiality promise is no transfer"
    for f in r.findings:
        assert text[f.start:f.end] == f.quote
    # unfair-term rules still speak for the whole sentence
    t2 = "We may terminate your account at any time; we are not liable for any loss.\n"
    kinds = {tuple(f.concepts): (f.start, f.end) for f in scan_text(t2, lang="en").findings}
    assert all(e - s >= len(t2.strip()) - 1 for s, e in kinds.values())


def test_so_far_as_is_necessary_is_no_as_is_disclaimer():
    grant = ("The user hereby licenses to Aurelith the right to host and copy User Materials, but only so far as is "
             "necessary to operate the Studio.\n")
    assert any("license.grant" in f.concepts for f in scan_text(grant, lang="en").findings)
    disclaimer = 'THE STUDIO IS PROVIDED "AS IS", AND YOU GRANT US NOTHING BY READING THIS.\n'
    assert not any("license.grant" in f.concepts for f in scan_text(disclaimer, lang="en").findings)
