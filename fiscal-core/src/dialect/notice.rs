//! Notices: what a reader accepted that the strict specification would not, or did with a
//! member the request carried (SPEC.md §8.6). Nothing is normalised silently: each leniency of
//! the `deployed` policy, and each vendor member read or left aside, is one notice with a
//! stable code, the path of the member, a message and the rule it touches.

use alloc::string::String;
use core::fmt;

macro_rules! notice_codes {
    ($( $(#[doc = $doc:literal])* $variant:ident = $num:literal, $text:literal, $rule:literal; )*) => {
        /// The stable notice codes (SPEC.md §8.6): a number, a name and the rule each touches.
        /// A code is never reused or renumbered.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        #[repr(u16)]
        pub enum NoticeCode {
            $( $(#[doc = $doc])* $variant = $num, )*
        }

        impl NoticeCode {
            /// Every code, in numeric order.
            pub const ALL: &'static [NoticeCode] = &[$(NoticeCode::$variant),*];

            /// The stable name, e.g. `"line_total_band"`.
            pub const fn as_str(self) -> &'static str {
                match self { $(NoticeCode::$variant => $text,)* }
            }

            /// The stable number, e.g. `707`.
            pub const fn number(self) -> u16 {
                self as u16
            }

            /// The RULES.md rule the leniency touches.
            pub const fn rule(self) -> &'static str {
                match self { $(NoticeCode::$variant => $rule,)* }
            }

            /// The code with this stable name, if any.
            pub fn from_name(name: &str) -> Option<NoticeCode> {
                match name { $($text => Some(NoticeCode::$variant),)* _ => None }
            }
        }
    };
}

notice_codes! {
    /// A member the dialect does not know was left aside (`deployed`; `strict` refuses it
    /// with `unknown_member`).
    UnknownMemberIgnored = 700, "unknown_member_ignored", "PK-11";
    /// A member the dialect knows but this engine does not keep was left aside (bank
    /// transaction data, a bonus card number, printed text blocks, …).
    VendorMemberIgnored = 701, "vendor_member_ignored", "PK-11";
    /// A number written with an exponent (`1.25E7`, Gson and Java's `Double.toString`) was
    /// read exactly as the plain decimal it denotes.
    NumberExponent = 702, "number_exponent", "PK-11";
    /// A number with more decimals than its scale (`1.0499999999999996`, six SQL decimals)
    /// was rounded half away from zero to the scale (SPEC.md §3.4).
    NumberRounded = 703, "number_rounded", "RC-05";
    /// An item code under EAN-8 or EAN-13 that is not a GS1 code of that length was read as
    /// the shop's own code (type 0), as deployed tokens accept it.
    ItemCodeNotGs1 = 704, "item_code_not_gs1", "RC-05";
    /// An empty item code under a type that allows no code was read as "no code" (both
    /// policies).
    ItemCodeEmpty = 705, "item_code_empty", "RC-05";
    /// A line total outside the band of SPEC.md §5.2 but within the deployed tokens' band
    /// (0.01 × quantity + 0.01) was accepted as given.
    LineTotalBand = 707, "line_total_band", "RC-05";
    /// `moneyBackType` numbered as the dialect numbers it (NBA: 6 advance, 7 credit
    /// payment) was read as the specification's 1 and 2.
    MoneyBackTypeMapped = 708, "money_back_type_mapped", "RC-17";
    /// A cancel naming its receipt by another member (`fiscalId`) was read as
    /// `parentDocument`.
    ReferenceMember = 709, "reference_member", "RC-17";
    /// A cancel carried amounts (sum, payments, vatAmounts): they are not part of a cancel
    /// and are checked against the receipt it voids when it is issued.
    CancelAmountsToCheck = 710, "cancel_amounts_to_check", "RC-17";
    /// `incomingSum` on a return was left aside: no cash is handed over on a return.
    IncomingSumOnReturn = 711, "incoming_sum_on_return", "RC-12";
    /// A sale's `sum` (and `vatAmounts`) counted the credit or the advance offset, as the
    /// dialect counts it; the specification's sum leaves them out (SPEC.md §5.4).
    SumIncludesDeferred = 712, "sum_includes_deferred", "RC-10";
    /// A sale paid with `prepaymentSum` but naming no advance was read as a gift
    /// certificate (`giftCardSum`), as AirConn books one.
    GiftCertificateAsPrepayment = 713, "gift_certificate_as_prepayment", "RC-14";
    /// A margin-VAT line in the dialect's convention (margin as purchase cost, or the whole
    /// line in the 18 % group) was read as the specification's margin.
    MarginConvention = 714, "margin_convention", "RC-05";
    /// The dialect's previous-document number (`prev_doc_number`) is the double-issue guard:
    /// the document is issued only if the device's last number is this one (SPEC.md §14.3).
    PreviousNumberGuard = 715, "previous_number_guard", "NM-03";
    /// Cash handed over given by a vendor member (`cashFromClient`) was read as
    /// `incomingSum`.
    CashFromClient = 716, "cash_from_client", "RC-12";
    /// A vehicle plate given by a vendor member (`carNumber`) was read as `vehiclePlate`.
    VehiclePlateMember = 717, "vehicle_plate_member", "RC-19";
    /// A return or instalment on a receipt of the deployed system (a Base58 fiscal ID of the
    /// kassa's previous token, not supplied and not in the device's ledger): carried in the
    /// document as written, not checkable here (`deployed` only; SPEC.md §8.6).
    ForeignReference = 718, "foreign_reference", "RC-17";
    /// A deposit's or withdrawal's amount given as `cashSum` (Omnitech, AirConn) was read
    /// as its `sum`.
    CashSumAsAmount = 719, "cash_sum_as_amount", "PK-01";
    /// A correction's period (`firstOperationAtUtc`, `lastOperationAtUtc`) is not kept in
    /// the document.
    CorrectionPeriodNotKept = 720, "correction_period_not_kept", "PK-01";
    /// A credit sale's or an advance's parts were taken out of `vatAmounts` as the
    /// specification counts them.
    VatAmountsIncludeDeferred = 722, "vat_amounts_include_deferred", "RC-05";
    /// The operation came from the caller (the endpoint a `kas_*` body was posted to, or
    /// `--operation`), not from the text.
    OperationFromEndpoint = 723, "operation_from_endpoint", "PK-11";
    /// A document of a form that carries no cashier (Omnitech's rollback, deposit and
    /// withdrawal: the token prints its logged-in user) took the session's user, or, none
    /// being known, the name `Kassir`.
    CashierFromSession = 724, "cashier_from_session", "PK-08";
    /// A reference in a Base58 form (the deployed system's IDs, and this engine's answers in a
    /// vendor dialect): kept as written, matched by the ID's bytes (SPEC.md §8.8).
    ReferenceBase58 = 725, "reference_base58", "RC-17";
}

impl fmt::Display for NoticeCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One notice: its code, where (the path in the canonical request, `items[0].itemCode`, or
/// in the wire text for envelope members), and a message for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// The stable code.
    pub code: NoticeCode,
    /// Where: the member's path (empty for the whole request).
    pub path: String,
    /// What was read and how, for people.
    pub message: String,
}

impl Notice {
    /// The rule the leniency touches (`NoticeCode::rule`).
    pub fn rule(&self) -> &'static str {
        self.code.rule()
    }
}

impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "[{}] {}", self.code, self.message)
        } else {
            write!(f, "[{}] {}: {}", self.code, self.path, self.message)
        }
    }
}

/// Where notices go while a request is read under a policy: the validator and the readers
/// push to it; `deployed` says whether the leniencies apply.
#[cfg(feature = "json")]
pub(crate) struct Notices<'a> {
    /// The `deployed` policy: leniencies apply (each one pushes a notice).
    pub(crate) deployed: bool,
    /// The notices so far.
    pub(crate) list: &'a mut alloc::vec::Vec<Notice>,
}

#[cfg(feature = "json")]
impl Notices<'_> {
    /// Adds a notice.
    pub(crate) fn push(&mut self, code: NoticeCode, path: impl Into<String>, message: String) {
        self.list.push(Notice {
            code,
            path: path.into(),
            message,
        });
    }
}
