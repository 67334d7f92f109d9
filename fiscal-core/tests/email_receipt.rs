//! The e-mail receipt (SPEC.md §17, feature `raster`): HTML that e-mail readers show as it is
//! — tables and inline styles, no `<style>`, no class, no script, no inline SVG, no `data:`
//! URI — with the QR code an attached PNG shown by `cid:`, which scans back to the payload
//! (`zbarimg`, Debian's zbar-tools). The HTML in a browser at 360 and 600 px is checked by
//! the Python package's tests (bindings-python/tests/test_email_receipt.py, headless Chromium).
#![cfg(feature = "raster")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::device::*;

use std::path::PathBuf;
use std::process::Command;

use fiscal_core::render::{qr_png, Labels, Receipt, Row};

const QR_BASE: &str = "https://monitoring.e-kassa.gov.az/#/index?doc=";

#[test]
fn the_email_html_is_tables_and_inline_styles_and_its_qr_is_the_attached_png() {
    let (mut d, _) = activated();
    d.open_shift(at(9, 0, 0)).unwrap();
    let doc = issue(
        &mut d,
        r#"{"doc_type":"sale","data":{"cashier":"Gülşən Əliyeva","items":[
            {"itemName":"Çörək ağ, dilimlənmiş, 500 qram, Bakı çörək zavodu","itemQuantity":2,"itemPrice":0.60,"itemVatPercent":18},
            {"itemName":"Uzunsözlüməhsuladıkisözarasındaboşluqolmadan","itemQuantity":1,"itemPrice":1.00,"itemVatPercent":18}],
          "cashSum":2.20}}"#,
        at(9, 2, 0),
        &[],
    );
    let cert = certificate().body().clone();
    let r = Receipt {
        document: &doc,
        certificate: Some(&cert),
        qr_base: QR_BASE,
    };
    let l = Labels::azerbaijani();
    let email = r.email(&l).unwrap();
    let payload = format!("{QR_BASE}{}", doc.id().long());

    assert_eq!(email.qr_content_id, r.email_qr_content_id());
    assert_eq!(
        email.qr_content_id,
        format!("qr.{}@fiscal-core.invalid", doc.id().short())
    );
    assert_eq!(
        email.subject,
        format!("SATIŞ ÇEKİ {} — Bakı Çörək MMC", doc.id().short())
    );
    assert_eq!(email.text, r.text(&l, 42, false));
    let html = &email.html;
    assert_eq!(html, &r.email_html(&l).unwrap());
    let lower = html.to_lowercase();
    for banned in [
        "<style",
        "<svg",
        "data:",
        "<script",
        "class=",
        "<link",
        "javascript:",
    ] {
        assert!(!lower.contains(banned), "the e-mail HTML has {banned}");
    }
    assert!(html.contains(&format!("src=\"cid:{}\"", email.qr_content_id)));
    assert_eq!(html.matches("<img ").count(), 1);
    assert!(html.contains(&format!("<a href=\"{payload}\"")));
    // Every row's words are in the HTML.
    for row in r.rows(&l) {
        let words = match row {
            Row::Center { text, .. } | Row::Text(text) => text,
            Row::Pair(label, value) => format!("{label} {value}"),
            Row::Qr(payload) => payload,
            Row::Rule => String::new(),
        };
        for word in words.split_whitespace() {
            let escaped = word
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            assert!(html.contains(&escaped), "{word:?} is not in the HTML");
        }
    }
    // Every element that draws has its style inline: no tag relies on a stylesheet.
    for tag in ["<td", "<table", "<img", "<a ", "<body"] {
        for piece in html.split(tag).skip(1) {
            let open = &piece[..piece.find('>').unwrap()];
            assert!(open.contains("style=\""), "{tag}{open}>");
        }
    }

    assert_eq!(email.qr_png, qr_png(&payload, 8).unwrap());
    let png = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("email-qr.png");
    std::fs::write(&png, &email.qr_png).unwrap();
    std::fs::write(
        png.with_extension("html"),
        html.replace(&format!("cid:{}", email.qr_content_id), "email-qr.png"),
    )
    .unwrap();
    let out = Command::new("zbarimg")
        .args(["--quiet", "--raw"])
        .arg(&png)
        .output()
        .expect("needs zbarimg: apt-get install zbar-tools (test.sh does)");
    assert_eq!(String::from_utf8(out.stdout).unwrap().trim_end(), payload);
}
