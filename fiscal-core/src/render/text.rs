//! Plain text, and its ASCII transliteration.

use alloc::string::String;

use super::layout::layout;
use super::{Labels, Receipt};

impl Receipt<'_> {
    /// Plain text, `width` columns (at least 24), lines separated by `\n`. With `transliterate`,
    /// only ASCII is printed (ə → e, ş → s, …) for printers without Azerbaijani letters.
    pub fn text(&self, l: &Labels, width: usize, transliterate: bool) -> String {
        let lines = layout(&self.rows(l), width.max(24));
        let mut out = String::new();
        for (line, _) in lines {
            out.push_str(&if transliterate { to_ascii(&line) } else { line });
            out.push('\n');
        }
        out
    }
}

/// ASCII for printers without Azerbaijani (or Cyrillic) letters.
pub fn to_ascii(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let r = match c {
            'ə' => "e",
            'Ə' => "E",
            'ğ' => "g",
            'Ğ' => "G",
            'ı' => "i",
            'İ' => "I",
            'ö' => "o",
            'Ö' => "O",
            'ü' => "u",
            'Ü' => "U",
            'ş' => "s",
            'Ş' => "S",
            'ç' => "c",
            'Ç' => "C",
            '№' => "N",
            '×' => "x",
            '–' | '—' => "-",
            '«' | '»' | '“' | '”' => "\"",
            '‘' | '’' => "'",
            '²' => "2",
            '³' => "3",
            '₼' => "AZN",
            c if c.is_ascii() => {
                out.push(c);
                continue;
            }
            _ => "?",
        };
        out.push_str(r);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transliteration_is_ascii() {
        assert_eq!(
            to_ascii("Çörək şəkər İlqar ğ №5 ₼"),
            "Corek seker Ilqar g N5 AZN"
        );
        assert!(to_ascii("Хлеб").chars().all(|c| c == '?'));
    }
}
