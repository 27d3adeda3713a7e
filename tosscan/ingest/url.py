"""URLs: fetch an agreement over http(s) with httpx, bounded in time, size and redirects.

Only http and https. At most ``MAX_REDIRECTS`` redirects, a connect/read timeout (``TOSSCAN_FETCH_TIMEOUT``,
20 s by default) and an overall deadline of three times that, and the ingest size limit counted on the
decoded body while it arrives (a gzip bomb stops at the limit). Every failure is one line.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from tosscan import __version__
from tosscan.errors import InputError, shown
from tosscan.ingest.source import too_large

MAX_REDIRECTS = 5
TIMEOUT = 20.0
USER_AGENT = f"tosscan/{__version__} (+terms-of-service clause analyzer)"
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*)://")


def is_url(arg: str) -> bool:
    return _SCHEME.match(arg) is not None


def timeout() -> float:
    try:
        return max(0.1, float(os.environ.get("TOSSCAN_FETCH_TIMEOUT", TIMEOUT)))
    except ValueError:
        return TIMEOUT


@dataclass(frozen=True)
class Fetched:
    url: str            # the final URL, after redirects
    data: bytes
    media_type: str     # "text/html", "application/pdf"… ("" when the server says nothing)
    charset: str | None
    fetched_at: str


def fetch(url: str, limit: int, user_agent: str | None = None) -> Fetched:
    import httpx

    name = shown(url)
    m = _SCHEME.match(url)
    scheme = m.group(1).lower() if m else ""
    if scheme not in ("http", "https"):
        raise InputError(f"{name}: only http:// and https:// URLs are fetched (not {scheme}://)")
    wait = timeout()
    deadline = time.monotonic() + 3 * wait
    headers = {"User-Agent": user_agent or USER_AGENT, "Accept": "text/html,application/xhtml+xml,application/pdf,"
               "application/vnd.openxmlformats-officedocument.wordprocessingml.document,text/plain;q=0.9,*/*;q=0.5"}
    fetched_at = datetime.now(UTC).replace(microsecond=0).isoformat()
    try:
        with httpx.Client(follow_redirects=True, max_redirects=MAX_REDIRECTS, timeout=httpx.Timeout(wait),
                          headers=headers, trust_env=False) as client, client.stream("GET", url) as r:
            if r.status_code >= 400:
                raise InputError(f"{name}: HTTP {r.status_code} {r.reason_phrase}".rstrip())
            declared = r.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > limit and not r.headers.get("content-encoding"):
                raise too_large(name, limit, int(declared))
            chunks: list[bytes] = []
            size = 0
            for chunk in r.iter_bytes():
                size += len(chunk)
                if size > limit:
                    raise too_large(name, limit)
                if time.monotonic() > deadline:
                    raise InputError(f"{name}: too slow (not finished after {3 * wait:g} s)")
                chunks.append(chunk)
            ctype = r.headers.get("content-type", "")
            final = str(r.url)
    except InputError:
        raise
    except httpx.TooManyRedirects:
        raise InputError(f"{name}: too many redirects (more than {MAX_REDIRECTS})") from None
    except httpx.TimeoutException:
        raise InputError(f"{name}: timed out (no answer within {wait:g} s)") from None
    except httpx.UnsupportedProtocol:
        raise InputError(f"{name}: redirected to a URL that is not http or https") from None
    except httpx.InvalidURL as e:
        raise InputError(f"{name}: not a valid URL ({e})") from None
    except httpx.ConnectError as e:
        raise InputError(f"{name}: cannot connect ({_reason(e)})") from None
    except (httpx.HTTPError, httpx.StreamError, OSError, ValueError) as e:
        raise InputError(f"{name}: fetch failed ({type(e).__name__}: {_reason(e)})") from None
    media, _, params = ctype.partition(";")
    cm = re.search(r"charset\s*=\s*[\"']?([\w\-]+)", params, re.IGNORECASE)
    return Fetched(url=final, data=b"".join(chunks), media_type=media.strip().lower(),
                   charset=cm.group(1) if cm else None, fetched_at=fetched_at)


def _reason(e: Exception) -> str:
    return " ".join(str(e).split())[:160] or type(e).__name__
