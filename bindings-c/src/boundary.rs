//! The boundary every `extern "C"` function goes through, written once: panics are caught
//! here, handles and arguments are checked here, and the outcome of a call on a device handle
//! becomes its status and its last error here.
//!
//! - `call`: a function without a handle (its body returns `Result<_, FcStatus>`);
//! - `with_device` and `reading_device`: a function on a device handle (its body gets the
//!   checked device and returns `Result<(), Fail>`);
//! - `guarded`: the functions that return a pointer, a length or nothing.

use std::ffi::{c_char, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::device::{DeviceData, FcDevice};
use crate::error::Fail;
use crate::FcStatus;

/// Runs `f` with panics caught: a panic returns `on_panic` instead of unwinding into C.
pub(crate) fn guarded<R>(on_panic: R, f: impl FnOnce() -> R) -> R {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(on_panic)
}

/// What a successful body returns: nothing (`FC_STATUS_OK`) or a status of its own.
pub(crate) trait IntoStatus {
    fn into_status(self) -> FcStatus;
}

impl IntoStatus for () {
    fn into_status(self) -> FcStatus {
        FcStatus::Ok
    }
}

impl IntoStatus for FcStatus {
    fn into_status(self) -> FcStatus {
        self
    }
}

/// Runs the body of a function without a handle: its error is the status; a panic is
/// `FC_STATUS_PANIC`.
pub(crate) fn call<T: IntoStatus, F: FnOnce() -> Result<T, FcStatus>>(f: F) -> FcStatus {
    guarded(FcStatus::Panic, || f().map_or_else(|s| s, T::into_status))
}

/// Runs the body of a function on a device handle: a NULL or foreign handle returns its status
/// (there is no handle to keep an error on); a failure becomes the handle's last error and
/// the status; a success clears the last error. A panic is `FC_STATUS_PANIC`.
pub(crate) unsafe fn with_device(
    dev: *mut FcDevice,
    f: impl FnOnce(&mut DeviceData) -> Result<(), Fail>,
) -> FcStatus {
    device_call(dev, true, f)
}

/// As [`with_device`], for a function that only reads the device: a success leaves the last
/// error as it was.
pub(crate) unsafe fn reading_device(
    dev: *mut FcDevice,
    f: impl FnOnce(&mut DeviceData) -> Result<(), Fail>,
) -> FcStatus {
    device_call(dev, false, f)
}

unsafe fn device_call(
    dev: *mut FcDevice,
    clear_on_success: bool,
    f: impl FnOnce(&mut DeviceData) -> Result<(), Fail>,
) -> FcStatus {
    call(|| {
        let d = handle(dev)?;
        Ok(match f(&mut *d) {
            Ok(()) => {
                if clear_on_success {
                    d.last_error.clear();
                }
                FcStatus::Ok
            }
            Err(fail) => d.last_error.record(fail),
        })
    })
}

// ---------------------------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------------------------

/// A required text argument: NUL-terminated UTF-8.
pub(crate) unsafe fn text<'a>(p: *const c_char) -> Result<&'a str, FcStatus> {
    if p.is_null() {
        return Err(FcStatus::NullPointer);
    }
    CStr::from_ptr(p)
        .to_str()
        .map_err(|_| FcStatus::InvalidUtf8)
}

/// A text argument that may be NULL.
pub(crate) unsafe fn optional_text<'a>(p: *const c_char) -> Result<Option<&'a str>, FcStatus> {
    if p.is_null() {
        Ok(None)
    } else {
        text(p).map(Some)
    }
}

/// A byte argument: `len` bytes at `p` (NULL only with 0).
pub(crate) unsafe fn bytes<'a>(p: *const u8, len: usize) -> Result<&'a [u8], FcStatus> {
    match (p.is_null(), len) {
        (true, 0) => Ok(&[]),
        (true, _) => Err(FcStatus::NullPointer),
        (false, _) => Ok(std::slice::from_raw_parts(p, len)),
    }
}

// ---------------------------------------------------------------------------------------------
// Handles and out-parameters
// ---------------------------------------------------------------------------------------------

/// An opaque C type: what its handles point to, and the tag that marks a live one.
pub(crate) trait Handle {
    type Data;
    const MAGIC: u64;
}

/// What a handle points to: a tag first (fixed layout), so that a pointer that is not a live
/// handle of the right kind is recognised and refused.
#[repr(C)]
struct Tagged<T> {
    magic: u64,
    value: T,
}

/// The tagged value behind `p`: `NullPointer` for NULL, `InvalidHandle` for a pointer that is
/// not a live handle of kind `H`.
unsafe fn tagged<H: Handle>(p: *const H) -> Result<*mut Tagged<H::Data>, FcStatus> {
    if p.is_null() {
        return Err(FcStatus::NullPointer);
    }
    let tagged = p.cast_mut().cast::<Tagged<H::Data>>();
    // Read the tag without assuming alignment: a wrong pointer is refused, not used as a handle.
    if std::ptr::read_unaligned(tagged.cast::<u64>()) != H::MAGIC {
        return Err(FcStatus::InvalidHandle);
    }
    Ok(tagged)
}

/// The data of a live handle, to change.
pub(crate) unsafe fn handle<'a, H: Handle>(p: *mut H) -> Result<&'a mut H::Data, FcStatus> {
    tagged(p).map(|t| &mut (*t).value)
}

/// The data of a live handle, to read.
pub(crate) unsafe fn handle_ref<'a, H: Handle>(p: *const H) -> Result<&'a H::Data, FcStatus> {
    tagged(p).map(|t| &(*t).value)
}

/// Frees a handle: NULL and pointers that are not a live handle of kind `H` are left alone.
pub(crate) unsafe fn free_handle<H: Handle>(p: *mut H) {
    if let Ok(t) = tagged(p) {
        let mut b = Box::from_raw(t);
        b.magic = 0;
    }
}

/// An out-parameter for a handle, checked to be non-NULL; written at most once.
pub(crate) struct Out<H>(*mut *mut H);

impl<H: Handle> Out<H> {
    /// A required out-parameter: `NullPointer` for NULL.
    ///
    /// Safety: `p` is NULL or valid for a write.
    pub(crate) unsafe fn new(p: *mut *mut H) -> Result<Self, FcStatus> {
        if p.is_null() {
            Err(FcStatus::NullPointer)
        } else {
            Ok(Self(p))
        }
    }

    /// An out-parameter that may be NULL (then nothing is written).
    ///
    /// Safety: as [`Out::new`].
    pub(crate) unsafe fn optional(p: *mut *mut H) -> Option<Self> {
        Self::new(p).ok()
    }

    /// Hands out a new handle holding `value` through the out-parameter.
    pub(crate) fn put(self, value: H::Data) {
        let handle = Box::into_raw(Box::new(Tagged {
            magic: H::MAGIC,
            value,
        }))
        .cast::<H>();
        // SAFETY: checked non-NULL by `new`, valid for a write by its caller's contract.
        unsafe { *self.0 = handle };
    }
}

/// Test hook: panics inside the boundary, to show it becomes `FC_STATUS_PANIC` (the C tests
/// call it). Hands nothing out. Thread-safe.
#[no_mangle]
#[allow(clippy::panic)] // the point of this function
pub extern "C" fn fc_test_panic() -> FcStatus {
    call::<(), _>(|| panic!("fc_test_panic: a deliberate panic to test the boundary"))
}
