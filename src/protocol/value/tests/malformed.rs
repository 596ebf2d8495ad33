//! Malformed and hostile input: every case must fail with a typed error, fast.

use crate::protocol::value::{
    decode_json, decode_msgpack, encode_msgpack, DecodeError, EncodeError, Refinements, Type,
    Value, MAX_DEPTH,
};

fn obj_ty() -> Type {
    Type::object([("a", Type::String), ("b", Type::Number)])
}

#[test]
fn huge_length_headers_fail_fast() {
    let ty = Type::list(Type::String);
    for bytes in [
        &[0xdd, 0xff, 0xff, 0xff, 0xff, 0xc0, 0xc0, 0xc0, 0xc0, 0xc0][..],
        &[0xdc, 0xff, 0xff, 0xc0],
        &[0x9f, 0xc0],
    ] {
        assert!(
            matches!(
                decode_msgpack(bytes, &ty),
                Err(DecodeError::LengthExceedsInput { .. })
            ),
            "{bytes:02x?}"
        );
    }
    let map_ty = Type::map(Type::String);
    let bytes = [0xdf, 0xff, 0xff, 0xff, 0xff, 0xa0, 0xc0, 0xa0, 0xc0, 0xa0];
    assert!(matches!(
        decode_msgpack(&bytes, &map_ty),
        Err(DecodeError::LengthExceedsInput { .. })
    ));
    let bytes = [0xdb, 0xff, 0xff, 0xff, 0xff, 0x61];
    assert!(matches!(
        decode_msgpack(&bytes, &Type::String),
        Err(DecodeError::LengthExceedsInput { .. })
    ));
}

#[test]
fn truncated_input_fails() {
    let full = encode_msgpack(
        &Value::object([("a", Value::from("hello")), ("b", Value::from(70000))]),
        &obj_ty(),
    )
    .expect("encodable");
    for len in 0..full.len() {
        assert!(
            decode_msgpack(&full[..len], &obj_ty()).is_err(),
            "prefix of {len} bytes"
        );
    }
    assert!(decode_msgpack(&full, &obj_ty()).is_ok());
}

#[test]
fn trailing_bytes_are_rejected() {
    assert_eq!(
        decode_msgpack(&[0xc3, 0x00], &Type::Bool),
        Err(DecodeError::TrailingBytes { offset: 1 })
    );
    assert!(matches!(
        decode_json(b"true x", &Type::Bool),
        Err(DecodeError::Syntax { .. })
    ));
}

#[test]
fn deep_nesting_is_bounded() {
    let mut ty = Type::String;
    let mut bytes = vec![0xc0];
    for _ in 0..200 {
        ty = Type::list(ty);
        bytes.insert(0, 0x91);
    }
    assert!(matches!(
        decode_msgpack(&bytes, &ty),
        Err(DecodeError::TooDeep {
            limit: MAX_DEPTH,
            ..
        })
    ));
    // Nested dynamic wrappers count too.
    let mut bytes = vec![0xc0];
    for _ in 0..200 {
        let mut outer = vec![0x92, 0xa9];
        outer.extend_from_slice(b"\"dynamic\"");
        outer.extend_from_slice(&bytes);
        bytes = outer;
    }
    assert!(matches!(
        decode_msgpack(&bytes, &Type::Dynamic),
        Err(DecodeError::TooDeep { .. })
    ));
    let deep_json = format!("{}null{}", "[".repeat(200), "]".repeat(200));
    assert!(matches!(
        decode_json(deep_json.as_bytes(), &ty),
        Err(DecodeError::TooDeep { .. })
    ));
    // Just under the limit works.
    let mut ty = Type::Bool;
    let mut bytes = vec![0xc3];
    for _ in 0..100 {
        ty = Type::list(ty);
        bytes.insert(0, 0x91);
    }
    assert!(decode_msgpack(&bytes, &ty).is_ok());
}

#[test]
fn wrong_kinds_are_type_mismatches() {
    let cases: [(&[u8], Type); 7] = [
        (&[0xc3], Type::Number),
        (&[0x01], Type::String),
        (&[0x90], Type::map(Type::String)),
        (&[0x80], Type::list(Type::String)),
        (&[0xc3], obj_ty()),
        (&[0xc4, 0x00], Type::String),
        (&[0x81, 0x01, 0xc0], Type::map(Type::String)),
    ];
    for (bytes, ty) in cases {
        assert!(
            matches!(
                decode_msgpack(bytes, &ty),
                Err(DecodeError::TypeMismatch { .. })
            ),
            "{bytes:02x?} as {ty}"
        );
    }
    // A dynamic value must be [type, value].
    assert!(matches!(
        decode_msgpack(&[0xa1, 0x61], &Type::Dynamic),
        Err(DecodeError::TypeMismatch { .. })
    ));
    assert!(matches!(
        decode_msgpack(&[0x92, 0x01, 0x01], &Type::Dynamic),
        Err(DecodeError::TypeMismatch { .. })
    ));
}

#[test]
fn bad_numbers_are_rejected() {
    assert!(matches!(
        decode_msgpack(&[0xa3, b'a', b'b', b'c'], &Type::Number),
        Err(DecodeError::InvalidNumber { .. })
    ));
    let nan = [0xcb, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0];
    assert!(matches!(
        decode_msgpack(&nan, &Type::Number),
        Err(DecodeError::InvalidNumber { .. })
    ));
    let huge = b"\xa61e9999";
    assert!(decode_msgpack(huge, &Type::Number).is_ok());
    let too_huge = b"\xa71e99999";
    assert!(matches!(
        decode_msgpack(too_huge, &Type::Number),
        Err(DecodeError::InvalidNumber { .. })
    ));
}

#[test]
fn invalid_utf8_is_rejected() {
    assert!(matches!(
        decode_msgpack(&[0xa2, 0xc3, 0x28], &Type::String),
        Err(DecodeError::InvalidUtf8 { .. })
    ));
    let key = [0x81, 0xa1, 0xff, 0xc0];
    assert!(matches!(
        decode_msgpack(&key, &Type::map(Type::String)),
        Err(DecodeError::InvalidUtf8 { .. })
    ));
    assert!(matches!(
        decode_json(b"\"\xff\"", &Type::String),
        Err(DecodeError::Syntax { .. })
    ));
}

#[test]
fn invalid_type_json_in_dynamic_values() {
    for json in [&b"\"str\""[..], b"[\"list\"]", b"[\"object\",3]", b"{"] {
        let mut bytes = vec![0x92, 0xc4, json.len() as u8];
        bytes.extend_from_slice(json);
        bytes.push(0xc0);
        let err = decode_msgpack(&bytes, &Type::Dynamic);
        assert!(
            matches!(err, Err(DecodeError::InvalidType { .. })),
            "{err:?}"
        );
    }
}

#[test]
fn objects_need_exactly_their_attributes() {
    // {"a": "x"}: b missing.
    let missing = [0x81, 0xa1, 0x61, 0xa1, 0x78];
    assert_eq!(
        decode_msgpack(&missing, &obj_ty()),
        Err(DecodeError::MissingAttribute {
            path: String::new(),
            name: "b".into()
        })
    );
    // {"a": nil, "b": nil, "c": nil}
    let extra = [0x83, 0xa1, 0x61, 0xc0, 0xa1, 0x62, 0xc0, 0xa1, 0x63, 0xc0];
    assert_eq!(
        decode_msgpack(&extra, &obj_ty()),
        Err(DecodeError::UnexpectedAttribute {
            path: String::new(),
            name: "c".into()
        })
    );
    let dup = [0x83, 0xa1, 0x61, 0xc0, 0xa1, 0x62, 0xc0, 0xa1, 0x61, 0xc0];
    assert!(matches!(
        decode_msgpack(&dup, &obj_ty()),
        Err(DecodeError::DuplicateKey { .. })
    ));
    let nested = Type::object([("config", Type::map(obj_ty()))]);
    let bytes = [
        0x81, 0xa6, b'c', b'o', b'n', b'f', b'i', b'g', 0x81, 0xa3, b'k', b'e', b'y', 0x81, 0xa1,
        0x61, 0xc0,
    ];
    let err = decode_msgpack(&bytes, &nested).expect_err("b missing");
    assert_eq!(
        err.to_string(),
        r#"at .config["key"]: missing attribute "b""#
    );
}

#[test]
fn tuple_length_must_match() {
    let ty = Type::Tuple(vec![Type::Bool, Type::Bool]);
    assert_eq!(
        decode_msgpack(&[0x91, 0xc3], &ty),
        Err(DecodeError::TupleLength {
            path: String::new(),
            expected: 2,
            found: 1
        })
    );
    let err = encode_msgpack(&Value::Tuple(vec![Value::Null]), &ty);
    assert!(matches!(err, Err(EncodeError::TupleLength { .. })));
}

#[test]
fn malformed_refinements() {
    // Body is not a map.
    assert!(matches!(
        decode_msgpack(&[0xd4, 0x0c, 0x01], &Type::String),
        Err(DecodeError::InvalidRefinement { .. })
    ));
    // Key 2 (string prefix) holding an integer.
    assert!(matches!(
        decode_msgpack(&[0xd6, 0x0c, 0x81, 0x02, 0x05, 0xc0], &Type::String),
        Err(DecodeError::TrailingBytes { .. }) | Err(DecodeError::InvalidRefinement { .. })
    ));
    assert!(matches!(
        decode_msgpack(&[0xc7, 0x03, 0x0c, 0x81, 0x02, 0x05], &Type::String),
        Err(DecodeError::InvalidRefinement { .. })
    ));
    // Negative length bound.
    assert!(matches!(
        decode_msgpack(&[0xc7, 0x03, 0x0c, 0x81, 0x05, 0xff], &Type::String),
        Err(DecodeError::InvalidRefinement { .. })
    ));
    // Oversized bodies (> 1 KiB) are ignored: a plain unknown.
    let mut big = vec![0xc8, 0x04, 0x01, 0x0c, 0x81, 0x02, 0xda, 0x03, 0xfc];
    big.extend(std::iter::repeat_n(b'x', 0x3fc));
    assert_eq!(
        decode_msgpack(&big, &Type::String),
        Ok(Value::Unknown(Refinements::default()))
    );
}

#[test]
fn encode_errors_name_the_attribute() {
    let value = Value::object([("a", Value::from("x")), ("zzz", Value::Null)]);
    assert_eq!(
        encode_msgpack(&value, &obj_ty()),
        Err(EncodeError::UnexpectedAttribute {
            path: String::new(),
            name: "zzz".into()
        })
    );
    let value = Value::object([("b", Value::from("not a number"))]);
    let err = encode_msgpack(&value, &obj_ty()).expect_err("mismatch");
    assert_eq!(err.to_string(), "at .b: expected number, found string");
}
