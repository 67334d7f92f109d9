//! The PIN (NM-07): its verifier, its format and unlocking.

use super::{invalid, Device, Status};
use crate::crypto::{self, Hash, PrivateKey};
use crate::error::{Error, ErrorCode};

/// Wrong PINs before the device locks (NM-07).
pub const MAX_PIN_ATTEMPTS: u8 = 5;

const PIN_TAG: &[u8] = b"fiscal-core/pin/v2\0";
const PIN_KEY_TAG: &[u8] = b"fiscal-core/pin-key/v1\0";

/// The PIN verifier kept in the state: SHA-256(tag ‖ secret ‖ PIN), where the secret is derived
/// from the device's private key. The key is never in the saved state, so a copy of the state
/// alone does not let anyone try PINs offline (a 4-digit PIN would fall in 10 000 guesses).
pub(super) fn pin_verifier(key: &PrivateKey, pin: &str) -> Hash {
    let secret = zeroize::Zeroizing::new(crypto::sha256(&[PIN_KEY_TAG, key.to_bytes().as_slice()]));
    crypto::sha256(&[PIN_TAG, secret.as_slice(), pin.as_bytes()])
}

pub(super) fn check_pin_format(pin: &str) -> Result<(), Error> {
    if !(4..=16).contains(&pin.len()) || !pin.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(
            ErrorCode::OutOfRange,
            "pin",
            "a PIN is 4 to 16 digits",
        ));
    }
    Ok(())
}

impl Device {
    /// Ends the session (a dialect's logout): the PIN is needed again before the next cash
    /// operation (NM-07). Changes nothing of the state.
    pub fn end_session(&mut self) {
        self.unlocked = false;
    }

    /// Enters the PIN (NM-07). A wrong PIN counts; after [`MAX_PIN_ATTEMPTS`] the device locks.
    pub fn unlock(&mut self, pin: &str) -> Result<(), Error> {
        match self.state.status {
            Status::Locked => return Err(Error::Locked),
            Status::Decommissioned => return Err(Error::Decommissioned),
            Status::Active => {}
        }
        let given = pin_verifier(&self.key, pin);
        if crypto::ct_eq(&given, &self.state.pin_verifier) {
            self.state.pin_failures = 0;
            self.unlocked = true;
            return Ok(());
        }
        self.unlocked = false;
        self.state.pin_failures = self.state.pin_failures.saturating_add(1);
        if self.state.pin_failures >= MAX_PIN_ATTEMPTS {
            self.state.status = Status::Locked;
            return Err(Error::Locked);
        }
        Err(Error::WrongPin {
            attempts_left: MAX_PIN_ATTEMPTS - self.state.pin_failures,
        })
    }
}
