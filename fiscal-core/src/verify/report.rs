//! What a verification finds: [`Finding`]s, gathered in a [`JournalReport`].

use alloc::string::String;
use alloc::vec::Vec;

use crate::document::FiscalId;
use crate::error::ErrorCode;
use crate::time::Timestamp;

/// Findings kept in a [`JournalReport`]; further ones are counted in
/// [`JournalReport::findings_dropped`], so a hostile journal cannot fill memory with them.
pub const MAX_FINDINGS: usize = 10_000;

/// One break found by verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The stable code ([`ErrorCode::rule`] gives its rule ID).
    pub code: ErrorCode,
    /// The document's number, when known.
    pub number: Option<u64>,
    /// The journal line (from 1), when verifying a journal.
    pub line: Option<usize>,
    /// For people.
    pub message: String,
}

impl Finding {
    /// The RULES.md rule that was broken.
    pub fn rule(&self) -> &'static str {
        self.code.rule()
    }
}

impl core::fmt::Display for Finding {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        if let Some(l) = self.line {
            write!(f, "line {l}: ")?;
        }
        if let Some(n) = self.number {
            write!(f, "document {n}: ")?;
        }
        write!(
            f,
            "[{} {}] {}",
            self.code.rule(),
            self.code.as_str(),
            self.message
        )
    }
}

/// What a journal verification found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct JournalReport {
    /// Lines read (documents or not).
    pub lines: usize,
    /// Documents read.
    pub documents: u64,
    /// Of them, receipts (sale, return, cancel, advance, credit payment).
    pub receipts: u64,
    /// Every break, in journal order: the first [`MAX_FINDINGS`] of them.
    pub findings: Vec<Finding>,
    /// Findings found after the first [`MAX_FINDINGS`], counted but not kept.
    pub findings_dropped: u64,
    /// The number of the last document (SPEC.md §15.3): the last document in journal order
    /// whose signature is the device's. Only a signed document proves anything (NM-11), so a
    /// forged or altered line never stands for the journal's end. `None` when no document's
    /// signature verified. In a valid journal it is also the highest number: compare it with
    /// the device's last number and the tax service's upload acknowledgements, which are what
    /// shows documents removed from the end.
    pub last_number: Option<u64>,
    /// The fiscal ID of that last document (`None` as for [`JournalReport::last_number`]).
    pub last_fiscal_id: Option<FiscalId>,
    /// The time of that last document (`None` as for [`JournalReport::last_number`]).
    pub last_time: Option<Timestamp>,
    /// The shift of the last signed document that belongs to a shift (an opening, a receipt,
    /// a cash document, a Z-report; not the activation or the decommissioning). `None` when
    /// no signed document belongs to one.
    pub last_shift: Option<u32>,
    /// True when that document is a Z-report, which closes [`JournalReport::last_shift`];
    /// false when the journal ends inside the shift, or no shift was seen. A journal exported
    /// mid-shift is genuine; one whose device says the shift is closed is then incomplete.
    pub last_shift_closed: bool,
    /// The codes of the dropped findings (each once), so that [`JournalReport::has`] still
    /// sees them.
    dropped_codes: Vec<ErrorCode>,
    /// What could not be checked here, which is no break (SPEC.md §15.2): returns and
    /// instalments on receipts of the deployed system (`foreign_reference`), the first
    /// [`MAX_FINDINGS`] of them.
    pub unchecked: Vec<Finding>,
    /// How many there were in all (kept or not).
    pub unchecked_total: u64,
}

impl JournalReport {
    /// True when nothing was found.
    pub fn is_valid(&self) -> bool {
        self.findings.is_empty() && self.findings_dropped == 0
    }

    /// True when some finding has `code`.
    pub fn has(&self, code: ErrorCode) -> bool {
        self.findings.iter().any(|f| f.code == code) || self.dropped_codes.contains(&code)
    }

    /// Records something that cannot be checked here (not a break).
    pub(super) fn push_unchecked(&mut self, finding: Finding) {
        self.unchecked_total = self.unchecked_total.saturating_add(1);
        if self.unchecked.len() < MAX_FINDINGS {
            self.unchecked.push(finding);
        }
    }

    pub(super) fn push(&mut self, finding: Finding) {
        if self.findings.len() < MAX_FINDINGS {
            self.findings.push(finding);
            return;
        }
        self.findings_dropped = self.findings_dropped.saturating_add(1);
        if !self.dropped_codes.contains(&finding.code) {
            self.dropped_codes.push(finding.code);
        }
    }
}
