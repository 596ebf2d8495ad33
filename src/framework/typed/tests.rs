//! Round trips of typed models through Terraform values: the three states of an attribute,
//! raw values kept exactly, shapes fitted to the schema, errors with their attribute path,
//! and the start-up field check.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::*;
use crate::protocol::value::Refinements;
use crate::protocol::{
    Attribute, AttributePath, Block, NestedBlock, Nesting, PathStep, Type, Value,
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Inner {
    title: Attr<String>,
    passed: Attr<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Model {
    id: Attr<String>,
    count: Attr<i64>,
    tags: Attr<BTreeMap<String, String>>,
    results: Attr<Vec<Inner>>,
    config: Raw,
    names: Attr<Vec<String>>,
    timeouts: Raw,
}

fn block() -> Block {
    Block {
        attributes: vec![
            Attribute::computed("id", Type::String),
            Attribute::optional("count", Type::Number),
            Attribute::optional("tags", Type::map(Type::String)),
            Attribute::computed(
                "results",
                Type::list(Type::object([
                    ("title", Type::String),
                    ("passed", Type::Bool),
                ])),
            ),
            Attribute::optional("config", Type::Dynamic),
            Attribute::optional("names", Type::Set(Box::new(Type::String))),
        ],
        blocks: vec![NestedBlock {
            type_name: "timeouts".into(),
            block: Block {
                attributes: vec![Attribute::optional("create", Type::String)],
                ..Block::default()
            },
            nesting: Nesting::Single,
            min_items: 0,
            max_items: 0,
        }],
        ..Block::default()
    }
}

fn sample() -> Value {
    let config = Value::object([("port", Value::from(5432))]);
    Value::object([
        (
            "id",
            Value::Unknown(Refinements {
                not_null: true,
                ..Refinements::default()
            }),
        ),
        ("count", Value::from(3)),
        (
            "tags",
            Value::Map([("a".to_string(), Value::from("b"))].into()),
        ),
        (
            "results",
            Value::List(vec![Value::object([
                ("title", Value::from("t")),
                ("passed", Value::Null),
            ])]),
        ),
        (
            "config",
            Value::Dynamic(config.infer_type().expect("known"), Box::new(config)),
        ),
        ("names", Value::Set(vec![Value::from("x")])),
        ("timeouts", Value::Null),
    ])
}

#[test]
fn a_value_reads_into_the_model_and_writes_back_the_same() {
    let model: Model = from_value(&sample()).expect("fits");
    assert_eq!(model.id, Attr::Unknown);
    assert_eq!(model.count, Attr::Known(3));
    assert_eq!(
        model.results.get().map(|r| r[0].passed.clone()),
        Some(Attr::Null)
    );
    assert!(
        matches!(model.config.value(), Value::Dynamic(..)),
        "raw kept as sent"
    );
    let back = to_value(&model, &block().implied_type()).expect("fits the schema");
    // The only difference: an unknown written by a model has no refinements.
    let mut expected = sample();
    if let Value::Object(o) = &mut expected {
        o.insert("id".into(), Value::Unknown(Refinements::default()));
    }
    assert_eq!(back, expected);
    assert!(
        matches!(back.get("names"), Some(Value::Set(_))),
        "a set stays a set"
    );
    assert!(
        matches!(back.get("tags"), Some(Value::Map(_))),
        "a map stays a map"
    );
}

#[test]
fn a_value_that_does_not_fit_names_its_attribute() {
    let mut v = sample();
    if let Value::Object(o) = &mut v {
        o.insert(
            "results".into(),
            Value::List(vec![Value::object([
                ("title", Value::from(5)),
                ("passed", Value::Null),
            ])]),
        );
    }
    let err = from_value::<Model>(&v).expect_err("a number is not a string");
    assert_eq!(
        err.path,
        AttributePath(vec![
            PathStep::Attribute("results".into()),
            PathStep::Index(0),
            PathStep::Attribute("title".into())
        ])
    );
    let d = err.diagnostic("the planned state");
    assert_eq!(d.attribute, Some(err.path.clone()));

    // An unknown where the model cannot hold one.
    #[derive(Deserialize)]
    struct Strict {
        #[allow(dead_code)]
        id: String,
    }
    let err = from_value::<Strict>(&Value::object([(
        "id",
        Value::Unknown(Refinements::default()),
    )]))
    .err()
    .expect("not known yet");
    assert_eq!(err.path, AttributePath::root("id"));
    assert!(err.message.contains("not known"), "{err}");
}

#[test]
fn a_model_the_schema_does_not_declare_fails_to_write() {
    #[derive(Serialize)]
    struct Extra {
        id: Attr<String>,
        colour: Attr<String>,
    }
    let ty = Type::object([("id", Type::String)]);
    let err = to_value(
        &Extra {
            id: "a".into(),
            colour: "red".into(),
        },
        &ty,
    )
    .expect_err("extra");
    assert_eq!(err.path, AttributePath::root("colour"));
    // A null extra is fine: nothing would be lost.
    assert!(to_value(
        &Extra {
            id: "a".into(),
            colour: Attr::Null
        },
        &ty
    )
    .is_ok());
}

#[test]
fn the_field_check_finds_misspelt_and_missing_fields() {
    assert_eq!(check_fields::<Model>("t", &block(), &[]), Ok(()));
    #[derive(Deserialize)]
    #[allow(dead_code)]
    struct Misspelt {
        id: Attr<String>,
        cuont: Attr<i64>,
        tags: Attr<BTreeMap<String, String>>,
        results: Attr<Vec<Inner>>,
        config: Raw,
        names: Attr<Vec<String>>,
        timeouts: Raw,
    }
    let err = check_fields::<Misspelt>("t", &block(), &[]).expect_err("misspelt");
    assert!(err.contains("\"cuont\" is not in the schema"), "{err}");
    assert!(err.contains("\"count\" has no field"), "{err}");
    assert_eq!(fields_of::<Inner>(), Some(&["title", "passed"][..]));
}

#[test]
fn numbers_keep_their_exact_decimal_value() {
    use crate::protocol::value::Number;
    #[derive(Serialize, Deserialize)]
    struct N {
        version: Attr<Number>,
    }
    let exact: Number = "1.1".parse().expect("number");
    let v = Value::object([("version", Value::Number(exact.clone()))]);
    let n: N = from_value(&v).expect("fits");
    assert_eq!(n.version, Attr::Known(exact));
    let back = to_value(&n, &Type::object([("version", Type::Number)])).expect("fits");
    assert_eq!(back, v, "1.1 stays 1.1, not the nearest binary float");
}

#[test]
fn errors_deep_inside_name_the_whole_path() {
    // Reading: a missing field of an object in a list, and an unknown map key's value.
    let mut v = sample();
    if let Value::Object(o) = &mut v {
        o.insert(
            "results".into(),
            Value::List(vec![
                Value::object([("title", Value::from("a")), ("passed", Value::Bool(true))]),
                Value::object([("title", Value::from("b"))]),
            ]),
        );
    }
    let err = from_value::<Model>(&v).expect_err("passed is missing");
    assert_eq!(err.path, AttributePath::root("results").index(1), "{err}");
    assert!(err.message.contains("passed"), "{err}");

    // Writing: an element of a list of objects that does not fit its type.
    #[derive(Serialize)]
    struct Row {
        title: i64,
    }
    #[derive(Serialize)]
    struct Outer {
        rows: Vec<Row>,
        labels: BTreeMap<String, Vec<String>>,
    }
    let ty = Type::object([
        ("rows", Type::list(Type::object([("title", Type::String)]))),
        ("labels", Type::map(Type::String)),
    ]);
    let err = to_value(
        &Outer {
            rows: vec![Row { title: 1 }],
            labels: BTreeMap::new(),
        },
        &ty,
    )
    .expect_err("a number is not a string");
    assert_eq!(err.path, AttributePath::root("rows").index(0).attr("title"));
    let err = to_value(
        &Outer {
            rows: vec![],
            labels: BTreeMap::from([("team".to_string(), vec!["x".to_string()])]),
        },
        &ty,
    )
    .expect_err("a list is not a string");
    assert_eq!(err.path, AttributePath::root("labels").key("team"));
}
