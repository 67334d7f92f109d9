//! A warning: what the cashier or operator must be told though the operation succeeded.

use serde_json::{json, Value};

use super::iso_time;
use crate::Warning;

/// `{"at", "at_ms", "code", "message"}`: the stable code ([`Warning::code`]), the moment it
/// concerns (`null` for a warning about no moment), and the one message text ([`Warning`]'s
/// `Display`).
pub fn warning(w: &Warning) -> Value {
    let at = match w {
        Warning::CertificateExpiresSoon { at } => Some(*at),
        _ => None,
    };
    json!({
        "at": at.map(iso_time),
        "at_ms": at.map(|t| t.millis()),
        "code": w.code(),
        "message": alloc::string::ToString::to_string(w),
    })
}
