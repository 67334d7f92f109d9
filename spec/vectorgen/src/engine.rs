//! The engine-side halves of the families, shared with fiscal-core's tests: the same code
//! that turns a case into its expected output here checks the committed files there
//! (`fiscal-core/tests/vectors.rs`, `scenarios.rs`, `journal_vectors.rs`, `conformance.rs`).

#[path = "../../../fiscal-core/tests/common/device.rs"]
#[allow(unreachable_pub)]
pub(crate) mod device;
#[path = "../../../fiscal-core/tests/common/vectors/encoding.rs"]
pub(crate) mod encoding;
#[path = "../../../fiscal-core/tests/common/vectors/journal.rs"]
pub(crate) mod journal;
#[path = "../../../fiscal-core/tests/common/vectors/math.rs"]
pub(crate) mod math;
#[path = "../../../fiscal-core/tests/common/vectors/scenario.rs"]
pub(crate) mod scenario;
#[path = "../../../fiscal-core/tests/common/tc_ids.rs"]
pub(crate) mod tc_ids;
