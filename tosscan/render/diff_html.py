"""The HTML pages of ``tosscan diff`` and ``tosscan history``: self-contained and safe like the scan
report. They reuse its stylesheet (``report.css`` plus ``diff.css``) and its Content-Security-Policy
machinery: the one inline stylesheet is allowed by hash, no script at all, nothing may load. The
templates only loop and escape (autoescape; agreement text is hostile and never marked safe).
"""

from __future__ import annotations

from markupsafe import Markup

from tosscan import __version__
from tosscan.render.diff_view import DiffView, HistoryView
from tosscan.render.html import _asset, _env, _sha256


def _css() -> str:
    return _asset("report.css") + "\n" + _asset("diff.css")


def content_security_policy(css: str) -> str:
    """Nothing may load or run; only this page's own stylesheet (by hash) applies."""
    return ("default-src 'none'; "
            f"style-src {_sha256(css)}; "
            "script-src 'none'; img-src data:; font-src 'none'; connect-src 'none'; object-src 'none'; "
            "base-uri 'none'; form-action 'none'")


def render_diff_html(view: DiffView) -> str:
    css = _css()
    return _env().get_template("diff.html.j2").render(view=view, css=Markup(css), csp=content_security_policy(css),
                                                      version=__version__)


def render_history_html(view: HistoryView) -> str:
    css = _css()
    return _env().get_template("history.html.j2").render(view=view, css=Markup(css),
                                                         csp=content_security_policy(css), version=__version__)
