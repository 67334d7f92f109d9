//! A `no_std` static library that issues one receipt through fiscal-core (default features off:
//! issuing and p256 only), for measuring what the issuing path adds to a firmware image.
#![no_std]

extern crate alloc;

use alloc::string::String;
use alloc::vec;
use core::alloc::{GlobalAlloc, Layout};
use core::ffi::c_void;

use fiscal_core::{
    Amount, Certificate, CertificateBody, CivilDate, Device, DocType, IssueOptions, LineDraft,
    Percent, PrivateKey, Quantity, RateTable, RequestDraft, Timestamp, UnitPrice,
    ValidationContext,
};

extern "C" {
    fn malloc(size: usize) -> *mut c_void;
    fn free(ptr: *mut c_void);
    fn posix_memalign(out: *mut *mut c_void, align: usize, size: usize) -> i32;
    fn abort() -> !;
}

/// The C library's allocator.
struct Libc;

unsafe impl GlobalAlloc for Libc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= 16 {
            return malloc(layout.size()).cast();
        }
        let mut out = core::ptr::null_mut();
        if posix_memalign(&mut out, layout.align(), layout.size()) != 0 {
            return core::ptr::null_mut();
        }
        out.cast()
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        free(ptr.cast());
    }
}

#[global_allocator]
static ALLOCATOR: Libc = Libc;

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    unsafe { abort() }
}

/// The precompiled `core` and `alloc` carry unwind tables that name this symbol; with
/// `panic = "abort"` nothing unwinds, so it is never called.
#[no_mangle]
pub extern "C" fn rust_eh_personality() {}

fn issue_one(seed: &[u8]) -> Option<[u8; 64]> {
    let authority = PrivateKey::from_seed(b"size probe authority");
    let key = PrivateKey::from_seed(seed);
    let day = |y, m, d| Timestamp::from_baku(CivilDate::new(y, m, d)?, 9, 0, 0);
    let now = day(2026, 11, 23)?;
    let certificate = Certificate::issue(
        CertificateBody {
            serial: 1,
            kassa_model: String::from("probe"),
            kassa_factory_number: String::from("1"),
            nmq_factory_number: String::from("1"),
            nmq_registration_number: String::from("1"),
            taxpayer_name: String::from("probe"),
            voen: String::from("1234567891"),
            object_code: String::from("1"),
            object_name: String::from("probe"),
            object_address: String::from("probe"),
            valid_from: day(2026, 1, 1)?,
            valid_until: day(2028, 1, 1)?,
            device_key: key.public_key(),
        },
        &authority,
    )
    .ok()?;
    let (mut device, _) =
        Device::activate(certificate, &authority.public_key(), key, "4821", None, now).ok()?;
    device.open_shift(now.plus(1000)).ok()?;
    let rates = RateTable::azerbaijan();
    let draft = RequestDraft {
        doc_type: Some(DocType::Sale),
        cashier: Some(String::from("Aysel")),
        items: Some(vec![LineDraft {
            name: Some(String::from("Çörək")),
            quantity: Quantity::whole(2),
            price: UnitPrice::parse("0.60").ok(),
            percent: Percent::whole(18),
            ..LineDraft::default()
        }]),
        cash: Amount::parse("1.20").ok(),
        ..RequestDraft::default()
    };
    let ctx = ValidationContext {
        rates: &rates,
        date: now.date_in_baku(),
    };
    let request = draft.validate(&ctx).ok()?;
    let options = IssueOptions {
        rates: &rates,
        references: &[],
        expected_previous: None,
        foreign_references: false,
    };
    let issued = device.issue(&request, now.plus(2000), &options).ok()?;
    Some(issued.document.signature().0)
}

/// Issues one receipt with the device key of `seed` and writes its 64-byte signature to `out`.
/// Returns 0, or -1 when something was refused.
///
/// # Safety
/// `seed` points to `seed_len` readable bytes and `out` to 64 writable bytes.
#[no_mangle]
pub unsafe extern "C" fn fc_probe_issue(seed: *const u8, seed_len: usize, out: *mut u8) -> i32 {
    let seed = core::slice::from_raw_parts(seed, seed_len);
    match issue_one(seed) {
        Some(sig) => {
            core::ptr::copy_nonoverlapping(sig.as_ptr(), out, 64);
            0
        }
        None => -1,
    }
}
