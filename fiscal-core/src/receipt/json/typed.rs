//! The typed reader: the common case of the JSON form read straight from the wire text into a
//! draft, in one pass over `serde_json`'s tokens — no `serde_json::Value` tree, no map clones,
//! no path or message formatted (issue #19).
//!
//! It reads only what it is sure of: this engine's own dialect with `doc_type` and `data` at
//! the top (SPEC.md §8.1), every member one of §8.2 (or output-only, §8.4), each of its JSON
//! type, each value in range. Anything else — another dialect or a wrapper, an unknown or
//! repeated member (PK-11, §8.3), a value the full reader would report, a dialect convention
//! that gives a notice (§8.6) — and it gives up (`None`): the full reader
//! (`crate::dialect`) then reads the text and stays the one source of every problem, path and
//! notice. So when it does give a draft, that draft is exactly the one the full reader hands
//! to the validator (the differential test `tests/typed_reader.rs` and the fuzz target
//! `request_json` check it).
//!
//! Borrowing: member names are matched as the `&str` slices `serde_json` hands out (escaped
//! names are unescaped into its scratch buffer, as the full reader compares them), and numbers
//! — and decimals written as strings — are parsed from their text without a copy; only the
//! texts the draft keeps (names, codes, references) are allocated.

use alloc::borrow::ToOwned;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;
use core::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::{MAX_REQUEST_BYTES, MAX_VAT_AMOUNTS};
use crate::money::{Amount, Percent, Quantity, UnitPrice, ValueError};
use crate::receipt::{
    CodeType, DocType, LineDraft, RequestDraft, ReturnOf, Unit, VatAmountDraft, MAX_LINES,
};
use crate::tax::TaxKind;

/// The name under which `serde_json` (with `arbitrary_precision`) hands a visitor a number
/// that is not a plain `u64` or `i64`: a map of one member, this key, whose value is the
/// number's text (as `crate::strict_json` reads it).
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// Reads `text` when it is the common case; `None` when the full reader must read it (see the
/// module's documentation). The draft is the one the full reader's `from_canonical` gives for
/// the text under the `strict` policy, before the both-policy normalisation of
/// `dialect::normalize::draft`.
pub(crate) fn read(text: &str) -> Option<RequestDraft> {
    // Larger than §4.1 allows: `malformed_json`, said by the full reader.
    if text.len() > MAX_REQUEST_BYTES {
        return None;
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let draft = (&mut de).deserialize_any(Top).ok()?;
    // Trailing text is `malformed_json`.
    de.end().ok()?;
    Some(draft)
}

/// Gives up: the text is not one the typed reader is sure of. The error is never shown (the
/// full reader reads the text again and says what is wrong), so it carries no message.
fn unsure<E: de::Error>() -> E {
    E::custom("")
}

/// The members of one kind of object, by their wire names; a set of members seen is a bit
/// mask of their numbers (at most 32 an object).
trait Key: Copy {
    /// The member of this name.
    fn from_name(name: &str) -> Option<Self>;
    /// Its bit in a set of members.
    fn bit(self) -> u32;
}

macro_rules! keys {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $wire:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy)]
        enum $name { $($variant),* }

        impl Key for $name {
            fn from_name(name: &str) -> Option<Self> {
                match name {
                    $($wire => Some($name::$variant),)*
                    _ => None,
                }
            }

            fn bit(self) -> u32 {
                1 << (self as u32)
            }
        }
    };
}

keys! {
    /// The top level: `doc_type` and `data`, nothing else (a wrapper, `parameters` or
    /// `requestData`, is another dialect or the compatibility walk of §8.1).
    TopKey { DocType = "doc_type", Data = "data" }
}

keys! {
    /// Members of `data` (SPEC.md §8.2), with the output-only `taxGroups` and
    /// `countedTaxGroups` (§8.4), known and not read: `dialect::members::DATA`.
    DataKey {
        Cashier = "cashier",
        Currency = "currency",
        Items = "items",
        Sum = "sum",
        CashSum = "cashSum",
        CashlessSum = "cashlessSum",
        BonusSum = "bonusSum",
        GiftCardSum = "giftCardSum",
        FuelCardSum = "fuelCardSum",
        PrepaymentSum = "prepaymentSum",
        CreditSum = "creditSum",
        IncomingSum = "incomingSum",
        ChangeSum = "changeSum",
        Residue = "residue",
        VatAmounts = "vatAmounts",
        ParentDocument = "parentDocument",
        Parents = "parents",
        CreditContract = "creditContract",
        Rrn = "rrn",
        PaymentNumber = "paymentNumber",
        MoneyBackType = "moneyBackType",
        VehiclePlate = "vehiclePlate",
        TaxGroups = "taxGroups",
        CountedTaxGroups = "countedTaxGroups",
    }
}

keys! {
    /// Members of an item (SPEC.md §8.2), with the output-only `itemTaxSum`:
    /// `dialect::members::ITEM`.
    ItemKey {
        ItemName = "itemName",
        ItemCodeType = "itemCodeType",
        ItemCode = "itemCode",
        ItemQuantityType = "itemQuantityType",
        ItemQuantity = "itemQuantity",
        ItemPrice = "itemPrice",
        ItemSum = "itemSum",
        ItemVatPercent = "itemVatPercent",
        TaxTreatment = "taxTreatment",
        ItemMarginSum = "itemMarginSum",
        ItemMarginPrice = "itemMarginPrice",
        Discount = "discount",
        Markup = "markup",
        Department = "department",
        DepartmentName = "departmentName",
        ItemTaxSum = "itemTaxSum",
    }
}

keys! {
    /// Members of a `vatAmounts` entry: `dialect::members::VAT_AMOUNT`.
    VatKey { VatSum = "vatSum", VatPercent = "vatPercent", TaxTreatment = "taxTreatment" }
}

keys! {
    /// The one member of the map `serde_json` hands a number as (see [`NUMBER_TOKEN`]).
    NumberKey { Token = "$serde_json::private::Number" }
}

/// The next member of an object: `None` at the end. A name the object does not have (the
/// number token among them: a number where an object belongs) gives up; so does a name
/// already in `seen` (a repeat: `duplicate_member`, PK-11).
fn next_member<'de, K: Key, A: MapAccess<'de>>(
    map: &mut A,
    seen: &mut u32,
) -> Result<Option<K>, A::Error> {
    let Some(k) = map.next_key_seed(Member(PhantomData::<K>))? else {
        return Ok(None);
    };
    if *seen & k.bit() != 0 {
        return Err(unsure());
    }
    *seen |= k.bit();
    Ok(Some(k))
}

/// A member's name, as the object's key.
struct Member<K>(PhantomData<K>);

impl<'de, K: Key> DeserializeSeed<'de> for Member<K> {
    type Value = K;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<K, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<K: Key> Visitor<'_> for Member<K> {
    type Value = K;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a known member")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<K, E> {
        K::from_name(v).ok_or_else(unsure)
    }
}

/// The top-level object.
struct Top;

impl<'de> Visitor<'de> for Top {
    type Value = RequestDraft;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a request")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RequestDraft, A::Error> {
        let mut seen = 0;
        let mut doc = None;
        let mut draft = RequestDraft::default();
        let mut members = 0;
        while let Some(k) = next_member(&mut map, &mut seen)? {
            match k {
                TopKey::DocType => doc = Some(map.next_value_seed(Kind)?),
                TopKey::Data => map.next_value_seed(Data {
                    draft: &mut draft,
                    members: &mut members,
                })?,
            }
        }
        // Without either it is `missing_field` (or another dialect): the full reader says so.
        let (Some(doc), true) = (doc, seen & TopKey::Data.bit() != 0) else {
            return Err(unsure());
        };
        // A deposit or withdrawal with `cashSum` and no `sum` takes it as its `sum`, with the
        // notice `cash_sum_as_amount` (SPEC.md §8.6, both policies): the full reader's.
        let has = |k: DataKey| members & k.bit() != 0;
        if matches!(doc, DocType::Deposit | DocType::Withdraw)
            && !has(DataKey::Sum)
            && has(DataKey::CashSum)
        {
            return Err(unsure());
        }
        // A reference in a Base58 form is kept with the notice `reference_base58` (§8.6).
        let base58 = draft
            .parent
            .iter()
            .chain(draft.parents.iter().flatten())
            .any(|r| crate::document::is_base58_reference(r));
        if base58 {
            return Err(unsure());
        }
        draft.doc_type = Some(doc);
        Ok(draft)
    }
}

/// `doc_type`: one of the kinds of SPEC.md §2 (else `unknown_doc_type`, `wrong_type` or, for
/// `null`, `missing_field`: the full reader's).
struct Kind;

impl<'de> DeserializeSeed<'de> for Kind {
    type Value = DocType;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<DocType, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl Visitor<'_> for Kind {
    type Value = DocType;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a document kind")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<DocType, E> {
        DocType::from_wire_name(v).ok_or_else(unsure)
    }
}

/// `data`: the draft's members, read into the draft in place, and the set of members present
/// (`null` ones too).
struct Data<'a> {
    draft: &'a mut RequestDraft,
    members: &'a mut u32,
}

impl<'de> DeserializeSeed<'de> for Data<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Data<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the request's data")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let d = self.draft;
        let seen = self.members;
        while let Some(k) = next_member(&mut map, seen)? {
            let amount = Decimal(Amount::parse);
            use DataKey as K;
            match k {
                K::Cashier => d.cashier = map.next_value_seed(Text)?,
                K::Currency => d.currency = map.next_value_seed(Text)?,
                K::Items => map.next_value_seed(Lines(&mut d.items))?,
                K::Sum => d.sum = map.next_value_seed(amount)?,
                K::CashSum => d.cash = map.next_value_seed(amount)?,
                K::CashlessSum => d.cashless = map.next_value_seed(amount)?,
                K::BonusSum => d.bonus = map.next_value_seed(amount)?,
                K::GiftCardSum => d.gift_card = map.next_value_seed(amount)?,
                K::FuelCardSum => d.fuel_card = map.next_value_seed(amount)?,
                K::PrepaymentSum => d.prepayment = map.next_value_seed(amount)?,
                K::CreditSum => d.credit = map.next_value_seed(amount)?,
                K::IncomingSum => d.tendered = map.next_value_seed(amount)?,
                K::ChangeSum => d.change = map.next_value_seed(amount)?,
                K::Residue => d.debt_left = map.next_value_seed(amount)?,
                K::VatAmounts => {
                    d.vat_amounts = map.next_value_seed(List::new(MAX_VAT_AMOUNTS, VatAmount))?;
                }
                K::ParentDocument => d.parent = map.next_value_seed(Text)?,
                K::Parents => d.parents = map.next_value_seed(List::new(usize::MAX, Reference))?,
                K::CreditContract => d.credit_contract = map.next_value_seed(Text)?,
                K::Rrn => d.rrn = map.next_value_seed(Text)?,
                K::PaymentNumber => d.instalment = map.next_value_seed(Whole)?.map(saturate),
                K::MoneyBackType => {
                    d.return_of = coded(map.next_value_seed(Whole)?, ReturnOf::from_code)?;
                }
                K::VehiclePlate => d.vehicle_plate = map.next_value_seed(Text)?,
                // Output-only (§8.4), not read.
                K::TaxGroups | K::CountedTaxGroups => map.next_value_seed(Skip)?,
            }
        }
        Ok(())
    }
}

/// `items` (`null` is absent), each item read in place: a line's draft is a few hundred bytes,
/// and moving each one out of its reader and into the list cost more than reading it.
struct Lines<'a>(&'a mut Option<Vec<LineDraft>>);

impl<'de> DeserializeSeed<'de> for Lines<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Lines<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of items")
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        *self.0 = None;
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut out = Vec::with_capacity(16);
        loop {
            out.push(LineDraft::default());
            let Some(slot) = out.last_mut() else { break };
            if seq.next_element_seed(Item(slot))?.is_none() {
                out.pop();
                break;
            }
            // More lines than §4.1 allows: `too_many_lines`, said by the full reader.
            if out.len() > MAX_LINES {
                return Err(unsure());
            }
        }
        *self.0 = Some(out);
        Ok(())
    }
}

/// An item of `items` (SPEC.md §7.2, §8.2), read into its line's draft.
struct Item<'a>(&'a mut LineDraft);

impl<'de> DeserializeSeed<'de> for Item<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Item<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an item")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let l = self.0;
        let mut seen = 0;
        while let Some(k) = next_member(&mut map, &mut seen)? {
            let amount = Decimal(Amount::parse);
            use ItemKey as K;
            match k {
                K::ItemName => l.name = map.next_value_seed(Text)?,
                K::ItemCodeType => {
                    l.code_type = coded(map.next_value_seed(Whole)?, CodeType::from_code)?;
                }
                K::ItemCode => l.code = map.next_value_seed(Code)?,
                K::ItemQuantityType => {
                    l.unit = coded(map.next_value_seed(Whole)?, Unit::from_code)?
                }
                K::ItemQuantity => l.quantity = map.next_value_seed(Decimal(Quantity::parse))?,
                K::ItemPrice => l.price = map.next_value_seed(Decimal(UnitPrice::parse))?,
                K::ItemSum => l.total = map.next_value_seed(amount)?,
                K::ItemVatPercent => l.percent = map.next_value_seed(Decimal(Percent::parse))?,
                K::TaxTreatment => l.tax_kind = map.next_value_seed(Treatment)?,
                K::ItemMarginSum => l.margin = map.next_value_seed(amount)?,
                K::ItemMarginPrice => {
                    l.margin_price = map.next_value_seed(Decimal(UnitPrice::parse))?;
                }
                K::Discount => l.discount = map.next_value_seed(amount)?,
                K::Markup => l.markup = map.next_value_seed(amount)?,
                K::Department => l.department = map.next_value_seed(Whole)?.map(saturate),
                K::DepartmentName => l.department_name = map.next_value_seed(Text)?,
                // Output-only (§8.4), not read.
                K::ItemTaxSum => map.next_value_seed(Skip)?,
            }
        }
        Ok(())
    }
}

/// An entry of `vatAmounts` (SPEC.md §5.5).
#[derive(Clone, Copy)]
struct VatAmount;

impl<'de> DeserializeSeed<'de> for VatAmount {
    type Value = VatAmountDraft;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for VatAmount {
    type Value = VatAmountDraft;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a vatAmounts entry")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut v = VatAmountDraft::default();
        let mut seen = 0;
        while let Some(k) = next_member(&mut map, &mut seen)? {
            match k {
                VatKey::VatSum => v.gross = map.next_value_seed(Decimal(Amount::parse))?,
                VatKey::VatPercent => v.percent = map.next_value_seed(Decimal(Percent::parse))?,
                VatKey::TaxTreatment => v.tax_kind = map.next_value_seed(Treatment)?,
            }
        }
        Ok(v)
    }
}

/// A list of at most `max` entries, each read by `seed`; `null` is absent. Longer lists are
/// refused or cut by the full reader (`too_many_lines`, `out_of_range`): given up here.
struct List<S> {
    max: usize,
    seed: S,
}

impl<S> List<S> {
    fn new(max: usize, seed: S) -> Self {
        List { max, seed }
    }
}

impl<'de, S: DeserializeSeed<'de> + Copy> DeserializeSeed<'de> for List<S> {
    type Value = Option<Vec<S::Value>>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, S: DeserializeSeed<'de> + Copy> Visitor<'de> for List<S> {
    type Value = Option<Vec<S::Value>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list")
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(16));
        while let Some(v) = seq.next_element_seed(self.seed)? {
            if out.len() == self.max {
                return Err(unsure());
            }
            out.push(v);
        }
        Ok(Some(out))
    }
}

/// A text member (`null` is absent).
struct Text;

impl<'de> DeserializeSeed<'de> for Text {
    type Value = Option<String>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl Visitor<'_> for Text {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.to_owned()))
    }
}

/// An entry of `parents`: a string (`null` there is `wrong_type`).
#[derive(Clone, Copy)]
struct Reference;

impl<'de> DeserializeSeed<'de> for Reference {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl Visitor<'_> for Reference {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }
}

/// `taxTreatment`: one of the names of SPEC.md §5.1 (`null` is absent).
struct Treatment;

impl<'de> DeserializeSeed<'de> for Treatment {
    type Value = Option<TaxKind>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl Visitor<'_> for Treatment {
    type Value = Option<TaxKind>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a tax treatment")
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        TaxKind::from_name(v).map(Some).ok_or_else(unsure)
    }
}

/// A decimal member (SPEC.md §8.3): a JSON number or a string, its text parsed by `parse`
/// (§3.2) — never through a float. `null` is absent; a value `parse` refuses gives up.
struct Decimal<T>(fn(&str) -> Result<T, ValueError>);

impl<'de, T> DeserializeSeed<'de> for Decimal<T> {
    type Value = Option<T>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, T> Visitor<'de> for Decimal<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a decimal")
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.visit_str(Digits::new(v, false).as_str())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        self.visit_str(Digits::new(v.unsigned_abs(), v < 0).as_str())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        (self.0)(v).map(Some).map_err(|_| unsure())
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let text = number_text(map)?;
        self.visit_str(&text)
    }
}

/// A whole number (`itemCodeType`, `paymentNumber`, …): what `serde_json::Number::as_u64`
/// gives the full reader. `null` is absent; a string is `wrong_type`, anything else not a
/// whole number `invalid_enum_value`: given up.
struct Whole;

impl<'de> DeserializeSeed<'de> for Whole {
    type Value = Option<u64>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Whole {
    type Value = Option<u64>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a whole number")
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        // `as_u64` of a number's text, as the full reader takes it.
        let text = number_text(map)?;
        text.parse::<u64>().map(Some).map_err(|_| unsure())
    }
}

/// `itemCode`: a string, or a number's text (deployed software sends numeric codes as JSON
/// numbers). `null` is absent.
struct Code;

impl<'de> DeserializeSeed<'de> for Code {
    type Value = Option<String>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Code {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an item code")
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.to_owned()))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        number_text(map).map(Some)
    }
}

/// The text of a number `serde_json` hands over as a map (see [`NUMBER_TOKEN`]). A JSON object
/// spelling that map out (`{"$serde_json::private::Number": "1.5"}`, which the full reader
/// also reads as a number, or refuses) gives up: `serde_json` hands its own numbers' text as
/// an owned `String` (`visit_string`), a string of the text as a `str`.
fn number_text<'de, A: MapAccess<'de>>(mut map: A) -> Result<String, A::Error> {
    match map.next_key_seed(Member(PhantomData::<NumberKey>))? {
        Some(_) => map.next_value_seed(OwnedText),
        None => Err(unsure()),
    }
}

/// A number's text as `serde_json` hands it over: an owned `String`, nothing else.
struct OwnedText;

impl<'de> DeserializeSeed<'de> for OwnedText {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl Visitor<'_> for OwnedText {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number's text")
    }

    fn visit_string<E>(self, v: String) -> Result<String, E> {
        Ok(v)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<String, E> {
        Err(unsure())
    }
}

/// An output-only member (§8.4): any JSON value, not kept, but still free of repeated members
/// (PK-11: a repeat anywhere is `duplicate_member`) and of the number token spelt out.
struct Skip;

impl<'de> DeserializeSeed<'de> for Skip {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Skip {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Skip)?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut names = alloc::collections::BTreeSet::new();
        while let Some(name) = map.next_key_seed(Name)? {
            // The number token first is a number (or its spelling out): only the first key,
            // as `strict_json` and `serde_json::Value` tell them apart.
            if names.is_empty() && name == NUMBER_TOKEN {
                map.next_value_seed(OwnedText)?;
                continue;
            }
            if !names.insert(name) {
                return Err(unsure());
            }
            map.next_value_seed(Skip)?;
        }
        Ok(())
    }
}

/// Any member name, unescaped.
struct Name;

impl<'de> DeserializeSeed<'de> for Name {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for Name {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_str<E>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }
}

/// A coded member's value (`CodeType`, `Unit`, `ReturnOf`): an unknown code is
/// `invalid_enum_value`, given up.
fn coded<T, E: de::Error>(n: Option<u64>, from: fn(u64) -> Option<T>) -> Result<Option<T>, E> {
    match n {
        None => Ok(None),
        Some(n) => from(n).map(Some).ok_or_else(unsure),
    }
}

/// A whole number as the draft's `u32`, saturated as the full reader saturates it.
fn saturate(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The decimal text of an integer `serde_json` handed over as a `u64` or `i64` (it is the text
/// as written: JSON integers have no leading zeros or `+`), without an allocation.
struct Digits {
    buf: [u8; 21],
    start: usize,
}

impl Digits {
    fn new(mut v: u64, negative: bool) -> Digits {
        let mut buf = [0u8; 21];
        let mut start = buf.len();
        loop {
            start -= 1;
            // `v % 10` is below 10: the cast keeps it.
            buf[start] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        if negative {
            start -= 1;
            buf[start] = b'-';
        }
        Digits { buf, start }
    }

    fn as_str(&self) -> &str {
        // Only ASCII digits and `-` were written.
        core::str::from_utf8(&self.buf[self.start..]).unwrap_or("")
    }
}
