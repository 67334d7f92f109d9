"""The receipt by e-mail (SPEC.md §17): the MIME message's parts, the HTML's e-mail rules, and
the HTML in headless Chromium at 360 and 600 px — no sideways scrolling, and its QR code
(the message's PNG part, put where ``cid:`` points) scanned back from a screenshot with
``zbarimg``. Debian's chromium and zbar-tools (test.sh installs them).

Chromium's window is never narrower than 500 px, so the page is drawn in an ``<iframe>`` of
the exact width, whose document a script of the surrounding page measures (``srcdoc``: same
origin). A second frame holding a page 1000 px wide must be found scrolling: the measure is
not vacuous.
"""

from __future__ import annotations

import email
import email.policy
import html as html_lib
import json
import re
import shutil
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from conftest import Till, item, sale
from fiscal_core import Document
from fiscal_core.cli import main
from fiscal_core.email_receipt import message

PNG = b"\x89PNG\r\n\x1a\n"


def receipt(till: Till) -> Document:
    """A sale with Azerbaijani letters, a long item name and a word longer than a phone."""
    return till.issue(
        sale(
            item("Çörək ağ, dilimlənmiş, 500 qram, Bakı çörək zavodu", 2, "0.60"),
            item("ŞəkərsizüzümşirəsiTəbiiməhsulBakıQəbələŞamaxıGəncəŞəki", 1, "3.40"),
            cashSum="4.60",
        )
    )


def parts(msg: EmailMessage) -> tuple[EmailMessage, EmailMessage, EmailMessage]:
    """text/plain, text/html and image/png, checking the tree on the way."""
    assert msg.get_content_type() == "multipart/alternative"
    plain, related = msg.iter_parts()
    assert isinstance(plain, EmailMessage) and isinstance(related, EmailMessage)
    assert plain.get_content_type() == "text/plain"
    assert related.get_content_type() == "multipart/related"
    html_part, image = related.iter_parts()
    assert isinstance(html_part, EmailMessage) and isinstance(image, EmailMessage)
    assert html_part.get_content_type() == "text/html"
    assert image.get_content_type() == "image/png"
    return plain, html_part, image


def test_the_message_is_text_or_html_with_its_qr_png_related(till: Till) -> None:
    doc = receipt(till)
    msg = message(doc, till.certificate, sender="kassa@example.com", to=["a@example.com", "b@example.com"])
    # The bytes read back the same (what an .eml file or SMTP carries).
    msg = email.message_from_bytes(bytes(msg), policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    assert msg["From"] == "kassa@example.com" and msg["To"] == "a@example.com, b@example.com"
    assert msg["Subject"] == f"SATIŞ ÇEKİ {doc.short_id} — Bakı Çörək MMC"
    plain, html_part, image = parts(msg)
    assert plain.get_content() == doc.render(till.certificate, width=42)
    html = html_part.get_content()
    assert isinstance(html, str)
    cid = image["Content-ID"]
    assert cid == f"<qr.{doc.short_id}@fiscal-core.invalid>"
    # On the wire as it is: a folded or encoded Content-ID no longer matches its cid:.
    assert f"\nContent-ID: {cid}\n".encode() in bytes(message(doc, till.certificate))
    assert f'src="cid:{cid[1:-1]}"' in html
    assert image.get_content_disposition() == "inline"
    png = image.get_content()
    assert isinstance(png, bytes) and png.startswith(PNG)
    # E-mail readers drop these: none may carry the receipt.
    for banned in ("<style", "<svg", "data:", "<script", "class=", "<link"):
        assert banned not in html.lower(), banned
    assert "Bakı Çörək MMC" in html and "Çörək dükanı №3" in html
    assert message(doc, till.certificate, subject="Çekiniz")["Subject"] == "Çekiniz"


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "needs chromium: apt-get install chromium (test.sh does)"
    return found


def run_chromium(page: Path, width: int, height: int, profile: Path, *flags: str) -> str:
    out = subprocess.run(
        [
            chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--no-first-run", "--disable-extensions", f"--user-data-dir={profile}",
            f"--window-size={width},{height}", *flags, page.as_uri(),
        ],
        capture_output=True, text=True, timeout=90,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout


def harness(html: str, width: int, height: int) -> str:
    """A page drawing ``html`` in a frame ``width`` px wide, and a page 1000 px wide in another
    (the control), measured once everything has loaded into ``data-result``."""
    control = '<!DOCTYPE html><html><body style="margin:0"><div style="width:1000px">x</div></body></html>'
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">
<iframe id="mail" width="{width}" height="{height}" style="border:0;display:block" srcdoc="{html_lib.escape(html)}"></iframe>
<iframe id="control" width="{width}" height="40" style="border:0;display:block" srcdoc="{html_lib.escape(control)}"></iframe>
<script>
window.addEventListener("load", function () {{
  function measure(id) {{
    var d = document.getElementById(id).contentDocument;
    var img = d.querySelector("img");
    return {{scroll: d.documentElement.scrollWidth, client: d.documentElement.clientWidth,
             height: d.body.getBoundingClientRect().height,
             image: img ? img.naturalWidth : -1}};
  }}
  document.body.setAttribute("data-result", JSON.stringify({{mail: measure("mail"), control: measure("control")}}));
}});
</script></body></html>"""


@pytest.mark.parametrize("width", [360, 600])
def test_the_html_fits_a_phone_and_its_qr_scans_back_from_chromium(
    till: Till, tmp_path: Path, width: int
) -> None:
    zbarimg = shutil.which("zbarimg")
    assert zbarimg, "needs zbarimg: apt-get install zbar-tools (test.sh does)"
    doc = receipt(till)
    _, html_part, image = parts(message(doc, till.certificate))
    html = html_part.get_content()
    png = image.get_content()
    assert isinstance(html, str) and isinstance(png, bytes)
    # The browser shows the PNG part where the message's reader would: cid: → the file.
    (tmp_path / "qr.png").write_bytes(png)
    cid = "cid:" + image["Content-ID"][1:-1]
    assert html.count(cid) == 1
    shown = html.replace(cid, (tmp_path / "qr.png").as_uri())
    height = 3000
    page = tmp_path / "page.html"
    page.write_text(harness(shown, width, height), encoding="utf-8")
    window = (max(width, 500), height + 60)

    dom = run_chromium(page, *window, tmp_path / "profile", "--dump-dom")
    found = re.search(r'data-result="([^"]*)"', dom)
    assert found, dom[-2000:]
    result: dict[str, Any] = json.loads(html_lib.unescape(found.group(1)))
    mail, control = result["mail"], result["control"]
    assert control["scroll"] > control["client"], f"the control page must scroll: {control}"
    assert mail["client"] == width
    assert mail["scroll"] <= mail["client"], f"scrolls sideways at {width} px: {mail}"
    assert mail["image"] > 0, "the QR image loaded"
    assert mail["height"] < height, f"the whole receipt is in the frame: {mail}"

    shot = tmp_path / f"email-{width}.png"
    run_chromium(page, *window, tmp_path / "profile", f"--screenshot={shot}")
    out = subprocess.run(
        [zbarimg, "--quiet", "--raw", str(shot)], capture_output=True, text=True, timeout=30
    )
    assert out.stdout.split() == [doc.qr_payload()]


def test_show_writes_the_eml(till: Till, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = receipt(till)
    journal = tmp_path / "journal.jsonl"
    journal.write_text(till.journal(), encoding="utf-8")
    out = tmp_path / "out.eml"
    with out.open("wb") as f:
        monkeypatch.setattr(sys, "stdout", _BinaryStdout(f))
        assert main(["show", str(journal), "--number", str(doc.number), "--format", "eml"]) == 0
    msg = email.message_from_bytes(out.read_bytes(), policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    assert doc.short_id in msg["Subject"]
    _, _, image = parts(msg)
    assert image.get_content() == parts(message(doc, till.certificate))[2].get_content()


class _BinaryStdout:
    """Standard output whose ``buffer`` is a file (what ``show`` writes bytes to)."""

    def __init__(self, f: Any) -> None:
        self.buffer = f

    def write(self, text: str) -> int:
        return int(self.buffer.write(text.encode()))

    def flush(self) -> None:
        self.buffer.flush()
