//! JSON text read into a [`Value`] with every object's member names checked to be distinct
//! (PK-11, SPEC.md §8.3).
//!
//! `serde_json` keeps the last of two members of one name, another reader may keep the first:
//! `"itemPrice": 100.0, …, "itemPrice": 0.8` would be signed at 0.80 while the text also says
//! 100.00. A text that reads two ways cannot be signed, so a repeat is reported. Names are
//! compared as read, after unescaping (`"a"` and `"\u0061"` are one name). The check is made
//! while the value is built, in the same pass: it costs nothing beyond the map insertion that
//! building the object does anyway, and the path is assembled only for the one repeat found.

use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::str::FromStr;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::map::Entry;
use serde_json::{Map, Number, Value};

/// The name under which `serde_json` (with `arbitrary_precision`) hands a visitor a number: a
/// map of one member, this key, whose value is the number's text. `serde_json::Value` reads it
/// by the same name; the unit test `reads_exactly_what_serde_json_reads` fails if that changes.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// One step of a path: a member's name or a list's index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    /// A member of an object.
    Member(String),
    /// An entry of a list.
    Index(usize),
}

/// The first member found twice in one object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Duplicate {
    /// From the root to the repeated member, outermost first; never empty, and its last step
    /// is the member.
    pub(crate) path: Vec<Step>,
}

impl Duplicate {
    /// The repeated member's name.
    pub(crate) fn name(&self) -> &str {
        match self.path.last() {
            Some(Step::Member(name)) => name,
            _ => "",
        }
    }

    /// The whole path in the validator's style (`items[2].itemPrice`).
    pub(crate) fn dotted(&self) -> String {
        dotted(&self.path)
    }

    /// [`Duplicate::dotted`] cut to `max` characters (then ending in `…`): for an error about
    /// a journal line or a certificate, where a hostile name may be megabytes long and the
    /// path only tells people where to look.
    pub(crate) fn dotted_short(&self, max: usize) -> String {
        let whole = self.dotted();
        match whole.char_indices().nth(max) {
            Some((end, _)) => alloc::format!("{}…", &whole[..end]),
            None => whole,
        }
    }
}

/// `steps` in the validator's style: names joined by `.`, indices as `[i]`.
pub(crate) fn dotted(steps: &[Step]) -> String {
    let mut out = String::new();
    for step in steps {
        match step {
            Step::Member(name) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(name);
            }
            Step::Index(i) => {
                out.push('[');
                out.push_str(&alloc::format!("{i}"));
                out.push(']');
            }
        }
    }
    out
}

/// Reads `text` as one JSON value, as `serde_json::from_str` does (same syntax errors, same
/// nesting limit of 128), and reports the first member repeated in an object, if any. A text
/// that is not JSON is an error even when a repeat came before the fault.
pub(crate) fn from_str(text: &str) -> Result<(Value, Option<Duplicate>), serde_json::Error> {
    let mut state = State::default();
    let mut de = serde_json::Deserializer::from_str(text);
    let value = ValueSeed { state: &mut state }.deserialize(&mut de)?;
    de.end()?;
    let duplicate = state.found.map(|f| {
        let mut path = f.reversed;
        path.reverse();
        Duplicate { path }
    });
    Ok((value, duplicate))
}

/// The first member repeated in `text`, when `text` is JSON and has one.
pub(crate) fn duplicate_in(text: &str) -> Option<Duplicate> {
    from_str(text).ok()?.1
}

#[derive(Default)]
struct State {
    /// How many objects and lists enclose the value being read.
    depth: usize,
    found: Option<Found>,
}

/// A repeat, and its path as far as it is known yet: built from the inside out as the
/// enclosing containers finish reading the child that holds it.
struct Found {
    /// Innermost first.
    reversed: Vec<Step>,
    /// The depth of the container that adds the next step; `None` once at the root.
    next: Option<usize>,
}

impl State {
    /// The container at `depth` has read its child at `step`: if the repeat lies in that
    /// child, the path grows by that step.
    fn read_child(&mut self, depth: usize, step: impl FnOnce() -> Step) {
        if let Some(f) = &mut self.found {
            if f.next == Some(depth) {
                f.reversed.push(step());
                f.next = depth.checked_sub(1);
            }
        }
    }

    /// The object at `depth` has `name` twice; only the first repeat found is kept.
    fn repeated(&mut self, depth: usize, name: &str) {
        if self.found.is_none() {
            self.found = Some(Found {
                reversed: alloc::vec![Step::Member(name.to_owned())],
                next: depth.checked_sub(1),
            });
        }
    }
}

struct ValueSeed<'s> {
    state: &'s mut State,
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let state = self.state;
        let depth = state.depth;
        state.depth += 1;
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(ValueSeed { state: &mut *state })? {
            state.read_child(depth, || Step::Index(out.len()));
            out.push(v);
        }
        state.depth = depth;
        Ok(Value::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut name = match map.next_key_seed(FirstKey)? {
            None => return Ok(Value::Object(Map::new())),
            Some(Key::Number) => return map.next_value_seed(NumberText).map(Value::Number),
            Some(Key::Name(name)) => name,
        };
        let state = self.state;
        let depth = state.depth;
        state.depth += 1;
        let mut out = Map::new();
        loop {
            let v = map.next_value_seed(ValueSeed { state: &mut *state })?;
            state.read_child(depth, || Step::Member(name.clone()));
            match out.entry(name) {
                Entry::Vacant(e) => {
                    e.insert(v);
                }
                // PK-11, SPEC.md §8.3: the text reads two ways. The value read is refused as
                // a whole, so which of the two is kept does not matter.
                Entry::Occupied(mut e) => {
                    state.repeated(depth, e.key());
                    e.insert(v);
                }
            }
            match map.next_key::<String>()? {
                Some(next) => name = next,
                None => break,
            }
        }
        state.depth = depth;
        Ok(Value::Object(out))
    }
}

/// An object's first key: a member's name, or the mark of a number (as `serde_json::Value`
/// tells them apart; later keys are always names).
enum Key {
    Name(String),
    Number,
}

struct FirstKey;

impl<'de> DeserializeSeed<'de> for FirstKey {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for FirstKey {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_str<E>(self, v: &str) -> Result<Key, E> {
        Ok(if v == NUMBER_TOKEN {
            Key::Number
        } else {
            Key::Name(v.to_owned())
        })
    }

    fn visit_string<E>(self, v: String) -> Result<Key, E> {
        Ok(if v == NUMBER_TOKEN {
            Key::Number
        } else {
            Key::Name(v)
        })
    }
}

/// A number's text, kept exactly (`arbitrary_precision`).
struct NumberText;

impl<'de> DeserializeSeed<'de> for NumberText {
    type Value = Number;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Number, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for NumberText {
    type Value = Number;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string holding a number")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Number, E> {
        Number::from_str(v).map_err(E::custom)
    }
}

#[cfg(all(test, feature = "std"))]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    fn path_of(text: &str) -> Option<String> {
        from_str(text).unwrap().1.map(|d| d.dotted())
    }

    #[test]
    fn reads_exactly_what_serde_json_reads() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/vectors/math.json");
        let vectors = std::fs::read_to_string(path).unwrap();
        let texts = [
            vectors.as_str(),
            r#"{"a": 12.50, "b": -0.0, "c": 1e400, "d": 123456789012345678901234567890}"#,
            r#"[1, 2.000, "x\u0041\n", null, true, false, {}, [], {"z": {"y": [{}]}}]"#,
            r#""\ud83d\ude00""#,
            "0",
            r#"{"$serde_json::private::Number": "1.50"}"#,
        ];
        for text in texts {
            let (value, dup) = from_str(text).unwrap();
            assert_eq!(
                value,
                serde_json::from_str::<Value>(text).unwrap(),
                "{text}"
            );
            assert_eq!(
                value.to_string(),
                serde_json::from_str::<Value>(text).unwrap().to_string()
            );
            assert!(dup.is_none(), "{text}");
        }
        // Numbers keep their text: 12.50 stays 12.50.
        let (value, _) = from_str(r#"{"a": 12.50}"#).unwrap();
        assert_eq!(value["a"].to_string(), "12.50");
    }

    #[test]
    fn refuses_what_serde_json_refuses_with_the_same_error() {
        let deep_ok = format!("{}{}", "[".repeat(127), "]".repeat(127));
        assert!(from_str(&deep_ok).is_ok());
        for text in [
            "",
            "{",
            r#"{"a":1,}"#,
            r#"{"a":1} x"#,
            r#"{"a":1,"a":2"#,
            r#"{"a":1,"a":2,}"#,
            r#""\ud800""#,
            "NaN",
            r#"{"$serde_json::private::Number": "x"}"#,
            &format!("{}{}", "[".repeat(129), "]".repeat(129)),
            &format!("{}1{}", "{\"a\":".repeat(200), "}".repeat(200)),
        ] {
            let ours = from_str(text).map(|(v, _)| v).unwrap_err().to_string();
            let theirs = serde_json::from_str::<Value>(text).unwrap_err().to_string();
            assert_eq!(ours, theirs, "{text}");
        }
    }

    #[test]
    fn finds_a_repeated_member_at_any_depth_with_its_path() {
        assert_eq!(path_of(r#"{"a":1,"a":1}"#).as_deref(), Some("a"));
        assert_eq!(path_of(r#"{"a":1,"b":2,"a":3}"#).as_deref(), Some("a"));
        assert_eq!(path_of(r#"{"x":{"a":1,"a":2}}"#).as_deref(), Some("x.a"));
        assert_eq!(
            path_of(r#"{"x":[{},{"b":[1,{"c":0,"c":0}]}],"y":0}"#).as_deref(),
            Some("x[1].b[1].c")
        );
        assert_eq!(
            path_of(r#"[0,[{"a":null,"a":null}]]"#).as_deref(),
            Some("[1][0].a")
        );
        // Names compared after unescaping.
        assert_eq!(path_of(r#"{"a":1,"\u0061":2}"#).as_deref(), Some("a"));
        assert_eq!(path_of(r#"{"ə":1,"\u0259":2}"#).as_deref(), Some("ə"));
        // The first repeat found is kept; siblings and later repeats do not disturb its path.
        assert_eq!(
            path_of(r#"{"p":{"q":[1,{"r":1,"r":2},{"s":{"t":1,"t":1}}]},"u":1,"u":2}"#).as_deref(),
            Some("p.q[1].r")
        );
        // A repeat inside the repeated member's value is found first (it is read first).
        assert_eq!(
            path_of(r#"{"a":1,"a":{"b":1,"b":2}}"#).as_deref(),
            Some("a.b")
        );
        // Members that differ, even only in case or by a space, are not repeats.
        for text in [
            r#"{"a":1,"A":1,"a ":1}"#,
            r#"[{"a":1},{"a":1}]"#,
            r#"{"a":{"a":{"a":1}}}"#,
        ] {
            assert_eq!(path_of(text), None, "{text}");
        }
        let long = format!(r#"{{"ə{0}":1,"ə{0}":1}}"#, "x".repeat(100));
        let short = duplicate_in(&long).unwrap().dotted_short(8);
        assert_eq!(short, "əxxxxxxx…");
        let d = duplicate_in(r#"{"items":[{"itemPrice":1,"itemPrice":2}]}"#).unwrap();
        assert_eq!(d.dotted_short(18), "items[0].itemPrice");
        assert_eq!(d.name(), "itemPrice");
        assert_eq!(
            d.path,
            alloc::vec![
                Step::Member("items".into()),
                Step::Index(0),
                Step::Member("itemPrice".into())
            ]
        );
        assert_eq!(duplicate_in("not json"), None);
    }
}
