"""The Starlette app of ``tosscan serve``: one page and a small JSON API over the library (never the CLI).

Routes:

- ``GET /`` the page (``?lang=zh|en``; default from the browser's Accept-Language);
- ``GET /static/app.css``, ``/static/app.js`` its own stylesheet and script (same-origin files);
- ``POST /api/scan`` one agreement: multipart ``file``, or form field ``text``, or ``url``;
  ``format`` json (default: the JSON of ``scan --format json``), html, md, or all (the three at once);
- ``POST /api/diff`` two versions: ``old_file``/``old_text``/``old_url`` and ``new_…``; the same formats;
- ``POST /api/compare`` two to ``MAX_COMPARE`` agreements side by side: every ``file``, ``text`` and ``url``
  field is one agreement, in the order sent; ``name`` fields name them in that order (like ``--name``);
  ``format`` json (default: the JSON of ``compare --format json``), html, md, csv, or all;
- ``GET /api/health`` version and catalog.

Safety: agreement text is hostile. The page never inserts it as markup (the report is shown in a sandboxed
frame whose own Content-Security-Policy still applies); request bodies are capped (the ingest size limit)
while they arrive and parsed in memory (no temporary file); a cross-site POST and a foreign Host header
(DNS rebinding) are refused; every error is one JSON line ``{"error": "..."}`` without server paths or
tracebacks. Scans run in a worker thread, one at a time, on the Scanner built at start-up.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
from collections.abc import AsyncIterator, Callable
from functools import cache
from importlib import resources
from pathlib import PurePath
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, Headers, UploadFile
from starlette.formparsers import FormParser, MultiPartException, MultiPartParser
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from tosscan import __version__
from tosscan.api import scanner as shared_scanner
from tosscan.compare import build_matrix
from tosscan.diff import compare, date_of
from tosscan.errors import TosscanError, shown
from tosscan.ingest import Source, from_bytes, is_url, max_bytes, read
from tosscan.ingest.source import check_visible, sha256
from tosscan.pipeline import Scanner, ScanResult
from tosscan.render import render, render_compare, render_diff
from tosscan.render.html import _asset, _sha256
from tosscan.serve.strings import STRINGS

log = logging.getLogger("tosscan.serve")

FORMATS = ("json", "html", "md", "all")
COMPARE_FORMATS = ("json", "html", "md", "csv", "all")
LANGS = ("auto", "zh", "en")
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
MAX_FIELDS = 16
MAX_COMPARE = 8  # agreements in one comparison (columns of the matrix)
MAX_NAME = 200  # characters of a column name
STATIC = {"app.css": "text/css; charset=utf-8", "app.js": "text/javascript; charset=utf-8"}
WARM = {"zh": "用户协议\n1.1 您同意授予平台免费的、永久的许可，以使用您上传的作品。\n",
        "en": "Terms\n1. You grant us a perpetual, worldwide licence to use the content you post.\n"}


class BadRequest(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def _error(message: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


# --- the page ---------------------------------------------------------------------------------------

@cache
def _env() -> Environment:
    return Environment(loader=PackageLoader("tosscan.serve", "templates"), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


@cache
def _static(name: str) -> str:
    return (resources.files("tosscan.serve") / "static" / name).read_text(encoding="utf-8")


@cache
def page_csp() -> str:
    """The page's policy. Its own script and style are same-origin files; the report shown in the frame
    inherits this policy as well as keeping its own, so the report's and the comparison's inline scripts
    and the report's, diff page's and comparison's inline stylesheets are allowed by hash, and nothing else."""
    report_css, report_js = _asset("report.css"), _asset("report.js")
    diff_css = report_css + "\n" + _asset("diff.css")
    compare_css, compare_js = report_css + "\n" + _asset("compare.css"), _asset("compare.js")
    return ("default-src 'none'; "
            f"script-src 'self' {_sha256(report_js)} {_sha256(compare_js)}; "
            f"style-src 'self' {_sha256(report_css)} {_sha256(diff_css)} {_sha256(compare_css)}; "
            "img-src 'self' data:; connect-src 'self'; frame-src blob:; font-src 'none'; object-src 'none'; "
            "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
                    "X-Frame-Options": "DENY", "Cross-Origin-Opener-Policy": "same-origin",
                    "Cache-Control": "no-store"}


def _page_lang(request: Request) -> str:
    asked = request.query_params.get("lang")
    if asked in ("zh", "en"):
        return asked
    accept = request.headers.get("accept-language", "").lower()
    first = accept.split(",")[0].strip()
    return "zh" if first.startswith("zh") or (not first.startswith("en") and "zh" in accept) else "en"


async def index(request: Request) -> Response:
    lang = _page_lang(request)
    html = _env().get_template("index.html.j2").render(
        s=STRINGS[lang], lang=lang, other="en" if lang == "zh" else "zh", version=__version__,
        limit_mb=f"{max_bytes() / 1_000_000:g}", max_docs=MAX_COMPARE,
        messages=json.dumps(STRINGS[lang]["js"], ensure_ascii=False))
    return HTMLResponse(html, headers={**SECURITY_HEADERS, "Content-Security-Policy": page_csp()})


async def static(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in STATIC:
        return _error("not found", 404)
    return Response(_static(name), media_type=STATIC[name], headers={**SECURITY_HEADERS,
                                                                      "Cache-Control": "no-cache"})


# --- reading requests -------------------------------------------------------------------------------

class _InMemoryMultiPart(MultiPartParser):
    """Starlette's parser, but an upload stays in memory (the body is already capped): no file is written."""

    spool_max_size = 1 << 62


def body_limit() -> int:
    """Two agreements at the ingest size limit, and room for the form's other fields (a comparison of
    several agreements shares the same total)."""
    return 2 * max_bytes() + 65536


async def _read_form(request: Request, max_files: int = 2, max_fields: int = MAX_FIELDS) -> FormData:
    limit = body_limit()
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise BadRequest(_too_large(), 413)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BadRequest(_too_large(), 413)
        chunks.append(chunk)
    body = b"".join(chunks)

    async def replay() -> AsyncIterator[bytes]:
        yield body

    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if not body:
        return FormData()
    try:
        if ctype == "multipart/form-data":
            return await _InMemoryMultiPart(request.headers, replay(), max_files=max_files, max_fields=max_fields,
                                            max_part_size=max_bytes()).parse()
        if ctype == "application/x-www-form-urlencoded":
            return await FormParser(request.headers, replay(), max_fields=max_fields,
                                    max_part_size=max_bytes()).parse()
    except MultiPartException as e:
        if "exceeded maximum size" in e.message:
            raise BadRequest(_too_large(), 413) from None
        if "Too many" in e.message:  # Starlette: "Too many files. Maximum number of files is N."
            raise BadRequest(f"too many fields or files in one request ({e.message})") from None
        raise BadRequest(f"cannot read the form ({e.message})") from None
    raise BadRequest("send a form (multipart/form-data or application/x-www-form-urlencoded)", 415)


def _too_large() -> str:
    return f"too large: the limit is {max_bytes():,} bytes per document (TOSSCAN_MAX_BYTES)"


def _choice(form: FormData, name: str, allowed: tuple[str, ...], default: str) -> str:
    value = form.get(name)
    if value is None or value == "":
        return default
    if not isinstance(value, str) or value not in allowed:
        raise BadRequest(f"{name} must be one of {', '.join(allowed)}")
    return value


def _upload_name(upload: UploadFile) -> str:
    raw = (upload.filename or "").replace("\\", "/")
    name = PurePath(raw).name.strip() if raw else ""
    return shown(name)[:200] or "upload.txt"


async def _source_of(form: FormData, prefix: str = "") -> tuple[str, Any]:
    """("file", (data, name)), ("text", text) or ("url", url) from the form fields ``{prefix}file`` etc."""
    given: dict[str, Any] = {}
    upload = form.get(prefix + "file")
    if isinstance(upload, UploadFile) and (upload.filename or upload.size):
        given["file"] = await _upload(upload)
    text = form.get(prefix + "text")
    if isinstance(text, str) and text.strip():
        if len(text.encode("utf-8")) > max_bytes():
            raise BadRequest(_too_large(), 413)
        given["text"] = text
    url = form.get(prefix + "url")
    if isinstance(url, str) and url.strip():
        given["url"] = _url(url)
    which = form.get(prefix + "source")
    what = f"{prefix}file, {prefix}text or {prefix}url"
    if isinstance(which, str) and which:
        if which not in ("file", "text", "url"):
            raise BadRequest(f"{prefix}source must be file, text or url")
        if which not in given:
            raise BadRequest(f"{prefix}{which} is empty")
        return which, given[which]
    if not given:
        if isinstance(text, str) and text:
            raise BadRequest("empty document (no visible text)")
        raise BadRequest(f"nothing to scan: give {what}")
    if len(given) > 1:
        raise BadRequest(f"give only one of {what} (or say which with {prefix}source)")
    return next(iter(given.items()))


async def _upload(upload: UploadFile) -> tuple[bytes, str]:
    data = await upload.read()
    if len(data) > max_bytes():
        raise BadRequest(_too_large(), 413)
    return data, _upload_name(upload)


def _url(url: str) -> str:
    url = url.strip()
    if not is_url(url) or urlsplit(url).scheme.lower() not in ("http", "https"):
        raise BadRequest(f"{shown(url)[:200]}: give an http:// or https:// address")
    return url


async def _documents_of(form: FormData) -> tuple[list[tuple[str, Any]], list[str]]:
    """The agreements of a comparison, in the order their fields were sent: every non-empty ``file``,
    ``text`` or ``url`` is one; and the ``name`` fields, in order (an empty name: the document's title)."""
    docs: list[tuple[str, Any]] = []
    names: list[str] = []
    for key, value in form.multi_items():
        if key == "name":
            if not isinstance(value, str):
                raise BadRequest("name must be text, not a file")
            names.append(" ".join(shown(value).split())[:MAX_NAME])
        elif key == "file":  # an empty file input (a browser's own form post) is no agreement
            if isinstance(value, UploadFile) and (value.filename or value.size):
                docs.append(("file", await _upload(value)))
            elif isinstance(value, str) and value:
                raise BadRequest("file must be an upload")
        elif key in ("text", "url") and not isinstance(value, str):
            raise BadRequest(f"{key} must be text, not a file")
        elif key == "text" and value:
            if len(value.encode("utf-8")) > max_bytes():
                raise BadRequest(_too_large(), 413)
            docs.append(("text", value))
        elif key == "url" and value.strip():
            docs.append(("url", _url(value)))
        if len(docs) > MAX_COMPARE:
            raise BadRequest(f"too many agreements: at most {MAX_COMPARE} in one comparison")
    if len(docs) < 2:
        raise BadRequest(f"give at least two agreements to compare ({len(docs)} given): "
                         "repeat the fields file, text or url")
    if len(names) > len(docs):
        raise BadRequest(f"{len(names)} names for {len(docs)} agreements")
    return docs, names


# --- the service ------------------------------------------------------------------------------------

class Service:
    """One Scanner for the life of the server; scans run one at a time in a worker thread."""

    def __init__(self, scanner: Scanner):
        self.scanner = scanner
        self.lock = threading.Lock()

    def warm(self) -> None:
        for lang, text in WARM.items():
            self.scanner.scan_text(text, lang)

    def source(self, kind: str, value: Any, pasted: str = "pasted text") -> Source:
        if kind == "file":
            data, name = value
            return from_bytes(data, name)
        if kind == "url":
            return read(value)  # the ingest URL reader: http(s) only, timeouts, redirects, size limit
        check_visible(value, pasted)
        return Source(path=pasted, text=value, encoding="utf-8", sha256=sha256(value.encode("utf-8")))

    def scan(self, kind: str, value: Any, lang: str, pasted: str = "pasted text") -> ScanResult:
        src = self.source(kind, value, pasted)  # fetching a URL happens outside the lock
        with self.lock:
            return self.scanner.scan_source(src, lang)


def _name_of(kind: str, value: Any) -> str:
    return value[1] if kind == "file" else value if kind == "url" else "pasted text"


async def _guarded(request: Request, work: Callable[[FormData], Any], max_files: int = 2,
                   max_fields: int = MAX_FIELDS) -> Response:
    try:
        form = await _read_form(request, max_files, max_fields)
        return await work(form)
    except BadRequest as e:
        return _error(str(e), e.status)
    except TosscanError as e:
        return _error(str(e), 400)
    except Exception:  # a bug: logged on the server's terminal; the page gets one line and no trace
        log.exception("internal error on %s", request.url.path)
        return _error("internal error while reading this document (see the server's terminal)", 500)


def _stem(name: str) -> str:
    if is_url(name):
        parts = urlsplit(name)
        name = (parts.netloc + parts.path).rstrip("/")
    stem = PurePath(name.replace("/", "_")).stem if "." in name else name
    keep = "".join(c if c.isalnum() or c in "-_" else "-" for c in stem).strip("-")
    return keep[:60] or "agreement"


def _slug(name: str) -> str:
    """A column name as part of a file name: letters, digits, - and _ only."""
    return "-".join("".join(c if c.isalnum() or c == "_" else " " for c in name).split()) or "agreement"


def _options(form: FormData, formats: tuple[str, ...]) -> tuple[str, str, str | None]:
    """The output format, the agreement language and the interface language (None: follow the agreement)."""
    ui = _choice(form, "ui_lang", LANGS, "auto")
    return _choice(form, "format", formats, "json"), _choice(form, "lang", LANGS, "auto"), None if ui == "auto" else ui


def _respond(fmt: str, render_fmt: Callable[[str], str], name: str,
             bundle: tuple[str, ...] = ("html", "md", "json")) -> Response:
    if fmt == "json":
        return Response(render_fmt("json"), media_type="application/json")
    if fmt == "md":
        return Response(render_fmt("md"), media_type="text/markdown; charset=utf-8")
    if fmt == "csv":
        return Response(render_fmt("csv"), media_type="text/csv; charset=utf-8")
    if fmt == "html":  # the self-contained report, with its own CSP; sandboxed even when opened directly
        return HTMLResponse(render_fmt("html"), headers={"Content-Security-Policy": "sandbox allow-scripts",
                                                         "X-Content-Type-Options": "nosniff"})
    return JSONResponse({"name": _stem(name), **{f: render_fmt(f) for f in bundle}})


def create_app(scanner: Scanner | None = None, *, allowed_hosts: tuple[str, ...] = (), warm: bool = True) -> Starlette:
    """The app. ``scanner`` defaults to the shipped catalog's (built now, once); ``allowed_hosts`` are Host
    names accepted besides 127.0.0.1/localhost/::1 (``("*",)`` accepts any, for a server bound to all
    interfaces)."""
    service = Service(scanner or shared_scanner())
    hosts = {*LOCAL_HOSTS, *allowed_hosts}

    async def scan_endpoint(request: Request) -> Response:
        async def work(form: FormData) -> Response:
            fmt, lang, ui_lang = _options(form, FORMATS)
            kind, value = await _source_of(form)
            result = await run_in_threadpool(service.scan, kind, value, lang)
            return _respond(fmt, lambda f: render([result], f, ui_lang), _name_of(kind, value))

        return await _guarded(request, work)

    async def diff_endpoint(request: Request) -> Response:
        async def work(form: FormData) -> Response:
            fmt, lang, ui_lang = _options(form, FORMATS)
            old_kind, old_value = await _source_of(form, "old_")
            new_kind, new_value = await _source_of(form, "new_")

            def run() -> Any:
                old = service.scan(old_kind, old_value, lang, "pasted text (old)")
                new = service.scan(new_kind, new_value, lang, "pasted text (new)")
                return compare(old, new, date_of(_name_of(old_kind, old_value)),
                               date_of(_name_of(new_kind, new_value)))

            result = await run_in_threadpool(run)
            return _respond(fmt, lambda f: render_diff(result, f, ui_lang),
                            "diff-" + _stem(_name_of(new_kind, new_value)))

        return await _guarded(request, work)

    async def compare_endpoint(request: Request) -> Response:
        async def work(form: FormData) -> Response:
            fmt, lang, ui_lang = _options(form, COMPARE_FORMATS)
            docs, names = await _documents_of(form)

            def run() -> Any:
                results = [service.scan(kind, value, lang, f"pasted text {i}")
                           for i, (kind, value) in enumerate(docs, 1)]
                return build_matrix(results, names)

            matrix = await run_in_threadpool(run)
            name = "compare-" + "-".join(_slug(c.name) for c in matrix.columns)
            return _respond(fmt, lambda f: render_compare(matrix, f, ui_lang), name,
                            ("html", "md", "csv", "json"))

        return await _guarded(request, work, max_files=MAX_COMPARE, max_fields=4 * MAX_COMPARE + 8)

    async def health(request: Request) -> Response:
        cat = service.scanner.catalog
        return JSONResponse({"tosscan": __version__, "catalog": {"rules": len(cat), "sha256": cat.sha256},
                             "max_bytes": max_bytes(), "max_compare": MAX_COMPARE})

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if warm:  # jieba, spaCy's tokenizers and both engines load now, not on the first visitor's scan
            await run_in_threadpool(service.warm)
        yield

    app = Starlette(routes=[Route("/", index), Route("/static/{name}", static),
                            Route("/api/scan", scan_endpoint, methods=["POST"]),
                            Route("/api/diff", diff_endpoint, methods=["POST"]),
                            Route("/api/compare", compare_endpoint, methods=["POST"]),
                            Route("/api/health", health),
                            Route("/favicon.ico", lambda request: Response(status_code=204))], lifespan=lifespan)
    app.state.service = service
    return _Guard(app, hosts)


class _Guard:
    """Refuses a request whose Host is not this machine (DNS rebinding) and a POST from another site
    (a web page cannot make the local server fetch URLs or scan on its behalf); adds security headers."""

    def __init__(self, app: Starlette, hosts: set[str]):
        self.app = app
        self.hosts = hosts
        self.state = app.state

    def _host_ok(self, host: str) -> bool:
        if "*" in self.hosts:
            return True
        name = host.rsplit(":", 1)[0] if not host.startswith("[") else host[1:].split("]", 1)[0]
        return name.lower() in self.hosts

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        host = headers.get("host", "")
        problem = None
        if not self._host_ok(host):
            problem = ("unknown host (this server answers only on this computer)", 421)
        elif scope["method"] not in ("GET", "HEAD"):
            origin = headers.get("origin")
            if headers.get("sec-fetch-site") == "cross-site" or (
                    origin is not None and urlsplit(origin).netloc.lower() != host.lower()):
                problem = ("cross-site request refused", 403)
        if problem:
            await _error(*problem)(scope, receive, send)
            return

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k.lower().encode(), v.encode()) for k, v in
                         (("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer"))
                         if k.lower().encode() not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)
