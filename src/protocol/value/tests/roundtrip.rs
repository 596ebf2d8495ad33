//! decode(encode(v)) == v for msgpack, and for JSON when the value is wholly known.

use proptest::prelude::*;

use super::strategies::{arb_number, arb_type, arb_typed_value, with_room_to_generate};
use crate::protocol::value::{
    decode_json, decode_msgpack, encode_json, encode_msgpack, Number, Type, Value,
};

/// True if an infinite number appears anywhere (JSON cannot carry those).
fn has_infinity(v: &Value) -> bool {
    match v {
        Value::Number(n) => n.is_infinite(),
        Value::List(items) | Value::Set(items) | Value::Tuple(items) => {
            items.iter().any(has_infinity)
        }
        Value::Map(entries) | Value::Object(entries) => entries.values().any(has_infinity),
        Value::Dynamic(_, inner) => has_infinity(inner),
        _ => false,
    }
}

#[test]
fn msgpack_round_trips() {
    with_room_to_generate("msgpack_round_trips", || {
        proptest!(ProptestConfig::with_cases(600), |((ty, value) in arb_typed_value())| {
            let bytes = encode_msgpack(&value, &ty).expect("conforming value encodes");
            let decoded = decode_msgpack(&bytes, &ty).expect("own encoding decodes");
            prop_assert_eq!(&decoded, &value);
            // Encoding is canonical: the same value gives the same bytes.
            prop_assert_eq!(encode_msgpack(&decoded, &ty).expect("encodes again"), bytes);
        });
    });
}

#[test]
fn json_round_trips_when_wholly_known() {
    with_room_to_generate("json_round_trips_when_wholly_known", || {
        proptest!(ProptestConfig::with_cases(600), |((ty, value) in arb_typed_value())| {
            let encoded = encode_json(&value, &ty);
            if !value.is_wholly_known() || has_infinity(&value) {
                prop_assert!(encoded.is_err());
            } else {
                let bytes = encoded.expect("known value encodes");
                let decoded = decode_json(&bytes, &ty).expect("own encoding decodes");
                prop_assert_eq!(decoded, value);
            }
        });
    });
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn type_json_round_trips(ty in arb_type()) {
        prop_assert_eq!(Type::from_json(&ty.to_json()), Ok(ty));
    }

    #[test]
    fn number_text_round_trips_and_orders_like_floats(a in arb_number(), b in arb_number()) {
        prop_assert_eq!(a.to_string().parse::<Number>(), Ok(a.clone()));
        if a.as_f64() < b.as_f64() {
            prop_assert!(a < b);
        }
        prop_assert_eq!(a == b, a.cmp(&b) == std::cmp::Ordering::Equal);
    }

    #[test]
    fn small_integers_and_floats_agree(i in -1_000_000i64..1_000_000) {
        prop_assert_eq!(Number::from(i), Number::from(i as f64));
        prop_assert_eq!(Number::from(i).as_i64(), Some(i));
    }
}
