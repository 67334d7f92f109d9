//! The device's certificate (AATS): who the kassa belongs to, where it works, until when, and
//! its public key, signed by the tax authority (NM-08, NM-09, NM-10, U-05; SPEC.md §12).

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use crate::crypto::{self, Hash, PrivateKey, PublicKey, Signature};
use crate::error::Error;
use crate::text;
use crate::time::Timestamp;

/// Domain-separation tag of a certificate's signed bytes.
pub const CERTIFICATE_TAG: &[u8] = b"fiscal-core/certificate/v1\0";

/// Longest a certificate may be valid: 3 years (NM-08), counted as 1 096 days.
pub const MAX_VALIDITY_MS: i64 = 1_096 * Timestamp::DAY;

/// Days before expiry from which every document carries a warning (NM-08).
pub const EXPIRY_WARNING_MS: i64 = 7 * Timestamp::DAY;

/// What the tax authority certifies (NM-09).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateBody {
    /// The certificate's serial number.
    pub serial: u64,
    /// The kassa's brand and model (RC-07).
    pub kassa_model: String,
    /// The kassa's factory (serial) number (RC-07, U-05).
    pub kassa_factory_number: String,
    /// The control device's (NMQ) factory number.
    pub nmq_factory_number: String,
    /// The control device's registration number (RC-16).
    pub nmq_registration_number: String,
    /// The taxpayer's name (RC-01).
    pub taxpayer_name: String,
    /// The taxpayer's VÖEN, 10 digits (RC-02).
    pub voen: String,
    /// The object's code in the tax registry (RC-04).
    pub object_code: String,
    /// The object's name (RC-04).
    pub object_name: String,
    /// The object's address (RC-04).
    pub object_address: String,
    /// First moment of validity.
    pub valid_from: Timestamp,
    /// First moment of invalidity (at most 3 years after `valid_from`, NM-08).
    pub valid_until: Timestamp,
    /// The device's public key (NM-10).
    pub device_key: PublicKey,
}

/// A certificate as the authority issued it: the body and the authority's signature. Holding
/// one proves nothing until [`Certificate::verify`] has checked it against a trusted key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificate {
    body: CertificateBody,
    signature: Signature,
}

/// How a certificate stands at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validity {
    /// Valid.
    Valid,
    /// Valid, but expires within 7 days (NM-08): the user must be warned.
    ExpiresSoon {
        /// When it expires.
        at: Timestamp,
    },
}

impl CertificateBody {
    /// The bytes the authority signs: tag ‖ postcard(body) (SPEC.md §12).
    pub fn signed_bytes(&self) -> Vec<u8> {
        let mut out = CERTIFICATE_TAG.to_vec();
        // Serializing plain data into a Vec cannot fail.
        out.extend(postcard::to_allocvec(self).unwrap_or_default());
        out
    }

    /// The field rules of SPEC.md §12.1.
    fn check(&self) -> Result<(), Error> {
        let bad = |what: &str| {
            Err(Error::InvalidCertificate(
                alloc::string::ToString::to_string(what),
            ))
        };
        if self.voen.len() != 10 || !self.voen.bytes().all(|b| b.is_ascii_digit()) {
            return bad("the VÖEN is not 10 digits");
        }
        for (name, v) in [
            ("kassa model", &self.kassa_model),
            ("kassa factory number", &self.kassa_factory_number),
            ("NMQ factory number", &self.nmq_factory_number),
            ("NMQ registration number", &self.nmq_registration_number),
            ("taxpayer name", &self.taxpayer_name),
            ("object code", &self.object_code),
            ("object name", &self.object_name),
            ("object address", &self.object_address),
        ] {
            if text::check_text(v, 256).is_err() {
                return bad(&alloc::format!(
                    "the {name} is empty, too long or has characters that cannot be printed"
                ));
            }
        }
        if self.valid_until <= self.valid_from {
            return bad("the validity period is empty");
        }
        // Checked: a far-apart pair of moments must not wrap around into a short period.
        if self
            .valid_until
            .millis()
            .checked_sub(self.valid_from.millis())
            .is_none_or(|d| d > MAX_VALIDITY_MS)
        {
            return bad("the validity period is longer than 3 years (NM-08)");
        }
        Ok(())
    }
}

impl Certificate {
    /// Issues a certificate: what the tax authority (or a test authority) does.
    pub fn issue(body: CertificateBody, authority: &PrivateKey) -> Result<Certificate, Error> {
        body.check()?;
        let signature = authority.sign(&body.signed_bytes());
        Ok(Certificate { body, signature })
    }

    /// The certified data.
    pub fn body(&self) -> &CertificateBody {
        &self.body
    }

    /// The authority's signature.
    pub fn signature(&self) -> &Signature {
        &self.signature
    }

    /// Checks the authority's signature and the field rules (NM-09, NM-10).
    pub fn verify(&self, authority: &PublicKey) -> Result<(), Error> {
        if !authority.verify(&self.body.signed_bytes(), &self.signature) {
            return Err(Error::CertificateSignature);
        }
        self.body.check()
    }

    /// Where the certificate stands at `now` (NM-08, U-08).
    pub fn validity_at(&self, now: Timestamp) -> Result<Validity, Error> {
        if now < self.body.valid_from {
            return Err(Error::CertificateNotYetValid {
                from: self.body.valid_from,
            });
        }
        if now >= self.body.valid_until {
            return Err(Error::CertificateExpired {
                at: self.body.valid_until,
            });
        }
        if now.millis()
            >= self
                .body
                .valid_until
                .millis()
                .saturating_sub(EXPIRY_WARNING_MS)
        {
            return Ok(Validity::ExpiresSoon {
                at: self.body.valid_until,
            });
        }
        Ok(Validity::Valid)
    }

    /// SHA-256 of the signed bytes and the signature: what the first document chains to.
    pub fn hash(&self) -> Hash {
        crypto::sha256(&[&self.body.signed_bytes(), &self.signature.0])
    }

    /// The canonical bytes: postcard(certificate).
    pub fn to_bytes(&self) -> Vec<u8> {
        postcard::to_allocvec(self).unwrap_or_default()
    }

    /// Reads canonical bytes (not yet verified). Bytes that decode but do not re-encode to
    /// themselves (a varint written long) are refused: one certificate, one encoding.
    pub fn from_bytes(bytes: &[u8]) -> Result<Certificate, Error> {
        match postcard::take_from_bytes::<Certificate>(bytes) {
            Ok((c, [])) if c.to_bytes() == bytes => Ok(c),
            Ok((_, [])) => Err(Error::InvalidCertificate(
                "the certificate is not in canonical form".into(),
            )),
            _ => Err(Error::InvalidCertificate("not a certificate".into())),
        }
    }

    /// The JSON form.
    #[cfg(feature = "json")]
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The journal's first line (SPEC.md §13.5): `{"certificate":"<hex of the canonical bytes>"}`.
    pub fn to_journal_line(&self) -> String {
        alloc::format!(r#"{{"certificate":"{}"}}"#, hex::encode(self.to_bytes()))
    }

    /// Reads a certificate line (not yet verified): exactly the form
    /// [`Certificate::to_journal_line`] writes, lowercase hex, no spaces (SPEC.md §13.5).
    ///
    /// A line with a member repeated (`{"certificate":"…","certificate":"…"}`) is refused as
    /// `duplicate_member`: it reads two ways (PK-11, SPEC.md §8.3; needs the `json` feature).
    pub fn from_journal_line(line: &str) -> Result<Certificate, Error> {
        let bytes = Certificate::journal_hex(line)
            .map_err(|e| crate::document::journal_refusal(line, e))?;
        Certificate::from_bytes(&bytes)
    }

    /// The bytes of a certificate line, or why it is not one.
    fn journal_hex(line: &str) -> Result<Vec<u8>, Error> {
        if line.len() > crate::document::MAX_JOURNAL_LINE {
            return Err(Error::InvalidCertificate(
                "the certificate line is too long".into(),
            ));
        }
        let hex_text = line
            .strip_prefix(r#"{"certificate":""#)
            .and_then(|rest| rest.strip_suffix(r#""}"#))
            .ok_or_else(|| {
                Error::InvalidCertificate(
                    r#"not a certificate line: it must be {"certificate":"<hex>"}"#.into(),
                )
            })?;
        let lower_hex = hex_text
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        if !lower_hex {
            return Err(Error::InvalidCertificate(
                "the certificate is not lowercase hexadecimal".into(),
            ));
        }
        hex::decode(hex_text)
            .map_err(|_| Error::InvalidCertificate("the certificate is not hexadecimal".into()))
    }

    /// Reads the JSON form (not yet verified). A member repeated in one object is refused as
    /// `duplicate_member` with its path (`body.voen`): the text reads two ways (PK-11, SPEC.md
    /// §8.3). `serde` alone refuses a repeated field of a struct, but as a malformed
    /// certificate, and keeps the last of a repeated unknown member.
    #[cfg(feature = "json")]
    pub fn from_json(text: &str) -> Result<Certificate, Error> {
        // A certificate is read once per activation or verification: a second pass is cheap.
        if let Some(d) = crate::strict_json::duplicate_in(text) {
            return Err(Error::DuplicateMember {
                path: d.dotted_short(crate::document::MAX_SHOWN_PATH),
            });
        }
        serde_json::from_str(text)
            .map_err(|e| Error::InvalidCertificate(alloc::format!("not a certificate: {e}")))
    }
}

#[cfg(all(test, feature = "json"))]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use crate::error::ErrorCode;

    fn certificate() -> Certificate {
        let body = CertificateBody {
            serial: 1,
            kassa_model: "Kassa 1".into(),
            kassa_factory_number: "K-1".into(),
            nmq_factory_number: "N-1".into(),
            nmq_registration_number: "AZ-N-1".into(),
            taxpayer_name: "Sınaq MMC".into(),
            voen: "1402345671".into(),
            object_code: "OBJ-1".into(),
            object_name: "Mağaza".into(),
            object_address: "Bakı".into(),
            valid_from: Timestamp(1_800_000_000_000),
            valid_until: Timestamp(1_800_000_000_000 + 30 * Timestamp::DAY),
            device_key: PrivateKey::from_seed(b"device").public_key(),
        };
        Certificate::issue(body, &PrivateKey::from_seed(b"authority")).unwrap()
    }

    #[test]
    fn a_repeated_member_is_refused_as_duplicate_member() {
        // PK-11, SPEC.md §8.3.
        let c = certificate();
        let line = c.to_journal_line();
        assert_eq!(Certificate::from_journal_line(&line), Ok(c.clone()));
        let hex_text = hex::encode(c.to_bytes());
        let twice = alloc::format!(r#"{{"certificate":"{hex_text}","certificate":"{hex_text}"}}"#);
        let e = Certificate::from_journal_line(&twice).unwrap_err();
        assert_eq!(
            e,
            Error::DuplicateMember {
                path: "certificate".into()
            }
        );
        assert_eq!(e.code(), ErrorCode::DuplicateMember);
        // A line that is merely mis-spelled keeps its reason.
        assert!(matches!(
            Certificate::from_journal_line(&line.replace("\"}", "\" }")),
            Err(Error::InvalidCertificate(_))
        ));

        let json = c.to_json();
        assert_eq!(Certificate::from_json(&json), Ok(c.clone()));
        assert!(json.contains(r#""voen":"1402345671""#), "{json}");
        for (case, path) in [
            (
                json.replacen(r#""voen":"#, r#""voen":"1402345671","voen":"#, 1),
                "body.voen",
            ),
            (
                json.replacen(r#""voen":"#, r#""vo\u0065n":"1402345671","voen":"#, 1),
                "body.voen",
            ),
            (json.replacen('{', r#"{"x":1,"x":1,"#, 1), "x"),
            (
                json.replacen(r#""body":"#, r#""signature":[],"body":"#, 1),
                "signature",
            ),
        ] {
            assert_eq!(
                Certificate::from_json(&case),
                Err(Error::DuplicateMember { path: path.into() }),
                "{case}"
            );
        }
        // Without the check, serde would keep the last of a repeated unknown member.
        let unknown = json.replacen('{', r#"{"x":1,"x":1,"#, 1);
        assert_eq!(serde_json::from_str::<Certificate>(&unknown).ok(), Some(c));
    }
}
