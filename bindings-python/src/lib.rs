//! Python bindings for fiscal-core: placeholder, replaced by the Python issue.
