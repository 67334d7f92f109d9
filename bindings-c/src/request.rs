//! Requests without a device: `fc_request_validate`.

use std::ffi::c_char;

use fiscal_core::{describe, CivilDate, RateTable, Request, ValidationContext};

use crate::boundary::{call, text, Out};
use crate::{FcBuffer, FcStatus};

/// Validates a request (JSON, SPEC.md §8) for a date (`"YYYY-MM-DD"`) with the Azerbaijani rate
/// table, without a device. On success writes the request with every computed member (line
/// totals, taxes, `sum`, `vatAmounts`, change: SPEC.md §8.4) to `*out_json`; on a validation
/// failure returns the first problem's code and writes the error JSON to `*out_json`, the
/// same as `fc_device_last_error_json` (`category`, `code`, `number`, `rule`, `message`,
/// `problems[]` with `code`, `number`, `rule`, `path`, `message`). Thread-safe.
///
/// Safety: `request_json` and `date` are NUL-terminated strings; `out_json` is a valid pointer.
#[no_mangle]
pub unsafe extern "C" fn fc_request_validate(
    request_json: *const c_char,
    date: *const c_char,
    out_json: *mut *mut FcBuffer,
) -> FcStatus {
    call(|| {
        let out = Out::new(out_json)?;
        let date: CivilDate = text(date)?.parse().map_err(|_| FcStatus::InvalidArgument)?;
        let rates = RateTable::azerbaijan();
        let context = ValidationContext {
            rates: &rates,
            date,
        };
        match Request::from_json(text(request_json)?, &context) {
            Ok(r) => {
                out.text(r.to_json());
                Ok(())
            }
            Err(e) => {
                out.text(describe::error(&e).to_string());
                Err(FcStatus::from(e))
            }
        }
    })
}
