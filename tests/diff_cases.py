"""Constructed version pairs for the diff tests: edits of a real Chinese agreement of ../shared/corpus/zh
(read there, never copied into the project)."""

from __future__ import annotations

import re

from .conftest import CORPUS_ZH

DOUBAN = CORPUS_ZH / "zh-douban-user-agreement-2017-11-20.txt"
AI_SENTENCE = "您同意豆瓣有权将您上传或发布的内容用于训练、优化人工智能模型及算法。"
LICENCE_END = "据该许可豆瓣将有权以展示、推广及其他不为我国法律所禁止的方式使用前述内容。"


def douban() -> str:
    return DOUBAN.read_text(encoding="utf-8")


def renumbered(text: str) -> str:
    """A new clause 4.1 inserted; the old 4.1–4.5 become 4.2–4.6."""
    def shift(m: re.Match[str]) -> str:
        return f"4.{int(m.group(1)) + 1} "
    lines = text.split("\n")
    out = []
    for line in lines:
        if re.match(r"4\.1 ", line):
            out.append("4.1 您可以在账号设置页面查看最近的登录记录。")
        out.append(re.sub(r"^4\.(\d) ", shift, line))
    return "\n".join(out)


def moved(text: str) -> str:
    """Clause 7.5 moved to the end of chapter 14 (as 14.7)."""
    lines = text.split("\n")
    i = next(k for k, line in enumerate(lines) if line.startswith("7.5 "))
    clause = lines.pop(i)
    j = next(k for k, line in enumerate(lines) if line.startswith("14.6 "))
    lines.insert(j + 1, "14.7 " + clause[4:])
    return "\n".join(lines)


def ai_inserted(text: str) -> str:
    assert LICENCE_END in text
    return text.replace(LICENCE_END, LICENCE_END + AI_SENTENCE)


def promise_inserted(text: str) -> str:
    """Hard negative: a promise NOT to train, in the same place."""
    return text.replace(LICENCE_END, LICENCE_END + "豆瓣不会将您上传或发布的内容用于训练人工智能模型。")


def attribute_removed(text: str) -> str:
    assert "不可撤销的、" in text
    return text.replace("不可撤销的、", "", 1)


def cosmetic(text: str) -> str:
    """White space, half-width punctuation and markdown re-extraction; not one word changed."""
    table = str.maketrans({"，": ",", "；": ";", "：": ":", "（": "(", "）": ")", "！": "!", "？": "?"})
    out = []
    for line in text.split("\n"):
        line = line.translate(table)
        if re.match(r"\d+、", line):
            line = "## " + line
        out.append(line.replace("豆瓣网", " 豆瓣网 ") + "  ")
    return "\n\n".join(out).replace("知识产权", "**知识产权**")
