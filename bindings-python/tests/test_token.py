"""The software token (``fiscal_core.token``): each dialect over its own transport with a real
client, a concurrent load, ``kill -9`` at random moments, and a full database.

Loopback only; every server is stopped (threads are joined, subprocesses killed and waited).
"""

from __future__ import annotations

import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

import pytest
import zmq

from fiscal_core import Device, PublicKey, verify_journal
from fiscal_core.cli import main as cli_main
from fiscal_core.token import Store, TokenService, drain
from fiscal_core.token.http_server import HttpTokenServer
from fiscal_core.token.service import export_journal, init_token
from fiscal_core.token.zmq_server import ZmqTokenServer

PIN = "4821"
B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58decode(text: str) -> bytes:
    n = 0
    for ch in text:
        n = n * 58 + B58.index(ch)
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def loads(text: str) -> dict[str, Any]:
    out: dict[str, Any] = json.loads(text, parse_float=Decimal)
    return out


def sale_data(n: int, cash: str = "10.00") -> dict[str, Any]:
    """A one-line cash sale, made unique by ``n`` (the price)."""
    price = Decimal("1.00") + Decimal(n % 500) / 100
    return {
        "cashier": "Aysel Əliyeva", "currency": "AZN",
        "items": [{"itemName": f"Çörək {n}", "itemCodeType": 0, "itemCode": "",
                   "itemQuantityType": 0, "itemQuantity": 1, "itemPrice": str(price),
                   "itemSum": str(price), "itemVatPercent": 18}],
        "sum": str(price), "cashSum": str(price), "cashlessSum": 0,
        "vatAmounts": [{"vatSum": str(price), "vatPercent": 18}],
    }


def return_data(parent: str, n: int) -> dict[str, Any]:
    data = sale_data(n)
    data["parentDocument"] = parent
    return data


# -- wire texts, per dialect -------------------------------------------------------------
def nba(operation: str, token: Optional[str] = None, **parameters: Any) -> str:
    params: dict[str, Any] = dict(parameters)
    if token is not None:
        params["access_token"] = token
    return json.dumps({"operationId": operation, "version": 1, "parameters": params},
                      ensure_ascii=False)


def nba_doc(token: str, doc_type: str, data: dict[str, Any]) -> str:
    return nba("createDocument", token, doc_type=doc_type, data=data)


def omni(check_type: int, token: Optional[str], data: Optional[dict[str, Any]] = None,
         doc_type: Optional[str] = None, **more: Any) -> str:
    rd: dict[str, Any] = {"checkData": {"check_type": check_type}, **more}
    if token is not None:
        rd["access_token"] = token
    if data is not None:
        params: dict[str, Any] = {"data": data}
        if doc_type:
            params["doc_type"] = doc_type
        rd["tokenData"] = {"parameters": params, "operationId": "createDocument", "version": 1}
    return json.dumps({"requestData": rd}, ensure_ascii=False)


# -- fixtures ---------------------------------------------------------------------------
@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "token.db"
    pin, _ = init_token(path, PIN)
    assert pin == PIN
    return path


def journal_of(db: Path, tmp: Path) -> tuple[str, PublicKey]:
    key_path = export_journal(db, tmp / "journal.jsonl")
    return (tmp / "journal.jsonl").read_text(encoding="utf-8"), PublicKey.from_hex(
        key_path.read_text(encoding="ascii").strip())


def check_journal(db: Path, tmp: Path) -> list[dict[str, Any]]:
    """Exports, verifies (clean) and returns the documents as dicts; checks the stored
    state's last number equals the journal's."""
    text, authority = journal_of(db, tmp)
    report = verify_journal(text, authority)
    assert report.is_valid, [(f.code, f.document_number, f.message) for f in report.findings]
    store = Store(db)
    try:
        device = Device.restore(store.state(), store.device_key())
        assert device.last_number == store.last_number() == report.last_number
    finally:
        store.close()
    lines = text.splitlines()[1:]
    docs = [json.loads(line) for line in lines]
    assert [d["number"] for d in docs] == list(range(1, len(docs) + 1))
    return docs


class Zmq:
    """A REQ client."""

    def __init__(self, address: str, timeout_ms: int = 10_000) -> None:
        self.context: zmq.Context[zmq.Socket[bytes]] = zmq.Context.instance()
        self.address = address
        self.timeout_ms = timeout_ms
        self.sock = self._open()

    def _open(self) -> zmq.Socket[bytes]:
        s: zmq.Socket[bytes] = self.context.socket(zmq.REQ)
        s.setsockopt(zmq.LINGER, 0)
        s.setsockopt(zmq.RCVTIMEO, self.timeout_ms)
        s.connect(self.address)
        return s

    def __call__(self, text: str) -> dict[str, Any]:
        self.sock.send(text.encode("utf-8"))
        return loads(self.sock.recv().decode("utf-8"))

    def close(self) -> None:
        self.sock.close(0)


def http_call(port: int, method: str, path: str, body: Optional[str] = None,
              timeout: float = 10.0) -> dict[str, Any]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Content-Type": "application/json;charset=utf-8"}
        conn.request(method, path, body=None if body is None else body.encode("utf-8"),
                     headers=headers)
        resp = conn.getresponse()
        data = resp.read().decode("utf-8")
        assert resp.status == 200, (resp.status, data)
        return loads(data)
    finally:
        conn.close()


def check_document_answer(data: dict[str, Any], number: int, shift_number: int,
                          journal: Store) -> str:
    """document_id decodes to the fiscal ID of journal document ``number``; returns it."""
    if "long_id" in data:  # Omnitech: at the top
        assert set(data) == {"code", "message", "long_id", "short_id", "document_number",
                             "shift_document_number"}
    else:
        assert set(data) == {"document_id", "short_document_id", "document_number",
                             "shift_document_number"}
    long_id = data.get("document_id", data.get("long_id"))
    short = data.get("short_document_id", data.get("short_id"))
    assert isinstance(data["document_number"], int) and isinstance(data["shift_document_number"], int)
    assert isinstance(long_id, str) and isinstance(short, str)
    assert data["document_number"] == number
    assert data["shift_document_number"] == shift_number
    assert short == long_id[:12]
    found = journal.find(long_id)
    assert found is not None and found.number == number
    assert b58decode(long_id).hex() == found.fiscal_hex
    return long_id


# -- 1. a full day over each transport -----------------------------------------------------
@pytest.mark.parametrize("dialect", ["nba", "airconn"])
def test_a_day_over_zeromq(dialect: str, db: Path, tmp_path: Path) -> None:
    ok = "Successful operation" if dialect == "nba" else "Success operation"
    service = TokenService(db, dialect)
    server = ZmqTokenServer(service, "tcp://127.0.0.1:*").start()
    client = Zmq(server.address)
    store = Store(db)
    try:
        info = client(nba("getInfo"))  # answered without a login, as AirConn's client expects
        assert info["code"] == 0 and info["message"] == ok
        refused = client(nba("openShift", "not-a-token"))
        assert refused["code"] != 0 and set(refused) == {"code", "message"}
        wrong = client(nba("toLogin", pin="0000", role="user"))
        assert wrong["code"] != 0 and set(wrong) == {"code", "message"}
        login = client(nba("toLogin", pin=PIN, role="user"))
        assert set(login) == {"code", "message", "data"} and set(login["data"]) == {"access_token"}
        assert login["code"] == 0 and login["message"] == ok
        token = login["data"]["access_token"]
        assert isinstance(token, str) and len(token) >= 32
        assert client(nba("openShift", token)) == {"code": 0, "message": ok}
        status = client(nba("getShiftStatus", token))["data"]
        assert status["shift_open"] is True
        sale = client(nba_doc(token, "sale", sale_data(1)))
        assert sale["code"] == 0 and sale["message"] == ok
        sale_id = check_document_answer(sale["data"], 3, 1, store)
        back = client(nba_doc(token, "money_back", return_data(sale_id, 1)))
        check_document_answer(back["data"], 4, 2, store)
        dep = client(nba_doc(token, "deposit", {"cashier": "Aysel", "currency": "AZN", "sum": 50}))
        check_document_answer(dep["data"], 5, 0, store)  # cash documents: no receipt number
        withdraw = nba("createDocument", token, doc_type="withdraw", prev_doc_number=5,
                       data={"cashier": "Aysel", "currency": "AZN", "sum": "20.00"})
        wd = client(withdraw)
        check_document_answer(wd["data"], 6, 0, store)
        # The same text again (its prev_doc_number guard): the same answer, no second document.
        assert client(withdraw) == wd and store.last_number() == 6
        # A refused document: the vendor's shape, nothing changes.
        bad = client(nba_doc(token, "sale", {**sale_data(2), "sum": "999.00"}))
        assert bad["code"] != 0 and set(bad) == {"code", "message"} and store.last_number() == 6
        x = client(nba("getXReport", token))["data"]
        assert x["document_id"] == "" and x["firstDocNumber"] == 2 and x["lastDocNumber"] == 6
        assert x["currencies"][0]["saleCount"] == 1 and x["currencies"][0]["saleSum"] == Decimal("1.01")
        last = client(nba("getLastDocument", token))["data"]
        assert last["document_number"] == 6 and last["document_id"] == wd["data"]["document_id"]
        z = client(nba("closeShift", token))["data"]
        assert z["reportNumber"] == 1 and z["lastDocNumber"] == 7  # the Z-report itself
        assert store.find(z["document_id"]) is not None
        assert store.find(z["document_id"]).number == 7  # type: ignore[union-attr]
        assert client(nba("getShiftStatus", token))["data"]["shift_open"] is False
        out = client(nba("toLogout", token))
        assert out["code"] == 0
        # After a logout the token is gone and the device locked.
        assert client(nba("openShift", token))["code"] != 0
    finally:
        client.close()
        server.stop()
        store.close()
        service.close()
    docs = check_journal(db, tmp_path)
    assert [d["number"] for d in docs] == list(range(1, 8))
    assert cli_main(["verify", str(tmp_path / "journal.jsonl"), "--authority",
                     str(tmp_path / "journal.jsonl.authority")]) == 0


def test_a_day_over_http_omnitech(db: Path, tmp_path: Path) -> None:
    service = TokenService(db, "omnitech")
    server = HttpTokenServer(service, "127.0.0.1", 0).start()
    port = server.port
    store = Store(db)

    def call(text: str) -> dict[str, Any]:
        return http_call(port, "POST", "/v2", text)

    try:
        wrong = call(omni(40, None, name="SuperApi", password="0000"))
        assert wrong["code"] == 401 and set(wrong) == {"code", "message"}
        login = call(omni(40, None, name="SuperApi", password=PIN))
        assert set(login) == {"access_token", "code", "message"}
        assert login["code"] == 1 and login["message"] == "login success"
        token = login["access_token"]
        assert call(omni(15, token))["code"] == 0
        st = call(omni(14, token))
        assert st["code"] == 0 and st["shiftStatus"] is True
        sale = call(omni(1, token, sale_data(7), "sale"))
        assert sale["code"] == 0 and sale["message"] == "Successful operation"
        sale_id = check_document_answer(sale, 3, 1, store)
        back = call(omni(100, token, return_data(sale_id, 7), "money_back"))
        check_document_answer(back, 4, 2, store)
        dep = call(omni(7, token, {"cashSum": 100}))
        check_document_answer(dep, 5, 0, store)
        wd = call(omni(8, token, {"cashSum": "30.00"}))
        check_document_answer(wd, 6, 0, store)
        sale2 = call(omni(1, token, sale_data(8), "sale"))
        s2 = check_document_answer(sale2, 7, 3, store)
        rb = call(omni(10, token, {}, fiscalId=s2))
        check_document_answer(rb, 8, 4, store)
        # A second cancel of the same receipt: the vendor's 1312, nothing changes.
        rb2 = call(omni(10, token, {"cashier": "B"}, fiscalId=s2))
        assert rb2["code"] != 0 and store.last_number() == 8
        x = call(omni(12, token))
        assert x["code"] == 0
        z = call(omni(13, token))
        assert z["code"] == 0 and store.last_number() == 9
        assert http_call(port, "POST", "/v2", "not json")["code"] != 0
        assert call(omni(41, token))["code"] == 0
        # An unknown path is 404.
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("POST", "/v3", body=b"{}")
        assert conn.getresponse().status == 404
        conn.close()
    finally:
        server.stop()
        store.close()
        service.close()
    check_journal(db, tmp_path)


def test_http_bounds_what_it_reads(db: Path) -> None:
    service = TokenService(db, "omnitech")
    server = HttpTokenServer(service, "127.0.0.1", 0).start()
    try:
        for length, status in (("99999999", b" 413 "), ("-5", b" 400 "), ("x", b" 400 ")):
            with socket.create_connection(("127.0.0.1", server.port), timeout=5) as s:
                s.sendall(f"POST /v2 HTTP/1.1\r\nHost: x\r\nContent-Length: {length}\r\n\r\n".encode())
                assert status in s.recv(200).split(b"\r\n")[0] + b" "
        assert service.device.last_number == 1
    finally:
        server.stop()
        service.close()


def test_a_day_over_http_ekassam(db: Path, tmp_path: Path) -> None:
    service = TokenService(db, "ekassam")
    server = HttpTokenServer(service, "127.0.0.1", 0).start()
    port = server.port
    store = Store(db)

    def get(endpoint: str) -> dict[str, Any]:
        return http_call(port, "GET", f"/api/{endpoint}")

    def post(endpoint: str, data: dict[str, Any]) -> dict[str, Any]:
        return http_call(port, "POST", f"/api/{endpoint}", json.dumps(data, ensure_ascii=False))

    try:
        # No PIN (the deployed clients' GET): refused; the device stays locked.
        assert get("kas_login")["code"] != 0
        assert get("kas_openshift")["code"] != 0
        login = get(f"kas_login?pin={PIN}")
        assert login["code"] == 0 and login["message"] == "Success operation"
        assert get("kas_openshift")["code"] == 0
        assert get("kas_shift")["data"]["shift_open"] is True
        sale = post("kas_sale", sale_data(3))
        assert set(sale) == {"code", "message", "data"} and sale["message"] == "Success operation"
        sale_id = check_document_answer(sale["data"], 3, 1, store)
        back = post("kas_moneyback", return_data(sale_id, 3))
        check_document_answer(back["data"], 4, 2, store)
        dep = post("kas_depo", {"cashier": "Rəşad", "currency": "AZN", "prev_doc_number": 4, "sum": 50.0})
        check_document_answer(dep["data"], 5, 0, store)  # cash documents: no receipt number
        # The same deposit replayed (prev_doc_number 4): the answer already given.
        assert post("kas_depo", {"cashier": "Rəşad", "currency": "AZN", "prev_doc_number": 4, "sum": 50.0}) == dep
        wd = post("kas_withdraw", {"cashier": "Rəşad", "currency": "AZN", "prev_doc_number": 5, "sum": 10.0})
        check_document_answer(wd["data"], 6, 0, store)
        stale = post("kas_withdraw", {"cashier": "Rəşad", "currency": "AZN", "prev_doc_number": 3, "sum": 11.0})
        assert stale["code"] != 0 and store.last_number() == 6
        assert get("kas_lastDocument")["data"]["document_number"] == 6
        assert get("kas_xreport")["code"] == 0
        z = get("kas_closeshift")
        assert z["code"] == 0 and z["data"]["lastDocNumber"] == 7
        assert http_call(port, "GET", "/api/kas_info")["code"] == 0
    finally:
        server.stop()
        store.close()
        service.close()
    check_journal(db, tmp_path)


def test_nba_over_http_as_inteko_sends_it(db: Path, tmp_path: Path) -> None:
    service = TokenService(db, "nba")
    server = HttpTokenServer(service, "127.0.0.1", 0).start()
    store = Store(db)
    try:
        def call(text: str) -> dict[str, Any]:
            return http_call(server.port, "POST", "/api/v1", text)

        token = call(nba("toLogin", pin=PIN, role="user"))["data"]["access_token"]
        assert call(nba("openShift", token))["code"] == 0
        sale = call(nba_doc(token, "sale", sale_data(9)))
        check_document_answer(sale["data"], 3, 1, store)
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
        conn.request("GET", "/api/v1")
        assert conn.getresponse().status == 405
        conn.close()
    finally:
        server.stop()
        store.close()
        service.close()
    check_journal(db, tmp_path)


def test_cli_init_export_upload_and_the_loopback_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "t.db"
    assert cli_main(["token", "init", "--db", str(db), "--pin", "123456"]) == 0
    out = capsys.readouterr().out
    assert "TEST AUTHORITY" in out and "123456" in out
    assert cli_main(["token", "init", "--db", str(db)]) == 2
    assert cli_main(["token", "serve", "--dialect", "nba", "--listen", "0.0.0.0:0", "--db", str(db)]) == 2
    assert "loopback" in capsys.readouterr().err
    assert cli_main(["token", "upload", "--db", str(db), "--to", str(tmp_path / "up")]) == 0
    assert "uploaded documents 1-1" in capsys.readouterr().out
    assert len(list((tmp_path / "up").glob("upload-*.jsonl"))) == 1
    assert cli_main(["token", "export", "--db", str(db), str(tmp_path / "j.jsonl")]) == 0
    assert cli_main(["verify", str(tmp_path / "j.jsonl"), "--authority",
                     str(tmp_path / "j.jsonl.authority")]) == 0
    # The acknowledgement reaches the device when a service starts.
    service = TokenService(db, "nba")
    assert service.device.acknowledged == 1 and service.device.pending == 0
    service.close()


def test_a_retry_gets_the_answer_that_never_left_and_a_new_request_a_new_document(db: Path) -> None:
    service = TokenService(db, "omnitech")
    try:
        token = loads(service.handle(omni(40, None, name="k", password=PIN)))["access_token"]
        assert loads(service.handle(omni(15, token)))["code"] == 0
        text = omni(1, token, sale_data(5), "sale")

        def broken(answer: str) -> None:
            raise ConnectionResetError("the client went away")

        with pytest.raises(ConnectionResetError):
            service.exchange(text, None, broken)
        assert service.device.last_number == 3
        first = loads(service.handle(text))  # the retry: the answer stored, no new document
        assert first["document_number"] == 3 and service.device.last_number == 3
        # That answer left: the same text now is a second customer with the same basket.
        second = loads(service.handle(text))
        assert second["document_number"] == 4 and second["long_id"] != first["long_id"]
        # e-Kassam-like constant texts: closing and opening again are new shifts.
        assert loads(service.handle(omni(13, token)))["code"] == 0
        assert loads(service.handle(omni(15, token)))["code"] == 0
        assert service.device.last_shift == 2 and service.device.shift_open
    finally:
        service.close()


def test_upload_to_an_http_receiver_acknowledges_on_2xx(db: Path) -> None:
    from http.server import BaseHTTPRequestHandler, HTTPServer

    received: list[tuple[str, str, list[str]]] = []
    status = [503]

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8")
            received.append((self.headers["X-First-Number"], self.headers["X-Last-Number"],
                             body.splitlines()))
            self.send_response(status[0])
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    httpd = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/upload"
    try:
        service = TokenService(db, "nba")
        try:
            token = loads(service.handle(nba("toLogin", pin=PIN, role="user")))["data"]["access_token"]
            service.handle(nba("openShift", token))
            assert service.device.pending == 2
            with pytest.raises(OSError):  # the receiver refuses: nothing acknowledged
                drain(db, url)
            assert cli_main(["token", "upload", "--db", str(db), "--to", url]) == 2
            status[0] = 200
            assert drain(db, url) == (1, 2)
            assert received[-1][:2] == ("1", "2") and len(received[-1][2]) == 2
            assert drain(db, url) == (0, 0)
            service.handle(nba_doc(token, "sale", sale_data(1)))  # the device learns it here
            assert (service.device.acknowledged, service.device.pending) == (2, 1)
        finally:
            service.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


@pytest.mark.parametrize("form", ["journal_line", "json"])
def test_init_with_a_loaded_certificate(tmp_path: Path, form: str,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    from datetime import datetime, timedelta, timezone

    from fiscal_core import Certificate, PrivateKey

    authority, key = PrivateKey.from_seed(b"lab authority" * 3), PrivateKey.from_seed(b"lab device" * 4)
    now = datetime.now(timezone.utc)
    cert = Certificate.issue(
        authority, serial=77, kassa_model="Lab", kassa_factory_number="L-1",
        nmq_factory_number="N-1", nmq_registration_number="R-1", taxpayer_name="Lab MMC",
        voen="1234567891", object_code="O", object_name="Lab", object_address="Bakı",
        valid_from=now - timedelta(days=1), valid_until=now + timedelta(days=365),
        device_key=key.public_key())
    (tmp_path / "cert").write_text(cert.to_journal_line() if form == "journal_line" else cert.to_json())
    (tmp_path / "key").write_text(key.to_bytes().hex())
    (tmp_path / "auth").write_text(authority.public_key().hex())
    db = tmp_path / "lab.db"
    args = ["token", "init", "--db", str(db), "--certificate", str(tmp_path / "cert"),
            "--device-key", str(tmp_path / "key"), "--authority", str(tmp_path / "auth")]
    assert cli_main(args) == 2  # no --pin
    assert cli_main([*args, "--pin", "2468"]) == 0
    out = capsys.readouterr().out
    assert "TEST AUTHORITY" not in out and "keep that file as secret" in out
    # Another device's key: the engine refuses to activate.
    (tmp_path / "key").write_text(PrivateKey.from_seed(b"x" * 32).to_bytes().hex())
    assert cli_main([*args[:3], str(tmp_path / "other.db"), *args[4:], "--pin", "2468"]) == 2
    service = TokenService(db, "nba")
    try:
        assert service.device.certificate == cert
        assert loads(service.handle(nba("toLogin", pin="2468", role="user")))["code"] == 0
    finally:
        service.close()
    check_journal(db, tmp_path)


def test_sessions_expire(db: Path) -> None:
    service = TokenService(db, "nba", session_lifetime=0.2)
    try:
        token = loads(service.handle(nba("toLogin", pin=PIN, role="user")))["data"]["access_token"]
        assert loads(service.handle(nba("openShift", token)))["code"] == 0
        time.sleep(0.3)
        expired = loads(service.handle(nba_doc(token, "sale", sale_data(1))))
        assert expired["code"] != 0 and service.device.last_number == 2
    finally:
        service.close()


def test_pin_lockout_applies(db: Path) -> None:
    service = TokenService(db, "nba")
    try:
        for _ in range(5):
            assert loads(service.handle(nba("toLogin", pin="0000", role="user")))["code"] != 0
        assert loads(service.handle(nba("toLogin", pin=PIN, role="user")))["code"] != 0
        assert service.device.status == "locked"
    finally:
        service.close()
    # The lock is in the stored state.
    again = TokenService(db, "nba")
    try:
        assert again.device.status == "locked"
        # One process serves a token: a second service on the same file is refused.
        with pytest.raises(RuntimeError, match="another process"):
            TokenService(db, "omnitech")
    finally:
        again.close()


# -- 2. load ------------------------------------------------------------------------------
def test_load_eight_clients_four_thousand_documents(db: Path, tmp_path: Path) -> None:
    service = TokenService(db, "nba")
    server = ZmqTokenServer(service, "tcp://127.0.0.1:*").start()
    upload_dir = tmp_path / "uploads"
    stop = threading.Event()

    def uploader() -> None:
        while not stop.wait(0.3):
            drain(db, upload_dir)

    up = threading.Thread(target=uploader)
    up.start()
    told: dict[int, list[tuple[int, str]]] = {}
    errors: list[str] = []
    try:
        first = Zmq(server.address)
        token = first(nba("toLogin", pin=PIN, role="user"))["data"]["access_token"]
        assert first(nba("openShift", token))["code"] == 0
        first.close()

        def client(c: int) -> None:
            z = Zmq(server.address, timeout_ms=60_000)
            mine: list[tuple[int, str]] = []
            try:
                tok = z(nba("toLogin", pin=PIN, role="user"))["data"]["access_token"]
                for i in range(500):
                    a = z(nba_doc(tok, "sale", sale_data(c * 1000 + i)))
                    if a["code"] != 0:
                        errors.append(f"client {c} doc {i}: {a}")
                        return
                    mine.append((a["data"]["document_number"], a["data"]["document_id"]))
            finally:
                z.close()
                told[c] = mine

        threads = [threading.Thread(target=client, args=(c,)) for c in range(8)]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join(150)
        elapsed = time.monotonic() - started
        assert not errors, errors[:3]
    finally:
        stop.set()
        up.join()
        server.stop()
        service.close()
    print(f"\n  load: 4000 documents by 8 clients in {elapsed:.1f} s")
    numbers = sorted(n for mine in told.values() for n, _ in mine)
    assert len(numbers) == 4000 and numbers == list(range(3, 4003))
    ids = [i for mine in told.values() for _, i in mine]
    assert len(set(ids)) == 4000
    docs = check_journal(db, tmp_path)
    assert len(docs) == 4002
    journal_ids = {d["id"] for d in docs}
    assert {b58decode(i).hex() for i in ids} <= journal_ids


# -- 3. kill -9 ---------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def listening(port: int, limit: float = 10.0) -> None:
    """Waits until the server accepts connections."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.01)
    raise TimeoutError(f"nothing listens on {port}")


def start_server(db: Path, port: int, log: Any) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    return subprocess.Popen(
        [sys.executable, "-m", "fiscal_core", "token", "serve", "--dialect", "omnitech",
         "--listen", f"127.0.0.1:{port}", "--db", str(db), "--verbose"],
        stdout=subprocess.DEVNULL, stderr=log, env=env,
    )


def test_kill_nine_at_random_moments_loses_and_duplicates_nothing(db: Path, tmp_path: Path) -> None:
    rng = random.Random(17)
    port = free_port()
    kills = 0
    stop = threading.Event()
    done = threading.Event()
    relogins: dict[int, int] = {}
    told: dict[int, list[tuple[int, str]]] = {}
    failures: list[str] = []

    def post(text: str) -> Optional[dict[str, Any]]:
        try:
            return http_call(port, "POST", "/v2", text, timeout=2.0)
        except (OSError, http.client.HTTPException):
            return None

    def login() -> str:
        while not stop.is_set():
            a = post(omni(40, None, name="SuperApi", password=PIN))
            if a is not None and a.get("code") == 1:
                token: str = a["access_token"]
                return token
            time.sleep(0.02)
        raise RuntimeError("stopped")

    def client(c: int) -> None:
        mine: list[tuple[int, str]] = []
        told[c] = mine
        try:
            token = login()
            i = 0
            while not done.is_set() and i < 1000:
                i += 1
                refusals = 0
                while True:
                    text = omni(1, token, sale_data(c * 1000 + i), "sale")
                    a = post(text)
                    while a is None:  # the server is down: the same text again
                        time.sleep(0.02)
                        a = post(text)
                    if a["code"] == 0:
                        mine.append((a["document_number"], a["long_id"]))
                        break
                    # Refused: the restarted device wants the PIN (nothing was issued: a
                    # request carried out is answered from the store, never refused).
                    refusals += 1
                    if refusals > 3:
                        raise AssertionError(f"refused after a new login: {a}")
                    relogins[c] = relogins.get(c, 0) + 1
                    token = login()
        except Exception as e:  # noqa: BLE001 - reported below
            failures.append(f"client {c}: {e!r}")

    log = (tmp_path / "server.log").open("ab")
    proc = start_server(db, port, log)
    try:
        token = None
        while token is None:
            a = post(omni(40, None, name="SuperApi", password=PIN))
            token = a["access_token"] if a and a.get("code") == 1 else None
            time.sleep(0.05)
        assert post(omni(15, token))["code"] == 0  # type: ignore[index]
        threads = [threading.Thread(target=client, args=(c,)) for c in range(4)]

        def uploader() -> None:  # beside the server's kills, another process's connection
            while not done.wait(0.5):
                drain(db, tmp_path / "uploads")

        threads_up = threading.Thread(target=uploader)
        threads_up.start()
        started = time.monotonic()
        for t in threads:
            t.start()
        while kills < 50 and any(t.is_alive() for t in threads):
            listening(port)
            time.sleep(rng.uniform(0.0, 0.15))  # a random moment of the load
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            kills += 1
            proc = start_server(db, port, log)
        done.set()
        threads_up.join()
        for t in threads:
            t.join(60)
        elapsed = time.monotonic() - started
        assert not failures, failures
        assert not any(t.is_alive() for t in threads)
    finally:
        stop.set()
        done.set()
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        log.close()
    replays = (tmp_path / "server.log").read_text(encoding="utf-8").count("answered again")
    print(f"\n  faults: {kills} kills, {sum(len(m) for m in told.values())} documents, "
          f"{sum(relogins.values())} new logins after a restart, {replays} retries answered "
          f"from the store, in {elapsed:.1f} s")
    assert kills >= 50
    docs = check_journal(db, tmp_path)
    sales = {d["id"]: d["number"] for d in docs if d["number"] > 2}
    told_all = [(n, b58decode(i).hex()) for mine in told.values() for n, i in mine]
    assert len(told_all) >= 50
    # Every document a client was told about is in the journal exactly once, under its
    # number; and the journal holds nothing else (every issued document reached a client).
    assert len({i for _, i in told_all}) == len(told_all)
    assert {i: n for n, i in told_all} == sales


# -- 4. a full database -------------------------------------------------------------------
def test_a_full_database_refuses_cleanly_and_corrupts_nothing(db: Path, tmp_path: Path) -> None:
    """A full disk without root: SQLite's own ``max_page_count`` makes the next write fail
    with SQLITE_FULL ("database or disk is full"), the error a full tmpfs gives."""
    service = TokenService(db, "nba")
    try:
        token = loads(service.handle(nba("toLogin", pin=PIN, role="user")))["data"]["access_token"]
        assert loads(service.handle(nba("openShift", token)))["code"] == 0
        pages = service.store.db.execute("PRAGMA page_count").fetchone()[0]
        service.store.db.execute(f"PRAGMA max_page_count = {pages}")
        refused = None
        for i in range(200):
            before = service.store.last_number()
            a = loads(service.handle(nba_doc(token, "sale", sale_data(i))))
            if a["code"] != 0:
                refused = a
                assert service.store.last_number() == before
                break
        assert refused is not None and set(refused) == {"code", "message"}
        # The device went back to the stored state (and wants the PIN again).
        assert service.device.last_number == service.store.last_number()
        service.store.db.execute("PRAGMA max_page_count = 1073741823")
        token = loads(service.handle(nba("toLogin", pin=PIN, role="user")))["data"]["access_token"]
        assert loads(service.handle(nba_doc(token, "sale", sale_data(999))))["code"] == 0
    finally:
        service.close()
    check_journal(db, tmp_path)
