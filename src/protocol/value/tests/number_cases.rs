//! Number parsing, printing, ordering and conversions.

use crate::protocol::value::Number;

fn n(s: &str) -> Number {
    s.parse().expect("test number")
}

#[test]
fn equality_is_numeric() {
    assert_eq!(n("1"), n("1.0"));
    assert_eq!(n("1"), Number::from(1.0));
    assert_eq!(n("-0"), Number::zero());
    assert_eq!(n("0e999999"), Number::zero());
    assert_eq!(n("12.5e1"), n("125"));
    assert_eq!(n(".5"), n("0.5"));
    assert_eq!(n("1E+2"), Number::from(100i64));
}

#[test]
fn display_is_canonical_decimal() {
    for (input, shown) in [
        ("007.500", "7.5"),
        ("-1e3", "-1000"),
        ("1.23e-4", "0.000123"),
        ("12345678901234567890123", "12345678901234567890123"),
        ("0.1000000000000000000001", "0.1000000000000000000001"),
        ("-inf", "-Inf"),
        ("+Infinity", "+Inf"),
    ] {
        assert_eq!(n(input).to_string(), shown);
    }
    assert_eq!(Number::from(1.5).to_string(), "1.5");
    assert_eq!(Number::from(i64::MIN).to_string(), "-9223372036854775808");
}

#[test]
fn ordering_is_numeric() {
    let mut v = [
        n("10"),
        n("-2.5"),
        n("+inf"),
        n("0"),
        n("9.99"),
        n("-inf"),
        n("-10"),
    ];
    v.sort();
    let shown: Vec<String> = v.iter().map(ToString::to_string).collect();
    assert_eq!(shown, ["-Inf", "-10", "-2.5", "0", "9.99", "10", "+Inf"]);
    assert!(n("0.001") < n("0.01"));
    assert!(n("-0.001") > n("-0.01"));
}

#[test]
fn integer_and_float_views() {
    assert_eq!(n("9223372036854775807").as_i64(), Some(i64::MAX));
    assert_eq!(n("9223372036854775808").as_i64(), None);
    assert_eq!(n("-9223372036854775808").as_i64(), Some(i64::MIN));
    assert_eq!(n("1.5").as_i64(), None);
    assert_eq!(n("1e3").as_i64(), Some(1000));
    assert_eq!(n("0.1").as_f64(), 0.1);
    assert_eq!(n("0.1").to_exact_f64(), None);
    assert_eq!(n("1.5").to_exact_f64(), Some(1.5));
    assert_eq!(Number::from(0.1).to_exact_f64(), Some(0.1));
    assert_eq!(n("1e400").as_f64(), f64::INFINITY);
    assert_eq!(Number::from_f64(f64::NAN), None);
    assert_eq!(Number::from(f64::NEG_INFINITY), Number::NEGATIVE_INFINITY);
}

#[test]
fn invalid_or_huge_text_is_rejected() {
    for bad in [
        "", "-", "1..2", "1e", "e5", "0x10", "1_000", "1e99999", "nan", " 1",
    ] {
        assert!(bad.parse::<Number>().is_err(), "{bad:?}");
    }
    assert_eq!(n("1e9999").to_string().len(), 10_000);
    assert!("1e10000".parse::<Number>().is_err());
}
