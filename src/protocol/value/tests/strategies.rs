//! proptest generators for types and values that conform to them.

use proptest::prelude::*;

use crate::protocol::value::{Number, Refinements, Type, Value};

pub(super) fn arb_type() -> impl Strategy<Value = Type> {
    let leaf = prop_oneof![
        Just(Type::String),
        Just(Type::Number),
        Just(Type::Bool),
        Just(Type::Dynamic),
    ];
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            inner.clone().prop_map(Type::list),
            inner.clone().prop_map(Type::set),
            inner.clone().prop_map(Type::map),
            prop::collection::btree_map("[a-z_]{1,6}", inner.clone(), 0..4).prop_map(Type::Object),
            prop::collection::vec(inner, 0..4).prop_map(Type::Tuple),
        ]
    })
}

pub(super) fn arb_number() -> impl Strategy<Value = Number> {
    let parsed = |re: &'static str| re.prop_map(|s| s.parse::<Number>().expect("generated number"));
    prop_oneof![
        any::<i64>().prop_map(Number::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Number::from),
        (-1000.0..1000.0f64).prop_map(Number::from),
        parsed("-?[1-9][0-9]{19,40}"),
        parsed("-?[0-9]{1,5}\\.[0-9]{1,30}"),
        parsed("-?[1-9][0-9]{0,5}e-?[0-9]{1,2}"),
    ]
}

fn arb_string() -> impl Strategy<Value = String> {
    prop::collection::vec(any::<char>(), 0..12).prop_map(String::from_iter)
}

pub(super) fn arb_refinements() -> impl Strategy<Value = Refinements> {
    let bound = || {
        prop::option::of((
            prop_oneof![
                4 => arb_number(),
                1 => Just(Number::POSITIVE_INFINITY),
                1 => Just(Number::NEGATIVE_INFINITY),
            ],
            any::<bool>(),
        ))
    };
    (
        any::<bool>(),
        prop::option::of(arb_string()),
        bound(),
        bound(),
        prop::option::of(any::<u64>()),
        prop::option::of(0..10u64),
    )
        .prop_map(
            |(not_null, string_prefix, number_lower, number_upper, length_lower, length_upper)| {
                Refinements {
                    not_null,
                    string_prefix,
                    number_lower,
                    number_upper,
                    length_lower,
                    length_upper,
                }
            },
        )
}

/// A value of type `ty`: null or unknown at any depth, known otherwise. `dyn_budget`
/// bounds how many nested dynamic values may invent a type of their own.
pub(super) fn arb_value(ty: &Type, dyn_budget: u32) -> BoxedStrategy<Value> {
    let known = arb_known(ty, dyn_budget);
    prop_oneof![
        1 => Just(Value::Null),
        1 => arb_refinements().prop_map(Value::Unknown),
        6 => known,
    ]
    .boxed()
}

fn arb_known(ty: &Type, dyn_budget: u32) -> BoxedStrategy<Value> {
    match ty {
        Type::String => arb_string().prop_map(Value::String).boxed(),
        Type::Number => arb_number().prop_map(Value::Number).boxed(),
        Type::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
        Type::List(e) => prop::collection::vec(arb_value(e, dyn_budget), 0..4)
            .prop_map(Value::List)
            .boxed(),
        Type::Set(e) => prop::collection::vec(arb_value(e, dyn_budget), 0..4)
            .prop_map(Value::Set)
            .boxed(),
        Type::Map(e) => prop::collection::btree_map(arb_string(), arb_value(e, dyn_budget), 0..4)
            .prop_map(Value::Map)
            .boxed(),
        Type::Tuple(types) => types
            .iter()
            .map(|t| arb_value(t, dyn_budget))
            .collect::<Vec<_>>()
            .prop_map(Value::Tuple)
            .boxed(),
        Type::Object(attrs) => {
            let names: Vec<String> = attrs.keys().cloned().collect();
            attrs
                .values()
                .map(|t| arb_value(t, dyn_budget))
                .collect::<Vec<_>>()
                .prop_map(move |values| Value::Object(names.iter().cloned().zip(values).collect()))
                .boxed()
        }
        Type::Dynamic if dyn_budget == 0 => prop_oneof![
            arb_number().prop_map(|n| Value::Dynamic(Type::Number, Box::new(Value::Number(n)))),
            arb_string().prop_map(|s| Value::Dynamic(Type::String, Box::new(Value::String(s)))),
        ]
        .boxed(),
        Type::Dynamic => arb_type()
            .prop_flat_map(move |t| {
                arb_value(&t, dyn_budget - 1)
                    .prop_map(move |v| Value::Dynamic(t.clone(), Box::new(v)))
            })
            .boxed(),
    }
}

/// A type together with a value of that type.
pub(super) fn arb_typed_value() -> impl Strategy<Value = (Type, Value)> {
    arb_type().prop_flat_map(|t| {
        let values = arb_value(&t, 2);
        (Just(t), values)
    })
}

/// Runs a property over [`arb_typed_value`] on a thread with room for the generator.
/// Generating a nested typed value recurses through proptest's strategy trees, whose frames
/// are large in a debug build: about one seed in ten overflowed the test thread's 2 MiB stack
/// (e.g. `PROPTEST_RNG_SEED=7` for `mutated_encodings_never_panic`, 5 for
/// `msgpack_round_trips`), inside proptest's `new_tree`, not in a codec, whose depth the input
/// bounds. A failure of the property fails the calling test with its own message.
pub(super) fn with_room_to_generate(name: &str, property: impl FnOnce() + Send + 'static) {
    let run = std::thread::Builder::new()
        .name(name.to_string())
        .stack_size(64 << 20)
        .spawn(property)
        .expect("the property's thread starts");
    if let Err(failure) = run.join() {
        std::panic::resume_unwind(failure);
    }
}
