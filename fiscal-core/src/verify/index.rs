//! The reference index: the receipts later documents may refer to (returns, cancels,
//! instalments, advances), and the [`ReferencedReceipts`] a first pass finds, to which a
//! low-memory verification restricts it.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use crate::crypto::Hash;
use crate::document::{Content, Document, FiscalId, SHORT_ID_LEN};
use crate::ledger::Receipt;
use crate::money::Amount;
use crate::receipt::{DocType, Request};

#[cfg(doc)]
use super::journal_lines;

/// The receipts a journal's documents refer to (by the first 6 bytes of their fiscal ID, the
/// short ID of §13.3): what a verifier in the low-memory mode (`JournalVerifier::index_only`)
/// keeps in its index. Read in a first pass over the journal ([`ReferencedReceipts::from_lines`]), it lets the
/// second pass forget every receipt nothing refers to, so that memory grows with the number of
/// references (returns, cancels, instalments, advances used), not with the journal's length.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReferencedReceipts {
    /// Sorted, without repeats.
    prefixes: Vec<[u8; SHORT_ID_LEN / 2]>,
    /// References by the 12-character Base58 short ID (SPEC.md §8.8), sorted, without
    /// repeats: a receipt whose Base58 short ID is one of them is kept too.
    short58: Vec<String>,
}

impl ReferencedReceipts {
    /// The receipts the journal lines `lines` (each without its LF, as [`journal_lines`]
    /// gives them) refer to. A line that is not a document, or a reference that is not
    /// hexadecimal, adds nothing: the second pass reports it. A line is read without a CR at
    /// its end, as the second pass reads it.
    pub fn from_lines<'t>(lines: impl IntoIterator<Item = &'t str>) -> Self {
        let mut set = ReferencedReceipts::default();
        for line in lines {
            set.add_line(line);
        }
        set.done()
    }

    pub(super) fn add_line(&mut self, text: &str) {
        // The second pass reads a line without one CR at its end (and reports the CR).
        let text = text.strip_suffix('\r').unwrap_or(text);
        let Ok(doc) = Document::from_journal_line(text) else {
            return;
        };
        let names: &[String] = match &doc.body().content {
            Content::Request(Request::Sale(s)) => s.advances(),
            _ => &[],
        };
        let single = match &doc.body().content {
            Content::Request(Request::Return(r)) => Some(r.parent()),
            Content::Request(Request::CreditPayment(c)) => Some(c.parent()),
            Content::Request(Request::Cancel(c)) => Some(c.parent()),
            Content::Cancel { request, .. } => Some(request.parent()),
            _ => None,
        };
        for name in names.iter().map(String::as_str).chain(single) {
            let mut prefix = [0u8; SHORT_ID_LEN / 2];
            if crate::document::is_base58_reference(name) {
                // The Base58 forms (SPEC.md §8.8): the long one names the bytes, the short
                // one is kept as text.
                match FiscalId::from_base58(name) {
                    Some(id) => prefix.copy_from_slice(&id.0[..SHORT_ID_LEN / 2]),
                    None => {
                        self.short58.push(name.into());
                        continue;
                    }
                }
                self.prefixes.push(prefix);
            } else if let Some(head) = name.get(..SHORT_ID_LEN) {
                if hex::decode_to_slice(head, &mut prefix).is_ok() {
                    self.prefixes.push(prefix);
                }
            }
        }
    }

    pub(super) fn done(mut self) -> Self {
        self.prefixes.sort_unstable();
        self.prefixes.dedup();
        self.short58.sort_unstable();
        self.short58.dedup();
        self
    }

    /// How many distinct short IDs are referred to.
    pub fn len(&self) -> usize {
        self.prefixes.len() + self.short58.len()
    }

    /// True when nothing is referred to.
    pub fn is_empty(&self) -> bool {
        self.prefixes.is_empty() && self.short58.is_empty()
    }

    fn contains(&self, id: &Hash) -> bool {
        let mut prefix = [0u8; SHORT_ID_LEN / 2];
        prefix.copy_from_slice(&id[..SHORT_ID_LEN / 2]);
        self.prefixes.binary_search(&prefix).is_ok()
            || (!self.short58.is_empty()
                && self
                    .short58
                    .binary_search(&FiscalId(*id).short_base58())
                    .is_ok())
    }
}

/// A fiscal ID as the index's key: its bytes as four big-endian words, so that keys order as
/// the bytes do (a short ID's receipts are a range) while comparing as integers, without a
/// call to compare memory (the index takes about 8 % of a one-core verification; most of its
/// comparisons are decided by the first word, the IDs being hashes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Key([u64; 4]);

impl Key {
    fn of(id: &Hash) -> Key {
        let mut words = [0u64; 4];
        for (word, bytes) in words.iter_mut().zip(id.chunks_exact(8)) {
            let mut b = [0u8; 8];
            b.copy_from_slice(bytes);
            *word = u64::from_be_bytes(b);
        }
        Key(words)
    }

    fn id(&self) -> Hash {
        let mut id = [0u8; 32];
        for (bytes, word) in id.chunks_exact_mut(8).zip(self.0) {
            bytes.copy_from_slice(&word.to_be_bytes());
        }
        id
    }
}

/// A receipt as the index keeps it: amounts as qəpik, and the debt of a credit sale and what
/// a sale took from advances (zero for most receipts) kept apart, in [`Index::extras`].
/// An entry (key and value) is 56 bytes where a [`Receipt`] made it 96: the index is most of
/// a verifier's memory (about 100 bytes a receipt with the tree's free slots; 150 before).
#[derive(Debug, Clone, Copy)]
struct Entry {
    number: u64,
    total: i64,
    shift: u32,
    kind: Option<DocType>,
    /// Whether [`Index::extras`] holds the receipt's credit and prepayment.
    extra: bool,
}

/// An amount back from its qəpik: the units came from an [`Amount`], so they are in range.
fn amount(units: i64) -> Amount {
    Amount::from_units(units).unwrap_or(Amount::ZERO)
}

impl Entry {
    /// The receipt, with its credit and prepayment from `extras` (zero without).
    fn receipt(&self, extras: Option<&(i64, i64)>) -> Receipt {
        let (credit, prepayment) = extras.map_or((Amount::ZERO, Amount::ZERO), |&(c, p)| {
            (amount(c), amount(p))
        });
        Receipt {
            number: self.number,
            shift: self.shift,
            kind: self.kind,
            total: amount(self.total),
            credit,
            prepayment,
        }
    }
}

/// The receipts a [`JournalVerifier`] keeps for later documents to refer to.
#[derive(Default)]
pub(super) struct Index {
    /// Every receipt later documents may refer to, by fiscal ID (RC-17, RC-18).
    receipts: BTreeMap<Key, Entry>,
    /// The credit and prepayment (in qəpik) of the receipts that have either.
    extras: BTreeMap<Key, (i64, i64)>,
    /// With [`JournalVerifier::index_only`]: the only receipts worth indexing.
    only: Option<ReferencedReceipts>,
    /// The receipts by their Base58 short ID (SPEC.md §8.8), built at the first reference in
    /// that form and kept up from then on: a journal without one pays nothing for it.
    short58: Option<BTreeMap<String, Hash>>,
}

impl Index {
    /// Keeps only the receipts in `referenced` from now on.
    pub(super) fn only(&mut self, referenced: ReferencedReceipts) {
        self.only = Some(referenced);
    }

    /// True when receipt `id` is to be kept: always, unless restricted by [`Index::only`].
    pub(super) fn wants(&self, id: &Hash) -> bool {
        self.only.as_ref().is_none_or(|o| o.contains(id))
    }

    /// Keeps receipt `id`.
    pub(super) fn insert(&mut self, id: Hash, receipt: Receipt) {
        let key = Key::of(&id);
        let extra = !(receipt.credit.is_zero() && receipt.prepayment.is_zero());
        if extra {
            self.extras
                .insert(key, (receipt.credit.units(), receipt.prepayment.units()));
        } else {
            // A receipt of the same ID indexed before with amounts of its own (a journal
            // that repeats a document) leaves nothing behind.
            self.extras.remove(&key);
        }
        self.receipts.insert(
            key,
            Entry {
                number: receipt.number,
                total: receipt.total.units(),
                shift: receipt.shift,
                kind: receipt.kind,
                extra,
            },
        );
        if let Some(map) = &mut self.short58 {
            map.entry(FiscalId(id).short_base58()).or_insert(id);
        }
    }

    /// The receipt a reference names: its long ID, or its 12-character short ID (§13.3), in
    /// either letter case. Of receipts sharing a short ID, the lowest ID.
    pub(super) fn lookup(&mut self, reference: &str) -> Option<(Hash, Receipt)> {
        if reference.len() == SHORT_ID_LEN && crate::document::is_base58_reference(reference) {
            let receipts = &self.receipts;
            let map = self.short58.get_or_insert_with(|| {
                let mut m = BTreeMap::new();
                // Of receipts sharing a short ID, the lowest ID, as for hex.
                for key in receipts.keys() {
                    let id = key.id();
                    m.entry(FiscalId(id).short_base58()).or_insert(id);
                }
                m
            });
            let key = *map.get(reference)?;
            return self.get(key);
        }
        let key = match reference.len() {
            64 => {
                let mut key = [0u8; 32];
                hex::decode_to_slice(reference, &mut key).ok()?;
                key
            }
            SHORT_ID_LEN => {
                let mut prefix = [0u8; SHORT_ID_LEN / 2];
                hex::decode_to_slice(reference, &mut prefix).ok()?;
                let mut from = [0u8; 32];
                from[..prefix.len()].copy_from_slice(&prefix);
                self.receipts
                    .range(Key::of(&from)..)
                    .next()
                    .map(|(k, _)| k.id())
                    .filter(|id| id.starts_with(&prefix))?
            }
            // The long Base58 form the dialects' answers give (SPEC.md §8.8).
            43 | 44 => crate::document::FiscalId::from_base58(reference)?.0,
            _ => return None,
        };
        self.get(key)
    }

    fn get(&self, id: Hash) -> Option<(Hash, Receipt)> {
        let key = Key::of(&id);
        let entry = self.receipts.get(&key)?;
        let extras = entry.extra.then(|| self.extras.get(&key)).flatten();
        Some((id, entry.receipt(extras)))
    }
}

#[cfg(test)]
mod tests {
    use super::{Entry, Index, Key, Receipt};
    use crate::money::Amount;
    use crate::receipt::DocType;

    fn azn(text: &str) -> Amount {
        Amount::from_units(text.replace('.', "").parse().unwrap()).unwrap()
    }

    #[test]
    fn the_index_gives_back_every_receipt_as_it_was_kept() {
        // Receipts with a credit, a prepayment, both, neither and extremes, each looked up
        // by its ID: the same receipt, field by field (`Receipt: PartialEq`), the amounts at
        // scale 2 as they went in.
        let receipt = |number: u64, kind, total: &str, credit: &str, prepayment: &str| Receipt {
            number,
            shift: u32::try_from(number % 7).unwrap() + 1,
            kind,
            total: azn(total),
            credit: azn(credit),
            prepayment: azn(prepayment),
        };
        let kept = [
            receipt(1, Some(DocType::Sale), "12.50", "0.00", "0.00"),
            receipt(2, Some(DocType::Sale), "100.00", "60.00", "0.00"),
            receipt(3, Some(DocType::Sale), "7.05", "0.00", "7.05"),
            receipt(4, Some(DocType::Sale), "30.00", "10.00", "5.00"),
            receipt(5, Some(DocType::CreditPayment), "0.01", "0.00", "0.00"),
            receipt(u64::MAX, None, "0.00", "0.00", "0.00"),
            Receipt {
                number: 6,
                shift: u32::MAX,
                kind: Some(DocType::Advance),
                total: Amount::max_value(),
                credit: Amount::max_value(),
                prepayment: Amount::max_value(),
            },
        ];
        let mut index = Index::default();
        let id = |i: usize| [u8::try_from(i).unwrap().wrapping_mul(41); 32];
        for (i, r) in kept.iter().enumerate() {
            index.insert(id(i), *r);
        }
        for (i, r) in kept.iter().enumerate() {
            let (got_id, got) = index.lookup(&hex::encode(id(i))).unwrap();
            assert_eq!((got_id, got), (id(i), *r), "receipt {i}");
            assert_eq!(got.total.to_string(), r.total.to_string());
            assert_eq!(got.credit.to_string(), r.credit.to_string());
        }
        // The same ID kept again (a repeated document) without a credit: none left behind;
        // and with one again.
        index.insert(id(1), kept[0]);
        assert_eq!(index.lookup(&hex::encode(id(1))).unwrap().1, kept[0]);
        index.insert(id(1), kept[3]);
        assert_eq!(index.lookup(&hex::encode(id(1))).unwrap().1, kept[3]);
        // What the compact entry is for (56 bytes with its key).
        assert!(core::mem::size_of::<Entry>() + core::mem::size_of::<Key>() <= 56);
    }

    #[test]
    fn keys_order_as_the_bytes_of_their_ids_and_give_them_back() {
        // Pairs differing in one byte at every position, in both directions, and with the
        // high bit set (where a signed or little-endian word would order them otherwise).
        let base: [u8; 32] = core::array::from_fn(|i| (i as u8).wrapping_mul(37));
        for at in 0..32 {
            for change in [0x01u8, 0x80, 0xff] {
                let mut other = base;
                other[at] = other[at].wrapping_add(change);
                assert_eq!(
                    Key::of(&base).cmp(&Key::of(&other)),
                    base.cmp(&other),
                    "byte {at} changed by {change:#x}"
                );
                assert_eq!(Key::of(&other).id(), other);
            }
        }
        assert_eq!(Key::of(&base), Key::of(&base));
        assert_eq!(Key::of(&[0xff; 32]).id(), [0xff; 32]);
    }
}
