//! Plan-time checks of `fivetran_destination` and its gate (no API calls). Unknown values
//! never fail: they are checked at apply, when known. Each rule is one the API states:
//! required ids and names, `region cannot be empty` (fixture
//! `destination_create_400_empty_region_tfp.json`), the spec's `time_zone_offset` enum,
//! and the networking and config rules shared with connections.

use crate::protocol::{AttributePath, Diagnostics};
use crate::resources::common::{config_args, networking, not_blank, one_of};

use super::model::{DestinationGateModel, DestinationModel};
use super::schema::TIME_ZONE_OFFSETS;

pub fn destination(config: &DestinationModel, diags: &mut Diagnostics) {
    not_blank(
        &config.group_id,
        "group_id",
        "set the id of the destination's group, e.g. fivetran_group.example.id",
        diags,
    );
    not_blank(
        &config.service,
        "service",
        "set the destination type, e.g. \"snowflake\"",
        diags,
    );
    if config.region.as_deref() == Some("") {
        diags.attribute_error(
            AttributePath::root("region"),
            "Empty region",
            "Fivetran refuses an empty region (\"region cannot be empty\"). Set one, e.g. \"AWS_US_EAST_1\", or remove region to take the account's default.",
        );
    }
    one_of(
        &config.time_zone_offset,
        TIME_ZONE_OFFSETS,
        "time_zone_offset",
        "Invalid time zone offset",
        "a time zone offset Fivetran accepts (whole hours, zero without a sign)",
        diags,
    );
    networking::validate(&config.networking_method, &config.private_link_id, diags);
    config_args::validate(config.config_args(), "destination", &[], diags);
}

pub fn gate(config: &DestinationGateModel, diags: &mut Diagnostics) {
    not_blank(
        &config.destination_id,
        "destination_id",
        "set the id of the destination to test, e.g. fivetran_destination.example.id",
        diags,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::typed::from_value;
    use crate::framework::values::{null_object, set};
    use crate::protocol::Value;
    use crate::resources::destination::schema;

    fn errors_on(pairs: &[(&str, Value)]) -> Vec<String> {
        let mut v = null_object(&schema::destination().block);
        for (k, val) in [
            ("group_id", Value::from("g")),
            ("service", Value::from("snowflake")),
            ("time_zone_offset", Value::from("0")),
        ]
        .iter()
        .chain(pairs)
        {
            set(&mut v, k, val.clone());
        }
        let mut d = Diagnostics::new();
        destination(&from_value(&v).expect("fits the model"), &mut d);
        d.error_paths()
    }

    #[test]
    fn each_bad_argument_is_named() {
        assert!(errors_on(&[]).is_empty());
        let cases: &[(&str, Value, &str)] = &[
            ("group_id", Value::from(""), "group_id"),
            ("service", Value::from(" "), "service"),
            ("region", Value::from(""), "region"),
            ("time_zone_offset", Value::from("+13"), "time_zone_offset"),
            ("time_zone_offset", Value::from("+0"), "time_zone_offset"),
            ("time_zone_offset", Value::from("5:30"), "time_zone_offset"),
            (
                "networking_method",
                Value::from("Carrier"),
                "networking_method",
            ),
            (
                "networking_method",
                Value::from("PrivateLink"),
                "networking_method",
            ),
            ("private_link_id", Value::from("pl"), "private_link_id"),
        ];
        for (name, value, path) in cases {
            assert_eq!(
                errors_on(&[(name, value.clone())]),
                [*path],
                "{name} = {value:?}"
            );
        }
    }

    #[test]
    fn unknown_values_never_fail() {
        let unknown = Value::Unknown(Default::default());
        let all: Vec<(&str, Value)> = [
            "group_id",
            "service",
            "region",
            "time_zone_offset",
            "networking_method",
            "private_link_id",
            "config",
        ]
        .iter()
        .map(|n| (*n, unknown.clone()))
        .collect();
        assert!(errors_on(&all).is_empty());
    }
}
