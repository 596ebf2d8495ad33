//! Where an end-to-end test's provider sends its requests: the bundled simulator (the
//! default) or a real Fivetran account (acceptance mode, opt-in).
//!
//! Acceptance mode is chosen by [`Backend::from_env`]: `FIVETRAN_ACC=1` (or `TF_ACC=1` together
//! with `FIVETRAN_ACC_GROUP_ID`) plus `FIVETRAN_APIKEY`, `FIVETRAN_APISECRET` and
//! `FIVETRAN_ACC_GROUP_ID`; `FIVETRAN_API_URL` is optional. Asking for it with a variable missing
//! fails the test, naming the variable, rather than quietly testing the simulator instead.
//!
//! Everything a test creates on a real account is named with [`AccWorkspace::prefix`], which
//! starts with the process's [`run_prefix`] and is unique per workspace. When an
//! [`AccWorkspace`] is dropped (also after a failed assertion) it runs `terraform destroy` and
//! then sweeps, through the provider's own client, every private link named with its prefix and
//! every connection in the test group whose schema starts with it, so that a failed destroy
//! orphans nothing either.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

use fivetran_sim::{SimConfig, SimServer};
use terraform_provider_fivetran::client::{Client, ClientConfig, Op};
use tokio_util::sync::CancellationToken;

use super::{Workspace, REQUIRED_PROVIDERS};

/// The API root used when `FIVETRAN_API_URL` is not set.
pub const DEFAULT_API_URL: &str = terraform_provider_fivetran::client::DEFAULT_BASE_URL;

/// Region of the acceptance private link when `FIVETRAN_ACC_PRIVATE_LINK_REGION` is not set.
pub const DEFAULT_PRIVATE_LINK_REGION: &str = "AWS_US_EAST_1";

/// A real Fivetran account, from the environment.
#[derive(Clone)]
pub struct RealAccount {
    pub api_key: String,
    pub api_secret: String,
    pub api_url: String,
    /// An existing group (destination) the tests create their connections in.
    pub group_id: String,
    /// An AWS endpoint service name the account may link to
    /// (`FIVETRAN_ACC_PRIVATE_LINK_SERVICE_NAME`); private-link tests skip without it.
    pub private_link_service_name: Option<String>,
    /// `FIVETRAN_ACC_PRIVATE_LINK_REGION`, default [`DEFAULT_PRIVATE_LINK_REGION`].
    pub private_link_region: String,
}

impl std::fmt::Debug for RealAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RealAccount")
            .field("api_url", &self.api_url)
            .field("group_id", &self.group_id)
            .finish_non_exhaustive()
    }
}

pub enum Backend {
    Sim(SimServer),
    Real(RealAccount),
}

/// Whether the environment asks for acceptance mode.
fn acceptance_requested(var: &dyn Fn(&str) -> Option<String>) -> bool {
    let on = |k: &str| var(k).is_some_and(|v| v == "1" || v.eq_ignore_ascii_case("true"));
    on("FIVETRAN_ACC") || (on("TF_ACC") && var("FIVETRAN_ACC_GROUP_ID").is_some())
}

/// The real account described by `var`, or the names of the variables that are missing.
fn real_account(var: &dyn Fn(&str) -> Option<String>) -> Result<RealAccount, Vec<&'static str>> {
    let required = [
        "FIVETRAN_APIKEY",
        "FIVETRAN_APISECRET",
        "FIVETRAN_ACC_GROUP_ID",
    ];
    let missing: Vec<&'static str> = required.into_iter().filter(|k| var(k).is_none()).collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    let get = |k: &str| var(k).unwrap_or_default();
    Ok(RealAccount {
        api_key: get("FIVETRAN_APIKEY"),
        api_secret: get("FIVETRAN_APISECRET"),
        api_url: var("FIVETRAN_API_URL").unwrap_or_else(|| DEFAULT_API_URL.to_string()),
        group_id: get("FIVETRAN_ACC_GROUP_ID"),
        private_link_service_name: var("FIVETRAN_ACC_PRIVATE_LINK_SERVICE_NAME"),
        private_link_region: var("FIVETRAN_ACC_PRIVATE_LINK_REGION")
            .unwrap_or_else(|| DEFAULT_PRIVATE_LINK_REGION.to_string()),
    })
}

/// A variable of the test process, `None` when unset or empty.
fn process_var(key: &str) -> Option<String> {
    std::env::var(key).ok().filter(|v| !v.trim().is_empty())
}

/// `tfacc_` and 8 lowercase hex digits, the same for the whole test process. Valid as the
/// start of a private-link name and of a destination schema name.
pub fn run_prefix() -> &'static str {
    static PREFIX: OnceLock<String> = OnceLock::new();
    PREFIX.get_or_init(|| format!("tfacc_{:08x}", rand::random::<u32>()))
}

impl Backend {
    /// The real account when acceptance mode is asked for, otherwise a simulator with
    /// [`SimConfig::instant`].
    ///
    /// # Panics
    /// When acceptance mode is asked for but a required variable is missing.
    pub fn from_env() -> Backend {
        Backend::from_env_or_sim(SimConfig::instant())
    }

    /// As [`from_env`](Self::from_env), with `config` for the simulator.
    pub fn from_env_or_sim(config: SimConfig) -> Backend {
        Backend::choose(&process_var, config)
    }

    fn choose(var: &dyn Fn(&str) -> Option<String>, config: SimConfig) -> Backend {
        if !acceptance_requested(var) {
            return Backend::Sim(SimServer::spawn(config).expect("simulator starts"));
        }
        match real_account(var) {
            Ok(account) => Backend::Real(account),
            Err(missing) => panic!(
                "acceptance mode (FIVETRAN_ACC=1 or TF_ACC=1) needs {}; set {} or unset FIVETRAN_ACC/TF_ACC to test against the simulator",
                missing.join(", "),
                if missing.len() == 1 { "it" } else { "them" },
            ),
        }
    }

    pub fn is_real(&self) -> bool {
        matches!(self, Backend::Real(_))
    }

    /// The simulator, for tests that use its knobs or admin API.
    pub fn sim(&self) -> Option<&SimServer> {
        match self {
            Backend::Sim(sim) => Some(sim),
            Backend::Real(_) => None,
        }
    }

    pub fn real(&self) -> Option<&RealAccount> {
        match self {
            Backend::Real(account) => Some(account),
            Backend::Sim(_) => None,
        }
    }

    /// The group the tests create connections in.
    pub fn group_id(&self) -> &str {
        match self {
            Backend::Sim(sim) => sim.group_id(),
            Backend::Real(account) => &account.group_id,
        }
    }

    /// See [`run_prefix`].
    pub fn run_prefix(&self) -> &'static str {
        run_prefix()
    }

    fn credentials(&self) -> (String, String, String) {
        match self {
            Backend::Sim(sim) => (
                sim.api_key().to_string(),
                sim.api_secret().to_string(),
                sim.base_url(),
            ),
            Backend::Real(a) => (a.api_key.clone(), a.api_secret.clone(), a.api_url.clone()),
        }
    }

    /// A plain workspace whose provider talks to this backend (credentials and URL through
    /// the environment). `body` is appended after the `terraform` block. Nothing cleans up
    /// after it: tests that create objects use [`acc_workspace`](Self::acc_workspace).
    pub fn workspace(&self, body: &str) -> Workspace {
        let (key, secret, url) = self.credentials();
        Workspace::new(&format!("{REQUIRED_PROVIDERS}\n{body}"))
            .env("FIVETRAN_APIKEY", &key)
            .env("FIVETRAN_APISECRET", &secret)
            .env("FIVETRAN_API_URL", &url)
    }

    /// A workspace that cleans up after itself on a real account; `body` gets the
    /// workspace's [`prefix`](AccWorkspace::prefix) to name what it creates.
    pub fn acc_workspace(&self, body: impl FnOnce(&str) -> String) -> AccWorkspace<'_> {
        static N: AtomicUsize = AtomicUsize::new(0);
        // The trailing underscore keeps the prefix of workspace 1 from matching workspace 10.
        let prefix = format!("{}_{}_", run_prefix(), N.fetch_add(1, Ordering::SeqCst));
        let ws = self.workspace(&body(&prefix));
        AccWorkspace {
            backend: self,
            ws,
            prefix,
        }
    }

    /// Deletes, on a real account, every connection in the test group whose schema starts
    /// with `prefix` and then every private link whose name does; returns what it deleted
    /// (`connection <id>` / `private link <id>`). Against the simulator it does nothing.
    pub fn sweep(&self, prefix: &str) -> Result<Vec<String>, String> {
        let Backend::Real(account) = self else {
            return Ok(Vec::new());
        };
        assert!(
            prefix.starts_with(run_prefix()),
            "sweep only what this run created"
        );
        sweep(account, prefix)
    }
}

fn sweep(account: &RealAccount, prefix: &str) -> Result<Vec<String>, String> {
    let base_url = reqwest::Url::parse(&account.api_url)
        .map_err(|e| format!("FIVETRAN_API_URL {:?}: {e}", account.api_url))?;
    let client = Client::new(ClientConfig {
        base_url,
        api_key: Some(account.api_key.clone()),
        api_secret: Some(account.api_secret.clone()),
        ..ClientConfig::default()
    })
    .map_err(|e| e.to_string())?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let op = Op::new(
            format!("sweeping acceptance objects named {prefix}*"),
            Duration::from_secs(30 * 60),
            CancellationToken::new(),
        );
        let mut deleted = Vec::new();
        let mut errors = Vec::new();
        // Connections first: a private link in use by one cannot be deleted.
        let connections = client
            .connections(&op, &account.group_id, None)
            .await
            .map_err(|e| e.to_string())?;
        for c in connections.iter().filter(|c| c.schema.starts_with(prefix)) {
            match client.delete_connection(&op, &c.id).await {
                Ok(()) => deleted.push(format!("connection {} ({})", c.id, c.schema)),
                Err(e) if e.is_not_found() => {}
                Err(e) => errors.push(e.to_string()),
            }
        }
        let links = client.private_links(&op).await.map_err(|e| e.to_string())?;
        for l in links.iter().filter(|l| l.name.starts_with(prefix)) {
            match client.delete_private_link_when_settled(&op, &l.id).await {
                Ok(()) => deleted.push(format!("private link {} ({})", l.id, l.name)),
                Err(e) => errors.push(e.to_string()),
            }
        }
        if errors.is_empty() {
            Ok(deleted)
        } else {
            Err(errors.join("; "))
        }
    })
}

/// A [`Workspace`] on a [`Backend`] that, on a real account, destroys what it applied and
/// sweeps what is left when dropped, also when the test failed. Derefs to the workspace.
pub struct AccWorkspace<'b> {
    backend: &'b Backend,
    ws: Workspace,
    prefix: String,
}

impl AccWorkspace<'_> {
    /// Starts the names of everything this workspace creates, e.g. `tfacc_0a1b2c3d_4_`.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }
}

impl std::ops::Deref for AccWorkspace<'_> {
    type Target = Workspace;
    fn deref(&self) -> &Workspace {
        &self.ws
    }
}

impl Drop for AccWorkspace<'_> {
    fn drop(&mut self) {
        if !self.backend.is_real() {
            return;
        }
        let destroy = self.ws.destroy();
        if destroy.code != 0 {
            eprintln!(
                "acceptance cleanup: terraform destroy failed, sweeping {}*:\n{}",
                self.prefix,
                destroy.output()
            );
        }
        match self.backend.sweep(&self.prefix) {
            Ok(deleted) if deleted.is_empty() => {}
            Ok(deleted) => eprintln!(
                "acceptance cleanup: the sweep deleted {}",
                deleted.join(", ")
            ),
            Err(e) => {
                let message = format!(
                    "acceptance cleanup of {}* failed: {e}; delete what is left by hand",
                    self.prefix
                );
                if std::thread::panicking() {
                    eprintln!("{message}");
                } else {
                    panic!("{message}");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            pairs
                .iter()
                .find(|(name, _)| *name == k)
                .map(|(_, v)| v.to_string())
        }
    }

    const FULL: &[(&str, &str)] = &[
        ("FIVETRAN_ACC", "1"),
        ("FIVETRAN_APIKEY", "k"),
        ("FIVETRAN_APISECRET", "s"),
        ("FIVETRAN_ACC_GROUP_ID", "g"),
    ];

    #[test]
    fn acceptance_mode_is_opt_in() {
        assert!(!acceptance_requested(&env(&[])));
        assert!(!acceptance_requested(&env(&[
            ("FIVETRAN_APIKEY", "k"),
            ("FIVETRAN_APISECRET", "s"),
            ("FIVETRAN_ACC_GROUP_ID", "g"),
        ])));
        assert!(!acceptance_requested(&env(&[("TF_ACC", "1")])));
        assert!(!acceptance_requested(&env(&[("FIVETRAN_ACC", "0")])));
        assert!(acceptance_requested(&env(&[("FIVETRAN_ACC", "1")])));
        assert!(acceptance_requested(&env(&[
            ("TF_ACC", "1"),
            ("FIVETRAN_ACC_GROUP_ID", "g")
        ])));
    }

    #[test]
    fn a_complete_environment_selects_the_real_account_with_defaults() {
        let backend = Backend::choose(&env(FULL), SimConfig::instant());
        let account = backend.real().expect("real");
        assert_eq!(account.api_url, DEFAULT_API_URL);
        assert_eq!(account.group_id, "g");
        assert_eq!(account.private_link_region, DEFAULT_PRIVATE_LINK_REGION);
        assert_eq!(account.private_link_service_name, None);
        assert_eq!(backend.group_id(), "g");
    }

    #[test]
    fn a_missing_variable_fails_loudly_naming_it() {
        let partial: Vec<(&str, &str)> = FULL
            .iter()
            .copied()
            .filter(|(k, _)| *k != "FIVETRAN_APISECRET")
            .collect();
        let err = std::panic::catch_unwind(|| {
            Backend::choose(&env(&partial), SimConfig::instant());
        })
        .expect_err("must not fall back to the simulator");
        let message = err.downcast_ref::<String>().cloned().unwrap_or_default();
        assert!(message.contains("FIVETRAN_APISECRET"), "{message}");
        assert!(!message.contains("FIVETRAN_APIKEY"), "{message}");
        assert!(!message.contains("FIVETRAN_ACC_GROUP_ID"), "{message}");
    }

    #[test]
    fn without_opt_in_a_simulator_is_used() {
        let backend = Backend::choose(&env(&FULL[1..]), SimConfig::instant());
        let sim = backend.sim().expect("simulator");
        assert_eq!(backend.group_id(), sim.group_id());
    }

    #[test]
    fn the_run_prefix_is_stable_and_a_valid_name_start() {
        let p = run_prefix();
        assert_eq!(p, run_prefix());
        assert_eq!(p.len(), "tfacc_".len() + 8);
        let hex = p.strip_prefix("tfacc_").expect("tfacc_");
        assert!(hex
            .chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)));
    }
}
