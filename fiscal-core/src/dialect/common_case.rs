//! [`crate::Request::from_json`]'s common case without the `serde_json::Value` tree (issue #19):
//! a request in this engine's own form, every member known and readable, read by the typed
//! reader (`receipt::json::typed`) straight into the draft, then normalised and validated as
//! the full reader does (SPEC.md §8.1, §8.6, §7).
//!
//! What the typed reader is not sure of, it leaves to the full reader (`envelope::read`), which
//! stays the one source of every problem, path and notice; and so does a request that fails
//! validation: the full reader reads it again and refuses it, so that an error is always made
//! by the one code path that makes all errors. The differential test `tests/typed_reader.rs`
//! and the fuzz target `request_json` check that both give the same outcome for every text.

use alloc::vec::Vec;

use super::{normalize, Notices};
use crate::error::{Error, Problems};
use crate::receipt::{Request, ValidationContext};

/// The common case's outcome: `None` when the typed reader is not sure of the text, or when
/// reading it gives a notice (the full reader then reads it, notices and all); else the
/// validation's outcome, as the full reader would give it under the `strict` policy.
pub(crate) fn read_document(
    text: &str,
    ctx: &ValidationContext<'_>,
) -> Option<Result<Request, Error>> {
    let mut draft = crate::receipt::read_typed(text)?;
    // The both-policy conventions on the draft (`item_code_empty`): the full reader's own
    // code, with no problem found before. Any notice — nothing is normalised silently
    // (SPEC.md §8.6) — sends the text to the full reader.
    let none = Problems::default();
    let mut notices = Vec::new();
    normalize::draft(
        &mut draft,
        &mut Notices {
            deployed: false,
            list: &mut notices,
        },
        &none,
    );
    if !notices.is_empty() {
        return None;
    }
    Some(draft.validate_lenient(ctx, none, None))
}
