//! Answers in each dialect's shape (SPEC.md §8.8): what the POS program reads back after a
//! document, a control call or a refusal, built from the engine's own outputs. The members,
//! their JSON types and the success codes are the ones the public integrations read
//! (spec/dialects/RESPONSES-*.md); IDs are the fiscal ID's Base58 forms, the form those
//! programs store, compare and cut to 12 characters (the bytes are the same).

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::{json, Map, Value};

use super::Dialect;
use crate::describe;
use crate::device::DeviceState;
use crate::document::{Document, FiscalId, ShiftReport};
use crate::error::{Error, ErrorCode};
use crate::receipt::DocType;
use crate::time::Timestamp;
use crate::Warning;

/// The message of a success, as each dialect's tokens write it; INTEKO's clients decide
/// success by comparing this text (spec/dialects/RESPONSES-airconn-ekassam.md §2): "Successful
/// operation" for NBA and Omnitech, "Success operation" for e-Kassam and AirConn.
const fn success(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Ekassam | Dialect::Airconn => "Success operation",
        _ => "Successful operation",
    }
}

/// What the device answered to a control call, to be written in a dialect's shape.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum ControlAnswer<'a> {
    /// A login: the session token handed out.
    Login {
        /// The token the POS sends back with every later call.
        access_token: &'a str,
    },
    /// A logout.
    Logout,
    /// A shift opened: its opening document.
    OpenShift {
        /// The open-shift document.
        document: &'a Document,
    },
    /// Whether a shift is open, and since when.
    ShiftStatus {
        /// The open shift's report, `None` when no shift is open.
        shift: Option<&'a ShiftReport>,
        /// The device's state (its serial number for Omnitech's `serial`).
        state: &'a DeviceState,
    },
    /// An X-report (`z` `None`) or the Z-report that closed the shift.
    Report {
        /// The report.
        report: &'a ShiftReport,
        /// The Z-report document; `None` for an X-report.
        z: Option<&'a Document>,
        /// When it was made.
        time: Timestamp,
        /// Documents waiting for upload.
        pending: u64,
    },
    /// The device and certificate data.
    Info {
        /// The device's state.
        state: &'a DeviceState,
    },
    /// The last document issued (the device keeps its number and fiscal ID, not the
    /// document: the POS's journal has it).
    LastDocument {
        /// Its number.
        number: u64,
        /// Its fiscal ID.
        id: FiscalId,
    },
}

/// UTC text as the tokens write it: `2025-06-20T05:00:00Z`.
fn utc(t: Timestamp) -> String {
    let secs = t.millis().div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    alloc::format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// The proleptic Gregorian date of a day count from 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn number(a: crate::Amount) -> Value {
    // Amounts as JSON numbers with their scale (`12.50`), as the tokens write them.
    a.to_string()
        .parse::<serde_json::Number>()
        .map_or(Value::Null, Value::Number)
}

/// `{code, message}` with `data` when there is one: the NBA / AirConn / e-Kassam frame.
fn framed(code: u32, message: &str, data: Option<Value>) -> Value {
    let mut out = Map::new();
    out.insert("code".into(), code.into());
    if let Some(d) = data {
        out.insert("data".into(), d);
    }
    out.insert("message".into(), message.into());
    Value::Object(out)
}

/// The answer to a document issued (SPEC.md §8.8): NBA, AirConn and e-Kassam
/// `{code: 0, message, data: {document_id, short_document_id, document_number,
/// shift_document_number}}`; Omnitech the same members at the top as `long_id`, `short_id`,
/// `document_number`, `shift_document_number`; this engine's form, the document's description
/// (SPEC.md §8.5).
pub fn document_response(
    dialect: Dialect,
    document: &Document,
    qr_base: &str,
    warnings: &[Warning],
) -> Value {
    let id = document.id();
    let body = document.body();
    match dialect {
        Dialect::FiscalCore => describe::document(document, qr_base, warnings),
        Dialect::Omnitech => json!({
            "code": 0,
            "document_number": body.number,
            "long_id": id.base58(),
            "message": success(dialect),
            "shift_document_number": body.shift_receipt,
            "short_id": id.short_base58(),
        }),
        Dialect::Nba | Dialect::Airconn | Dialect::Ekassam => framed(
            0,
            success(dialect),
            Some(json!({
                "document_id": id.base58(),
                "document_number": body.number,
                "shift_document_number": body.shift_receipt,
                "short_document_id": id.short_base58(),
            })),
        ),
    }
}

/// The per-currency totals of a report, as the tokens write them (`currencies[{currency,
/// saleCount, saleSum, saleCashSum, …, saleVatAmounts}]`).
/// AirConn's client reads the report into fixed classes that fail on any other member: no
/// advance or instalment rows, and only a count and a sum for cash in and out.
fn currencies(dialect: Dialect, report: &ShiftReport) -> Value {
    let mut c = Map::new();
    c.insert("currency".into(), "AZN".into());
    for kind in DocType::ALL {
        let cash_only = matches!(kind, DocType::Deposit | DocType::Withdraw);
        if dialect == Dialect::Airconn && matches!(kind, DocType::Advance | DocType::CreditPayment)
        {
            continue;
        }
        let prefix = match kind {
            DocType::Sale => "sale",
            DocType::Return => "moneyBack",
            DocType::Cancel => "rollback",
            DocType::Advance => "prepay",
            DocType::CreditPayment => "creditpay",
            DocType::Deposit => "deposit",
            DocType::Withdraw => "withdraw",
            DocType::Correction => "correction",
        };
        let row = report.kind(kind);
        let count = row.map_or(0, |r| r.count);
        let sum = row.map_or(crate::Amount::ZERO, |r| r.sum);
        c.insert(alloc::format!("{prefix}Count"), count.into());
        c.insert(alloc::format!("{prefix}Sum"), number(sum));
        if cash_only {
            continue;
        }
        let p = row.map(|r| r.payments).unwrap_or_default();
        for (form, a) in [
            ("CashSum", p.cash),
            ("CashlessSum", p.cashless),
            ("BonusSum", p.bonus),
            ("PrepaymentSum", p.prepayment),
            ("CreditSum", p.credit),
        ] {
            c.insert(alloc::format!("{prefix}{form}"), number(a));
        }
        let vat: Vec<Value> = row
            .map(|r| {
                r.groups
                    .iter()
                    .map(|g| {
                        let mut e = Map::new();
                        e.insert("vatSum".into(), number(g.gross));
                        if let Some(p) = g.key.percent {
                            e.insert(
                                "vatPercent".into(),
                                crate::receipt::percent_text(p)
                                    .parse::<serde_json::Number>()
                                    .map_or(Value::Null, Value::Number),
                            );
                        }
                        Value::Object(e)
                    })
                    .collect()
            })
            .unwrap_or_default();
        c.insert(alloc::format!("{prefix}VatAmounts"), vat.into());
    }
    Value::Array(alloc::vec![Value::Object(c)])
}

/// The answer to a control call (SPEC.md §8.8), in the dialect's shape.
pub fn control_response(dialect: Dialect, answer: &ControlAnswer<'_>, qr_base: &str) -> Value {
    let omnitech = dialect == Dialect::Omnitech;
    match *answer {
        ControlAnswer::Login { access_token } => {
            if omnitech {
                // Omnisoft's login answers code 1 (its PDF sample; the client checks the token).
                json!({"access_token": access_token, "code": 1, "message": "login success"})
            } else {
                framed(
                    0,
                    success(dialect),
                    Some(json!({ "access_token": access_token })),
                )
            }
        }
        ControlAnswer::Logout => framed(0, success(dialect), None),
        ControlAnswer::OpenShift { document } => {
            if dialect == Dialect::FiscalCore {
                describe::document(document, qr_base, &[])
            } else {
                framed(0, success(dialect), None)
            }
        }
        ControlAnswer::ShiftStatus { shift, state } => {
            let open = shift.is_some();
            let since = shift.map(|s| utc(s.opened_at));
            if omnitech {
                json!({
                    "code": 0,
                    "desc": if open { "shift is open" } else { "shift is closed" },
                    "message": success(dialect),
                    "serial": state.certificate().body().nmq_factory_number,
                    "shiftStatus": open,
                    "shift_open_time": since,
                })
            } else {
                framed(
                    0,
                    success(dialect),
                    Some(json!({"shift_open": open, "shift_open_time": since})),
                )
            }
        }
        ControlAnswer::Report {
            report,
            z,
            time,
            pending,
        } => {
            let data = json!({
                "createdAtUtc": utc(time),
                "currencies": currencies(dialect, report),
                "docCountToSend": pending,
                "document_id": z.map_or(String::new(), |d| d.id().base58()),
                "firstDocNumber": report.first_number,
                "lastDocNumber": report.last_number,
                "reportNumber": report.shift,
                "shiftOpenAtUtc": utc(report.opened_at),
            });
            if omnitech {
                json!({"_z": u8::from(z.is_some()), "code": 0, "data": data, "message": success(dialect)})
            } else {
                framed(0, success(dialect), Some(data))
            }
        }
        ControlAnswer::Info { state } => {
            let c = state.certificate().body();
            let data = json!({
                "cashbox_factory_number": c.nmq_factory_number,
                "cashbox_tax_number": c.nmq_registration_number,
                "cashregister_factory_number": c.kassa_factory_number,
                "cashregister_model": c.kassa_model,
                "company_name": c.taxpayer_name,
                "company_tax_number": c.voen,
                "firmware_version": alloc::format!("fiscal-core {}", env!("CARGO_PKG_VERSION")),
                "last_doc_number": state.last_number(),
                "last_online_time": Value::Null,
                "not_after": utc(c.valid_until),
                "not_before": utc(c.valid_from),
                "object_address": c.object_address,
                "object_name": c.object_name,
                "object_tax_number": c.object_code,
                "oldest_document_time": state.oldest_pending().map(utc),
                "qr_code_url": qr_base,
                "state": match state.status() {
                    crate::Status::Active => "ACTIVE",
                    _ => "DEACTIVATED",
                },
            });
            let mut data = data;
            if dialect == Dialect::Airconn {
                // Not a member of AirConn's InfoData: its client would fail on it.
                if let Value::Object(o) = &mut data {
                    o.remove("last_doc_number");
                }
            }
            if dialect == Dialect::FiscalCore {
                data
            } else {
                framed(0, success(dialect), Some(data))
            }
        }
        ControlAnswer::LastDocument { number, id } => match dialect {
            Dialect::FiscalCore => json!({"fiscal_id": id.long(), "number": number}),
            Dialect::Omnitech => json!({
                "code": 0,
                "document_number": number,
                "long_id": id.base58(),
                "message": success(dialect),
                "short_id": id.short_base58(),
            }),
            _ => framed(
                0,
                success(dialect),
                Some(json!({
                    "document_id": id.base58(),
                    "document_number": number,
                    "short_document_id": id.short_base58(),
                })),
            ),
        },
    }
}

/// A vendor's code for an engine error (SPEC.md §8.8): AirConn's `AirConnError` numbers (an
/// error it has no number for is 11, "operation failed": its other numbers mean other
/// things), NBA's 404 (wrong PIN) and 1206 (a character the token cannot print in an item
/// name), Omnisoft's 401 and 1312 (already returned or cancelled). Every other error keeps the
/// engine's number (100–281), which these vendors use for no success.
pub fn vendor_code(dialect: Dialect, code: ErrorCode) -> u32 {
    use ErrorCode as C;
    let own = u32::from(code.number());
    match dialect {
        // AirConnError (spec/dialects/RESPONSES-airconn-ekassam.md §1).
        Dialect::Airconn => match code {
            C::MalformedJson | C::DuplicateMember => 7,
            C::WrongType | C::MissingField | C::FieldNotAllowed | C::UnknownMember => 8,
            C::UnknownOperation => 10,
            C::NotUnlocked => 12,
            C::ShiftAlreadyOpen => 103,
            C::NoOpenShift => 104,
            C::ShiftTooLong => 105,
            C::DeviceLocked => 204,
            C::WrongPin => 206,
            C::TimeNotIncreasing => 305,
            C::OfflineTooLong => 306,
            C::UnsupportedCurrency => 308,
            C::SumMismatch => 309,
            C::TextTooLong => 310,
            C::InvalidItemCode => 311,
            C::NoLines => 312,
            C::LineTotalMismatch => 313,
            C::UnknownDocType => 314,
            C::VatAmountsMismatch => 315,
            C::Underpaid | C::Overpaid => 316,
            C::InvalidReference => 317,
            C::UnknownTaxRate => 318,
            C::MarginExceedsLine => 320,
            C::MarginMismatch => 321,
            C::CertificateExpired | C::CertificateNotYetValid => 502,
            // Not our numbers: AirConn's 1xx–5xx mean other things (204 is "PIN blocked").
            _ => 11,
        },
        Dialect::Nba | Dialect::Ekassam => match code {
            C::WrongPin | C::NotUnlocked => 404,
            C::DeviceLocked => 405,
            C::TextBadCharacter => 1206,
            _ => own,
        },
        Dialect::Omnitech => match code {
            C::WrongPin | C::NotUnlocked => 401,
            C::AlreadyCancelled | C::ReturnExceedsSale => 1312,
            _ => own,
        },
        Dialect::FiscalCore => own,
    }
}

/// The answer to a refused request or operation, in the dialect's shape: exactly `{code,
/// message}` (AirConn's client fails on any other member), with the vendor's code
/// ([`vendor_code`]) and the engine's message — or, for a shift that is too long or in the wrong
/// state, the token's own text, which INTEKO's clients compare to tell the cashier to take the
/// Z-report or open the shift. This engine's form is the error's description (SPEC.md §8.5);
/// every binding also keeps the whole error (its code, rule and problems) as the last error.
pub fn error_response(dialect: Dialect, error: &Error) -> Value {
    if dialect == Dialect::FiscalCore {
        return describe::error(error);
    }
    let message = match error.code() {
        // NBA's answer to a wrong PIN, as its vendor's document gives it.
        ErrorCode::WrongPin if matches!(dialect, Dialect::Nba | Dialect::Ekassam) => {
            "incorrect pin code".to_string()
        }
        ErrorCode::ShiftTooLong => "document: invalid shift duration".to_string(),
        ErrorCode::NoOpenShift | ErrorCode::ShiftAlreadyOpen => {
            "document: invalid shift status".to_string()
        }
        _ => error.to_string(),
    };
    json!({
        "code": vendor_code(dialect, error.code()),
        "message": message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_text_is_the_civil_time() {
        // 2026-11-23T05:00:00Z = 1795410000 s (09:00 in Baku), worked out by hand:
        // 20 415 days from 1970-01-01 to 2026-11-23, × 86 400 + 5 h.
        assert_eq!(
            utc(Timestamp::from_millis(1_795_410_000_000)),
            "2026-11-23T05:00:00Z"
        );
        assert_eq!(utc(Timestamp::from_millis(0)), "1970-01-01T00:00:00Z");
        // 2000-02-29 (a leap day): 11 016 days.
        assert_eq!(
            utc(Timestamp::from_millis(11_016 * 86_400_000)),
            "2000-02-29T00:00:00Z"
        );
    }
}
