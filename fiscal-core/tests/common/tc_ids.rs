//! tcIds are written with each case, once, and never renumbered (spec/README.md): a
//! generator refuses a case without one (0) and an id given twice. A new case takes the next
//! free id (one more than the largest in its file), wherever it sits in the file.

/// Panics, naming the cases, if a tcId is missing (0) or given to two cases.
pub(crate) fn check_tc_ids<'a>(family: &str, cases: impl IntoIterator<Item = (u64, &'a str)>) {
    let mut seen = std::collections::BTreeMap::new();
    for (id, comment) in cases {
        assert!(
            id != 0,
            "{family}: the case \"{comment}\" has no tcId: give it the next free id"
        );
        if let Some(other) = seen.insert(id, comment) {
            panic!("{family}: tcId {id} given twice: \"{other}\" and \"{comment}\"");
        }
    }
}
