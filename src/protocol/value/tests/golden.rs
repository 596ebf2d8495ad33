//! Byte-exact vectors observed from Terraform 1.11 (plugin protocol §4.2–4.3).

use std::collections::BTreeMap;

use crate::protocol::value::{decode_msgpack, encode_msgpack, Number, Refinements, Type, Value};

fn hex(s: &str) -> Vec<u8> {
    s.split_whitespace()
        .map(|b| u8::from_str_radix(b, 16).expect("test hex"))
        .collect()
}

fn num(s: &str) -> Value {
    Value::Number(s.parse().expect("test number"))
}

/// Decodes `bytes`, compares with `value`, and checks re-encoding gives `bytes` again.
fn golden(bytes: &[u8], ty: &Type, value: &Value) {
    assert_eq!(
        decode_msgpack(bytes, ty).as_ref(),
        Ok(value),
        "decode {bytes:02x?}"
    );
    assert_eq!(
        encode_msgpack(value, ty).as_deref(),
        Ok(bytes),
        "encode {value:?}"
    );
}

/// Decodes Terraform's `bytes` as `value`; our encoding (numbers as text) decodes back to it.
fn from_terraform(bytes: &[u8], ty: &Type, value: &Value) {
    assert_eq!(
        decode_msgpack(bytes, ty).as_ref(),
        Ok(value),
        "decode {bytes:02x?}"
    );
    let ours = encode_msgpack(value, ty).expect("encodable");
    assert_eq!(decode_msgpack(&ours, ty).as_ref(), Ok(value), "round trip");
}

#[test]
fn plain_unknown_is_fixext1_type_zero() {
    let unknown = Value::Unknown(Refinements::default());
    for ty in [
        Type::String,
        Type::Dynamic,
        Type::list(Type::Number),
        Type::object([("a", Type::Bool)]),
    ] {
        golden(&[0xd4, 0x00, 0x00], &ty, &unknown);
    }
}

#[test]
fn any_extension_decodes_as_unknown() {
    for bytes in [
        &[0xc7, 0x00, 0x00][..],
        &[0xd4, 0x05, 0x01],
        &[0xd5, 0x00, 1, 2],
        &[0xc7, 0x03, 0x7f, 1, 2, 3],
    ] {
        assert_eq!(
            decode_msgpack(bytes, &Type::Number),
            Ok(Value::Unknown(Refinements::default()))
        );
    }
}

#[test]
fn refined_unknown_string_with_prefix() {
    // `name = "b-${echo_thing.a.id}"`: ext8 len 7 type 12, {1: false, 2: "b-"}.
    let refined = Value::Unknown(Refinements {
        not_null: true,
        string_prefix: Some("b-".into()),
        ..Refinements::default()
    });
    golden(
        &hex("c7 07 0c 82 01 c2 02 a2 62 2d"),
        &Type::String,
        &refined,
    );
}

#[test]
fn refinement_key_one_true_means_maybe_null() {
    // {1: true}: "nullable", so nothing is refined.
    let bytes = hex("c7 03 0c 81 01 c3");
    assert_eq!(
        decode_msgpack(&bytes, &Type::String),
        Ok(Value::Unknown(Refinements::default()))
    );
}

#[test]
fn refined_unknown_with_every_key() {
    let refined = Value::Unknown(Refinements {
        not_null: true,
        string_prefix: None,
        number_lower: Some((Number::from(-1), true)),
        number_upper: Some((Number::from(1.5), false)),
        length_lower: Some(2),
        length_upper: Some(300),
    });
    let body = hex("85 01 c2 03 92 ff c3 04 92 cb 3f f8 00 00 00 00 00 00 c2 05 02 06 cd 01 2c");
    let mut bytes = vec![0xc7, body.len() as u8, 0x0c];
    bytes.extend_from_slice(&body);
    golden(&bytes, &Type::Number, &refined);
}

#[test]
fn refinements_ignore_unknown_keys() {
    // {7: [1, {"x": nil}], 1: false}
    let bytes = hex("c7 0a 0c 82 07 92 01 81 a1 78 c0 01 c2");
    let expected = Refinements {
        not_null: true,
        ..Refinements::default()
    };
    assert_eq!(
        decode_msgpack(&bytes, &Type::Bool),
        Ok(Value::Unknown(expected))
    );
}

#[test]
fn dynamic_object_from_terraform() {
    let type_json = br#"["object",{"a":"number","b":"string"}]"#;
    let mut bytes = vec![0x92, 0xc4, type_json.len() as u8];
    bytes.extend_from_slice(type_json);
    bytes.extend_from_slice(&hex("82 a1 61 01 a1 62 a3 74 77 6f"));
    assert_eq!(type_json.len(), 0x26);
    let ty = Type::object([("a", Type::Number), ("b", Type::String)]);
    let value = Value::Dynamic(
        ty,
        Box::new(Value::object([
            ("a", Value::from(1)),
            ("b", Value::from("two")),
        ])),
    );
    from_terraform(&bytes, &Type::Dynamic, &value);

    // The type JSON may also come as str.
    bytes[1] = 0xd9;
    assert_eq!(decode_msgpack(&bytes, &Type::Dynamic), Ok(value));
}

#[test]
fn dynamic_null_and_unknown_are_bare() {
    golden(&[0xc0], &Type::Dynamic, &Value::Null);
    golden(
        &[0xd4, 0, 0],
        &Type::Dynamic,
        &Value::Unknown(Refinements::default()),
    );
    // A null of known type is wrapped.
    let typed_null = Value::Dynamic(Type::String, Box::new(Value::Null));
    golden(
        &hex("92 c4 08 22 73 74 72 69 6e 67 22 c0"),
        &Type::Dynamic,
        &typed_null,
    );
}

#[test]
fn plain_values_at_dynamic_positions_are_wrapped_with_their_inferred_type() {
    let bytes = encode_msgpack(&Value::from("hi"), &Type::Dynamic).expect("encodable");
    assert_eq!(bytes, hex("92 c4 08 22 73 74 72 69 6e 67 22 a2 68 69"));
}

#[test]
fn numbers_go_as_decimal_text() {
    // Terraform's own forms (smallest int, float64, text) decode; we always write text.
    let cases: [(&str, &str, &str); 12] = [
        ("1.5", "cb 3f f8 00 00 00 00 00 00", "a3 31 2e 35"),
        ("0", "00", "a1 30"),
        ("127", "7f", "a3 31 32 37"),
        ("-32", "e0", "a3 2d 33 32"),
        ("-33", "d0 df", "a3 2d 33 33"),
        ("200", "cc c8", "a3 32 30 30"),
        ("70000", "ce 00 01 11 70", "a5 37 30 30 30 30"),
        ("-70000", "d2 ff fe ee 90", "a6 2d 37 30 30 30 30"),
        (
            "9223372036854775807",
            "cf 7f ff ff ff ff ff ff ff",
            "b3 39 32 32 33 33 37 32 30 33 36 38 35 34 37 37 35 38 30 37",
        ),
        (
            "-9223372036854775808",
            "d3 80 00 00 00 00 00 00 00",
            "b4 2d 39 32 32 33 33 37 32 30 33 36 38 35 34 37 37 35 38 30 38",
        ),
        (
            "9223372036854775808",
            "b3 39 32 32 33 33 37 32 30 33 36 38 35 34 37 37 35 38 30 38",
            "b3 39 32 32 33 33 37 32 30 33 36 38 35 34 37 37 35 38 30 38",
        ),
        ("0.1", "a3 30 2e 31", "a3 30 2e 31"),
    ];
    for (text, terraform, ours) in cases {
        assert_eq!(
            decode_msgpack(&hex(terraform), &Type::Number),
            Ok(num(text)),
            "{text}"
        );
        assert_eq!(
            encode_msgpack(&num(text), &Type::Number),
            Ok(hex(ours)),
            "{text}"
        );
    }
    let inf = Value::Number(Number::POSITIVE_INFINITY);
    golden(&hex("cb 7f f0 00 00 00 00 00 00"), &Type::Number, &inf);
}

#[test]
fn big_and_long_numbers_round_trip_exactly() {
    for text in [
        "12345678901234567890123",
        "0.1000000000000000000001",
        "-1e-300",
    ] {
        let v = num(text);
        let bytes = encode_msgpack(&v, &Type::Number).expect("encodable");
        assert_eq!(decode_msgpack(&bytes, &Type::Number), Ok(v));
    }
}

#[test]
fn every_number_encoding_is_accepted() {
    let cases: [(&str, &str); 7] = [
        ("ca 3f c0 00 00", "1.5"),
        (
            "cb 3f b9 99 99 99 99 99 9a",
            "0.1000000000000000055511151231257827021181583404541015625",
        ),
        ("cf ff ff ff ff ff ff ff ff", "18446744073709551615"),
        ("cd 01 00", "256"),
        ("d1 ff 00", "-256"),
        ("a4 31 65 2b 32", "100"),
        ("a3 2d 2e 35", "-0.5"),
    ];
    for (bytes, text) in cases {
        assert_eq!(
            decode_msgpack(&hex(bytes), &Type::Number),
            Ok(num(text)),
            "{bytes}"
        );
    }
    // A float Terraform sent re-encodes as the same number (its exact decimal text).
    let f = hex("cb 3f b9 99 99 99 99 99 9a");
    let v = decode_msgpack(&f, &Type::Number).expect("valid");
    let again = encode_msgpack(&v, &Type::Number).expect("encodable");
    assert_eq!(decode_msgpack(&again, &Type::Number), Ok(v));
}

#[test]
fn objects_carry_every_attribute_sorted() {
    let ty = Type::object([
        ("name", Type::String),
        ("id", Type::String),
        ("tags", Type::map(Type::String)),
    ]);
    let value = Value::object([("name", Value::from("x"))]);
    let bytes = encode_msgpack(&value, &ty).expect("encodable");
    assert_eq!(
        bytes,
        hex("83 a2 69 64 c0 a4 6e 61 6d 65 a1 78 a4 74 61 67 73 c0")
    );
    // Any order is accepted on input.
    let reordered = hex("83 a4 74 61 67 73 80 a2 69 64 c0 a4 6e 61 6d 65 a1 78");
    let decoded = decode_msgpack(&reordered, &ty).expect("valid");
    assert_eq!(decoded.get("tags"), Some(&Value::Map(BTreeMap::new())));
}

#[test]
fn collections_and_tuples() {
    let ty = Type::Tuple(vec![
        Type::list(Type::Bool),
        Type::set(Type::String),
        Type::map(Type::Number),
    ]);
    let value = Value::Tuple(vec![
        Value::List(vec![Value::from(true), Value::Null]),
        Value::Set(vec![]),
        Value::Map(BTreeMap::from([("k".to_owned(), Value::from(2))])),
    ]);
    from_terraform(&hex("93 92 c3 c0 90 81 a1 6b 02"), &ty, &value);
    assert_eq!(
        encode_msgpack(&value, &ty),
        Ok(hex("93 92 c3 c0 90 81 a1 6b a1 32"))
    );
}
