//! The control device (NMQ) in software, as a pure state machine (SPEC.md §14).
//!
//! Every operation takes `now` and returns the new document; the state is plain data that
//! serializes to bytes (postcard) so a POS can persist it after each operation and resume after
//! a power cut. An operation works on a copy of the state and commits it only when it succeeds:
//! a refused operation leaves the state exactly as it was (no gap, no lost document). The one
//! deliberate exception is the wrong-PIN counter (NM-07).

use alloc::string::String;
use alloc::vec::Vec;

use crate::certificate::{Certificate, Validity};
use crate::crypto::{PrivateKey, PublicKey};
use crate::document::{Content, Document};
use crate::error::{Error, ErrorCode, Problems};
use crate::ledger::Ledger;
use crate::tax::RateTable;
use crate::time::Timestamp;

mod issue;
mod life;
mod pin;
mod shift;
mod state;
mod state_v1;

pub use pin::MAX_PIN_ATTEMPTS;
pub(crate) use shift::account;
pub use shift::MAX_SHIFT_MS;
pub use state::{DeviceState, Status, STATE_VERSION};

use pin::{check_pin_format, pin_verifier};

/// Longest a document may wait for upload before receipts are refused: 7 days (NM-04, U-06).
pub const MAX_OFFLINE_MS: i64 = 7 * Timestamp::DAY;

/// How long after the certificate's `valid_until` a shift can still be closed and the device
/// decommissioned (SPEC.md §14.3); a later time is refused with `certificate_expired`, so that
/// one absurd clock reading cannot time a document in the far future and block the device.
pub const MAX_AFTER_EXPIRY_MS: i64 = 30 * Timestamp::DAY;
/// Most documents that may wait for upload (NM-05).
pub const MAX_PENDING: u64 = 4000;
/// The public check address the QR code links to, before the long fiscal ID (RC-09).
pub const DEFAULT_QR_BASE: &str = "https://monitoring.e-kassa.gov.az/#/index?doc=";

/// Something the cashier or operator must be told, though the operation succeeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Warning {
    /// The certificate expires within 7 days (NM-08).
    CertificateExpiresSoon {
        /// When.
        at: Timestamp,
    },
    /// The return or instalment names a receipt of the deployed system (the kassa's previous
    /// token) by a Base58 fiscal ID: issued under the `deployed` policy, but what it claims of
    /// that receipt cannot be checked here (SPEC.md §8.6, §14.6).
    ForeignReference,
}

impl Warning {
    /// The stable code: `certificate_expires_soon`.
    pub const fn code(&self) -> &'static str {
        match self {
            Warning::CertificateExpiresSoon { .. } => "certificate_expires_soon",
            Warning::ForeignReference => "foreign_reference",
        }
    }
}

/// The one message text of each warning, for people (every binding shows this text; never
/// parse it: the code is [`Warning::code`]).
impl core::fmt::Display for Warning {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Warning::CertificateExpiresSoon { at } => write!(
                f,
                "the certificate expires at {at}: load a new one before then (NM-08)"
            ),
            Warning::ForeignReference => f.write_str(
                "the receipt referred to is one of the deployed system (the previous token): what is claimed of it cannot be checked here (RC-17)",
            ),
        }
    }
}

/// A document the device has just issued, and what to tell the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issued {
    /// The document: print it, store it in the journal, upload it.
    pub document: Document,
    /// Warnings.
    pub warnings: Vec<Warning>,
}

/// What issuing a request needs besides the request.
#[derive(Debug, Clone, Copy)]
pub struct IssueOptions<'a> {
    /// The rate table: every treatment must be in force on the document's date.
    pub rates: &'a RateTable,
    /// The documents the request names (RC-17, RC-18): the parent receipt, or the advances.
    /// The device checks each is its own before trusting it, and remembers what was claimed
    /// of them (SPEC.md §14.6); earlier returns, cancels and instalments against a receipt
    /// count from here only for a receipt older than its ledger's horizon
    /// ([`DeviceState::ledger_horizon`]).
    pub references: &'a [Document],
    /// The number of the last document the POS knows of: a retried request that was already
    /// issued is refused with `sequence_mismatch` instead of issued twice.
    pub expected_previous: Option<u64>,
    /// Whether a return or an instalment may name a receipt of the deployed system — the
    /// kassa's previous token — by its Base58 fiscal ID (SPEC.md §8.6, §14.6): such a receipt
    /// is not supplied and cannot be checked here; the document carries the reference as
    /// written and the verifier reports it as not checkable. The `deployed` policy's
    /// permission; `false` is the specification as written.
    pub foreign_references: bool,
}

/// The control device: its state and its key. The key never leaves (it is not in the state).
#[derive(Debug, Clone)]
pub struct Device {
    state: DeviceState,
    key: PrivateKey,
    unlocked: bool,
}

fn invalid(code: ErrorCode, path: &str, message: &str) -> Error {
    let mut p = Problems::default();
    p.push(code, path, message.into());
    Error::Invalid(p)
}

fn check_qr_base(base: &str) -> Result<(), Error> {
    let ok = base.starts_with("https://")
        && base.len() <= 200
        && base.bytes().all(|b| b.is_ascii_graphic());
    if !ok {
        return Err(invalid(
            ErrorCode::OutOfRange,
            "qr_base",
            "the QR base is an https:// address of at most 200 characters, without spaces",
        ));
    }
    Ok(())
}

impl Device {
    /// Activates a device (LC-01): checks the certificate against the trusted authority key,
    /// its validity at `now` and that `key` is the certified key; stores the PIN verifier; and
    /// issues document 1, the activation record, chained to the certificate. The device is
    /// unlocked (the PIN was just given).
    pub fn activate(
        certificate: Certificate,
        authority: &PublicKey,
        key: PrivateKey,
        pin: &str,
        qr_base: Option<&str>,
        now: Timestamp,
    ) -> Result<(Device, Issued), Error> {
        certificate.verify(authority)?;
        let validity = certificate.validity_at(now)?;
        if key.public_key() != certificate.body().device_key {
            return Err(Error::KeyMismatch);
        }
        check_pin_format(pin)?;
        let qr_base = qr_base.unwrap_or(DEFAULT_QR_BASE);
        check_qr_base(qr_base)?;
        let genesis = certificate.hash();
        let state = DeviceState {
            version: STATE_VERSION,
            pin_verifier: pin_verifier(&key, pin),
            certificate,
            qr_base: qr_base.into(),
            pin_failures: 0,
            status: Status::Active,
            last_number: 0,
            last_time: Timestamp(i64::MIN),
            last_id: genesis,
            last_shift: 0,
            shift: None,
            acknowledged: 0,
            oldest_pending: None,
            ledger: Ledger::default(),
        };
        let mut device = Device {
            state,
            key,
            unlocked: true,
        };
        let mut next = device.state.clone();
        let document = device.emit(
            &mut next,
            Content::Activation {
                certificate: genesis,
            },
            now,
            0,
            0,
        );
        device.state = next;
        Ok((
            device,
            Issued {
                document,
                warnings: warnings(validity),
            },
        ))
    }

    /// Resumes from saved state (after a restart or power cut). The key must be the
    /// certificate's. The device starts locked: the PIN must be entered again (NM-07).
    pub fn restore(state: &[u8], key: PrivateKey) -> Result<Device, Error> {
        let state: DeviceState = match state.first() {
            Some(1) => state_v1::read(state)?,
            _ => match postcard::take_from_bytes(state) {
                Ok((s, [])) => s,
                Ok(_) => return Err(Error::InvalidState("bytes left after the state".into())),
                Err(e) => return Err(Error::InvalidState(alloc::format!("{e}"))),
            },
        };
        if state.version != STATE_VERSION {
            return Err(Error::InvalidState(alloc::format!(
                "state version {} is not {STATE_VERSION}",
                state.version
            )));
        }
        if key.public_key() != state.certificate.body().device_key {
            return Err(Error::KeyMismatch);
        }
        state.check()?;
        Ok(Device {
            state,
            key,
            unlocked: false,
        })
    }

    /// The state to save: postcard bytes, no key (SPEC.md §14.1).
    pub fn export_state(&self) -> Vec<u8> {
        postcard::to_allocvec(&self.state).unwrap_or_default()
    }

    /// The state.
    pub fn state(&self) -> &DeviceState {
        &self.state
    }

    /// True after the right PIN (until the device is restored).
    pub fn is_unlocked(&self) -> bool {
        self.unlocked
    }

    /// The device's public key.
    pub fn public_key(&self) -> PublicKey {
        self.key.public_key()
    }

    /// The text of the QR code of `document` (RC-09): the QR base and the long fiscal ID.
    pub fn qr_payload(&self, document: &Document) -> String {
        crate::qr::payload(&self.state.qr_base, &document.id())
    }
}

fn warnings(v: Validity) -> Vec<Warning> {
    match v {
        Validity::Valid => Vec::new(),
        Validity::ExpiresSoon { at } => alloc::vec![Warning::CertificateExpiresSoon { at }],
    }
}
