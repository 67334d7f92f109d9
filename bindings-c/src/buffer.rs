//! `fc_buffer`: the bytes and text the library hands out through out-parameters, read with
//! `fc_buffer_data` and `fc_buffer_len` and freed with `fc_buffer_free`.

use crate::boundary::{guarded, Handle, Out, Table};

/// The buffer handles (even generations; devices have odd ones).
static BUFFERS: Table<BufferData> = Table::new(2);

/// Bytes handed out by the library (text is followed by a NUL byte not counted in its
/// length). Opaque to C; read with `fc_buffer_data` and `fc_buffer_len`, free with
/// `fc_buffer_free`. As a device handle, an opaque number in a table, never dereferenced: a
/// freed or foreign buffer gives NULL and 0, and is not freed twice.
pub struct FcBuffer {
    _opaque: [u8; 0],
}

pub(crate) struct BufferData {
    data: Vec<u8>,
    len: usize,
}

impl Handle for FcBuffer {
    type Data = BufferData;
    fn table() -> &'static Table<BufferData> {
        &BUFFERS
    }
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
    // The bytes stay where they are until the buffer is freed: the table holds them.
    guarded(std::ptr::null(), || {
        BUFFERS
            .get(buf)
            .map_or(std::ptr::null(), |b| b.data.as_ptr())
    })
}

/// The length of a buffer in bytes (without the NUL of a text); 0 for a NULL or invalid buffer.
/// The buffer stays owned by the caller. Thread-safe for reading.
///
/// Safety: as `fc_buffer_data`.
#[no_mangle]
pub unsafe extern "C" fn fc_buffer_len(buf: *const FcBuffer) -> usize {
    guarded(0, || BUFFERS.get(buf).map_or(0, |b| b.len))
}

/// Frees a buffer. NULL, a freed or a foreign buffer does nothing. The pointer
/// `fc_buffer_data` gave is invalid afterwards. Thread-safe; not while another thread still
/// reads the buffer's bytes.
#[no_mangle]
pub extern "C" fn fc_buffer_free(buf: *mut FcBuffer) {
    guarded((), || BUFFERS.remove(buf));
}
