//! Reading one object: a refresh where "gone" is an answer (`found`, `gone_is_done`), and a
//! data source's choice of one object by `id` or by `name`.

use std::future::Future;

use crate::client::error::not_found_as_none;
use crate::client::Error;
use crate::framework::typed::Attr;
use crate::protocol::{AttributePath, Diagnostic, Diagnostics};

/// The id recorded in a state (`id`), or an error saying it is missing: never sent as `""`.
/// `object` names the resource in the message (`connection`, `private link`, ...).
pub fn recorded_id(id: &Attr<String>, object: &str) -> Result<String, Diagnostics> {
    id.get().cloned().ok_or_else(|| {
        let title: Vec<String> = object
            .split(' ')
            .map(|w| {
                let mut w = w.to_string();
                if let Some(first) = w.get_mut(..1) {
                    first.make_ascii_uppercase();
                }
                w
            })
            .collect();
        let title = title.join(" ");
        Diagnostic::error(
            format!("Missing {title} Id"),
            format!("The state of this {object} has no id. This is a bug in the provider; please report it. Remove it with `terraform state rm` and import it again."),
        )
        .into()
    })
}

/// A read whose 404 means the object is gone (`None`), not an error.
pub fn found<T>(answer: Result<T, Error>) -> Result<Option<T>, Diagnostics> {
    not_found_as_none(answer).map_err(Into::into)
}

/// A deletion whose 404 means it is already done.
pub fn gone_is_done(answer: Result<(), Error>) -> Result<(), Diagnostics> {
    found(answer).map(drop)
}

/// Checks that exactly one of `id` and `name` is written (values may be unknown).
pub fn check_id_or_name(
    id: &Attr<String>,
    name: &Attr<String>,
    what: &str,
    diags: &mut Diagnostics,
) {
    match (!id.is_null(), !name.is_null()) {
        (true, true) => diags.attribute_error(
            AttributePath::root("name"),
            "Conflicting arguments",
            "Set either `id` or `name`, not both.",
        ),
        (false, false) => diags.error(
            "Missing argument",
            format!("Set `id` or `name` to choose the {what}."),
        ),
        _ => {}
    }
}

/// What a lookup by [`by_id_or_name`] is doing, for messages: `reading group "g1"` or
/// `looking up group "sales"`.
pub fn describe_lookup(what: &str, id: &Attr<String>, name: &Attr<String>) -> String {
    match id.get() {
        Some(id) => format!("reading {what} {id:?}"),
        None => format!(
            "looking up {what} {:?}",
            name.as_deref().unwrap_or_default()
        ),
    }
}

/// The object with `id` when it is written, otherwise the one named `name` among `all`.
/// `what` names the kind of object in messages (`group`, `private link`).
pub async fn by_id_or_name<T, One, All>(
    id: &Attr<String>,
    name: &Attr<String>,
    what: &str,
    one: impl FnOnce(String) -> One,
    all: impl FnOnce() -> All,
    name_of: impl Fn(&T) -> &str,
) -> Result<T, Diagnostics>
where
    One: Future<Output = Result<T, Error>>,
    All: Future<Output = Result<Vec<T>, Error>>,
{
    if let Some(id) = id.get() {
        return Ok(one(id.clone()).await?);
    }
    let name = name.as_deref().unwrap_or_default();
    all()
        .await?
        .into_iter()
        .find(|o| name_of(o) == name)
        .ok_or_else(|| {
            let mut title: Vec<char> = what.chars().collect();
            if let Some(c) = title.first_mut() {
                *c = c.to_ascii_uppercase();
            }
            Diagnostic::error(
                format!("{} not found", title.into_iter().collect::<String>()),
                format!("No {what} is named {name:?} in this Fivetran account."),
            )
            .at(AttributePath::root("name"))
            .into()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_id_is_an_error_naming_the_object() {
        assert_eq!(
            recorded_id(&Attr::from("pl_1"), "private link"),
            Ok("pl_1".into())
        );
        let err = recorded_id(&Attr::Null, "private link").expect_err("missing");
        let first = err.first().expect("a diagnostic");
        assert_eq!(first.summary, "Missing Private Link Id");
        assert!(first.detail.contains("this private link has no id"));
    }
}
