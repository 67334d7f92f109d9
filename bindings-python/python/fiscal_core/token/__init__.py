"""A software token for POS developers: the engine behind the transports deployed POS
programs already talk to (ZeroMQ for AirConn and NBA, HTTP for Omnitech ``/v2`` and e-Kassam
``kas_*``), with its device, journal and upload queue in one SQLite file.

``fiscal-core token init|serve|export|upload`` (``fiscal_core.cli``) drive it; see
``store`` (the database), ``service`` (sessions, retries, time, references), ``zmq_server``
and ``http_server`` (the transports). A token made by ``token init`` runs under a **test
authority**: nothing it issues is a fiscal document.
"""

from fiscal_core.token.service import TOKEN_DIALECTS, TokenService, drain
from fiscal_core.token.store import Store

__all__ = ["TOKEN_DIALECTS", "TokenService", "Store", "drain"]
