"""The receipt by e-mail (SPEC.md §17): a ready MIME message built with Python's ``email``.

The engine makes the parts (``Document.render_email``): the subject, the receipt as plain
text, the HTML — tables and inline styles only, no ``<style>``, no inline SVG, no ``data:``
URI, readable on a 360 px phone — and the QR code as a PNG, which the HTML shows by
``cid:``. This module only puts them together::

    multipart/alternative
    ├── text/plain; charset=utf-8           the receipt as text (42 columns)
    └── multipart/related
        ├── text/html; charset=utf-8        <img src="cid:qr.<short id>@fiscal-core.invalid">
        └── image/png (inline, Content-ID)  the QR code

Sending one::

    from fiscal_core.email_receipt import message
    msg = message(document, certificate, sender="kassa@example.com", to="customer@example.com")
    smtplib.SMTP("localhost").send_message(msg)
"""

from __future__ import annotations

from email.message import EmailMessage
from typing import Optional, Sequence, Union

from fiscal_core._native import DEFAULT_QR_BASE, Certificate, Document
from fiscal_core.results import Language

__all__ = ["message"]


def message(
    document: Document,
    certificate: Certificate,
    *,
    language: Language = "az",
    qr_base: str = DEFAULT_QR_BASE,
    sender: Optional[str] = None,
    to: Union[str, Sequence[str], None] = None,
    subject: Optional[str] = None,
) -> EmailMessage:
    """The e-mail receipt of ``document`` as a MIME message (``bytes(msg)`` is the ``.eml``
    file; ``smtplib.SMTP.send_message(msg)`` sends it).

    ``sender`` and ``to`` fill From and To when given (an SMTP client may set them instead);
    ``subject`` replaces the engine's (the receipt's title, short fiscal ID and taxpayer).
    Raises what ``Document.render_email`` raises.
    """
    title, text, html, content_id, png = document.render_email(
        certificate, language=language, qr_base=qr_base
    )
    msg = EmailMessage()
    msg["Subject"] = subject if subject is not None else title
    if sender is not None:
        msg["From"] = sender
    if to is not None:
        msg["To"] = to if isinstance(to, str) else ", ".join(to)
    msg.set_content(text, subtype="plain", charset="utf-8")
    msg.add_alternative(html, subtype="html", charset="utf-8")
    for part in msg.iter_parts():
        if part.get_content_type() == "text/html":
            # add_related makes the HTML part multipart/related: the HTML first, then the PNG.
            part.add_related(
                png,
                maintype="image",
                subtype="png",
                cid=f"<{content_id}>",
                disposition="inline",
                filename="qr.png",
            )
    return msg
