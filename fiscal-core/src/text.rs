//! Texts printed on receipts: the allowed characters and lengths (SPEC.md §4.2), item codes,
//! references to other documents and vehicle plates.

use crate::ErrorCode;

/// Why a text was refused, with the stable code it maps to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TextProblem {
    pub(crate) code: ErrorCode,
    pub(crate) message: alloc::string::String,
}

fn problem(code: ErrorCode, message: alloc::string::String) -> TextProblem {
    TextProblem { code, message }
}

/// True for a character allowed in names printed on a receipt (SPEC.md §4.2): Latin letters
/// (with Azerbaijani ə Ə ğ Ğ ı İ ö Ö ü Ü ş Ş ç Ç and the Latin-1 and Latin Extended-A letters),
/// Cyrillic, digits, the space, and common punctuation.
pub fn is_allowed_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || c == ' '
        || ".,;:!?-_/\\()[]%+*&'\"#@=<>".contains(c)
        || "№«»°’‘“”–—₼€$".contains(c)
        || matches!(c, 'À'..='ÿ' if c != '×' && c != '÷')
        || matches!(c, '\u{0100}'..='\u{017F}') // Latin Extended-A: ğ Ğ ı İ ş Ş …
        || matches!(c, 'Ə' | 'ə')
        || matches!(c, '\u{0400}'..='\u{04FF}') // Cyrillic
}

/// Checks a printed text: not blank, at most `max` characters, only allowed characters.
pub(crate) fn check_text(value: &str, max: usize) -> Result<(), TextProblem> {
    if value.trim().is_empty() {
        return Err(problem(ErrorCode::TextEmpty, "must not be empty".into()));
    }
    let len = value.chars().count();
    if len > max {
        return Err(problem(
            ErrorCode::TextTooLong,
            alloc::format!("is {len} characters long; at most {max} are allowed"),
        ));
    }
    if let Some((pos, bad)) = value
        .chars()
        .enumerate()
        .find(|(_, c)| !is_allowed_char(*c))
    {
        return Err(problem(
            ErrorCode::TextBadCharacter,
            alloc::format!(
                "character {} ({:?}, U+{:04X}) cannot be printed on a receipt",
                pos + 1,
                bad,
                u32::from(bad)
            ),
        ));
    }
    Ok(())
}

/// True when `digits` (8 or 13 ASCII digits) ends in the right GS1 check digit.
pub(crate) fn gs1_check_digit_ok(digits: &str) -> bool {
    let b = digits.as_bytes();
    let Some((&last, body)) = b.split_last() else {
        return false;
    };
    // Weights 3,1,3,1… from the digit next to the check digit, leftwards.
    let sum: u32 = body
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| u32::from(d - b'0') * if i % 2 == 0 { 3 } else { 1 })
        .sum();
    (10 - sum % 10) % 10 == u32::from(last - b'0')
}

/// Longest item code (FP-29: 32).
pub const MAX_ITEM_CODE: usize = 32;

/// Checks an item code against its code type (SPEC.md §4.3).
pub(crate) fn check_item_code(code: &str, gs1_len: Option<usize>) -> Result<(), TextProblem> {
    if let Some(n) = gs1_len {
        if code.len() != n || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(problem(
                ErrorCode::InvalidItemCode,
                alloc::format!("an EAN-{n} code is exactly {n} digits"),
            ));
        }
        if !gs1_check_digit_ok(code) {
            return Err(problem(
                ErrorCode::InvalidItemCode,
                alloc::format!("the check digit of EAN-{n} code {code} is wrong"),
            ));
        }
        return Ok(());
    }
    if code.is_empty() || code.len() > MAX_ITEM_CODE {
        return Err(problem(
            ErrorCode::InvalidItemCode,
            alloc::format!("an item code has 1 to {MAX_ITEM_CODE} characters"),
        ));
    }
    if !code
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-_./".contains(&b))
    {
        return Err(problem(
            ErrorCode::InvalidItemCode,
            "an item code uses only Latin letters, digits and - _ . /".into(),
        ));
    }
    Ok(())
}

/// Longest reference to another document's fiscal ID.
pub const MAX_REFERENCE: usize = 64;

/// Checks a reference to another document: 12 to 64 ASCII letters and digits (the short
/// printed "Fiskal ID" is 12 characters; the long ID fits in 64). SPEC.md §4.4.
pub(crate) fn check_reference(r: &str) -> Result<(), TextProblem> {
    if !(12..=MAX_REFERENCE).contains(&r.len()) || !r.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(problem(
            ErrorCode::InvalidReference,
            alloc::format!(
                "a fiscal ID is 12 to {MAX_REFERENCE} Latin letters and digits, as printed on the receipt"
            ),
        ));
    }
    Ok(())
}

/// Checks a vehicle plate: 2 to 16 capital Latin letters, digits, spaces and hyphens, e.g.
/// `10-AB-123` (RC-19).
pub(crate) fn check_plate(p: &str) -> Result<(), TextProblem> {
    let ok = (2..=16).contains(&p.len())
        && p.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-' || b == b' ')
        && p.bytes().any(|b| b.is_ascii_alphanumeric());
    if !ok {
        return Err(problem(
            ErrorCode::InvalidVehiclePlate,
            "a plate is 2 to 16 capital Latin letters, digits, spaces or hyphens, like 10-AB-123"
                .into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn azerbaijani_and_cyrillic_names_are_allowed() {
        for ok in [
            "Çörək (ağ) 500 q",
            "Şəkər tozu 1 kq",
            "İçki №5 «Qızıl»",
            "Хлеб белый",
            "Café 10%",
            "Ğ ğ Ü ü Ö ö Ş ş Ə ə I ı",
        ] {
            assert_eq!(check_text(ok, 128), Ok(()), "{ok}");
        }
    }

    #[test]
    fn control_characters_emoji_and_blank_are_refused() {
        assert_eq!(
            check_text("a\tb", 128).unwrap_err().code,
            ErrorCode::TextBadCharacter
        );
        assert_eq!(
            check_text("a\u{0}b", 128).unwrap_err().code,
            ErrorCode::TextBadCharacter
        );
        assert_eq!(
            check_text("tort 🎂", 128).unwrap_err().code,
            ErrorCode::TextBadCharacter
        );
        assert_eq!(
            check_text("a\u{202E}b", 128).unwrap_err().code,
            ErrorCode::TextBadCharacter
        );
        assert_eq!(
            check_text("   ", 128).unwrap_err().code,
            ErrorCode::TextEmpty
        );
        assert_eq!(
            check_text(&"ə".repeat(129), 128).unwrap_err().code,
            ErrorCode::TextTooLong
        );
        assert_eq!(check_text(&"ə".repeat(128), 128), Ok(()));
    }

    #[test]
    fn gs1_check_digits() {
        // EAN-13 4006381333931: body 400638133393, weights from the right 3,1,3,…:
        // 3·3+9+3·3+3+3·3+1+3·8+3+3·6+0+3·0+4 = 89 → check (10 − 9) = 1.
        assert!(gs1_check_digit_ok("4006381333931"));
        assert!(!gs1_check_digit_ok("4006381333932"));
        // EAN-8 96385074: 3·7+0+3·5+8+3·3+6+3·9 = 86 → check 4.
        assert!(gs1_check_digit_ok("96385074"));
        assert_eq!(check_item_code("96385074", Some(8)), Ok(()));
        assert_eq!(
            check_item_code("9638507", Some(8)).unwrap_err().code,
            ErrorCode::InvalidItemCode
        );
        assert_eq!(
            check_item_code("4006381333932", Some(13)).unwrap_err().code,
            ErrorCode::InvalidItemCode
        );
        assert_eq!(check_item_code("SKU-1/a.b_c", None), Ok(()));
        assert!(check_item_code("sku 1", None).is_err());
        assert!(check_item_code(&"x".repeat(33), None).is_err());
    }

    #[test]
    fn references_and_plates() {
        assert_eq!(check_reference("7bzWXgWvSKx4"), Ok(()));
        assert!(check_reference("7bzWXgWvSKx").is_err());
        assert!(check_reference("7bzWXgWvSK-4").is_err());
        assert!(check_reference(&"a".repeat(65)).is_err());
        assert_eq!(check_plate("10-AB-123"), Ok(()));
        assert!(check_plate("10-ab-123").is_err());
        assert!(check_plate("--").is_err());
    }
}
