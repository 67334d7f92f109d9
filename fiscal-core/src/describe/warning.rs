//! A warning: what the cashier or operator must be told though the operation succeeded.

use serde_json::{json, Value};

use super::iso_time;
use crate::Warning;

/// `{"at", "at_ms", "code", "message"}`: the stable code ([`Warning::code`]), the moment it
/// concerns, and the one message text ([`Warning`]'s `Display`).
pub fn warning(w: &Warning) -> Value {
    match w {
        Warning::CertificateExpiresSoon { at } => json!({
            "at": iso_time(*at),
            "at_ms": at.millis(),
            "code": w.code(),
            "message": alloc::string::ToString::to_string(w),
        }),
    }
}
