//! C ABI: in progress.
