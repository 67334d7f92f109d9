//! Where in the request a rule looks (SPEC.md §7: `items[2].itemPrice`, `cashier`, empty for the
//! whole request), written out only when a problem is reported there or the problems found so
//! far must be searched for it.
//!
//! Validation runs for every receipt issued and again for every receipt of a journal verified
//! (SPEC.md §15.2); most requests have no problem at all, and writing each line's paths up front
//! cost more than checking the line (issue #19).

use alloc::format;
use alloc::string::String;

use crate::error::Problems;

/// A path, unwritten.
#[derive(Debug, Clone, Copy)]
pub(super) enum At<'a> {
    /// A member of `data` by its name (`cashier`), or the whole request (empty).
    Member(&'a str),
    /// An entry of a list: `parents[3]`.
    Entry(&'static str, usize),
    /// A member of a list's entry: `items[2].itemPrice`.
    Within(&'static str, usize, &'static str),
}

impl<'a> From<&'a str> for At<'a> {
    fn from(name: &'a str) -> At<'a> {
        At::Member(name)
    }
}

impl At<'_> {
    /// The path as problems carry it.
    pub(super) fn text(self) -> String {
        match self {
            At::Member(name) => name.into(),
            At::Entry(list, i) => format!("{list}[{i}]"),
            At::Within(list, i, member) => format!("{list}[{i}].{member}"),
        }
    }

    /// True when a problem was already recorded at this path, below it or above it
    /// ([`Problems::touches`]); nothing is written while there are no problems.
    pub(super) fn touched(self, problems: &Problems) -> bool {
        match self {
            _ if problems.is_empty() => false,
            At::Member(name) => problems.touches(name),
            _ => problems.touches(&self.text()),
        }
    }
}
