//! The short-lived certificate: documents after its expiry or before its validity (NM-08, U-08).

use fiscal_core::Content;

use super::{Cases, Ctx};
use crate::journal::forge::*;
use crate::journal::genuine::*;

/// Adds this topic's cases.
pub(super) fn add(cx: &Ctx, out: &mut Cases) {
    let Ctx { sl_cert, sl, .. } = cx;
    let e = true;
    let sale = || receipt_request(&sale_cash("Şəkər", "3.00"));
    let slk = short_lived_key();
    let sl4 = sl[..4].to_vec();
    out.add(
        93,
        "a sale after the certificate expired (signed with the device key)",
        &["U-08", "NM-08"],
        &["expiry", "device-key"],
        with_cert(
            sl_cert,
            &[
                sl4.clone(),
                vec![next(&sl4, &slk, on(23, 12, 10, 0), 1, 3, sale())],
            ]
            .concat(),
        ),
        &[("certificate_expired", Some(5))],
        e,
    );
    let sl5 = sl[..5].to_vec();
    out.add(
        94,
        "a shift opened after the certificate expired",
        &["U-08", "NM-08"],
        &["expiry", "device-key"],
        with_cert(
            sl_cert,
            &[
                sl5.clone(),
                vec![next(&sl5, &slk, on(23, 13, 0, 0), 2, 0, Content::OpenShift)],
            ]
            .concat(),
        ),
        &[("certificate_expired", Some(6))],
        e,
    );
    let early = on(23, 7, 59, 59);
    out.add(
        95,
        "the activation dated before the certificate's validity",
        &["NM-08"],
        &["expiry", "device-key"],
        with_cert(
            sl_cert,
            &forge(sl, 0, &slk, |i, b| {
                if i == 0 {
                    b.time = early
                }
            }),
        ),
        &[("certificate_not_yet_valid", Some(1))],
        e,
    );
}
