//! State JSON examples (plugin protocol §4.4, §4.7).

use crate::protocol::value::{
    decode_json, encode_json, DecodeError, EncodeError, Number, Refinements, Type, Value,
};

fn ty() -> Type {
    Type::object([
        ("id", Type::String),
        ("count", Type::Number),
        ("enabled", Type::Bool),
        ("tags", Type::map(Type::String)),
        ("extra", Type::Dynamic),
    ])
}

#[test]
fn pretty_printed_state_with_missing_attributes_decodes() {
    let raw = br#"{
      "id": "pl_1",
      "count": 12345678901234567890123,
      "tags": {"b": "2", "a": "1"},
      "extra": {"value": [1, "x"], "type": ["tuple", ["number", "string"]]}
    }"#;
    let v = decode_json(raw, &ty()).expect("valid state");
    assert_eq!(v.get("enabled"), Some(&Value::Null));
    assert_eq!(
        v.get("count")
            .and_then(Value::as_number)
            .map(ToString::to_string)
            .as_deref(),
        Some("12345678901234567890123")
    );
    let extra = v.get("extra").expect("present");
    assert_eq!(extra.as_elements().map(<[Value]>::len), Some(2));
    let encoded = encode_json(&v, &ty()).expect("encodable");
    assert_eq!(
        String::from_utf8(encoded).expect("utf8"),
        r#"{"count":12345678901234567890123,"enabled":null,"extra":{"value":[1,"x"],"type":["tuple",["number","string"]]},"id":"pl_1","tags":{"a":"1","b":"2"}}"#
    );
}

#[test]
fn long_decimals_keep_every_digit() {
    let v = decode_json(b"0.1000000000000000000001", &Type::Number).expect("valid");
    assert_eq!(
        encode_json(&v, &Type::Number).as_deref(),
        Ok(&b"0.1000000000000000000001"[..])
    );
    let v = decode_json(b"1.50e2", &Type::Number).expect("valid");
    assert_eq!(encode_json(&v, &Type::Number).as_deref(), Ok(&b"150"[..]));
}

#[test]
fn primitive_spellings_cty_accepts() {
    assert_eq!(
        decode_json(br#""42.5""#, &Type::Number),
        Ok(Value::Number("42.5".parse().expect("number")))
    );
    assert_eq!(
        decode_json(br#""true""#, &Type::Bool),
        Ok(Value::Bool(true))
    );
    assert_eq!(decode_json(b"1.0", &Type::String), Ok(Value::from("1.0")));
    assert_eq!(
        decode_json(b"false", &Type::String),
        Ok(Value::from("false"))
    );
    assert!(matches!(
        decode_json(br#""abc""#, &Type::Number),
        Err(DecodeError::InvalidNumber { .. })
    ));
    assert!(matches!(
        decode_json(br#""yes""#, &Type::Bool),
        Err(DecodeError::TypeMismatch { .. })
    ));
}

#[test]
fn unexpected_attributes_and_bad_dynamic_wrappers_are_rejected() {
    let err = decode_json(br#"{"id":"a","bogus":1}"#, &ty());
    assert_eq!(
        err,
        Err(DecodeError::UnexpectedAttribute {
            path: String::new(),
            name: "bogus".into()
        })
    );
    for bad in [
        &br#"{"extra": {"value": 1}}"#[..],
        br#"{"extra": {"type": "number"}}"#,
        br#"{"extra": 1}"#,
        br#"{"extra": {"value": 1, "type": "num"}}"#,
        br#"{"extra": {"value": 1, "type": "number", "x": 1}}"#,
    ] {
        let err = decode_json(bad, &ty()).expect_err("invalid dynamic");
        assert!(err.to_string().starts_with("at .extra: "), "{err}");
    }
}

#[test]
fn null_dynamic_is_plain_null() {
    assert_eq!(decode_json(b"null", &Type::Dynamic), Ok(Value::Null));
    assert_eq!(
        encode_json(&Value::Null, &Type::Dynamic).as_deref(),
        Ok(&b"null"[..])
    );
}

#[test]
fn json_cannot_carry_unknowns_or_infinities() {
    let ty = Type::list(Type::Number);
    let unknown = Value::List(vec![Value::from(1), Value::Unknown(Refinements::default())]);
    assert_eq!(
        encode_json(&unknown, &ty),
        Err(EncodeError::UnknownInJson { path: "[1]".into() })
    );
    let inf = Value::List(vec![Value::Number(Number::NEGATIVE_INFINITY)]);
    assert_eq!(
        encode_json(&inf, &ty),
        Err(EncodeError::InfinityInJson { path: "[0]".into() })
    );
}

#[test]
fn json_errors_name_the_path() {
    let ty = Type::object([("config", Type::map(Type::list(Type::Number)))]);
    let err = decode_json(br#"{"config":{"key":[1,2,"x"]}}"#, &ty).expect_err("not a number");
    assert_eq!(
        err.to_string(),
        r#"at .config["key"][2]: invalid number "x""#
    );
}
