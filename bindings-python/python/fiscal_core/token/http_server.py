"""The HTTP transport (Omnitech ``POST /v2``, e-Kassam ``/api/kas_*``).

Server library: the standard library's ``http.server.ThreadingHTTPServer``, chosen on purpose:

- no dependency to install, audit or keep up to date in a package whose point is to be small;
- this is a *loopback test* server for POS developers and CI (``--allow-remote`` is explicit),
  not an internet-facing service: it needs no TLS, no keep-alive tuning, no request routing;
- every request is serialized on the device's lock anyway (one token, one device), so a
  faster server would only queue faster.

The standard library warns that ``http.server`` "is not recommended for production": it
implements only basic security checks. The limits it lacks are set here: a body is read only
to its ``Content-Length`` and at most 4 MiB (the engine's ``MAX_REQUEST_BYTES``), a request
line is at most 64 KiB (``BaseHTTPRequestHandler``'s), and each connection has a 30 s timeout.

A WSGI server such as ``waitress`` would add a dependency and a WSGI layer for what is one
``POST`` handler; its strengths (many slow clients, production hardening) do not apply to
one device on loopback.

NBA and AirConn (``--transport http``; INTEKO talks to NBA's fiscalbox so, at
``http://<ip>:9898/api/v1``): a ``POST`` to any path. Omnitech: ``POST /v2`` with the JSON
text (INTEKO posts to ``http://<ip>:8989/v2``). e-Kassam: the endpoint is the last path segment (``/api/kas_sale``); a ``POST`` body is the request, a
``GET`` (``kas_login``, ``kas_shift``, ``kas_openshift``, ``kas_closeshift``, ``kas_xreport``,
``kas_lastDocument`` are sent without a body) is read as ``{}``, or as the object of its query
parameters (``kas_login?pin=4821``: the deployed clients send no PIN, a real token has it set
on the device). Every answer is ``200`` with the dialect's JSON, success or refusal; ``404``
for another path, ``405`` for another method, ``413`` for a body too large, ``400`` for a
``Content-Length`` that is not a length.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Optional
from urllib.parse import parse_qsl, urlsplit

from fiscal_core.token.service import TokenService

__all__ = ["HttpTokenServer", "MAX_BODY"]

MAX_BODY = 4 * 1024 * 1024


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"
    protocol_version = "HTTP/1.1"
    timeout = 30
    # Headers and body are two writes: without TCP_NODELAY a kept-alive connection waits for
    # the client's delayed ACK (40 ms) on every answer.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base's name
        if self.server.verbose:
            super().log_message(format, *args)

    def _send(self, status: int, body: str) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> Optional[str]:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0:
            self.close_connection = True
            self._send(400, '{"code":101,"message":"bad Content-Length"}')
            return None
        if length > MAX_BODY:
            self.close_connection = True
            self._send(413, '{"code":101,"message":"request too large"}')
            return None
        return self.rfile.read(length).decode("utf-8", errors="replace") if length else ""

    def _route(self, method: str) -> None:
        parts = urlsplit(self.path)
        service = self.server.service
        if service.dialect in ("nba", "airconn"):
            # NBA's fiscalbox over HTTP (INTEKO posts to http://<ip>:9898/api/v1): any path.
            if method != "POST":
                self._send(405, '{"code":405,"message":"POST only"}')
                return
            body = self._body()
            if body is not None:
                service.exchange(body, None, lambda a: self._send(200, a))
            return
        if service.dialect == "omnitech":
            if parts.path.rstrip("/") != "/v2":
                self._send(404, '{"code":404,"message":"not found"}')
                return
            if method != "POST":
                self._send(405, '{"code":405,"message":"POST only"}')
                return
            body = self._body()
            if body is not None:
                service.exchange(body, None, lambda a: self._send(200, a))
            return
        endpoint = parts.path.rstrip("/").rsplit("/", 1)[-1]
        if not endpoint.startswith("kas_"):
            self._send(404, '{"code":404,"message":"not found"}')
            return
        if method == "POST":
            body = self._body()
            if body is None:
                return
            text = body if body.strip() else "{}"
        else:
            text = json.dumps(dict(parse_qsl(parts.query)), ensure_ascii=False)
        service.exchange(text, endpoint, lambda a: self._send(200, a))

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        self._route("POST")

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self._route("GET")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    service: TokenService
    verbose: bool


class HttpTokenServer:
    """Serves ``service`` on ``host``:``port``: Omnitech at ``/v2``, e-Kassam at
    ``…/kas_*``, NBA and AirConn (``--transport http``) at any path by ``POST``."""

    def __init__(self, service: TokenService, host: str, port: int, *, verbose: bool = False) -> None:
        self.httpd = _Server((host, port), _Handler)
        self.httpd.service = service
        self.httpd.verbose = verbose
        self.port: int = self.httpd.server_address[1]
        self._thread: Optional[threading.Thread] = None

    def serve_forever(self) -> None:
        try:
            self.httpd.serve_forever(poll_interval=0.1)
        finally:
            self.httpd.server_close()

    def start(self) -> "HttpTokenServer":
        self._thread = threading.Thread(target=self.serve_forever, name="http-token", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        if self._thread is not None:
            self._thread.join(5)
