//! The boundary every `extern "C"` function goes through, written once: panics are caught
//! here, handles and arguments are checked here, and the outcome of a call on a device handle
//! becomes its status and its last error here.
//!
//! - `call`: a function without a handle (its body returns `Result<_, FcStatus>`);
//! - `with_device`: a function on a device handle (its body gets the checked device, under the
//!   device's mutex, and returns `Result<(), Fail>`); device handles live in [`DEVICES`];
//! - `guarded`: the functions that return a pointer, a length or nothing.

use std::ffi::{c_char, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

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

/// Runs the body of a function on a device handle: a NULL, freed or foreign handle returns its
/// status (there is no handle to keep an error on); a failure becomes the handle's last error
/// and the status; a success clears the last error. A panic is `FC_STATUS_PANIC`. Calls on one
/// handle from several threads are serialized by the device's mutex (see [`Table`]).
pub(crate) fn with_device(
    dev: *mut FcDevice,
    f: impl FnOnce(&mut DeviceData) -> Result<(), Fail>,
) -> FcStatus {
    call(|| {
        let cell = DEVICES.get(dev)?;
        let mut d = lock(&cell);
        Ok(match f(&mut d) {
            Ok(()) => {
                d.last_error.clear();
                FcStatus::Ok
            }
            Err(fail) => d.last_error.record(fail),
        })
    })
}

/// Runs `f` on the device behind a live handle, under its mutex, without touching its last
/// error (the last-error getters). `None` for a NULL, freed or foreign handle, or a panic.
pub(crate) fn peek_device<R>(dev: *mut FcDevice, f: impl FnOnce(&DeviceData) -> R) -> Option<R> {
    guarded(None, || {
        let cell = DEVICES.get(dev).ok()?;
        let d = lock(&cell);
        Some(f(&d))
    })
}

/// Locks a device. A panic inside a call poisons the mutex; the engine changes a device's state
/// in one assignment at the end of an operation, so the data is whole and is used on.
fn lock(cell: &Mutex<DeviceData>) -> MutexGuard<'_, DeviceData> {
    cell.lock().unwrap_or_else(PoisonError::into_inner)
}

// ---------------------------------------------------------------------------------------------
// Handles: tables of slots with generations
// ---------------------------------------------------------------------------------------------

/// Every live handle of one kind (devices, buffers). A handle is not a pointer to memory: it is
/// an opaque integer (slot index + 1 in the low half of a pointer's bits, the slot's generation
/// in the high half) that is looked up, never dereferenced. Freeing a handle empties its slot
/// and moves the slot's generation on, so a freed handle, a handle whose slot was reused, a copy
/// of a freed handle or any foreign pointer is refused with `FC_STATUS_INVALID_HANDLE` without
/// reading freed memory. Device generations are odd and buffer generations even, so a handle of
/// one kind is never taken for the other.
///
/// Each device sits behind its own mutex: two threads on one handle (the first mistake a C# or
/// Java wrapper makes) are **serialized**, not refused. We chose serializing over a `BUSY`
/// status because a busy status would only move the race into every wrapper (each would need a
/// retry loop), while a mutex gives each call a whole, numbered document in some order: no
/// duplicate number, no forked chain. A table's own lock is held only to look a slot up.
/// The engine stays free of global state: these tables are the C binding's.
pub(crate) struct Table<T> {
    first_generation: usize,
    slots: Mutex<Slots<T>>,
}

struct Slots<T> {
    slots: Vec<Slot<T>>,
    free: Vec<usize>,
}

struct Slot<T> {
    generation: usize,
    value: Option<Arc<T>>,
}

/// Bits of a handle that hold the slot index + 1; the rest hold the generation.
const HALF: u32 = usize::BITS / 2;
const LOW: usize = (1 << HALF) - 1;

/// The device handles.
pub(crate) static DEVICES: Table<Mutex<DeviceData>> = Table::new(1);

impl<T> Table<T> {
    /// An empty table whose generations start at `first_generation` and move on by 2.
    pub(crate) const fn new(first_generation: usize) -> Self {
        Table {
            first_generation,
            slots: Mutex::new(Slots {
                slots: Vec::new(),
                free: Vec::new(),
            }),
        }
    }

    fn slots(&self) -> MutexGuard<'_, Slots<T>> {
        self.slots.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Puts a value in a free slot (or a new one) and returns its handle.
    pub(crate) fn insert<H>(&self, value: T) -> Result<*mut H, FcStatus> {
        let mut table = self.slots();
        let index = match table.free.pop() {
            Some(i) => i,
            None if table.slots.len() < LOW - 1 => {
                table.slots.push(Slot {
                    generation: self.first_generation,
                    value: None,
                });
                table.slots.len() - 1
            }
            None => return Err(FcStatus::InvalidArgument),
        };
        let slot = &mut table.slots[index];
        slot.value = Some(Arc::new(value));
        let handle = (slot.generation << HALF) | (index + 1);
        Ok(std::ptr::without_provenance_mut(handle))
    }

    /// The value behind a live handle: `NullPointer` for NULL, `InvalidHandle` otherwise.
    pub(crate) fn get<H>(&self, handle: *const H) -> Result<Arc<T>, FcStatus> {
        if handle.is_null() {
            return Err(FcStatus::NullPointer);
        }
        let (index, generation) = split(handle).ok_or(FcStatus::InvalidHandle)?;
        let table = self.slots();
        match table.slots.get(index) {
            Some(Slot {
                generation: g,
                value: Some(v),
            }) if *g == generation => Ok(Arc::clone(v)),
            _ => Err(FcStatus::InvalidHandle),
        }
    }

    /// Empties the slot of a live handle (a call running on it in another thread finishes
    /// first, on its own reference); NULL, freed and foreign handles are left alone.
    pub(crate) fn remove<H>(&self, handle: *const H) {
        let Some((index, generation)) = split(handle) else {
            return;
        };
        let taken = {
            let mut table = self.slots();
            let taken = match table.slots.get_mut(index) {
                Some(slot) if slot.generation == generation && slot.value.is_some() => {
                    // Two steps on, wrapping within the half (an odd or even number stays so).
                    let next = slot.generation.wrapping_add(2) & LOW;
                    slot.generation = if next == 0 { 2 } else { next };
                    slot.value.take()
                }
                _ => None,
            };
            if taken.is_some() {
                table.free.push(index);
            }
            taken
        };
        // Dropped outside the table's lock (zeroizing a device key takes a moment).
        drop(taken);
    }
}

/// A handle's slot index and generation; `None` for a value no handle has.
fn split<H>(handle: *const H) -> Option<(usize, usize)> {
    let value = handle.addr();
    let index = (value & LOW).checked_sub(1)?;
    Some((index, value >> HALF))
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

/// An opaque C type handed out through out-parameters, and the table its handles live in.
pub(crate) trait Handle: Sized + 'static {
    type Data: 'static;
    fn table() -> &'static Table<Self::Data>;
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

    /// Writes NULL through the out-parameter: "nothing handed out", where a function documents
    /// that it says so (`fc_device_handle`'s journal line when nothing was issued).
    pub(crate) fn null(self) {
        // SAFETY: checked non-NULL by `new`, valid for a write by its caller's contract.
        unsafe { *self.0 = std::ptr::null_mut() };
    }

    /// Hands out a new handle holding `value` through the out-parameter (nothing is written
    /// when the table is full, on a 32-bit system only).
    pub(crate) fn put(self, value: H::Data) {
        if let Ok(handle) = H::table().insert::<H>(value) {
            // SAFETY: checked non-NULL by `new`, valid for a write by its caller's contract.
            unsafe { *self.0 = handle };
        }
    }
}

/// Test hook: panics inside the boundary, to show it becomes `FC_STATUS_PANIC` (the C tests
/// call it). Hands nothing out. Thread-safe.
#[no_mangle]
#[allow(clippy::panic)] // the point of this function
pub extern "C" fn fc_test_panic() -> FcStatus {
    call::<(), _>(|| panic!("fc_test_panic: a deliberate panic to test the boundary"))
}
