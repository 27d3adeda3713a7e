"""The HTML report: one self-contained page (CSS and JS inline, no network requests).

Everything shown is computed in ``tosscan.report`` (the view model); the jinja2 template only loops
and escapes. Agreement text is hostile: autoescape is on and nothing from the document is ever marked
safe. Only the page's own stylesheet and script are inserted raw, and the Content-Security-Policy
allows exactly those two by hash, so even markup that slipped through could neither run a script nor
load anything.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from tosscan import __version__
from tosscan.render.view import ReportView

if TYPE_CHECKING:
    from tosscan.render.compare_view import CompareView


@cache
def _env() -> Environment:
    return Environment(loader=PackageLoader("tosscan.render", "templates"), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


@cache
def _asset(name: str) -> str:
    text = (resources.files("tosscan.render") / "templates" / name).read_text(encoding="utf-8")
    if "</" in text:  # would close the <style>/<script> element early
        raise ValueError(f"templates/{name} must not contain '</'")
    return text


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def content_security_policy(css: str, js: str) -> str:
    """Nothing may load from anywhere; only this page's own style and script (by hash) apply."""
    return ("default-src 'none'; "
            f"style-src {_sha256(css)}; "
            f"script-src {_sha256(js)}; "
            "img-src data:; font-src 'none'; connect-src 'none'; object-src 'none'; "
            "base-uri 'none'; form-action 'none'")


def html_pieces(view: ReportView) -> Iterator[str]:
    """The report page, piece by piece as the template makes it (never the whole page at once)."""
    css, js = _asset("report.css"), _asset("report.js")
    return _env().get_template("report.html.j2").generate(
        view=view, css=Markup(css), js=Markup(js), csp=content_security_policy(css, js), version=__version__)


def render_compare_html(view: CompareView) -> str:
    """The comparison page: the report's stylesheet plus its own, its own script, the same CSP."""
    css, js = _asset("report.css") + "\n" + _asset("compare.css"), _asset("compare.js")
    return _env().get_template("compare.html.j2").render(
        view=view, css=Markup(css), js=Markup(js), csp=content_security_policy(css, js), version=__version__)
