"""The report's answer cards: when the agreement states both sides, the counter-quote (the other side's
quote) has the colour of its own side, not the card's. In the HTML and, computed, in Chromium."""

from __future__ import annotations

import re

import pytest

from tosscan.api import render, scan_text

# AI training: yes (bad, governs: posted work) and a promise not to train private work (good)
BAD_CARD = "用户协议\n1. 我们不会将您的私密作品用于训练人工智能模型。\n2. 您公开发布的作品可被用于训练人工智能模型。\n"
# ownership: kept (good) and a feedback transfer (bad)
GOOD_CARD = "用户协议\n1. 您发布的作品的著作权仍归您所有。\n2. 您向我们提交的反馈和建议的知识产权归我们所有。\n"
GREEN, RED = "rgb(46, 125, 50)", "rgb(224, 73, 58)"


def card(html: str, question: str) -> str:
    m = re.search(rf'<li class="card tone-(\w+)" data-question="{question}".*?</li>', html, re.S)
    assert m, question
    return m.group(0)


@pytest.mark.parametrize("text, question, card_tone, counter_tone", [
    (BAD_CARD, "ai_training", "bad", "good"),
    (GOOD_CARD, "ownership", "good", "bad"),
], ids=["bad-card", "good-card"])
def test_the_counter_quote_has_its_own_sides_class(text, question, card_tone, counter_tone):
    html = render([scan_text(text)], "html")
    c = card(html, question)
    assert f'class="card tone-{card_tone}"' in c
    counters = re.findall(r'<blockquote class="ev counter side-(\w+)" data-side="(\w+)"', c)
    assert counters == [(counter_tone, "no")]


@pytest.mark.parametrize("text, question, primary, counter", [
    (BAD_CARD, "ai_training", RED, GREEN),
    (GOOD_CARD, "ownership", GREEN, RED),
], ids=["bad-card", "good-card"])
def test_the_counter_quote_is_coloured_in_a_browser(browser, tmp_path, text, question, primary, counter):
    from .browser import open_page

    path = tmp_path / "card.html"
    path.write_text(render([scan_text(text)], "html"), encoding="utf-8")
    ctx, page, watch = open_page(browser, path)
    try:
        li = f'li.card[data-question="{question}"]'
        colour = "e => getComputedStyle(e).borderLeftColor"
        assert page.eval_on_selector(f"{li} blockquote.ev:not(.counter)", colour) == primary
        assert page.eval_on_selector(f"{li} blockquote.ev.counter", colour) == counter
        assert page.eval_on_selector(f"{li} blockquote.ev.counter", "e => getComputedStyle(e).borderLeftStyle"
                                     ) == "dashed"
        assert watch.errors == []
    finally:
        ctx.close()
