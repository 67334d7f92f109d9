//! The members each dialect's requests carry (SPEC.md §8.2, §8.7): the canonical ones, the
//! output-only ones a POS may echo back, and the vendor members — what each means here, or
//! that it is left aside (with a notice).

use super::Dialect;

/// Members of `data` in the canonical form (SPEC.md §8.2), with the output-only ones of §8.4
/// (`taxGroups`, `countedTaxGroups`), which are known and ignored on input.
pub(super) const DATA: &[&str] = &[
    "cashier",
    "currency",
    "items",
    "sum",
    "cashSum",
    "cashlessSum",
    "bonusSum",
    "giftCardSum",
    "fuelCardSum",
    "prepaymentSum",
    "creditSum",
    "incomingSum",
    "changeSum",
    "residue",
    "vatAmounts",
    "parentDocument",
    "parents",
    "creditContract",
    "rrn",
    "paymentNumber",
    "moneyBackType",
    "vehiclePlate",
    "taxGroups",
    "countedTaxGroups",
];

/// Members of an item (SPEC.md §8.2), with the output-only `itemTaxSum`.
pub(super) const ITEM: &[&str] = &[
    "itemName",
    "itemCodeType",
    "itemCode",
    "itemQuantityType",
    "itemQuantity",
    "itemPrice",
    "itemSum",
    "itemVatPercent",
    "taxTreatment",
    "itemMarginSum",
    "itemMarginPrice",
    "discount",
    "markup",
    "department",
    "departmentName",
    "itemTaxSum",
];

/// Every member of every dialect's envelope (SPEC.md §8.1): what a misspelt envelope member is
/// compared with.
pub(super) const ENVELOPE: &[&str] = &[
    "version",
    "operationId",
    "parameters",
    "access_token",
    "doc_type",
    "data",
    "prev_doc_number",
    "requestData",
    "tokenData",
    "checkData",
    "check_type",
    "payment_change",
    "fiscalId",
    "int_ref",
    "receiptDetails",
    "pin",
    "role",
    "login",
    "password",
    "name",
    "username",
    "cashregister_factory_number",
    "parents",
];

/// Members of a `vatAmounts` entry.
pub(super) const VAT_AMOUNT: &[&str] = &["vatSum", "vatPercent", "taxTreatment"];

/// The decimal members of `data` and their scales (SPEC.md §3.1): what the number forms of
/// the `deployed` policy apply to.
pub(super) const DATA_DECIMALS: &[(&str, u32)] = &[
    ("sum", 2),
    ("cashSum", 2),
    ("cashlessSum", 2),
    ("bonusSum", 2),
    ("giftCardSum", 2),
    ("fuelCardSum", 2),
    ("prepaymentSum", 2),
    ("creditSum", 2),
    ("incomingSum", 2),
    ("changeSum", 2),
    ("residue", 2),
];

/// The decimal members of an item and their scales.
pub(super) const ITEM_DECIMALS: &[(&str, u32)] = &[
    ("itemQuantity", 3),
    ("itemPrice", 4),
    ("itemSum", 2),
    ("itemVatPercent", 2),
    ("itemMarginSum", 2),
    ("itemMarginPrice", 4),
    ("discount", 2),
    ("markup", 2),
];

/// The decimal members of a `vatAmounts` entry and their scales.
pub(super) const VAT_DECIMALS: &[(&str, u32)] = &[("vatSum", 2), ("vatPercent", 2)];

/// What a vendor member of `data` means here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Vendor {
    /// `prev_doc_number`: the double-issue guard (SPEC.md §14.3 step 1).
    PreviousNumber,
    /// Cash handed over, read as `incomingSum`.
    CashHandedOver,
    /// A vehicle plate, read as `vehiclePlate`.
    VehiclePlate,
    /// A correction's period: not kept in the document.
    CorrectionPeriod,
    /// Known, carrying nothing this engine keeps: left aside with a notice saying what it is.
    Ignored(&'static str),
}

/// The vendor members of `data` the deployed dialects send (DEPLOYED-APIS.md §3, §4.12), and
/// what each means. The same list for every vendor dialect: POS programs mix them (TaxManager
/// and F-Lab send NBA's envelope with their own members), and a member one vendor defines means
/// the same wherever it appears.
pub(super) fn vendor_data(name: &str) -> Option<Vendor> {
    vendor_data_exact(name).or_else(|| {
        // .NET clients print some members in PascalCase beside the camelCase ones
        // (TaxManager's `FirstOperationAtUtc`): the same vendor member.
        let mut chars = name.chars();
        let first = chars.next()?;
        if !first.is_ascii_uppercase() {
            return None;
        }
        let camel: alloc::string::String = core::iter::once(first.to_ascii_lowercase())
            .chain(chars)
            .collect();
        vendor_data_exact(&camel)
    })
}

fn vendor_data_exact(name: &str) -> Option<Vendor> {
    Some(match name {
        "prev_doc_number" => Vendor::PreviousNumber,
        "cashFromClient" => Vendor::CashHandedOver,
        "carNumber" => Vendor::VehiclePlate,
        "firstOperationAtUtc" | "lastOperationAtUtc" => Vendor::CorrectionPeriod,
        "transactions" => Vendor::Ignored("the bank transactions (rrn, approval code)"),
        "approval_code" => Vendor::Ignored("the bank approval code"),
        "bonusCardNumber" => Vendor::Ignored("the bonus card number"),
        "textField1" | "textField2" | "textField3" => {
            Vendor::Ignored("a printed text block of the vendor")
        }
        "receiptDetails" => Vendor::Ignored("the vendor's receipt details"),
        "useTerminalBank" => Vendor::Ignored("the bank terminal switch"),
        "uuid" => Vendor::Ignored("the POS's own identifier of the receipt"),
        "creditPayer" => Vendor::Ignored("the credit payer's data"),
        "committentInfo" => Vendor::Ignored("the committent's data"),
        "gasStationInfo" => Vendor::Ignored("the fuel station's data"),
        "guestsCount" => Vendor::Ignored("the number of guests"),
        "refund_document_number" => {
            Vendor::Ignored("the returned receipt's number (the reference is parentDocument)")
        }
        "refund_short_document_id" => {
            Vendor::Ignored("the returned receipt's short ID (the reference is parentDocument)")
        }
        "int_ref" => Vendor::Ignored("the POS's internal reference"),
        "access_token" => Vendor::Ignored("the session token (transport)"),
        _ => return None,
    })
}

/// The vendor members of an item, each left aside with a notice saying what it is.
pub(super) fn vendor_item(name: &str) -> Option<&'static str> {
    Some(match name {
        "itemMarkingCode" | "itemMarkingCodes" => "the marking code",
        "itemDiscountPrice" => "the price before discount (the price is itemPrice)",
        "itemCreditpaySum" => "the credit part of the line",
        "itemAgentCommission" => "the agent's commission",
        "itemUnit" => "the unit's name (the unit is itemQuantityType)",
        "itemId" | "id" | "productId" => "the POS's own identifier of the goods",
        _ => return None,
    })
}

/// The members of the envelope around `data` each dialect knows (besides `data` itself),
/// at the level of `parameters` (AirConn, NBA, Omnitech's `tokenData.parameters`).
pub(super) fn parameters(dialect: Dialect) -> &'static [&'static str] {
    match dialect {
        Dialect::Airconn => &[
            "access_token",
            "doc_type",
            "data",
            "prev_doc_number",
            "pin",
            "role",
            "cashregister_factory_number",
        ],
        Dialect::Nba => &[
            "access_token",
            "doc_type",
            "data",
            "prev_doc_number",
            "pin",
            "role",
            "login",
            "password",
            "cashregister_factory_number",
        ],
        Dialect::Omnitech => &[
            "doc_type",
            "data",
            "prev_doc_number",
            "parents",
            "access_token",
        ],
        Dialect::FiscalCore | Dialect::Ekassam => &["doc_type", "data"],
    }
}
