//! Rows laid out at a width: wrapped, centred, right-aligned lines.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::Row;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Style {
    Plain,
    Bold,
    Qr(String),
}

/// Lays rows out at `width` columns: every line at most `width` characters, long texts
/// wrapped at spaces, values right-aligned.
pub(super) fn layout(rows: &[Row], width: usize) -> Vec<(String, Style)> {
    let mut out = Vec::new();
    for row in rows {
        match row {
            Row::Center { text, bold } => {
                for part in wrap(text, width) {
                    let pad = (width - part.chars().count()) / 2;
                    let line = format!("{}{part}", " ".repeat(pad));
                    out.push((line, if *bold { Style::Bold } else { Style::Plain }));
                }
            }
            Row::Text(t) => out.extend(wrap(t, width).into_iter().map(|l| (l, Style::Plain))),
            Row::Rule => out.push(("-".repeat(width), Style::Plain)),
            Row::Pair(label, value) => {
                let (lw, vw) = (label.chars().count(), value.chars().count());
                if lw + 1 + vw <= width {
                    out.push((
                        format!("{label}{}{value}", " ".repeat(width - lw - vw)),
                        Style::Plain,
                    ));
                } else {
                    out.extend(wrap(label, width).into_iter().map(|l| (l, Style::Plain)));
                    for v in wrap(value, width) {
                        let n = v.chars().count();
                        out.push((format!("{}{v}", " ".repeat(width - n)), Style::Plain));
                    }
                }
            }
            Row::Qr(payload) => {
                out.push((String::new(), Style::Qr(payload.clone())));
                // The payload in words too, for a customer who cannot scan (RC-09).
                out.extend(
                    hard_wrap(payload, width)
                        .into_iter()
                        .map(|l| (l, Style::Plain)),
                );
            }
        }
    }
    out
}

/// Word wrap at spaces; a word longer than the width is split.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        for piece in hard_wrap(word, width) {
            let needed = if cur.is_empty() {
                piece.chars().count()
            } else {
                cur.chars().count() + 1 + piece.chars().count()
            };
            if needed > width && !cur.is_empty() {
                lines.push(core::mem::take(&mut cur));
            }
            if !cur.is_empty() {
                cur.push(' ');
            }
            cur.push_str(&piece);
        }
    }
    if !cur.is_empty() || lines.is_empty() {
        lines.push(cur);
    }
    lines
}

fn hard_wrap(word: &str, width: usize) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    chars
        .chunks(width.max(1))
        .map(|c| c.iter().collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_respects_the_width() {
        assert_eq!(
            wrap("Çörək ağ dilimlənmiş 500 qram", 12),
            ["Çörək ağ", "dilimlənmiş", "500 qram"]
        );
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        let rows = [Row::Pair(
            "Növbə ərzində vurulmuş çek sayı".into(),
            "12".into(),
        )];
        let lines = layout(&rows, 32);
        // 31 + 1 + 2 > 32: the label gets its own line, the value is right-aligned below.
        assert_eq!(lines[0].0, "Növbə ərzində vurulmuş çek sayı");
        assert_eq!(lines[1].0, format!("{}12", " ".repeat(30)));
        assert_eq!(
            layout(&[Row::Pair("Cəmi".into(), "15.29".into())], 32)[0].0,
            format!("Cəmi{}15.29", " ".repeat(23))
        );
    }
}
