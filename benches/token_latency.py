#!/usr/bin/env python3
"""Latency of one issue through the token server, per transport (issue #17): p50 / p99.

    .venv/bin/python benches/token_latency.py [--documents N] [--clients C]

Run from the repository root with the Python module installed (`bash bindings-python/test.sh`
installs it, with `pyzmq`, into `.venv`). For each dialect it makes a test token in a
temporary directory, serves it on loopback in this process (ZeroMQ for `nba` and `airconn`,
HTTP for `omnitech` and `ekassam`), logs in, opens a shift and times N one-line cash sales
sent by C clients (one connection each), each from the request's send to the answer's last
byte: the engine's work (validation, tax, signature), the lock, one SQLite transaction with
`synchronous=FULL` (an `fsync` of the WAL per document: the disk sets the floor) and the
transport. Printed, not asserted; the numbers depend on the disk above all.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable

import zmq

from fiscal_core.token.http_server import HttpTokenServer
from fiscal_core.token.service import TokenService, drain, init_token
from fiscal_core.token.zmq_server import ZmqTokenServer

PIN = "4821"


def sale(n: int) -> dict[str, Any]:
    price = f"{1 + (n % 900) / 100:.2f}"
    return {"cashier": "Bench", "currency": "AZN",
            "items": [{"itemName": f"Item {n}", "itemQuantity": 1, "itemPrice": price,
                       "itemSum": price, "itemVatPercent": 18}],
            "sum": price, "cashSum": price, "vatAmounts": [{"vatSum": price, "vatPercent": 18}]}


def nba(op: str, **p: Any) -> str:
    return json.dumps({"operationId": op, "version": 1, "parameters": p})


def omni(check: int, token: str | None, data: dict[str, Any] | None = None, **more: Any) -> str:
    rd: dict[str, Any] = {"checkData": {"check_type": check}, **more}
    if token:
        rd["access_token"] = token
    if data is not None:
        rd["tokenData"] = {"parameters": {"doc_type": "sale", "data": data},
                           "operationId": "createDocument", "version": 1}
    return json.dumps({"requestData": rd})


def zmq_client(address: str) -> Callable[[str], dict[str, Any]]:
    sock: zmq.Socket[bytes] = zmq.Context.instance().socket(zmq.REQ)
    sock.connect(address)

    def call(text: str) -> dict[str, Any]:
        sock.send_string(text)
        out: dict[str, Any] = json.loads(sock.recv())
        return out
    return call


def http_client(port: int) -> Callable[[str, str, str | None], dict[str, Any]]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def call(method: str, path: str, body: str | None) -> dict[str, Any]:
        conn.request(method, path, body=body, headers={"Content-Type": "application/json"})
        out: dict[str, Any] = json.loads(conn.getresponse().read())
        return out
    return call


def run(dialect: str, documents: int, clients: int, tmp: Path) -> list[float]:
    db = tmp / f"{dialect}.db"
    init_token(db, PIN)
    service = TokenService(db, dialect)
    server: Any
    if dialect in ("nba", "airconn"):
        server = ZmqTokenServer(service, "tcp://127.0.0.1:*").start()
        first = zmq_client(server.address)
        token = first(nba("toLogin", pin=PIN, role="user"))["data"]["access_token"]
        first(nba("openShift", access_token=token))

        def one_client(c: int, out: list[float]) -> None:
            call = zmq_client(server.address)
            for i in range(documents // clients):
                text = nba("createDocument", access_token=token, doc_type="sale",
                           data=sale(c * 100_000 + i))
                t = time.perf_counter()
                assert call(text)["code"] == 0
                out.append(time.perf_counter() - t)
    else:
        server = HttpTokenServer(service, "127.0.0.1", 0).start()
        first_http = http_client(server.port)
        if dialect == "omnitech":
            token = first_http("POST", "/v2", omni(40, None, name="b", password=PIN))["access_token"]
            first_http("POST", "/v2", omni(15, token))
        else:
            token = ""
            first_http("GET", f"/api/kas_login?pin={PIN}", None)
            first_http("GET", "/api/kas_openshift", None)

        def one_client(c: int, out: list[float]) -> None:
            call = http_client(server.port)
            for i in range(documents // clients):
                if dialect == "omnitech":
                    args = ("POST", "/v2", omni(1, token, sale(c * 100_000 + i)))
                else:
                    args = ("POST", "/api/kas_sale", json.dumps(sale(c * 100_000 + i)))
                t = time.perf_counter()
                assert call(*args)["code"] == 0
                out.append(time.perf_counter() - t)
    samples: list[list[float]] = [[] for _ in range(clients)]
    threads = [threading.Thread(target=one_client, args=(c, samples[c])) for c in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    server.stop()
    service.close()
    drain(db, tmp / "uploads")
    return [s for per in samples for s in per]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--documents", type=int, default=2000, help="sales per transport (< 4000)")
    p.add_argument("--clients", type=int, default=1, help="concurrent clients")
    args = p.parse_args()
    print(f"{'dialect':10} {'transport':9} {'docs':>6} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'docs/s':>8}")
    with tempfile.TemporaryDirectory() as d:
        for dialect, transport in (("nba", "zeromq"), ("airconn", "zeromq"),
                                   ("omnitech", "http"), ("ekassam", "http")):
            started = time.perf_counter()
            lat = sorted(run(dialect, args.documents, args.clients, Path(d)))
            wall = time.perf_counter() - started
            q = statistics.quantiles(lat, n=100)
            print(f"{dialect:10} {transport:9} {len(lat):6d} {q[49] * 1e3:8.2f} {q[98] * 1e3:8.2f} "
                  f"{lat[-1] * 1e3:8.2f} {len(lat) / wall:8.0f}")


if __name__ == "__main__":
    main()
