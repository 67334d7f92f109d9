"""The ZeroMQ transport (AirConn, NBA): a REP socket, one frame in, one frame out.

Set Retail 10 talks to AirConn through a jeromq REQ socket (``tcp://127.0.0.1:6712`` by
default, 5 s receive timeout, one UTF-8 frame per request: spec/dialects/samples/
INDEX-airconn-ekassam.md); NBA's fiscalbox speaks the same envelope. A REP socket answers its
REQ peers one request at a time, so requests are serialized before they reach the service's
lock. Library: ``pyzmq`` (the reference Python binding of libzmq, typed, wheels for every
platform).
"""

from __future__ import annotations

import threading
from typing import Optional

import zmq

from fiscal_core.token.service import TokenService

__all__ = ["ZmqTokenServer"]


class ZmqTokenServer:
    """Serves ``service`` on ``address`` (``tcp://127.0.0.1:6712``) until ``stop``."""

    def __init__(self, service: TokenService, address: str) -> None:
        self.service = service
        self.context = zmq.Context()
        self.socket = self.context.socket(zmq.REP)
        self.socket.setsockopt(zmq.LINGER, 0)
        if "[" in address:
            self.socket.setsockopt(zmq.IPV6, 1)
        try:
            self.socket.bind(address)
        except zmq.ZMQError:
            self.socket.close(0)
            self.context.term()
            raise
        #: The address bound (with the port the system chose for ``tcp://127.0.0.1:*``).
        self.address: str = self.socket.getsockopt_string(zmq.LAST_ENDPOINT)
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None

    def serve_forever(self) -> None:
        poller = zmq.Poller()
        poller.register(self.socket, zmq.POLLIN)
        try:
            while not self._stop.is_set():
                if not dict(poller.poll(100)):
                    continue
                frame = self.socket.recv()
                text = frame.decode("utf-8", errors="replace")
                self.service.exchange(text, None, lambda a: self.socket.send(a.encode("utf-8")))
        finally:
            self.socket.close(0)
            self.context.term()

    def start(self) -> "ZmqTokenServer":
        """Serves in a background thread."""
        self._thread = threading.Thread(target=self.serve_forever, name="zmq-token", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
