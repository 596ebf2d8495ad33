//! Arbitrary and mutated input never panics the decoders.

use proptest::prelude::*;

use super::strategies::{arb_type, arb_typed_value, with_room_to_generate};
use crate::protocol::value::{decode_json, decode_msgpack, encode_json, encode_msgpack, Type};

fn json_like() -> impl Strategy<Value = Vec<u8>> {
    "[\\[\\]{}\",:0-9a-z\\\\ .eE+-]{0,48}".prop_map(String::into_bytes)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..64), ty in arb_type()) {
        let _ = decode_msgpack(&bytes, &ty);
        let _ = decode_msgpack(&bytes, &Type::Dynamic);
        let _ = decode_json(&bytes, &ty);
        let _ = Type::from_json(&bytes);
    }

    #[test]
    fn json_like_text_never_panics(bytes in json_like(), ty in arb_type()) {
        let _ = decode_json(&bytes, &ty);
        let _ = decode_json(&bytes, &Type::Dynamic);
        let _ = Type::from_json(&bytes);
    }
}

#[test]
fn mutated_encodings_never_panic() {
    with_room_to_generate("mutated_encodings_never_panic", || {
        proptest!(ProptestConfig::with_cases(1000), |(
            (ty, value) in arb_typed_value(),
            edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
            cut in any::<prop::sample::Index>(),
        )| {
            let mut bytes = encode_msgpack(&value, &ty).expect("encodes");
            for (at, byte) in &edits {
                let i = at.index(bytes.len());
                bytes[i] = *byte;
            }
            let _ = decode_msgpack(&bytes, &ty);
            let _ = decode_msgpack(&bytes[..cut.index(bytes.len() + 1)], &ty);
            if let Ok(mut json) = encode_json(&value, &ty) {
                for (at, byte) in &edits {
                    let i = at.index(json.len());
                    json[i] = *byte;
                }
                let _ = decode_json(&json, &ty);
            }
        });
    });
}
