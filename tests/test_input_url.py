"""URLs: fetched with httpx from a local server (127.0.0.1 only), bounded, recorded, snapshotted."""

from __future__ import annotations

import gzip
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tosscan.api import scan_file
from tosscan.errors import InputError
from tosscan.ingest import read

from .test_input_pdf import EN, two_pages
from .test_limits import one_line_error, tosscan

PAGE = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>Terms</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/login'>Log in</a></nav><main><h1>Picta Terms</h1><ol>"
        "<li>You grant Picta a worldwide, irrevocable, perpetual licence to use your content.</li>"
        "<li>We may change these terms at any time.</li></ol></main><footer>© Picta</footer></body></html>")


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:  # quiet
        pass

    def _send(self, status: int, body: bytes, ctype: str, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path
        if path == "/terms":
            self._send(200, PAGE.encode(), "text/html; charset=utf-8", {"X-UA": self.headers.get("User-Agent", "")})
        elif path == "/ua":
            ua = self.headers.get("User-Agent", "")
            self._send(200, f"<html><body><p>1. Agent {ua} agrees.</p></body></html>".encode(), "text/html")
        elif path == "/terms.pdf":
            self._send(200, two_pages(EN, "Picta Terms", "Page {n} of 2", 12), "application/pdf")
        elif path == "/plain":
            self._send(200, "1. 您同意授予平台永久的、不可撤销的许可。\n".encode("gb18030"), "text/plain; charset=gbk")
        elif path.startswith("/hop"):
            n = int(path[4:] or 0)
            self.send_response(302)
            self.send_header("Location", f"/hop{n + 1}" if n < 20 else "/terms")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/redirect":
            self.send_response(301)
            self.send_header("Location", "/terms")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/to-file":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/big":
            self._send(200, b"x" * 5000, "text/plain")
        elif path == "/gzip-bomb":
            self._send(200, gzip.compress(b"a" * 5_000_000), "text/plain", {"Content-Encoding": "gzip"})
        elif path == "/slow":
            time.sleep(3)
            self._send(200, b"late", "text/plain")
        else:
            self._send(404, b"not here", "text/plain")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_url_is_fetched_and_recorded(server):
    r = scan_file(f"{server}/redirect")
    d = r.document
    assert d.path == f"{server}/redirect" and d.url == f"{server}/terms"
    assert d.extractor == "html" and d.fetched_at and d.fetched_at.endswith("+00:00")
    assert "Home" not in r.text and "1. You grant Picta" in r.text
    assert {"license.irrevocable", "terms.unilateral_change"} <= {c for f in r.findings for c in f.concepts}


def test_pdf_and_text_by_content_type(server):
    assert read(f"{server}/terms.pdf").extractor == "pdf:pypdf"
    src = read(f"{server}/plain")
    assert src.extractor == "text" and src.text.startswith("1. 您同意")


def test_user_agent(server):
    assert "tosscan/" in read(f"{server}/ua").text
    assert "Agent Mozilla/5.0 (Reporter) agrees." in read(f"{server}/ua", user_agent="Mozilla/5.0 (Reporter)").text


@pytest.mark.parametrize("path, env, words", [
    ("/missing", {}, "HTTP 404"),
    ("/hop0", {}, "too many redirects"),
    ("/to-file", {}, "not http or https"),
    ("/big", {"TOSSCAN_MAX_BYTES": "1000"}, "too large"),
    ("/gzip-bomb", {"TOSSCAN_MAX_BYTES": "100000"}, "too large"),
    ("/slow", {"TOSSCAN_FETCH_TIMEOUT": "0.5"}, "timed out"),
])
def test_fetch_failures_are_one_line(server, monkeypatch, path, env, words):
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    with pytest.raises(InputError, match=words) as e:
        read(f"{server}{path}")
    assert "\n" not in str(e.value)


@pytest.mark.parametrize("url, words", [
    ("ftp://127.0.0.1/terms", "only http:// and https://"),
    ("file:///etc/passwd", "only http:// and https://"),
    ("http://127.0.0.1:1/terms", "cannot connect"),
])
def test_bad_urls(url, words):
    with pytest.raises(InputError, match=words):
        read(url)


def test_cli_scans_a_url_and_saves_the_snapshot(server, tmp_path):
    snap = tmp_path / "snapshots"
    p = tosscan("scan", f"{server}/terms", "--format", "json", "--save-snapshot", str(snap))
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)["document"]
    assert doc["url"] == f"{server}/terms" and doc["extractor"] == "html" and doc["fetched_at"]
    assert doc["text"].startswith("Picta Terms\n1. You grant Picta")
    saved = [f for f in snap.iterdir() if not f.name.endswith(".json")]
    assert len(saved) == 1 and saved[0].read_bytes() == PAGE.encode()  # the exact bytes scanned
    assert saved[0].name.startswith("127.0.0.1_") and saved[0].name.endswith(f"-{doc['sha256'][:12]}.html")
    meta = json.loads((snap / (saved[0].name + ".json")).read_text(encoding="utf-8"))
    assert meta["sha256"] == doc["sha256"] and meta["url"] == doc["url"] and doc["snapshot"] == str(saved[0])


def test_cli_url_errors_are_one_line(server):
    assert "HTTP 404" in one_line_error(tosscan("scan", f"{server}/missing"))
    assert "only http:// and https://" in one_line_error(tosscan("scan", "gopher://example.com/terms"))
