"""Saved web pages: the agreement's text, not the site around it, with its clause numbers."""

from __future__ import annotations

import pytest

from tosscan.api import scan_file
from tosscan.errors import InputError
from tosscan.ingest import read

PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="gbk"><title>画笺用户协议</title>
<style>.cookie{position:fixed} body{font:14px sans-serif}</style>
<script>var tracker = "您同意授予平台永久的许可"; document.write("<p>注入</p>");</script>
<link rel="stylesheet" href="https://cdn.example.com/site.css">
</head><body>
<header class="site-header"><a href="/">画笺</a><nav><ul><li><a href="/">首页</a></li><li><a href="/art">作品</a></li>
<li><a href="/login">登录</a></li></ul></nav></header>
<div id="cookie-banner" class="cookie">我们使用 Cookie 改善体验。<button>接受</button></div>
<div class="layout">
<aside class="sidebar"><ul><li><a href="/help">帮助中心</a></li><li><a href="/privacy">隐私政策</a></li></ul></aside>
<main>
<article>
<h1>画笺用户协议</h1>
<p>更新日期：2024年5月1日</p>
<h2>一、总则</h2>
<p>欢迎使用画笺。<br>请您仔细阅读本协议。</p>
<h2>二、用户内容</h2>
<ol>
  <li>您上传的作品的著作权仍归您所有。</li>
  <li>您同意授予画笺一项免费的、不可撤销的、永久的、全球范围内的许可，
      以使用、复制、修改您上传的作品。</li>
  <li>画笺可以将用户内容用于训练人工智能模型。</li>
</ol>
<h2>三、争议解决</h2>
<ol start="4">
  <li>本协议适用中华人民共和国法律。</li>
  <li hidden>隐藏条款不应出现。</li>
  <li>因本协议产生的争议，提交画笺所在地人民法院管辖。</li>
</ol>
<p style="display:none">不可见的文字</p>
</article>
</main>
</div>
<footer class="site-footer"><p>&copy; 2024 画笺 · <a href="/about">关于我们</a> · 京ICP备00000000号</p></footer>
<script src="https://cdn.example.com/analytics.js"></script>
</body></html>
"""


@pytest.fixture
def page(tmp_path):
    p = tmp_path / "huajian.html"
    p.write_bytes(PAGE.encode("gbk"))
    return p


def test_the_agreement_not_the_site(page):
    src = read(page)
    assert src.extractor == "html" and src.encoding == "gb18030"
    text = src.text
    for chrome in ("首页", "登录", "Cookie", "接受", "帮助中心", "京ICP备", "关于我们", "tracker", "注入", "font:",
                   "隐藏条款", "不可见"):
        assert chrome not in text, chrome
    assert "<" not in text and ">" not in text
    lines = text.splitlines()
    assert lines[0] == "画笺用户协议"
    assert "欢迎使用画笺。" in lines and "请您仔细阅读本协议。" in lines  # <br> is a line break
    assert "二、用户内容" in lines
    assert "1. 您上传的作品的著作权仍归您所有。" in lines
    # a line break inside the HTML source is a space in a browser, and nothing between Chinese characters
    assert ("2. 您同意授予画笺一项免费的、不可撤销的、永久的、全球范围内的许可，"
            "以使用、复制、修改您上传的作品。") in lines
    assert "4. 本协议适用中华人民共和国法律。" in lines  # <ol start="4">
    assert "5. 因本协议产生的争议，提交画笺所在地人民法院管辖。" in lines  # the hidden item takes no number


def test_scanning_the_page_finds_the_clauses_with_their_numbers(page):
    r = scan_file(page)
    assert r.document.extractor == "html"
    assert r.document.text == r.text
    by_concept = {c: f.clause for f in r.findings for c in f.concepts}
    assert by_concept["license.irrevocable"] == "二.2"   # item 2 of the list under heading 二、
    assert by_concept["ai.training"] == "二.3"
    assert by_concept["dispute.choice_of_law"] == "三.4"
    for f in r.findings:
        assert r.text[f.start:f.end] == f.quote
        assert "<" not in f.quote


def test_a_page_renamed_txt_is_read_as_a_page(tmp_path):
    p = tmp_path / "saved.txt"
    p.write_bytes(PAGE.encode("gbk"))
    src = read(p)
    assert src.extractor == "html" and "<p>" not in src.text and "4. 本协议适用中华人民共和国法律。" in src.text
    fragment = tmp_path / "fragment.txt"
    fragment.write_text("<h1>Terms</h1>\n<p>1. You grant us a licence.</p>\n<p>2. We may change these terms.</p>\n"
                        "<ul><li>one</li><li>two</li></ul>\n", encoding="utf-8")
    assert read(fragment).extractor == "html"
    prose = tmp_path / "prose.txt"
    prose.write_text("1. Write <p> to start a paragraph in HTML.\n2. Nothing else here is a tag.\n", encoding="utf-8")
    assert read(prose).extractor == "text"


def test_selector_overrides_the_choice(page, tmp_path):
    src = read(page, selector="article ol:nth-of-type(2)")
    assert src.text.splitlines() == ["4. 本协议适用中华人民共和国法律。",
                                     "5. 因本协议产生的争议，提交画笺所在地人民法院管辖。"]
    with pytest.raises(InputError, match="matches nothing"):
        read(page, selector="#no-such-thing")
    with pytest.raises(InputError, match="not a CSS selector"):
        read(page, selector="[[[")
    txt = tmp_path / "a.txt"
    txt.write_text("1. 本协议适用中华人民共和国法律。\n", encoding="utf-8")
    with pytest.raises(InputError, match="web pages"):
        read(txt, selector="main")


def test_list_numbering_as_a_browser_shows_it(tmp_path):
    p = tmp_path / "lists.html"
    p.write_text("""<html><body><main>
<h2>Section 7 Your Content</h2>
<ol><li>You keep ownership.<ol><li>You grant us a licence.</li><li>It is worldwide.</li></ol></li>
<li value="5">Skipped to five.</li><li>Then six.</li></ol>
<ol type="a"><li>first letter</li><li>second letter</li></ol>
<ol type="I" start="3"><li>roman three</li></ol>
<ol style="list-style-type: cjk-ideographic"><li>中文一</li><li>中文二</li></ol>
<ol reversed><li>two</li><li>one</li></ol>
<ol><li>1.1 Already labelled item</li></ol>
<ul><li>bullet</li></ul>
<table><tr><td>cell one</td><td>cell two</td></tr></table>
<pre>keep   this
  layout</pre>
</main></body></html>""", encoding="utf-8")
    lines = read(p).text.splitlines()
    assert lines[:6] == ["Section 7 Your Content", "1. You keep ownership.", "1.1. You grant us a licence.",
                         "1.2. It is worldwide.", "5. Skipped to five.", "6. Then six."]
    for line in ("(a) first letter", "(b) second letter", "III. roman three", "一、中文一", "二、中文二",
                 "2. two", "1. one", "1.1 Already labelled item", "• bullet", "cell one\tcell two",
                 "keep   this", "layout"):
        assert line in lines, line


def test_mhtml_single_file_page(tmp_path):
    body = PAGE.replace('charset="gbk"', 'charset="utf-8"').encode("utf-8")
    import base64

    mht = (b"From: <Saved by Blink>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n"
           b"\ttype=\"text/html\";\r\n\tboundary=\"----B\"\r\n\r\n------B\r\nContent-Type: text/html\r\n"
           b"Content-Transfer-Encoding: base64\r\nContent-Location: https://example.com/terms\r\n\r\n"
           + base64.encodebytes(body) + b"\r\n------B--\r\n")
    p = tmp_path / "page.mhtml"
    p.write_bytes(mht)
    src = read(p)
    assert src.extractor == "html" and "4. 本协议适用中华人民共和国法律。" in src.text


@pytest.mark.parametrize("html", [
    "<!DOCTYPE html><html><body></body></html>",
    "<!DOCTYPE html><html><body><nav>首页 登录</nav><script>x()</script></body></html>",
])
def test_a_page_without_agreement_text_is_empty(tmp_path, html):
    p = tmp_path / "empty.html"
    p.write_text(html, encoding="utf-8")
    with pytest.raises(InputError, match="empty document"):
        read(p)


def test_hostile_markup_is_inert(tmp_path):
    """External entities and a billion-laughs DTD: read as text, nothing fetched or expanded."""
    p = tmp_path / "x.html"
    p.write_text('<?xml version="1.0"?><!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">'
                 '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
                 "<html><body><p>&xxe;&b;</p><p>1. 您同意授予平台永久的许可。</p><img src=x onerror=alert(1)>"
                 "</body></html>", encoding="utf-8")
    text = read(p).text
    assert "root:" not in text and "aaaaaaaaaa" * 10 not in text
    assert "1. 您同意授予平台永久的许可。" in text


def test_a_page_nested_too_deeply_is_a_clear_error(tmp_path):
    p = tmp_path / "deep.html"
    p.write_text("<html><body>" + "<div>" * 5000 + "1. 您同意授予平台永久的许可。" + "</div>" * 5000 + "</body></html>",
                 encoding="utf-8")
    with pytest.raises(InputError, match="nested too deeply"):
        read(p)
