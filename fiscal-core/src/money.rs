//! Money, quantities, unit prices and percentages: exact decimals with a fixed scale.
//!
//! Every value here is a [`rust_decimal::Decimal`] held at one fixed scale, built only from
//! decimal text (never from a float), and always inside its range (SPEC.md §3). Arithmetic that
//! can round goes through [`round_money`], the one rounding rule of the engine (SPEC.md §3.4).

use alloc::string::{String, ToString};
use core::fmt;
use core::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};

/// Why a piece of text is not an acceptable value. Mapped to the stable
/// [`ErrorCode`](crate::ErrorCode)s `not_a_number`, `negative_value`, `too_many_decimals` and
/// `out_of_range`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ValueError {
    /// Not a plain decimal such as `12.50` (exponents, `NaN`, `inf`, spaces, `+` are refused).
    #[error("'{0}' is not a plain decimal number like 12.50")]
    NotANumber(String),
    /// Negative.
    #[error("must not be negative")]
    Negative,
    /// More decimals than the scale allows.
    #[error("has more than {max} decimals")]
    TooManyDecimals {
        /// The scale.
        max: u32,
    },
    /// Outside the range.
    #[error("must be between {min} and {max}")]
    OutOfRange {
        /// Smallest accepted value.
        min: Decimal,
        /// Largest accepted value.
        max: Decimal,
    },
}

impl ValueError {
    /// The stable code of this problem.
    pub fn code(&self) -> crate::ErrorCode {
        use crate::ErrorCode as C;
        match self {
            ValueError::NotANumber(_) => C::NotANumber,
            ValueError::Negative => C::NegativeValue,
            ValueError::TooManyDecimals { .. } => C::TooManyDecimals,
            ValueError::OutOfRange { .. } => C::OutOfRange,
        }
    }
}

/// Longest decimal text accepted; longer input is refused before any arithmetic.
const MAX_TEXT_LEN: usize = 40;

/// Parses plain decimal text (`-`? digits (`.` digits)?) into a decimal, with the checks every
/// fixed-scale value shares: sign, scale (trailing zeros are fine: `12.500` is 12.50), range.
fn parse_scaled(text: &str, scale: u32, min: Decimal, max: Decimal) -> Result<Decimal, ValueError> {
    let nan = || ValueError::NotANumber(truncate(text));
    if text.len() > MAX_TEXT_LEN {
        return Err(nan());
    }
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (int, frac) = match unsigned.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (unsigned, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || frac.is_some_and(|f| !digits(f)) {
        return Err(nan());
    }
    // More than 28 significant digits cannot be held exactly: far out of every range anyway.
    let value =
        Decimal::from_str_exact(unsigned).map_err(|_| ValueError::OutOfRange { min, max })?;
    if negative && !value.is_zero() {
        return Err(ValueError::Negative);
    }
    if value.normalize().scale() > scale {
        return Err(ValueError::TooManyDecimals { max: scale });
    }
    check_range(value, scale, min, max)
}

fn check_range(
    value: Decimal,
    scale: u32,
    min: Decimal,
    max: Decimal,
) -> Result<Decimal, ValueError> {
    if value < min || value > max {
        return Err(ValueError::OutOfRange { min, max });
    }
    let mut v = value;
    v.rescale(scale);
    Ok(v)
}

fn truncate(text: &str) -> String {
    text.chars().take(24).collect()
}

/// Rounds to qəpik (2 decimals), half away from zero: the engine's one rounding rule
/// (SPEC.md §3.4; commercial rounding as printed on every Azerbaijani receipt).
pub(crate) fn round_money(value: Decimal) -> Decimal {
    value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

macro_rules! fixed_scale {
    ($(#[$doc:meta])* $name:ident, scale = $scale:expr, min = $min:expr, max = $max:expr, what = $what:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(Decimal);

        impl $name {
            /// Decimals the value always carries.
            pub const SCALE: u32 = $scale;

            /// Smallest accepted value, in units of 10^-SCALE.
            pub const MIN_UNITS: i64 = $min;

            /// Largest accepted value, in units of 10^-SCALE.
            pub const MAX_UNITS: i64 = $max;

            /// Smallest accepted value.
            pub fn min_value() -> Self {
                $name(Decimal::new(Self::MIN_UNITS, Self::SCALE))
            }

            /// Largest accepted value.
            pub fn max_value() -> Self {
                $name(Decimal::new(Self::MAX_UNITS, Self::SCALE))
            }

            /// Parses plain decimal text such as `"12.50"`.
            pub fn parse(text: &str) -> Result<Self, ValueError> {
                parse_scaled(text, Self::SCALE, Self::min_value().0, Self::max_value().0).map($name)
            }

            /// Takes an exact decimal, checking sign, scale and range as [`Self::parse`] does.
            pub fn from_decimal(value: Decimal) -> Result<Self, ValueError> {
                if value.is_sign_negative() && !value.is_zero() {
                    return Err(ValueError::Negative);
                }
                if value.normalize().scale() > Self::SCALE {
                    return Err(ValueError::TooManyDecimals { max: Self::SCALE });
                }
                check_range(value, Self::SCALE, Self::min_value().0, Self::max_value().0).map($name)
            }

            /// The value in units of 10^-SCALE (for an amount: qəpik).
            pub fn units(self) -> i64 {
                // In range by construction, so the mantissa fits an i64.
                i64::try_from(self.0.mantissa()).unwrap_or(i64::MAX)
            }

            /// Builds the value from units of 10^-SCALE, if in range.
            pub fn from_units(units: i64) -> Option<Self> {
                (Self::MIN_UNITS..=Self::MAX_UNITS)
                    .contains(&units)
                    .then(|| $name(Decimal::new(units, Self::SCALE)))
            }

            /// The value as a decimal at scale SCALE.
            pub fn as_decimal(self) -> Decimal {
                self.0
            }
        }

        impl FromStr for $name {
            type Err = ValueError;
            fn from_str(s: &str) -> Result<Self, ValueError> {
                Self::parse(s)
            }
        }

        impl fmt::Display for $name {
            /// Always SCALE decimals: `12.50`.
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }

        impl serde::Serialize for $name {
            /// Text (`"12.50"`) in human-readable formats; integer units in binary ones
            /// (postcard), so canonical bytes never depend on decimal formatting.
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                if s.is_human_readable() {
                    s.collect_str(&self.0)
                } else {
                    s.serialize_i64(self.units())
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                use serde::de::Error as _;
                if d.is_human_readable() {
                    let text = <alloc::borrow::Cow<'de, str>>::deserialize(d)?;
                    Self::parse(&text).map_err(|e| D::Error::custom(e.to_string()))
                } else {
                    let units = i64::deserialize(d)?;
                    Self::from_units(units).ok_or_else(|| D::Error::custom(concat!($what, " out of range")))
                }
            }
        }
    };
}

fixed_scale!(
    /// An amount of money in AZN, exactly 2 decimals (qəpik), 0.00 ≤ a ≤ 99 999 999.99.
    Amount, scale = 2, min = 0, max = 9_999_999_999, what = "amount"
);
fixed_scale!(
    /// A quantity (pieces, kg, litres, …), exactly 3 decimals, 0.001 ≤ q ≤ 9 999 999.999.
    Quantity, scale = 3, min = 1, max = 9_999_999_999, what = "quantity"
);
fixed_scale!(
    /// A unit price in AZN, exactly 4 decimals (fuel is priced per litre to 0.0001),
    /// 0.0000 ≤ p ≤ 99 999 999.9999.
    UnitPrice, scale = 4, min = 0, max = 999_999_999_999, what = "unit price"
);
fixed_scale!(
    /// A tax rate in percent, exactly 2 decimals, 0.00 ≤ r ≤ 100.00.
    Percent, scale = 2, min = 0, max = 10_000, what = "percent"
);

impl Default for Amount {
    fn default() -> Self {
        Amount::ZERO
    }
}

impl Amount {
    /// Zero AZN, at scale 2 like every amount ("0.00").
    pub const ZERO: Amount = Amount(Decimal::from_parts(0, 0, 0, false, 2));

    /// `self + other`, or `None` above [`Amount::max_value`].
    pub fn checked_add(self, other: Amount) -> Option<Amount> {
        Amount::from_units(self.units().checked_add(other.units())?)
    }

    /// `self − other`, or `None` below zero.
    pub fn checked_sub(self, other: Amount) -> Option<Amount> {
        Amount::from_units(self.units().checked_sub(other.units())?)
    }

    /// True for 0.00.
    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }
}

impl Quantity {
    /// Builds a whole quantity (`Quantity::whole(3)` is 3.000), if in range.
    pub fn whole(n: i64) -> Option<Quantity> {
        Quantity::from_units(n.checked_mul(1000)?)
    }
}

impl Percent {
    /// Builds a whole percent (`Percent::whole(18)` is 18.00), if in range.
    pub fn whole(n: i64) -> Option<Percent> {
        Percent::from_units(n.checked_mul(100)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(s: &str) -> Amount {
        Amount::parse(s).unwrap()
    }

    #[test]
    fn parses_and_normalizes_to_the_fixed_scale() {
        assert_eq!(a("12.5").to_string(), "12.50");
        assert_eq!(a("12.500").to_string(), "12.50");
        assert_eq!(a("0").to_string(), "0.00");
        assert_eq!(a("-0").to_string(), "0.00");
        assert_eq!(a("12.50").units(), 1250);
        assert_eq!(Quantity::parse("0.25").unwrap().to_string(), "0.250");
        assert_eq!(UnitPrice::parse("1.1999").unwrap().units(), 11999);
        assert_eq!(Amount::max_value().to_string(), "99999999.99");
        assert_eq!(Quantity::min_value().to_string(), "0.001");
    }

    #[test]
    fn refuses_text_that_is_not_a_plain_decimal() {
        for bad in [
            "", " 1", "1 ", "+1", "1e2", "1E2", "NaN", "nan", "inf", "-inf", "1,5", ".5", "5.",
            "1.2.3", "0x10", "١٢",
        ] {
            assert!(
                matches!(Amount::parse(bad), Err(ValueError::NotANumber(_))),
                "{bad:?}"
            );
        }
        assert!(matches!(
            Amount::parse(&"1".repeat(41)),
            Err(ValueError::NotANumber(_))
        ));
    }

    #[test]
    fn refuses_negative_over_precise_and_out_of_range() {
        assert_eq!(Amount::parse("-0.01"), Err(ValueError::Negative));
        assert_eq!(
            Amount::parse("0.001"),
            Err(ValueError::TooManyDecimals { max: 2 })
        );
        assert_eq!(
            Quantity::parse("1.0001"),
            Err(ValueError::TooManyDecimals { max: 3 })
        );
        assert_eq!(
            UnitPrice::parse("1.00001"),
            Err(ValueError::TooManyDecimals { max: 4 })
        );
        assert!(matches!(
            Amount::parse("100000000.00"),
            Err(ValueError::OutOfRange { .. })
        ));
        assert!(matches!(
            Quantity::parse("0"),
            Err(ValueError::OutOfRange { .. })
        ));
        assert!(matches!(
            Quantity::parse("10000000"),
            Err(ValueError::OutOfRange { .. })
        ));
        assert!(matches!(
            Amount::parse(&"9".repeat(35)),
            Err(ValueError::OutOfRange { .. })
        ));
        assert!(matches!(
            Percent::parse("100.01"),
            Err(ValueError::OutOfRange { .. })
        ));
    }

    #[test]
    fn from_decimal_applies_the_same_checks() {
        assert_eq!(
            Amount::from_decimal(Decimal::new(-1, 2)),
            Err(ValueError::Negative)
        );
        assert_eq!(
            Amount::from_decimal(Decimal::new(1, 3)),
            Err(ValueError::TooManyDecimals { max: 2 })
        );
        assert_eq!(
            Amount::from_decimal(Decimal::new(1250, 3))
                .unwrap()
                .to_string(),
            "1.25"
        );
    }

    #[test]
    fn rounding_is_half_away_from_zero_at_two_decimals() {
        // Worked by hand: 0.125 is a midpoint and goes up; 0.124999 goes down.
        assert_eq!(round_money(Decimal::new(125, 3)).to_string(), "0.13");
        assert_eq!(round_money(Decimal::new(124_999, 6)).to_string(), "0.12");
        assert_eq!(round_money(Decimal::new(135, 3)).to_string(), "0.14"); // not banker's 0.14/0.13
        assert_eq!(round_money(Decimal::new(145, 3)).to_string(), "0.15"); // banker's would give 0.14
    }

    #[test]
    fn zero_has_the_fixed_scale_too() {
        // Found by the conformance vectors' independent reference: a zero change printed "0".
        assert_eq!(Amount::ZERO.to_string(), "0.00");
        assert_eq!(Amount::default().to_string(), "0.00");
        assert_eq!(Amount::ZERO, Amount::parse("0").unwrap());
        assert_eq!(Amount::ZERO.as_decimal().scale(), 2);
    }

    #[test]
    fn checked_arithmetic_stays_in_range() {
        assert_eq!(a("1.10").checked_add(a("2.25")), Some(a("3.35")));
        assert_eq!(a("1.10").checked_sub(a("2.25")), None);
        assert_eq!(Amount::max_value().checked_add(a("0.01")), None);
    }
}
