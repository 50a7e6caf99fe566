"""Binding a port and serving the workbench (Werkzeug's threaded WSGI server).

A local, single-user tool needs no production server: Werkzeug's is
threaded (a slow page does not block the next request), ships with Flask
and starts in milliseconds. Its access log is off: the first request's
address holds the token.
"""

from __future__ import annotations

import errno
import secrets
import threading
from dataclasses import dataclass
from typing import Final

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from glossary.errors import ServerError

from .app import allowed_hosts, create_app
from .workbench import Workbench

DEFAULT_PORT: Final = 8765
PORT_TRIES: Final = 20


class _QuietHandler(WSGIRequestHandler):
    """No access log (the first address holds the token); errors still go to stderr."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


@dataclass
class Running:
    """A bound, not yet serving, workbench: `url` holds the token."""

    server: BaseWSGIServer
    url: str
    host: str
    port: int

    def serve_forever(self) -> None:
        self.server.serve_forever()

    def start_thread(self) -> threading.Thread:
        """Serve in a daemon thread (tests and benchmarks); `shutdown` stops it."""
        thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        thread.start()
        return thread

    def shutdown(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def bind(
    bench: Workbench,
    *,
    host: str = "127.0.0.1",
    port: int | None = None,
    token: str | None = None,
) -> Running:
    """Create the app and bind it: the given port, or the first free one from
    `DEFAULT_PORT` when none is given (0: any free port)."""
    token = token or secrets.token_urlsafe(32)
    app = create_app(bench, token=token)
    tries = [port] if port is not None else [DEFAULT_PORT + n for n in range(PORT_TRIES)]
    server: BaseWSGIServer | None = None
    for candidate in tries:
        try:
            server = make_server(host, candidate, app, threaded=True, request_handler=_QuietHandler)
            break
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE and port is None:
                continue
            raise ServerError(_bind_message(host, candidate, exc)) from None
        except SystemExit:  # werkzeug exits when the port is taken on some platforms
            raise ServerError(f"Port {candidate} is in use; choose another with --port.") from None
    if server is None:
        raise ServerError(
            f"Ports {tries[0]}-{tries[-1]} are all in use; choose a free one with --port."
        )
    bound = server.server_port
    app.config["GLOSSARY_HOSTS"] = allowed_hosts(host, bound)
    app.config["GLOSSARY_COOKIE"] = f"glossary_token_{bound}"
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    shown = f"[{shown}]" if ":" in shown else shown
    return Running(server, f"http://{shown}:{bound}/?token={token}", host, bound)


def _bind_message(host: str, port: int, exc: OSError) -> str:
    if exc.errno == errno.EADDRINUSE:
        return f"Port {port} is in use; choose another with --port (or leave --port out)."
    if exc.errno == errno.EACCES:
        return f"Port {port} needs administrator rights; choose one above 1023 with --port."
    if exc.errno in (errno.EADDRNOTAVAIL, -2, -3, -5):
        return f"Cannot serve on {host!r}: this machine has no such address. Leave --host out."
    return f"Cannot serve on {host}:{port}: {exc.strerror or exc}."
