//! Exact decimal expansion of `f64` values.
//!
//! Every finite binary float is a finite decimal (`m × 2^e` = `m × 5^-e × 10^e` for e < 0).
//! cty keeps the exact value of a float it receives, so we do too: re-encoding a value
//! Terraform sent as float64 must give back the same float64. A tiny base-10⁹ bignum does
//! the multiplication; nothing here knows about cty beyond that.

/// One limb holds nine decimal digits.
const LIMB: u64 = 1_000_000_000;

/// Returns `(negative, digits, exp)` with `|f| = digits × 10^exp`, exactly.
/// `f` must be finite; digits may carry leading/trailing zeros (the caller normalises).
pub(crate) fn exact_decimal(f: f64) -> (bool, String, i64) {
    let bits = f.to_bits();
    let negative = bits >> 63 == 1;
    let biased = ((bits >> 52) & 0x7ff) as i64;
    let fraction = bits & ((1 << 52) - 1);
    let (mut mantissa, mut exp2) = if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1 << 52), biased - 1075)
    };
    if mantissa == 0 {
        return (false, String::new(), 0);
    }
    let zeros = mantissa.trailing_zeros();
    mantissa >>= zeros;
    exp2 += i64::from(zeros);

    let mut big = BigDecimal::from(mantissa);
    if exp2 >= 0 {
        big.mul_pow(2, 31, exp2.unsigned_abs());
        (negative, big.to_digits(), 0)
    } else {
        // m × 2^-k = m × 5^k / 10^k
        big.mul_pow(5, 13, exp2.unsigned_abs());
        (negative, big.to_digits(), exp2)
    }
}

/// An unsigned integer in little-endian base-10⁹ limbs.
struct BigDecimal(Vec<u64>);

impl BigDecimal {
    fn from(mut v: u64) -> BigDecimal {
        let mut limbs = Vec::new();
        while v > 0 {
            limbs.push(v % LIMB);
            v /= LIMB;
        }
        BigDecimal(limbs)
    }

    /// Multiplies by `factor` (< 2^32) in place.
    fn mul_small(&mut self, factor: u64) {
        let mut carry = 0u64;
        for limb in &mut self.0 {
            let product = *limb * factor + carry;
            *limb = product % LIMB;
            carry = product / LIMB;
        }
        while carry > 0 {
            self.0.push(carry % LIMB);
            carry /= LIMB;
        }
    }

    /// Multiplies by `base^power`, `chunk` powers at a time (`base^chunk` < 2^32).
    fn mul_pow(&mut self, base: u64, chunk: u32, mut power: u64) {
        let step = base.pow(chunk);
        while power >= u64::from(chunk) {
            self.mul_small(step);
            power -= u64::from(chunk);
        }
        // power < chunk ≤ 31 here
        self.mul_small(base.pow(power as u32));
    }

    fn to_digits(&self) -> String {
        let mut out = String::new();
        for (i, limb) in self.0.iter().rev().enumerate() {
            if i == 0 {
                out.push_str(&limb.to_string());
            } else {
                out.push_str(&format!("{limb:09}"));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(f: f64) -> String {
        let (neg, digits, exp) = exact_decimal(f);
        format!("{}{digits}e{exp}", if neg { "-" } else { "" })
    }

    #[test]
    fn expands_floats_exactly() {
        assert_eq!(text(1.5), "15e-1");
        assert_eq!(text(-8.0), "-8e0");
        assert_eq!(
            text(0.1),
            "1000000000000000055511151231257827021181583404541015625e-55"
        );
        assert_eq!(text(2f64.powi(70)), "1180591620717411303424e0");
        assert_eq!(text(0.0), "e0");
    }

    #[test]
    fn expansions_parse_back_to_the_same_float() {
        for f in [f64::MAX, f64::MIN_POSITIVE, 5e-324, 1e300, -123.456, 0.3] {
            assert_eq!(text(f).parse::<f64>().ok(), Some(f));
        }
    }
}
