//! A request in a dialect, carried out on a device and answered in the same dialect (SPEC.md
//! §8.8): the single call a POS program's existing request code can talk to. Read, then issue
//! or run the control call, then write the answer — no I/O; the caller persists the state and
//! the journal line of what was issued (spec/CRASH-SAFETY.md).

use alloc::string::String;
use alloc::vec::Vec;

use serde_json::Value;

use super::response::{control_response, document_response, error_response, ControlAnswer};
use super::{Control, Dialect, Notice, Operation, OperationKind, Policy, ReadOptions, Reading};
use crate::crypto::sha256;
use crate::device::{Device, IssueOptions, Issued};
use crate::document::{Content, Document};
use crate::error::{Error, ErrorCode, Problems};
use crate::receipt::ValidationContext;
use crate::tax::RateTable;
use crate::time::Timestamp;

/// What a request is carried out with, besides the device and the text.
#[derive(Debug, Clone, Copy)]
pub struct Exchange<'a> {
    /// The dialect; `None` recognises it (`auto`).
    pub dialect: Option<Dialect>,
    /// The policy.
    pub policy: Policy,
    /// The endpoint of a `kas_*` body, or the operation expected.
    pub operation: Option<&'a str>,
    /// The moment of the operation.
    pub now: Timestamp,
    /// The rates in force.
    pub rates: &'a RateTable,
    /// The documents the request refers to (returns, cancels, instalments, advances), as for
    /// [`Device::issue`].
    pub references: &'a [Document],
    /// The user logged in on the session (for forms without a cashier).
    pub cashier: Option<&'a str>,
    /// The token a login answers with, when the caller keeps sessions (a token server draws
    /// it at random and checks it on later calls); `None`: one derived from the device's chain.
    pub session_token: Option<&'a str>,
}

/// A request carried out: the answer to send back, what was issued, and the notices.
#[derive(Debug, Clone)]
pub struct Handled {
    /// The dialect of the request (this engine's when it could not be recognised).
    pub dialect: Dialect,
    /// The answer in the dialect's shape (SPEC.md §8.8), a success or a refusal.
    pub response: Value,
    /// The document issued, if any (a receipt, an open shift, a Z-report): append its
    /// journal line and save the state before the answer is sent.
    pub issued: Option<Issued>,
    /// Why it was refused, if it was.
    pub error: Option<Error>,
    /// The notices of the reading.
    pub notices: Vec<Notice>,
}

/// A session token for a login: not a secret of the engine (the device's PIN is the
/// credential), only the handle the POS sends back, derived from the device's chain so that
/// two logins never give the same one.
fn session_token(device: &Device, now: Timestamp) -> String {
    let id = device.state().last_fiscal_id().0;
    let time = now.millis().to_be_bytes();
    hex::encode(&sha256(&[b"fiscal-core/session/v1\0", &id, &time])[..16])
}

fn invalid(code: ErrorCode, path: &str, message: &str) -> Error {
    let mut p = Problems::default();
    p.push(code, path, message.into());
    Error::Invalid(p)
}

/// The amounts a cancel carried, against the receipt it voided (SPEC.md §8.6): equal, or
/// `sum_mismatch` at the first member that differs.
fn check_claimed(reading: &Reading, issued: &Issued) -> Result<(), Error> {
    let Content::Cancel { voided, .. } = &issued.document.body().content else {
        return Ok(());
    };
    for (member, claimed) in &reading.claimed {
        let p = &voided.payments;
        let actual = match *member {
            "sum" => voided.sum,
            "cashSum" => p.cash,
            "cashlessSum" => p.cashless,
            "bonusSum" => p.bonus,
            "giftCardSum" => p.gift_card,
            "fuelCardSum" => p.fuel_card,
            "prepaymentSum" => p.prepayment,
            "creditSum" => p.credit,
            _ => continue,
        };
        if actual != *claimed {
            let mut problems = Problems::default();
            problems.push(
                ErrorCode::SumMismatch,
                *member,
                alloc::format!(
                    "the cancel says {member} {claimed}, but the receipt it voids (number {}) has {actual}",
                    voided.number
                ),
            );
            return Err(Error::Invalid(problems));
        }
    }
    Ok(())
}

/// Carries out a request on the device (SPEC.md §8.8): reads it, issues the document or runs
/// the control call, and answers in the request's dialect. A refusal leaves the device as it
/// was (a wrong PIN counts, as for [`Device::unlock`]).
pub fn handle(device: &mut Device, text: &str, ex: &Exchange<'_>) -> Handled {
    let options = ReadOptions {
        dialect: ex.dialect,
        policy: ex.policy,
        operation: ex.operation,
        context: ValidationContext {
            rates: ex.rates,
            date: ex.now.date_in_baku(),
        },
        cashier: ex.cashier,
    };
    let qr_base = String::from(device.state().qr_base());
    let reading = match super::read_request(text, &options) {
        Ok(r) => r,
        Err(refusal) => {
            let dialect = refusal
                .dialect
                .or(ex.dialect)
                .unwrap_or(Dialect::FiscalCore);
            // SPEC.md §14.3: for a document, the device's state is checked before the request
            // (a time outside the certificate is that, not the rates it would pick).
            let error = match refusal.operation {
                Some(OperationKind::Document(_)) => device
                    .check_issue(ex.now, None)
                    .err()
                    .unwrap_or(refusal.error),
                _ => refusal.error,
            };
            return Handled {
                dialect,
                response: error_response(dialect, &error),
                issued: None,
                error: Some(error),
                notices: refusal.notices,
            };
        }
    };
    let dialect = reading.dialect;
    let result: Result<(Value, Option<Issued>), Error> = match &reading.operation {
        Operation::Issue(request) => {
            // On a copy: a cancel's claimed amounts are checked against what it voided before
            // anything is kept.
            let mut next = device.clone();
            let options = IssueOptions {
                rates: ex.rates,
                references: ex.references,
                expected_previous: reading.expected_previous,
                // SPEC.md §8.6: a receipt of the deployed system, under `deployed` only.
                foreign_references: ex.policy == Policy::Deployed,
            };
            next.issue(request, ex.now, &options)
                .and_then(|issued| check_claimed(&reading, &issued).map(|()| issued))
                .map(|issued| {
                    *device = next;
                    let response =
                        document_response(dialect, &issued.document, &qr_base, &issued.warnings);
                    (response, Some(issued))
                })
        }
        Operation::Control(call) => match call.control {
            Control::Login => match &call.pin {
                Some(pin) => device.unlock(pin).map(|()| {
                    let token = ex
                        .session_token
                        .map_or_else(|| session_token(device, ex.now), String::from);
                    let answer = ControlAnswer::Login {
                        access_token: &token,
                    };
                    (control_response(dialect, &answer, &qr_base), None)
                }),
                None => Err(invalid(
                    ErrorCode::MissingField,
                    "pin",
                    "a login needs the PIN (pin or password)",
                )),
            },
            Control::Logout => {
                // The PIN is needed again (NM-07): a POS that logs out leaves no open till.
                device.end_session();
                Ok((
                    control_response(dialect, &ControlAnswer::Logout, &qr_base),
                    None,
                ))
            }
            Control::OpenShift => device.open_shift(ex.now).map(|issued| {
                let answer = ControlAnswer::OpenShift {
                    document: &issued.document,
                };
                (control_response(dialect, &answer, &qr_base), Some(issued))
            }),
            Control::CloseShift => device.close_shift(ex.now).map(|issued| {
                let response = match &issued.document.body().content {
                    Content::ZReport(report) => {
                        let answer = ControlAnswer::Report {
                            report,
                            z: Some(&issued.document),
                            time: ex.now,
                            pending: device.state().pending(),
                        };
                        control_response(dialect, &answer, &qr_base)
                    }
                    _ => document_response(dialect, &issued.document, &qr_base, &[]),
                };
                (response, Some(issued))
            }),
            Control::XReport => device.x_report().map(|report| {
                let answer = ControlAnswer::Report {
                    report: &report,
                    z: None,
                    time: ex.now,
                    pending: device.state().pending(),
                };
                (control_response(dialect, &answer, &qr_base), None)
            }),
            Control::ShiftStatus => {
                let answer = ControlAnswer::ShiftStatus {
                    shift: device.state().shift(),
                    state: device.state(),
                };
                Ok((control_response(dialect, &answer, &qr_base), None))
            }
            Control::GetInfo => {
                let answer = ControlAnswer::Info {
                    state: device.state(),
                };
                Ok((control_response(dialect, &answer, &qr_base), None))
            }
            Control::LastDocument => {
                let answer = ControlAnswer::LastDocument {
                    number: device.state().last_number(),
                    id: device.state().last_fiscal_id(),
                };
                Ok((control_response(dialect, &answer, &qr_base), None))
            }
        },
    };
    let mut notices = reading.notices;
    if let Ok((_, Some(issued))) = &result {
        if issued.warnings.contains(&crate::Warning::ForeignReference) {
            notices.push(Notice {
                code: super::NoticeCode::ForeignReference,
                path: "parentDocument".into(),
                message: "a receipt of the deployed system (not supplied, not this device's): carried as written, not checkable here".into(),
            });
        }
    }
    match result {
        Ok((response, issued)) => Handled {
            dialect,
            response,
            issued,
            error: None,
            notices,
        },
        Err(e) => Handled {
            dialect,
            response: error_response(dialect, &e),
            issued: None,
            error: Some(e),
            notices,
        },
    }
}
