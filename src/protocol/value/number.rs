//! Arbitrary-precision decimal numbers, as cty's `number` type needs.
//!
//! A finite number is kept as `±digits × 10^exp` with no leading or trailing zero digits, so
//! equal numbers have equal representations: equality, ordering and hashing are numeric
//! (`1 == 1.0`). ±infinity exist because cty has them. Knows nothing of msgpack or JSON.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use super::number_f64;

/// How far from 1 a number's magnitude may be, as a power of ten (about ±10^10000).
///
/// Numbers print without exponent, as Terraform prints them; the bound keeps a 10-byte
/// input such as `1e999999999` from turning into gigabytes of digits when re-encoded.
pub const MAX_DECIMAL_EXPONENT: i64 = 10_000;

/// An arbitrary-precision decimal number or ±infinity.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Number(Repr);

#[derive(Clone, PartialEq, Eq, Hash)]
enum Repr {
    NegInf,
    /// `(-1)^negative × digits × 10^exp`; `digits` are ASCII without leading or trailing
    /// zeros; zero is empty digits, not negative, exponent 0.
    Finite {
        negative: bool,
        digits: String,
        exp: i64,
    },
    PosInf,
}

/// Text that is not a number, or a number beyond [`MAX_DECIMAL_EXPONENT`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid number {0:?}")]
pub struct ParseNumberError(pub String);

impl Number {
    /// Positive infinity.
    pub const POSITIVE_INFINITY: Number = Number(Repr::PosInf);
    /// Negative infinity.
    pub const NEGATIVE_INFINITY: Number = Number(Repr::NegInf);

    /// Zero.
    pub fn zero() -> Number {
        Number::from_parts(false, "", 0)
    }

    /// Builds a number from sign, decimal digits and exponent, normalising the digits.
    /// `digits` must be ASCII digits only (callers in this module guarantee it).
    fn from_parts(negative: bool, digits: &str, exp: i64) -> Number {
        let lead = digits.trim_start_matches('0');
        let trimmed = lead.trim_end_matches('0');
        if trimmed.is_empty() {
            return Number(Repr::Finite {
                negative: false,
                digits: String::new(),
                exp: 0,
            });
        }
        let exp = exp + (lead.len() - trimmed.len()) as i64;
        Number(Repr::Finite {
            negative,
            digits: trimmed.to_owned(),
            exp,
        })
    }

    /// A finite number, or `None` for NaN. Infinities map to ±infinity.
    ///
    /// The result is the exact binary value: `Number::from_f64(0.1)` is
    /// 0.1000000000000000055511151231257827021181583404541015625, as in cty.
    pub fn from_f64(f: f64) -> Option<Number> {
        if f.is_nan() {
            None
        } else if f.is_infinite() {
            Some(if f > 0.0 {
                Number::POSITIVE_INFINITY
            } else {
                Number::NEGATIVE_INFINITY
            })
        } else {
            let (negative, digits, exp) = number_f64::exact_decimal(f);
            Some(Number::from_parts(negative, &digits, exp))
        }
    }

    /// True for +∞ and −∞.
    pub fn is_infinite(&self) -> bool {
        matches!(self.0, Repr::PosInf | Repr::NegInf)
    }

    /// True for finite whole numbers.
    pub fn is_integer(&self) -> bool {
        matches!(self.0, Repr::Finite { exp, .. } if exp >= 0)
    }

    /// The number as `i64` if it is a whole number in range.
    pub fn as_i64(&self) -> Option<i64> {
        let Repr::Finite {
            negative,
            digits,
            exp,
        } = &self.0
        else {
            return None;
        };
        if *exp < 0 || digits.len() as i64 + exp > 19 {
            return None;
        }
        let mut v: i128 = 0;
        for d in digits
            .bytes()
            .chain(std::iter::repeat_n(b'0', *exp as usize))
        {
            v = v * 10 + i128::from(d - b'0');
        }
        i64::try_from(if *negative { -v } else { v }).ok()
    }

    /// The nearest `f64` (correctly rounded; ±infinity beyond the `f64` range).
    pub fn as_f64(&self) -> f64 {
        match &self.0 {
            Repr::NegInf => f64::NEG_INFINITY,
            Repr::PosInf => f64::INFINITY,
            Repr::Finite { digits, .. } if digits.is_empty() => 0.0,
            Repr::Finite {
                negative,
                digits,
                exp,
            } => {
                let sign = if *negative { "-" } else { "" };
                // Rust's float parser is correctly rounded for any number of digits.
                format!("{sign}{digits}e{exp}").parse().unwrap_or(f64::NAN)
            }
        }
    }

    /// The `f64` equal to this number, if one exists exactly (infinities included).
    pub fn to_exact_f64(&self) -> Option<f64> {
        if let Repr::Finite { digits, exp, .. } = &self.0 {
            // Every finite f64 has at most 767 significant digits and lies within
            // 10^-324 ..= 10^309; skip the conversion for numbers clearly outside.
            let magnitude = digits.len() as i64 + exp;
            if digits.len() > 800 || !(-330..=310).contains(&magnitude) {
                return digits.is_empty().then_some(0.0);
            }
        }
        let f = self.as_f64();
        (Number::from_f64(f).as_ref() == Some(self)).then_some(f)
    }

    fn parse_finite(s: &str) -> Option<Number> {
        let (negative, rest) = match s.as_bytes().first()? {
            b'-' => (true, &s[1..]),
            b'+' => (false, &s[1..]),
            _ => (false, s),
        };
        let (mantissa, exponent) = match rest.find(['e', 'E']) {
            Some(i) => (&rest[..i], Some(&rest[i + 1..])),
            None => (rest, None),
        };
        let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        if int_part.len() + frac_part.len() == 0 || !all_digits(int_part) || !all_digits(frac_part)
        {
            return None;
        }
        let digits = format!("{int_part}{frac_part}");
        let number = Number::from_parts(negative, &digits, 0);
        let Repr::Finite { digits, exp, .. } = &number.0 else {
            return None;
        };
        if digits.is_empty() {
            // Zero, whatever the exponent, as long as the exponent is well-formed.
            return match exponent {
                Some(e) => parse_exponent(e).map(|_| number),
                None => Some(number),
            };
        }
        let written_exp = match exponent {
            Some(e) => parse_exponent(e)?,
            None => 0,
        };
        let exp = exp
            .checked_add(written_exp)?
            .checked_sub(frac_part.len() as i64)?;
        let magnitude = exp.checked_add(digits.len() as i64)?;
        if !(-MAX_DECIMAL_EXPONENT..=MAX_DECIMAL_EXPONENT).contains(&magnitude) {
            return None;
        }
        Some(Number(Repr::Finite {
            negative,
            digits: digits.clone(),
            exp,
        }))
    }
}

/// Parses an exponent's digits with optional sign; beyond ±10^15 counts as invalid.
fn parse_exponent(e: &str) -> Option<i64> {
    let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let trimmed = digits.trim_start_matches('0');
    if trimmed.len() > 15 {
        return None;
    }
    let v: i64 = trimmed.parse().unwrap_or(0);
    Some(if e.starts_with('-') { -v } else { v })
}

/// Parses decimal text (`-12.5e3`, `.5`, `+1`) and `inf`/`+Inf`/`-Infinity`.
impl FromStr for Number {
    type Err = ParseNumberError;

    fn from_str(s: &str) -> Result<Number, ParseNumberError> {
        let lower = s.to_ascii_lowercase();
        match lower.as_str() {
            "inf" | "+inf" | "infinity" | "+infinity" => return Ok(Number::POSITIVE_INFINITY),
            "-inf" | "-infinity" => return Ok(Number::NEGATIVE_INFINITY),
            _ => {}
        }
        Number::parse_finite(s).ok_or_else(|| ParseNumberError(s.to_owned()))
    }
}

/// Canonical text: plain decimal without exponent (`-12.5`, `100`, `0.001`), as cty
/// prints numbers; `+Inf` / `-Inf` for the infinities.
impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (negative, digits, exp) = match &self.0 {
            Repr::NegInf => return f.write_str("-Inf"),
            Repr::PosInf => return f.write_str("+Inf"),
            Repr::Finite { digits, .. } if digits.is_empty() => return f.write_str("0"),
            Repr::Finite {
                negative,
                digits,
                exp,
            } => (*negative, digits.as_str(), *exp),
        };
        if negative {
            f.write_str("-")?;
        }
        if exp >= 0 {
            f.write_str(digits)?;
            (0..exp).try_for_each(|_| f.write_str("0"))
        } else {
            let frac = exp.unsigned_abs() as usize;
            if frac < digits.len() {
                let (int, rest) = digits.split_at(digits.len() - frac);
                write!(f, "{int}.{rest}")
            } else {
                f.write_str("0.")?;
                (0..frac - digits.len()).try_for_each(|_| f.write_str("0"))?;
                f.write_str(digits)
            }
        }
    }
}

impl fmt::Debug for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Number({self})")
    }
}

impl Ord for Number {
    fn cmp(&self, other: &Number) -> Ordering {
        fn rank(r: &Repr) -> i8 {
            match r {
                Repr::NegInf => -2,
                Repr::Finite { negative: true, .. } => -1,
                Repr::Finite { digits, .. } if digits.is_empty() => 0,
                Repr::Finite { .. } => 1,
                Repr::PosInf => 2,
            }
        }
        let (ra, rb) = (rank(&self.0), rank(&other.0));
        if ra != rb || ra.abs() != 1 {
            return ra.cmp(&rb);
        }
        let (
            Repr::Finite {
                digits: da,
                exp: ea,
                ..
            },
            Repr::Finite {
                digits: db,
                exp: eb,
                ..
            },
        ) = (&self.0, &other.0)
        else {
            return Ordering::Equal;
        };
        // Same sign: compare magnitudes by leading-digit position, then digit by digit.
        let magnitude = (da.len() as i64 + ea)
            .cmp(&(db.len() as i64 + eb))
            .then_with(|| da.cmp(db));
        if ra < 0 {
            magnitude.reverse()
        } else {
            magnitude
        }
    }
}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Number) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl From<i64> for Number {
    fn from(v: i64) -> Number {
        Number::from_parts(v < 0, &v.unsigned_abs().to_string(), 0)
    }
}

impl From<u64> for Number {
    fn from(v: u64) -> Number {
        Number::from_parts(false, &v.to_string(), 0)
    }
}

impl From<i32> for Number {
    fn from(v: i32) -> Number {
        Number::from(i64::from(v))
    }
}

/// Exact conversion (see [`Number::from_f64`]). NaN has no cty equivalent and becomes
/// zero; use [`Number::from_f64`] where NaN is possible.
impl From<f64> for Number {
    fn from(f: f64) -> Number {
        Number::from_f64(f).unwrap_or_else(Number::zero)
    }
}
