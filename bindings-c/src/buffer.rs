//! `fc_buffer`: the bytes and text the library hands out through out-parameters, read with
//! `fc_buffer_data` and `fc_buffer_len` and freed with `fc_buffer_free`.

use crate::boundary::{free_handle, guarded, handle_ref, Handle, Out};

const BUFFER_MAGIC: u64 = 0x6663_2d62_7566_6665; // "fc-buffe"

/// Bytes handed out by the library (text is followed by a NUL byte not counted in its
/// length). Opaque to C; read with `fc_buffer_data` and `fc_buffer_len`, free with
/// `fc_buffer_free`.
pub struct FcBuffer {
    _opaque: [u8; 0],
}

pub(crate) struct BufferData {
    data: Vec<u8>,
    len: usize,
}

impl Handle for FcBuffer {
    type Data = BufferData;
    const MAGIC: u64 = BUFFER_MAGIC;
}

impl Out<FcBuffer> {
    /// Hands out text: a buffer of its UTF-8 bytes followed by a NUL.
    pub(crate) fn text(self, s: String) {
        let mut data = s.into_bytes();
        let len = data.len();
        data.push(0);
        self.put(BufferData { data, len });
    }

    /// Hands out bytes.
    pub(crate) fn bytes(self, data: Vec<u8>) {
        let len = data.len();
        self.put(BufferData { data, len });
    }
}

/// The bytes of a buffer (for text, followed by a NUL not counted in `fc_buffer_len`); NULL for
/// a NULL or invalid buffer. Valid until `fc_buffer_free`. Thread-safe for reading.
///
/// Safety: `buf` is NULL or a buffer from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn fc_buffer_data(buf: *const FcBuffer) -> *const u8 {
    guarded(std::ptr::null(), || {
        handle_ref(buf).map_or(std::ptr::null(), |b| b.data.as_ptr())
    })
}

/// The length of a buffer in bytes (without the NUL of a text); 0 for a NULL or invalid buffer.
/// The buffer stays owned by the caller. Thread-safe for reading.
///
/// Safety: as `fc_buffer_data`.
#[no_mangle]
pub unsafe extern "C" fn fc_buffer_len(buf: *const FcBuffer) -> usize {
    guarded(0, || handle_ref(buf).map_or(0, |b| b.len))
}

/// Frees a buffer. NULL does nothing. Using the buffer afterwards is an error. Not while another
/// thread reads the same buffer.
///
/// Safety: `buf` is NULL or a buffer from this library, freed at most once.
#[no_mangle]
pub unsafe extern "C" fn fc_buffer_free(buf: *mut FcBuffer) {
    guarded((), || free_handle(buf));
}
