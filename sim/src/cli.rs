//! Flags and environment variables of the `fivetran-sim` binary. Each flag is declared
//! once in [`FLAGS`], which drives both parsing and `--help`. A flag given on the command
//! line wins over its environment variable.

use std::time::Duration;

use crate::config::{ClassLimit, DurationRange, RateLimit, SimConfig};

/// One flag: name, environment variable, value placeholder (`None` for switches), help.
pub struct Flag {
    /// `--name`.
    pub name: &'static str,
    /// The equivalent environment variable.
    pub env: &'static str,
    /// Placeholder of the value, `None` for a switch.
    pub value: Option<&'static str>,
    /// One-paragraph description.
    pub help: &'static str,
}

/// Every flag of the binary.
pub const FLAGS: &[Flag] = &[
    Flag { name: "port", env: "FIVETRAN_SIM_PORT", value: Some("PORT"), help: "TCP port on 127.0.0.1; 0 picks any free port. Default 0." },
    Flag { name: "api-key", env: "FIVETRAN_SIM_API_KEY", value: Some("KEY"), help: "API key accepted in Basic auth. Default sim_api_key." },
    Flag { name: "api-secret", env: "FIVETRAN_SIM_API_SECRET", value: Some("SECRET"), help: "API secret accepted in Basic auth. Default sim_api_secret." },
    Flag { name: "user-id", env: "FIVETRAN_SIM_USER_ID", value: Some("ID"), help: "User id shown as created_by / connected_by / validated_by. Default sim_user." },
    Flag { name: "group-id", env: "FIVETRAN_SIM_GROUP_ID", value: Some("ID"), help: "Id of the starting group (and of its destination). Default: generated from the seed." },
    Flag { name: "group-name", env: "FIVETRAN_SIM_GROUP_NAME", value: Some("NAME"), help: "Name of the starting group. Default sim_warehouse." },
    Flag { name: "seed", env: "FIVETRAN_SIM_SEED", value: Some("N"), help: "Seed of the random generator (ids, duration ranges, fault draws) for reproducible runs. Default: from the clock." },
    Flag { name: "provisioning", env: "FIVETRAN_SIM_PROVISIONING", value: Some("DUR"), help: "Time a private link stays CREATING: 250ms, 3s, 1m, or a range 1s..5s. Default 3s." },
    Flag { name: "update", env: "FIVETRAN_SIM_UPDATE", value: Some("DUR"), help: "Time a private link stays UPDATING after a PATCH. Default 2s." },
    Flag { name: "destroy", env: "FIVETRAN_SIM_DESTROY", value: Some("DUR"), help: "Time a private link stays DESTROYING before it is gone (404). Default 1s." },
    Flag { name: "polls-until-ready", env: "FIVETRAN_SIM_POLLS_UNTIL_READY", value: Some("N"), help: "A pending private-link transition also waits for N detail reads (GET /v1/private-links/{id}) that show the pending state. Default 0." },
    Flag { name: "fail-links", env: "FIVETRAN_SIM_FAIL_LINKS", value: Some("PATTERNS"), help: "Comma-separated private-link name patterns (* = any run of characters); matching links end in FAIL instead of OK." },
    Flag { name: "rate-limit", env: "FIVETRAN_SIM_RATE_LIMIT", value: Some("N/WINDOW"), help: "Global limit over all /v1 requests, e.g. 20000/1h; excess requests get 429 TooManyRequests with Retry-After. Answers carry X-Rate-Limit / X-Rate-Limit-Remaining only for a 1h window, the period the docs give those headers." },
    Flag { name: "endpoint-rate-limit", env: "FIVETRAN_SIM_ENDPOINT_RATE_LIMITS", value: Some("KEY=N/WINDOW"), help: "Limit for one endpoint, e.g. 'POST /v1/private-links=5/1h'. Repeatable; the environment variable takes a ';'-separated list." },
    Flag { name: "limits", env: "FIVETRAN_SIM_LIMITS", value: Some("PRESET[,CLASS=N/WINDOW[+N/WINDOW]]"), help: "Fivetran's documented account limits over rolling windows: 'documented' (all requests 20000/1h, connection-create 20/1m+600/1h, setup-tests 250/1m+2500/1h), 'trial' (all 500/1h, connection-create 1/1m+10/1d, setup-tests 50/1h) or 'none' (default), each class's windows replaceable, e.g. 'documented,connection-create=5/10s'. Answers carry X-Rate-Limit / X-Rate-Limit-Remaining for the 'all' class; the excess gets 429 TooManyRequests with Retry-After." },
    Flag { name: "fault-500", env: "FIVETRAN_SIM_FAULT_500", value: Some("RATE"), help: "Probability (0..1) of answering 500 InternalServerError." },
    Flag { name: "fault-502", env: "FIVETRAN_SIM_FAULT_502", value: Some("RATE"), help: "Probability of answering 502 Bad Gateway (HTML body)." },
    Flag { name: "fault-503", env: "FIVETRAN_SIM_FAULT_503", value: Some("RATE"), help: "Probability of answering 503 Service Unavailable (HTML body)." },
    Flag { name: "fault-drop", env: "FIVETRAN_SIM_FAULT_DROP", value: Some("RATE"), help: "Probability of closing the connection without answering." },
    Flag { name: "fault-endpoints", env: "FIVETRAN_SIM_FAULT_ENDPOINTS", value: Some("KEYS"), help: "Comma-separated endpoint keys the fault rates apply to, e.g. 'GET /v1/private-links/{privateLinkId}'. Default: all." },
    Flag { name: "fault-after-drop", env: "FIVETRAN_SIM_FAULT_AFTER_DROP", value: Some("RATE"), help: "Probability of running the handler (its change is made) and then closing the connection without answering." },
    Flag { name: "fault-after-500", env: "FIVETRAN_SIM_FAULT_AFTER_500", value: Some("RATE"), help: "Probability of running the handler and then answering 500 instead of its answer." },
    Flag { name: "fault-after-502", env: "FIVETRAN_SIM_FAULT_AFTER_502", value: Some("RATE"), help: "Probability of running the handler and then answering 502 Bad Gateway instead." },
    Flag { name: "fault-after-504", env: "FIVETRAN_SIM_FAULT_AFTER_504", value: Some("RATE"), help: "Probability of running the handler and then answering 504 Gateway Timeout instead." },
    Flag { name: "fault-after-endpoints", env: "FIVETRAN_SIM_FAULT_AFTER_ENDPOINTS", value: Some("KEYS"), help: "Comma-separated endpoint keys the fault-after-* rates apply to, e.g. 'POST /v1/private-links,POST /v1/connections'. Default: all." },
    Flag { name: "latency", env: "FIVETRAN_SIM_LATENCY", value: Some("DUR"), help: "Delay added to every /v1 request, fixed or a range (50ms..200ms). Default 0." },
    Flag { name: "no-private-link-rewrite", env: "FIVETRAN_SIM_NO_PRIVATE_LINK_REWRITE", value: None, help: "Keep networking_method PrivateLink as sent. By default a connection created or patched with PrivateLink is stored and answered as UnmanagedPrivateLink, as the real API may do (official provider issue #408)." },
    Flag { name: "destination-first-tests-incomplete", env: "FIVETRAN_SIM_DESTINATION_FIRST_TESTS_INCOMPLETE", value: None, help: "Each destination's first setup-test run comes back incomplete (its last test FAILED); the next run gives the real result, as real Redshift destinations did (official provider issue #177)." },
    Flag { name: "destination-metadata-connection", env: "FIVETRAN_SIM_DESTINATION_METADATA_CONNECTION", value: None, help: "Creating a destination also adds a fivetran_metadata connection to its group, as Fivetran may do (official provider issue #369); it blocks the destination's DELETE with 409." },
    Flag { name: "destination-test-legacy-answer", env: "FIVETRAN_SIM_DESTINATION_TEST_LEGACY_ANSWER", value: None, help: "POST /v1/destinations/{id}/test answers without networking_method and config too (never with private_link_id), as in official provider PR #483." },
    Flag { name: "max-body-bytes", env: "FIVETRAN_SIM_MAX_BODY_BYTES", value: Some("N"), help: "Largest accepted request body; larger ones get 400 InvalidInput. Default 1048576." },
    Flag { name: "quiet", env: "FIVETRAN_SIM_QUIET", value: None, help: "Do not log requests on stderr." },
    Flag { name: "exit-on-stdin-eof", env: "FIVETRAN_SIM_EXIT_ON_STDIN_EOF", value: None, help: "Exit when standard input reaches end of file (for supervisors that hold a pipe open)." },
    Flag { name: "help", env: "", value: None, help: "Print this help and exit." },
    Flag { name: "version", env: "", value: None, help: "Print the version and exit." },
];

/// What the command line asks for.
#[derive(Debug)]
pub enum Action {
    /// Run with these options.
    Run(Box<Options>),
    /// Print [`help`].
    Help,
    /// Print the version.
    Version,
}

/// Resolved options of a run.
#[derive(Debug)]
pub struct Options {
    /// Port on 127.0.0.1.
    pub port: u16,
    /// Exit on end of standard input.
    pub exit_on_stdin_eof: bool,
    /// Everything else.
    pub config: SimConfig,
}

/// The `--help` text.
pub fn help() -> String {
    let mut out = String::from(
        "fivetran-sim: a local simulator of the Fivetran REST API\n\n\
         Usage: fivetran-sim [FLAGS]\n\n\
         Listens on 127.0.0.1 and prints, on its first lines, the base URL, the credentials and\n\
         the starting group id as FIVETRAN_API_URL=..., FIVETRAN_APIKEY=..., FIVETRAN_APISECRET=...,\n\
         FIVETRAN_GROUP_ID=... lines; then logs each request (method, path, status, time; never\n\
         headers or bodies) on stderr. Exits on SIGINT or SIGTERM.\n\n\
         Flags (each also read from the environment variable shown; the flag wins):\n",
    );
    for f in FLAGS {
        let head = match f.value {
            Some(v) => format!("--{} {v}", f.name),
            None => format!("--{}", f.name),
        };
        let env = if f.env.is_empty() {
            String::new()
        } else {
            format!(" [env {}]", f.env)
        };
        out.push_str(&format!("  {head}{env}\n      {}\n", f.help));
    }
    out.push_str(
        "\nDurations: 250ms, 2s, 1m, 1h or a bare number of milliseconds; a range MIN..MAX draws\n\
         uniformly. Windows of rate limits: seconds or a duration (20/60s, 600/1h).\n\n\
         Admin API (no auth) under http://127.0.0.1:PORT/_sim:\n\
         \x20 GET /info, GET|DELETE /counters, GET /requests, GET /inventory,\n\
         \x20 GET|PATCH|PUT /knobs (JSON merge patch, e.g. {\"faults\":{\"error_503\":0.5}}),\n\
         \x20 POST|DELETE /faults ({\"endpoint\":\"GET /v1/groups\",\"kind\":\"503\",\"count\":2};\n\
         \x20   kinds drop, 500, 502, 503, 429 strike before the handler; after-drop, after-500,\n\
         \x20   after-502, after-504 run the handler (its change is made) and lose its answer),\n\
         \x20 GET /faults (faults injected so far, per endpoint and kind),\n\
         \x20 PATCH /private-links/{id} ({\"state\":\"FAIL\",\"state_summary\":\"...\",\"config\":{...}}),\n\
         \x20 PATCH /connections/{id} ({\"paused\":true,\"setup_state\":\"broken\",\"config\":{...}}),\n\
         \x20 PATCH /destinations/{id} ({\"host\":\"db.example.com\",\"tunnel_host\":null,\"setup_status\":\"broken\",\"config\":{...}}),\n\
         \x20 DELETE /destinations/{id}, POST /groups/{id}/metadata-connection,\n\
         \x20 DELETE /objects/{id}, DELETE /{connections|destinations}/{id}/{certificates|fingerprints}/{hash},\n\
         \x20 GET /timeline/{id}; GET /presented/{host} (certificate and host key a source shows).\n\n\
         Certificates: a source whose config has a host presents a deterministic certificate\n\
         (hash = base64 of SHA-256, may contain / and +; host db-7.example.com has both);\n\
         one with tunnel_host presents a deterministic ssh-ed25519 host key. Setup tests fail\n\
         until they are approved or trusted (Validate Certificate: details an array;\n\
         SSH Tunnel Connection: details an object). Approvals are addressed by their id\n\
         (Base64URL of the hash); encoded / or \\ in a path (%2F, %5C) answer 400. Destinations do the same with their host\n\
         (Databricks: server_host_name) and tunnel_host (POST /v1/destinations/{id}/test).\n",
    );
    out
}

fn parse_rate(s: &str, flag: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(r) if (0.0..=1.0).contains(&r) => Ok(r),
        _ => Err(format!(
            "--{flag}: '{s}' is not a probability between 0 and 1"
        )),
    }
}

fn parse_number<T: std::str::FromStr>(s: &str, flag: &str) -> Result<T, String> {
    s.trim()
        .parse()
        .map_err(|_| format!("--{flag}: '{s}' is not a valid number"))
}

fn parse_endpoint_limit(s: &str) -> Result<(String, RateLimit), String> {
    let (key, limit) = s
        .rsplit_once('=')
        .ok_or_else(|| format!("--endpoint-rate-limit: '{s}' is not KEY=N/WINDOW"))?;
    let limit = RateLimit::parse(limit).map_err(|e| format!("--endpoint-rate-limit: {e}"))?;
    Ok((key.trim().to_string(), limit))
}

fn apply(opts: &mut Options, name: &str, value: &str, from_env: bool) -> Result<(), String> {
    let c = &mut opts.config;
    let k = &mut c.knobs;
    let dur = |v: &str| DurationRange::parse(v).map_err(|e| format!("--{name}: {e}"));
    let list = |v: &str| -> Vec<String> {
        v.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    };
    let switch = |v: &str| !matches!(v.trim(), "" | "0" | "false" | "no");
    match name {
        "port" => opts.port = parse_number(value, name)?,
        "api-key" => c.api_key = value.to_string(),
        "api-secret" => c.api_secret = value.to_string(),
        "user-id" => c.user_id = value.to_string(),
        "group-id" => c.group_id = Some(value.to_string()),
        "group-name" => c.group_name = value.to_string(),
        "seed" => c.seed = Some(parse_number(value, name)?),
        "provisioning" => k.provisioning = dur(value)?,
        "update" => k.update = dur(value)?,
        "destroy" => k.destroy = dur(value)?,
        "polls-until-ready" => k.polls_until_ready = parse_number(value, name)?,
        "fail-links" => k.failing_links = list(value),
        "rate-limit" => {
            k.rate_limit = Some(RateLimit::parse(value).map_err(|e| format!("--{name}: {e}"))?)
        }
        "endpoint-rate-limit" => {
            let items: Vec<&str> = if from_env {
                value.split(';').collect()
            } else {
                vec![value]
            };
            for item in items.into_iter().filter(|i| !i.trim().is_empty()) {
                let (key, limit) = parse_endpoint_limit(item)?;
                k.endpoint_rate_limits.insert(key, limit);
            }
        }
        "limits" => {
            k.limits = ClassLimit::parse_list(value).map_err(|e| format!("--{name}: {e}"))?
        }
        "fault-500" => k.faults.error_500 = parse_rate(value, name)?,
        "fault-502" => k.faults.error_502 = parse_rate(value, name)?,
        "fault-503" => k.faults.error_503 = parse_rate(value, name)?,
        "fault-drop" => k.faults.drop = parse_rate(value, name)?,
        "fault-endpoints" => k.faults.endpoints = list(value),
        "fault-after-drop" => k.faults.after_commit.drop = parse_rate(value, name)?,
        "fault-after-500" => k.faults.after_commit.error_500 = parse_rate(value, name)?,
        "fault-after-502" => k.faults.after_commit.error_502 = parse_rate(value, name)?,
        "fault-after-504" => k.faults.after_commit.error_504 = parse_rate(value, name)?,
        "fault-after-endpoints" => k.faults.after_commit.endpoints = list(value),
        "latency" => k.latency = dur(value)?,
        "no-private-link-rewrite" => k.private_link_networking_rewrite = !switch(value),
        "destination-first-tests-incomplete" => {
            k.destination_first_setup_tests_incomplete = switch(value);
        }
        "destination-metadata-connection" => k.destination_metadata_connection = switch(value),
        "destination-test-legacy-answer" => k.destination_test_legacy_answer = switch(value),
        "max-body-bytes" => c.max_body_bytes = parse_number(value, name)?,
        "quiet" => c.log_requests = !switch(value),
        "exit-on-stdin-eof" => opts.exit_on_stdin_eof = switch(value),
        _ => return Err(format!("unknown flag --{name} (see --help)")),
    }
    Ok(())
}

/// Parses the command line (without the program name) over the environment.
pub fn parse(
    args: impl IntoIterator<Item = String>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Action, String> {
    let mut opts = Options {
        port: 0,
        exit_on_stdin_eof: false,
        config: SimConfig {
            log_requests: true,
            ..SimConfig::default()
        },
    };
    for f in FLAGS.iter().filter(|f| !f.env.is_empty()) {
        if let Some(v) = env(f.env) {
            apply(&mut opts, f.name, &v, true)?;
        }
    }
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let Some(body) = arg.strip_prefix("--") else {
            return Err(format!("unexpected argument '{arg}' (see --help)"));
        };
        let (name, inline) = match body.split_once('=') {
            Some((n, v)) => (n.to_string(), Some(v.to_string())),
            None => (body.to_string(), None),
        };
        let flag = FLAGS
            .iter()
            .find(|f| f.name == name)
            .ok_or_else(|| format!("unknown flag --{name} (see --help)"))?;
        match (name.as_str(), flag.value) {
            ("help", _) => return Ok(Action::Help),
            ("version", _) => return Ok(Action::Version),
            (_, None) => apply(&mut opts, &name, inline.as_deref().unwrap_or("true"), false)?,
            (_, Some(_)) => {
                let value = match inline {
                    Some(v) => v,
                    None => args
                        .next()
                        .ok_or_else(|| format!("--{name} needs a value"))?,
                };
                apply(&mut opts, &name, &value, false)?;
            }
        }
    }
    Ok(Action::Run(Box::new(opts)))
}

/// Parses the real command line and environment.
pub fn from_env() -> Result<Action, String> {
    parse(std::env::args().skip(1), |k| std::env::var(k).ok())
}

/// Keeps `Duration` in the public docs' vocabulary.
pub fn describe(d: &DurationRange) -> String {
    if d.min_ms == d.max_ms {
        format!("{:?}", Duration::from_millis(d.min_ms))
    } else {
        format!(
            "{:?}..{:?}",
            Duration::from_millis(d.min_ms),
            Duration::from_millis(d.max_ms)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str], env: &[(&str, &str)]) -> Result<Options, String> {
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        match parse(args.iter().map(|s| s.to_string()), |k| {
            env.iter().find(|(ek, _)| ek == k).map(|(_, v)| v.clone())
        })? {
            Action::Run(o) => Ok(*o),
            other => Err(format!("{other:?}")),
        }
    }

    #[test]
    fn flags_override_environment() {
        let o = run(
            &["--port", "8080", "--provisioning=1s..2s"],
            &[("FIVETRAN_SIM_PORT", "9"), ("FIVETRAN_SIM_SEED", "5")],
        );
        let Ok(o) = o else { panic!("{o:?}") };
        assert_eq!(o.port, 8080);
        assert_eq!(o.config.seed, Some(5));
        assert_eq!(
            o.config.knobs.provisioning,
            DurationRange {
                min_ms: 1000,
                max_ms: 2000
            }
        );
    }

    #[test]
    fn parses_limits_faults_and_switches() {
        let o = run(
            &[
                "--endpoint-rate-limit",
                "POST /v1/private-links=5/1h",
                "--fault-503",
                "0.25",
                "--fault-after-504",
                "0.05",
                "--fault-after-endpoints",
                "POST /v1/private-links, POST /v1/connections",
                "--quiet",
                "--fail-links",
                "bad_*, worse",
            ],
            &[(
                "FIVETRAN_SIM_ENDPOINT_RATE_LIMITS",
                "GET /v1/groups=1/1s;POST /v1/groups=2/1s",
            )],
        );
        let Ok(o) = o else { panic!("{o:?}") };
        assert_eq!(o.config.knobs.endpoint_rate_limits.len(), 3);
        assert_eq!(o.config.knobs.faults.error_503, 0.25);
        assert_eq!(o.config.knobs.faults.after_commit.error_504, 0.05);
        assert_eq!(o.config.knobs.faults.after_commit.error_500, 0.0);
        assert_eq!(
            o.config.knobs.faults.after_commit.endpoints,
            ["POST /v1/private-links", "POST /v1/connections"]
        );
        assert!(!o.config.log_requests);
        assert!(
            o.config.knobs.private_link_networking_rewrite,
            "on by default"
        );
        assert_eq!(
            o.config.knobs.failing_links,
            vec!["bad_*".to_string(), "worse".to_string()]
        );
    }

    #[test]
    fn parses_documented_limits_from_flag_and_environment() {
        let o = run(&["--limits", "documented,connection-create=5/10s"], &[]);
        let Ok(o) = o else { panic!("{o:?}") };
        assert_eq!(o.config.knobs.limits.len(), 3);
        let o = run(&[], &[("FIVETRAN_SIM_LIMITS", "trial")]);
        assert!(matches!(o, Ok(o) if o.config.knobs.limits == ClassLimit::trial()));
        assert!(run(&["--limits", "lavish"], &[]).is_err());
        let o = run(&[], &[]);
        assert!(
            matches!(o, Ok(o) if o.config.knobs.limits.is_empty()),
            "none by default"
        );
    }

    #[test]
    fn private_link_rewrite_can_be_turned_off() {
        let o = run(&["--no-private-link-rewrite"], &[]);
        assert!(matches!(o, Ok(o) if !o.config.knobs.private_link_networking_rewrite));
        let o = run(&[], &[("FIVETRAN_SIM_NO_PRIVATE_LINK_REWRITE", "1")]);
        assert!(matches!(o, Ok(o) if !o.config.knobs.private_link_networking_rewrite));
        let o = run(&[], &[("FIVETRAN_SIM_NO_PRIVATE_LINK_REWRITE", "0")]);
        assert!(matches!(o, Ok(o) if o.config.knobs.private_link_networking_rewrite));
    }

    #[test]
    fn destination_knobs_are_switches() {
        let o = run(
            &[
                "--destination-first-tests-incomplete",
                "--destination-test-legacy-answer",
            ],
            &[("FIVETRAN_SIM_DESTINATION_METADATA_CONNECTION", "1")],
        );
        assert!(
            matches!(&o, Ok(o) if o.config.knobs.destination_first_setup_tests_incomplete
            && o.config.knobs.destination_metadata_connection
            && o.config.knobs.destination_test_legacy_answer)
        );
        let o = run(&[], &[]);
        assert!(
            matches!(&o, Ok(o) if !o.config.knobs.destination_first_setup_tests_incomplete
            && !o.config.knobs.destination_metadata_connection
            && !o.config.knobs.destination_test_legacy_answer)
        );
    }

    #[test]
    fn rejects_bad_input_without_panicking() {
        for args in [
            &["--port", "x"][..],
            &["--fault-500", "2"],
            &["--nope"],
            &["stray"],
            &["--port"],
            &["--latency", "soon"],
        ] {
            assert!(run(args, &[]).is_err(), "{args:?}");
        }
        assert!(run(&[], &[("FIVETRAN_SIM_RATE_LIMIT", "lots")]).is_err());
    }

    #[test]
    fn help_mentions_every_flag_and_variable() {
        let h = help();
        for f in FLAGS {
            assert!(h.contains(&format!("--{}", f.name)), "{}", f.name);
            assert!(h.contains(f.env), "{}", f.env);
        }
        assert!(matches!(
            parse(["--help".to_string()], |_| None),
            Ok(Action::Help)
        ));
    }
}
