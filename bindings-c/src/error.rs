//! The last error on a device handle (`fc_device_last_error`, `fc_device_last_error_json`),
//! and what a failed call carries until it becomes one. The error JSON is the engine's
//! description (`fiscal_core::describe::error`, `describe::refusal`), built nowhere here.

use std::ffi::{c_char, CString};

use fiscal_core::{describe, Error};

use crate::FcStatus;

/// Why a call on a device handle failed; [`LastError::record`] turns it into the status and
/// the handle's last error.
pub(crate) enum Fail {
    /// The engine refused: its error's code is the status, its text the message.
    Engine(Error),
    /// The boundary refused (an argument NULL or malformed, the device not activated yet).
    Boundary(FcStatus, &'static str),
}

impl From<Error> for Fail {
    fn from(e: Error) -> Self {
        Fail::Engine(e)
    }
}

impl From<Fail> for FcStatus {
    /// The status alone, for the functions without a handle to keep the message in.
    fn from(f: Fail) -> Self {
        match f {
            Fail::Engine(e) => FcStatus::from(e.code()),
            Fail::Boundary(status, _) => status,
        }
    }
}

/// Gives an argument check's status the message the handle's last error will carry.
pub(crate) trait OrFail<T> {
    fn or_fail(self, message: &'static str) -> Result<T, Fail>;
}

impl<T> OrFail<T> for Result<T, FcStatus> {
    fn or_fail(self, message: &'static str) -> Result<T, Fail> {
        self.map_err(|s| Fail::Boundary(s, message))
    }
}

/// The last error on a handle, as text and as JSON; both "" after a success.
#[derive(Default)]
pub(crate) struct LastError {
    message: CString,
    json: CString,
}

impl LastError {
    /// Keeps `fail` as the last error and returns its status.
    pub(crate) fn record(&mut self, fail: Fail) -> FcStatus {
        match fail {
            Fail::Engine(e) => {
                self.message = cstring(e.to_string());
                self.json = cstring(describe::error(&e).to_string());
                FcStatus::from(e.code())
            }
            Fail::Boundary(status, message) => {
                self.message = cstring(message.into());
                self.json =
                    cstring(describe::refusal(status.name(), status as u32, message).to_string());
                status
            }
        }
    }

    pub(crate) fn clear(&mut self) {
        *self = Self::default();
    }

    /// The message, NUL-terminated; valid while the handle lives and its error is unchanged.
    pub(crate) fn message(&self) -> *const c_char {
        self.message.as_ptr()
    }

    /// The JSON, as text of its own.
    pub(crate) fn json_text(&self) -> String {
        self.json.to_string_lossy().into_owned()
    }

    /// The JSON, NUL-terminated; valid as [`LastError::message`].
    pub(crate) fn json(&self) -> *const c_char {
        self.json.as_ptr()
    }
}

/// A C string of `s`, a NUL in it replaced by a space.
pub(crate) fn cstring(s: String) -> CString {
    CString::new(s.replace('\0', " ")).unwrap_or_default()
}
