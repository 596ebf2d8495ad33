//! The typed states of the approval resources and data sources. A parent's id is the field
//! `parent_id` whatever the schema calls it (`connection_id`, `destination_id`); a listing's
//! list is `items` whatever the schema calls it (`certificates`, `fingerprints`).

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::framework::timeouts::Timeouts;
use crate::framework::typed::Attr;

/// What the generic resource reads and writes in any kind's model.
pub trait ApprovalModel:
    Serialize + DeserializeOwned + Send + Sync + Default + Clone + PartialEq + 'static
{
    fn parent_id(&self) -> &Attr<String>;
    fn hash(&self) -> &Attr<String>;
    fn timeouts(&self) -> &Attr<Timeouts>;
    /// Records where the approval is: its id, its parent and its hash.
    fn locate(&mut self, id: String, parent_id: String, hash: String);
}

/// A written spelling of `written` kept when it means the API's `api` value (`same`).
pub fn spelled(
    written: &Attr<String>,
    api: Option<&str>,
    same: fn(&str, &str) -> bool,
) -> Attr<String> {
    match (written.as_deref(), api) {
        (Some(w), Some(a)) if same(w, a) => written.clone(),
        (_, Some(a)) => a.into(),
        // The API left it out: keep what the user wrote (a pin we matched).
        (Some(_), None) => written.clone(),
        (None, None) => Attr::Null,
    }
}

/// A certificate approval (`fivetran_{connection,destination}_certificate`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificateModel {
    pub id: Attr<String>,
    pub parent_id: Attr<String>,
    pub hash: Attr<String>,
    pub encoded_cert: Attr<String>,
    pub sha256: Attr<String>,
    pub sha1: Attr<String>,
    pub name: Attr<String>,
    #[serde(rename = "type")]
    pub kind: Attr<String>,
    pub public_key: Attr<String>,
    pub validated_by: Attr<String>,
    pub validated_date: Attr<String>,
    pub timeouts: Attr<Timeouts>,
}

/// An SSH host key approval (`fivetran_{connection,destination}_fingerprint`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FingerprintModel {
    pub id: Attr<String>,
    pub parent_id: Attr<String>,
    pub hash: Attr<String>,
    pub public_key: Attr<String>,
    pub validated_by: Attr<String>,
    pub validated_date: Attr<String>,
    pub timeouts: Attr<Timeouts>,
}

macro_rules! approval_model {
    ($model:ty) => {
        impl ApprovalModel for $model {
            fn parent_id(&self) -> &Attr<String> {
                &self.parent_id
            }
            fn hash(&self) -> &Attr<String> {
                &self.hash
            }
            fn timeouts(&self) -> &Attr<Timeouts> {
                &self.timeouts
            }
            fn locate(&mut self, id: String, parent_id: String, hash: String) {
                self.id = id.into();
                self.parent_id = parent_id.into();
                self.hash = hash.into();
            }
        }
    };
}

approval_model!(CertificateModel);
approval_model!(FingerprintModel);

/// One certificate in a data source's list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificateItem {
    pub id: Attr<String>,
    pub hash: Attr<String>,
    pub name: Attr<String>,
    #[serde(rename = "type")]
    pub kind: Attr<String>,
    pub sha1: Attr<String>,
    pub sha256: Attr<String>,
    pub public_key: Attr<String>,
    pub validated_by: Attr<String>,
    pub validated_date: Attr<String>,
}

/// One host key in a data source's list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FingerprintItem {
    pub id: Attr<String>,
    pub hash: Attr<String>,
    pub public_key: Attr<String>,
    pub validated_by: Attr<String>,
    pub validated_date: Attr<String>,
}

/// A data source: the parent and its approvals.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Listing<I> {
    pub parent_id: Attr<String>,
    pub items: Attr<Vec<I>>,
}
