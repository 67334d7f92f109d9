//! The journal cases made here, one file a topic, in tcId order; the ledger's and the one
//! spelling's follow ([`super::ledger`], [`super::spelling`]).

mod altered;
mod certificate;
mod chain;
mod expiry;
mod genuine;
mod malformed;
mod order;
mod references;
mod shifts;
mod zreport;

use fiscal_core::{Certificate, Document, PrivateKey};

use super::genuine::{main_journal, short_lived, with_cert, Main};
use super::{f, JCase};
use crate::engine::device::{certificate, device_key};

/// What the cases share: the genuine journals they start from and the keys that sign.
pub(super) struct Ctx {
    /// The main journal (documents 1–21) and the device states along it.
    pub(super) m: Main,
    /// The main journal's documents.
    pub(super) all: Vec<Document>,
    /// The device's certificate, the main journal's first line.
    pub(super) cert: Certificate,
    /// The device key (a dishonest owner re-signs with it).
    pub(super) key: PrivateKey,
    /// Another key (a forger without the device key).
    pub(super) forger: PrivateKey,
    /// The short-lived certificate (valid 23.11 08:00–12:00 Baku) and its journal.
    pub(super) sl_cert: Certificate,
    pub(super) sl: Vec<Document>,
}

impl Ctx {
    fn new() -> Ctx {
        let m = main_journal();
        let all = m.docs.clone();
        let (sl_cert, sl) = short_lived();
        Ctx {
            m,
            all,
            cert: certificate(),
            key: device_key(),
            forger: PrivateKey::from_seed(b"forger"),
            sl_cert,
            sl,
        }
    }

    /// The journal of `docs` under the device's certificate.
    fn j(&self, docs: &[Document]) -> Vec<String> {
        with_cert(&self.cert, docs)
    }
}

/// The cases being collected.
pub(super) struct Cases(Vec<JCase>);

impl Cases {
    /// Adds a case: `must` the findings worked out by hand (empty for a valid journal), all of
    /// them (`exact`) or the ones that must be among the engine's (a `cascade`).
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        id: u64,
        comment: &str,
        rules: &[&'static str],
        flags: &[&'static str],
        journal: Vec<String>,
        must: &[(&str, Option<u64>)],
        exact: bool,
    ) {
        self.0.push(JCase {
            id,
            comment: comment.into(),
            rules: rules.to_vec(),
            flags: flags.to_vec(),
            journal,
            must: must.iter().map(|(c, n)| f(c, *n)).collect(),
            exact,
        });
    }
}

/// Every journal case, in tcId order.
pub(super) fn all() -> Vec<JCase> {
    let cx = Ctx::new();
    let mut out = Cases(Vec::new());
    genuine::add(&cx, &mut out);
    order::add(&cx, &mut out);
    altered::add(&cx, &mut out);
    chain::add(&cx, &mut out);
    zreport::add(&cx, &mut out);
    shifts::add(&cx, &mut out);
    references::add(&cx, &mut out);
    malformed::add(&cx, &mut out);
    certificate::add(&cx, &mut out);
    expiry::add(&cx, &mut out);
    let mut out = out.0;
    out.extend(super::ledger::cases());
    // One spelling and empty journals (issue #14): appended last, so no tcId before moves.
    out.extend(super::spelling::cases());
    out
}
