"""``tosscan serve``: a local web page (and a small JSON API) for people who never open a terminal.

    from tosscan.serve import create_app, run
    run("127.0.0.1", 8000, open_browser=True)

``app.py`` builds the Starlette app from the library API (``tosscan.api``, ``tosscan.diff``,
``tosscan.compare``, ``tosscan.render``); ``templates/`` and ``static/`` hold the page, its stylesheet and
its script (no build step). Nothing is written to disk and nothing is sent anywhere, except the page a user
asks the server to fetch by URL.
"""

from __future__ import annotations

import sys
import threading
import webbrowser

from tosscan.serve.app import create_app

__all__ = ["create_app", "run", "url_of"]


def url_of(host: str, port: int) -> str:
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "") else f"[{host}]" if ":" in host else host
    return f"http://{shown_host}:{port}/"


def run(host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False) -> None:
    """Serve until Ctrl-C. The catalog, jieba and the engines load before the first request is taken."""
    import uvicorn

    from tosscan.api import scanner

    wildcard = host in ("0.0.0.0", "::", "")
    app = create_app(scanner(), allowed_hosts=("*",) if wildcard else (host,))
    url = url_of(host, port)

    class Server(uvicorn.Server):
        async def startup(self, sockets=None) -> None:  # type: ignore[no-untyped-def]
            await super().startup(sockets)
            if not self.started:
                return
            print(f"tosscan serve: open {url} (Ctrl-C stops it)", file=sys.stderr, flush=True)
            if wildcard:
                print("tosscan serve: listening on every interface: anyone on your network can use it",
                      file=sys.stderr, flush=True)
            if open_browser:
                threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()

    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False,
                            server_header=False)
    Server(config).run()
