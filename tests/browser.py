"""What the browser tests share: Debian's chromium driven by playwright, launched offline, and a watch on
every page for console errors, dialogs and requests.

Each browser test module calls ``require()`` at import: it skips the module when /usr/bin/chromium or
playwright is missing (``bash scripts/install-browser.sh`` installs both). The ``browser`` fixture is in
conftest.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from .conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = ROOT / "artifacts"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def require():
    """playwright's sync API, or skip the calling test module."""
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium (run scripts/install-browser.sh)", allow_module_level=True)
    return pytest.importorskip("playwright.sync_api", reason="playwright is not installed "
                               "(run scripts/install-browser.sh)")


@contextmanager
def launch() -> Iterator[object]:
    with require().sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield b
        finally:
            b.close()


class Watch:
    """Console errors, page errors, dialogs and every request a page makes."""

    def __init__(self, page) -> None:
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda m: self.errors.append(f"console.{m.type}: {m.text}")
                if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        page.on("request", lambda r: self.requests.append(r.url))

        def on_dialog(d) -> None:
            self.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", on_dialog)

    def outside(self) -> list[str]:
        """Requests that left the local file (a self-contained report makes none)."""
        return [u for u in self.requests if not u.startswith(("file:", "data:", "about:"))]


def open_page(browser, path: Path, viewport: dict[str, int] = DESKTOP, js: bool = True, scale: float = 1):
    """A local file in a fresh context: (context, page, watch)."""
    ctx = browser.new_context(viewport=viewport, device_scale_factor=scale, java_script_enabled=js)
    page = ctx.new_page()
    watch = Watch(page)
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return ctx, page, watch
