//! QR codes: `fc_qr_payload` and `fc_qr_svg`.

use std::ffi::c_char;

use crate::boundary::{call, optional_text, text, Out};
use crate::{FcBuffer, FcStatus};

/// The QR base address given (NUL-terminated), or the default public check address for NULL.
pub(crate) unsafe fn base_or_default<'a>(qr_base: *const c_char) -> Result<&'a str, FcStatus> {
    Ok(optional_text(qr_base)?.unwrap_or(fiscal_core::qr::DEFAULT_QR_BASE))
}

/// The QR payload for a long fiscal ID (64 hex characters): `qr_base` (NULL: the default public
/// check address) followed by the ID (RC-09). Writes text to `*out_payload`. Thread-safe.
///
/// Safety: `fiscal_id` is a NUL-terminated string, `qr_base` NULL or one; `out_payload` valid.
#[no_mangle]
pub unsafe extern "C" fn fc_qr_payload(
    qr_base: *const c_char,
    fiscal_id: *const c_char,
    out_payload: *mut *mut FcBuffer,
) -> FcStatus {
    call(|| {
        let out = Out::new(out_payload)?;
        let id =
            fiscal_core::FiscalId::from_hex(text(fiscal_id)?).ok_or(FcStatus::InvalidArgument)?;
        out.text(fiscal_core::qr::payload(base_or_default(qr_base)?, &id));
        Ok(())
    })
}

/// The QR code of `payload` as an SVG image: writes text to `*out_svg` (free with
/// `fc_buffer_free`). Thread-safe.
///
/// Safety: `payload` is a NUL-terminated string; `out_svg` valid.
#[no_mangle]
pub unsafe extern "C" fn fc_qr_svg(
    payload: *const c_char,
    out_svg: *mut *mut FcBuffer,
) -> FcStatus {
    call(|| {
        let out = Out::new(out_svg)?;
        out.text(fiscal_core::qr::qr_svg(text(payload)?).map_err(|_| FcStatus::InvalidArgument)?);
        Ok(())
    })
}
