"""`tosscan serve`'s JSON API and page through Starlette's TestClient: scan by text, file (.txt, .docx,
.pdf, built here) and URL (a local http.server), diff, compare, size limits, and errors as one JSON line."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator

import pytest

from tosscan.api import render, scan_text
from tosscan.compare import build_matrix
from tosscan.diff import compare
from tosscan.render import render_compare, render_diff

from .conftest import SAMPLES
from .test_input_docx import ZH_DOC, build
from .test_input_pdf import EN, two_pages
from .test_input_url import server  # noqa: F401  (the fixture: a local http.server on 127.0.0.1)

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

BASE = "http://127.0.0.1:8000"
HUAJIAN = SAMPLES / "huajian-user-agreement.txt"
YUNMO = SAMPLES / "yunmo-user-agreement.txt"
OLD = "用户协议\n1.1 您同意授予平台免费的、永久的、不可撤销的许可，以使用您上传的作品。\n1.2 其他条款。\n"
NEW = "用户协议\n1.1 您同意授予平台免费的许可，以使用您上传的作品。\n1.2 其他条款。\n"


@pytest.fixture(scope="module")
def client(scanner) -> Iterator[TestClient]:
    from tosscan.serve import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with TestClient(create_app(scanner), base_url=BASE) as c:
            yield c


def without_time(doc: dict) -> dict:
    doc = json.loads(json.dumps(doc))
    doc["document"].pop("scanned_at")
    return doc


def test_scan_text_is_the_json_of_scan(client, scanner):
    text = HUAJIAN.read_text(encoding="utf-8")
    r = client.post("/api/scan", data={"text": text})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    got = r.json()
    want = json.loads(render([scanner.scan_text(text, path="pasted text")], "json"))
    assert without_time(got) == without_time(want)
    assert got["grade"]["letter"] in "ABCDE" and got["document"]["path"] == "pasted text"


def test_scan_file_txt_same_as_cli_json(client, scanner):
    r = client.post("/api/scan", files={"file": ("huajian-user-agreement.txt", HUAJIAN.read_bytes(), "text/plain")})
    assert r.status_code == 200, r.text
    want = json.loads(render([scanner.scan_file(HUAJIAN)], "json"))
    got = r.json()
    assert got["document"]["path"] == "huajian-user-agreement.txt"  # the upload's name, never a server path
    got["document"]["path"] = want["document"]["path"]
    assert without_time(got) == without_time(want)


def test_scan_docx_and_pdf_uploads(client):
    r = client.post("/api/scan", files={"file": ("huajian.docx", build(ZH_DOC), "application/octet-stream")})
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["document"]["extractor"] == "docx"
    assert any(f["clause"] and f["clause"].endswith("1.2") for f in doc["findings"]
               if "license.irrevocable" in f["concepts"])
    pdf = two_pages(EN, "Picta Terms of Service", "Page {n} of 2", 12)
    r = client.post("/api/scan", files={"file": ("picta.pdf", pdf)})
    assert r.status_code == 200, r.text
    assert r.json()["document"]["extractor"] == "pdf:pypdf" and r.json()["findings"]


def test_scan_url_from_a_local_server(client, server):  # noqa: F811
    r = client.post("/api/scan", data={"url": f"{server}/redirect"})
    assert r.status_code == 200, r.text
    doc = r.json()["document"]
    assert doc["url"] == f"{server}/terms" and doc["extractor"] == "html" and doc["fetched_at"]
    r = client.post("/api/scan", data={"url": f"{server}/missing"})
    assert r.status_code == 400 and "HTTP 404" in r.json()["error"]


@pytest.mark.parametrize("data, words", [
    ({"url": "/etc/passwd"}, "http:// or https://"),
    ({"url": "file:///etc/passwd"}, "http:// or https://"),
    ({}, "nothing to scan"),
    ({"text": "   \u200b "}, "empty document"),
    ({"text": "协议", "url": "http://127.0.0.1:9/"}, "only one of"),
    ({"text": "协议", "source": "url"}, "url is empty"),
    ({"text": "协议", "format": "exe"}, "format must be one of"),
    ({"text": "协议", "lang": "fr"}, "lang must be one of"),
])
def test_bad_requests_are_one_json_line(client, data, words):
    r = client.post("/api/scan", data=data)
    assert r.status_code == 400
    assert set(r.json()) == {"error"} and words in r.json()["error"] and "\n" not in r.json()["error"]


@pytest.mark.parametrize("name, data, words", [
    ("virus.exe", b"MZ\x90\x00", "unsupported file type"),
    ("old.doc", b"\xd0\xcf\x11\xe0", "save it as .docx or PDF"),
    ("broken.pdf", b"%PDF-1.7\nnot really", "broken.pdf"),
    ("broken.docx", b"PK\x03\x04 truncated", "broken.docx"),
    ("../../etc/passwd.txt", b"\x00\x01\x02\x03" * 100, "passwd.txt"),
    ("scan.pdf", None, "text layer"),
])
def test_bad_uploads_are_readable_messages(client, name, data, words):
    if data is None:
        from .pdfmaker import make_pdf

        data = make_pdf([], blank_pages=1)
    r = client.post("/api/scan", files={"file": (name, data)})
    assert r.status_code == 400, r.text
    err = r.json()["error"]
    assert words in err and "Traceback" not in err and "/etc/" not in err and "\n" not in err


def test_size_limits(client, monkeypatch):
    monkeypatch.setenv("TOSSCAN_MAX_BYTES", "2000")
    r = client.post("/api/scan", data={"text": "协议" * 2000})
    assert r.status_code == 413 and "too large" in r.json()["error"]
    r = client.post("/api/scan", files={"file": ("a.txt", b"x" * 3000)})
    assert r.status_code == 413 and "too large" in r.json()["error"]
    r = client.post("/api/scan", content=b"x" * 100_000, headers={"content-type": "multipart/form-data; boundary=x"})
    assert r.status_code == 413
    r = client.post("/api/scan", data={"text": "1. 您同意授予平台永久的许可。"})
    assert r.status_code == 200


def test_no_file_is_written(client, tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    big = ("1. 您同意授予平台永久的、不可撤销的许可，以使用您上传的作品。\n" * 40000).encode()  # > 1 MB
    r = client.post("/api/scan", files={"file": ("big.txt", big)})
    assert r.status_code == 200
    assert list(tmp_path.iterdir()) == []


def test_formats_and_the_page_bundle(client):
    r = client.post("/api/scan", data={"text": OLD, "format": "html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "Content-Security-Policy" in r.text and "sandbox" in r.headers["content-security-policy"]
    r = client.post("/api/scan", data={"text": OLD, "format": "md"})
    assert r.headers["content-type"].startswith("text/markdown") and "#" in r.text
    r = client.post("/api/scan", files={"file": ("我的 协议<x>.txt", OLD.encode())}, data={"format": "all",
                                                                                         "ui_lang": "en"})
    body = r.json()
    assert set(body) == {"name", "html", "md", "json"}
    assert body["name"] == "我的-协议-x" and json.loads(body["json"])["document"]["language"] == "zh"
    assert 'lang="en"' in body["html"]


def test_diff(client):
    r = client.post("/api/diff", data={"old_text": OLD, "new_text": NEW})
    assert r.status_code == 200, r.text
    got = r.json()
    want = json.loads(render_diff(compare(scan_text(OLD, "auto", "pasted text (old)"),
                                          scan_text(NEW, "auto", "pasted text (new)")), "json"))
    assert got["rights"] == want["rights"] and got["answers"] == want["answers"]
    assert {x["concept"] for x in got["rights"] if x["change"] == "removed"} >= {"license.perpetual"}
    r = client.post("/api/diff", files={"old_file": ("terms-2024-01-01.txt", OLD.encode()),
                                        "new_file": ("terms-2025-01-01.txt", NEW.encode())}, data={"format": "all"})
    body = r.json()
    assert json.loads(body["json"])["old"]["date"] == "2024-01-01" and "<!DOCTYPE html>" in body["html"]
    r = client.post("/api/diff", data={"old_text": OLD})
    assert r.status_code == 400 and "new_" in r.json()["error"]


# --------------------------------------------------------------------------- compare


def without_times(matrix: dict) -> dict:
    matrix = json.loads(json.dumps(matrix))
    for c in matrix["columns"]:
        c.pop("scanned_at")
    return matrix


def test_compare_is_the_json_of_compare(client, scanner):
    huajian, yunmo = HUAJIAN.read_text(encoding="utf-8"), YUNMO.read_text(encoding="utf-8")
    r = client.post("/api/compare", data={"text": [huajian, OLD], "name": ["画笺", ""]},
                    files=[("file", ("yunmo-user-agreement.txt", yunmo.encode(), "text/plain"))])
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json"), r.text
    # the texts were sent first, the file after them: that is the order of the columns
    want = build_matrix([scanner.scan_text(huajian, path="pasted text 1"), scanner.scan_text(OLD, path="pasted text 2"),
                         scanner.scan_file(YUNMO)], ["画笺", ""])
    got = r.json()
    assert got["columns"][2]["path"] == "yunmo-user-agreement.txt"  # the upload's name, never a server path
    got["columns"][2]["path"] = str(YUNMO)
    assert without_times(got) == without_times(json.loads(render_compare(want, "json")))
    assert got["columns"][0]["name"] == "画笺" and len(got["columns"]) == 3
    assert got["rows"][0]["kind"] == "question" and got["rows"][0]["differs"]


def test_compare_in_the_order_sent_with_names_and_urls(client, server):  # noqa: F811
    r = client.post("/api/compare", data={"url": f"{server}/terms", "text": NEW, "name": ["Picta", "新版"]})
    assert r.status_code == 200, r.text
    cols = r.json()["columns"]
    assert [c["name"] for c in cols] == ["Picta", "新版"]
    assert [c["path"] for c in cols] == [f"{server}/terms", "pasted text 2"]


def test_compare_the_page_form_without_javascript(client):
    """Posted by the browser itself: every row's fields, the empty ones too, and format=html."""
    data = {"doc1_source": "text", "doc2_source": "text", "name": ["旧版", ""], "text": [OLD, NEW], "url": ["", ""],
            "format": "html", "ui_lang": "zh", "lang": "auto"}
    r = client.post("/api/compare", data=data, files=[("file", ("", b"", "application/octet-stream"))] * 2)
    assert r.status_code == 200, r.text
    assert 'class="cmp"' in r.text and ">旧版<" in r.text


@pytest.mark.parametrize("data, words", [
    ({"text": OLD}, "at least two agreements"),
    ({}, "at least two agreements"),
    ({"text": [OLD] * 9}, "at most 8"),
    ({"text": [OLD, NEW], "name": ["a", "b", "c"]}, "3 names for 2 agreements"),
    ({"text": [OLD, NEW], "format": "exe"}, "format must be one of"),
    ({"text": [OLD, "  \u200b "]}, "pasted text 2: empty document"),
    ({"text": OLD, "url": "file:///etc/passwd"}, "http:// or https://"),
])
def test_compare_bad_requests_are_one_json_line(client, data, words):
    r = client.post("/api/compare", data=data)
    assert r.status_code == 400
    assert set(r.json()) == {"error"} and words in r.json()["error"] and "\n" not in r.json()["error"]


def test_compare_a_bad_upload_names_it(client):
    r = client.post("/api/compare", data={"text": OLD}, files=[("file", ("broken.pdf", b"%PDF-1.7\nnot really"))])
    assert r.status_code == 400 and "broken.pdf" in r.json()["error"] and "Traceback" not in r.text


def test_compare_limits(client, monkeypatch):
    files = [("file", (f"{i}.txt", OLD.encode())) for i in range(9)]
    r = client.post("/api/compare", files=files)
    assert r.status_code == 400 and "Too many files" in r.json()["error"]
    monkeypatch.setenv("TOSSCAN_MAX_BYTES", "2000")
    r = client.post("/api/compare", data={"text": [OLD, "协议" * 2000]})
    assert r.status_code == 413 and "too large" in r.json()["error"]
    r = client.post("/api/compare", data={"text": OLD}, files=[("file", ("a.txt", b"x" * 3000))])
    assert r.status_code == 413
    r = client.post("/api/compare", content=b"x" * 100_000,
                    headers={"content-type": "multipart/form-data; boundary=x"})
    assert r.status_code == 413
    r = client.post("/api/compare", data={"text": [OLD, NEW]})
    assert r.status_code == 200


def test_compare_formats_and_the_page_bundle(client):
    r = client.post("/api/compare", data={"text": [OLD, NEW], "format": "html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "sandbox" in r.headers["content-security-policy"] and 'class="cmp"' in r.text
    r = client.post("/api/compare", data={"text": [OLD, NEW], "format": "md"})
    assert r.headers["content-type"].startswith("text/markdown")
    assert "| 用户协议 (pasted text 1) | 用户协议 (pasted text 2) |" in r.text  # same titles: told apart
    r = client.post("/api/compare", data={"text": [OLD, NEW], "format": "csv"})
    assert r.headers["content-type"].startswith("text/csv") and r.text.startswith("\ufeffkind,id,label")
    r = client.post("/api/compare", data={"text": [OLD, NEW], "name": ["旧 <版>", "new/../版"], "format": "all",
                                          "ui_lang": "en"})
    body = r.json()
    assert set(body) == {"name", "html", "md", "csv", "json"}
    assert body["name"] == "compare-旧-版-new-版" and 'lang="en"' in body["html"]  # safe as a file name
    assert [c["name"] for c in json.loads(body["json"])["columns"]] == ["旧 <版>", "new/../版"]


def test_compare_escapes_hostile_text_and_names(client):
    hostile = "<script>window.__pwned=1</script>协议\n1. 您同意授予平台永久的许可<img src=x onerror=alert(1)>。\n"
    names = ["<script>alert(2)</script>", "=cmd|' /C calc'!A0"]
    r = client.post("/api/compare", data={"text": [hostile, OLD], "name": names, "format": "all"})
    body = r.json()
    assert "<script>window.__pwned" not in body["html"] and "<img src=x" not in body["html"]
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in body["html"]
    assert body["html"].count("<script>") == 1  # the page's own script, allowed by hash
    assert ",'=cmd" in body["csv"]  # formula-safe


def test_compare_writes_no_file(client, tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    big = ("1. 您同意授予平台永久的、不可撤销的许可，以使用您上传的作品。\n" * 20000).encode()  # > 1 MB each
    r = client.post("/api/compare", files=[("file", ("a.txt", big)), ("file", ("b.txt", big))])
    assert r.status_code == 200
    assert list(tmp_path.iterdir()) == []


def test_the_page_and_its_policy(client):
    r = client.get("/", headers={"accept-language": "zh-CN,zh;q=0.9,en;q=0.8"})
    assert r.status_code == 200 and 'lang="zh-CN"' in r.text and "扫描" in r.text
    csp = r.headers["content-security-policy"]
    assert "script-src 'self' 'sha256-" in csp and "connect-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "<script>" not in r.text and "<style>" not in r.text
    assert r.headers["x-content-type-options"] == "nosniff"
    en = client.get("/?lang=en")
    assert 'lang="en"' in en.text and "Scan an agreement" in en.text
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/static/../app.py").status_code == 404
    assert client.get("/api/health").json()["catalog"]["rules"] > 0
    assert 'id="tab-compare"' in r.text and 'action="/api/compare"' in r.text
    from tosscan.render.html import _asset, _sha256

    assert _sha256(_asset("compare.js")) in csp  # the matrix page's own script and style may run in the frame
    assert _sha256(_asset("report.css") + "\n" + _asset("compare.css")) in csp


def test_cross_site_and_foreign_hosts_are_refused(client):
    r = client.post("/api/scan", data={"text": OLD}, headers={"origin": "https://evil.example"})
    assert r.status_code == 403
    r = client.post("/api/scan", data={"text": OLD}, headers={"sec-fetch-site": "cross-site"})
    assert r.status_code == 403
    r = client.post("/api/scan", data={"text": OLD}, headers={"origin": BASE})
    assert r.status_code == 200
    r = client.get("/", headers={"host": "rebind.evil.example:8000"})
    assert r.status_code == 421


def test_an_internal_error_is_one_line_without_a_trace(client, monkeypatch):
    app = client.app
    monkeypatch.setattr(app.state.service.scanner, "scan_source", lambda *a, **k: 1 / 0)
    r = client.post("/api/scan", data={"text": OLD})
    assert r.status_code == 500 and set(r.json()) == {"error"} and "ZeroDivision" not in r.text


def test_cli_has_serve():
    from typer.testing import CliRunner

    from tosscan.cli import app

    out = CliRunner().invoke(app, ["serve", "--help"])
    assert out.exit_code == 0 and "--open" in out.output and "127.0.0.1" in out.output
