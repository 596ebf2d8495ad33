//! The `fivetran-sim` binary: help, the start-up lines, request logging without secrets,
//! clean exit on SIGTERM and on end of stdin, and bad flags.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;

fn binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_fivetran-sim"))
}

/// Reads the six start-up lines into a map of the `KEY=VALUE` ones.
fn banner(child: &mut Child) -> HashMap<String, String> {
    let stdout = child.stdout.take().expect("piped stdout");
    let mut lines = BufReader::new(stdout).lines();
    let mut out = HashMap::new();
    let first = lines.next().and_then(Result::ok).unwrap_or_default();
    assert!(
        first.starts_with("fivetran-sim listening on http://127.0.0.1:"),
        "{first}"
    );
    for _ in 0..5 {
        let line = lines.next().and_then(Result::ok).unwrap_or_default();
        if let Some((k, v)) = line.split_once('=') {
            out.insert(k.to_string(), v.to_string());
        }
    }
    out
}

fn wait_exit(child: &mut Child) -> std::process::ExitStatus {
    let end = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status;
        }
        assert!(Instant::now() < end, "the simulator did not exit");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn help_documents_every_flag() {
    let out = binary().arg("--help").output().expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for f in fivetran_sim::cli::FLAGS {
        assert!(text.contains(&format!("--{}", f.name)), "{}", f.name);
    }
    let out = binary().arg("--version").output().expect("runs");
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("fivetran-sim "));
}

#[test]
fn bad_flags_exit_2_with_a_message() {
    let out = binary()
        .args(["--port", "not-a-port"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--port"));
    let out = binary()
        .env("FIVETRAN_SIM_FAULT_503", "7")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_logs_without_secrets_and_stops_on_sigterm() {
    let mut child = binary()
        .args([
            "--port",
            "0",
            "--group-id",
            "bin_group",
            "--api-secret",
            "s3cr3t-value",
            "--provisioning",
            "0ms",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let vars = tokio::task::block_in_place(|| banner(&mut child));
    assert_eq!(
        vars.get("FIVETRAN_GROUP_ID").map(String::as_str),
        Some("bin_group")
    );
    assert_eq!(
        vars.get("FIVETRAN_APIKEY").map(String::as_str),
        Some("sim_api_key")
    );
    assert_eq!(
        vars.get("FIVETRAN_APISECRET").map(String::as_str),
        Some("s3cr3t-value")
    );
    let url = vars.get("FIVETRAN_API_URL").cloned().unwrap_or_default();
    assert!(url.ends_with("/v1"));

    let client = reqwest::Client::new();
    let r = client
        .post(format!("{url}/connections"))
        .basic_auth("sim_api_key", Some("s3cr3t-value"))
        .json(&json!({"group_id": "bin_group", "service": "postgres", "paused": true, "config": {"schema_prefix": "b", "password": "db-pa55word"}}))
        .send()
        .await
        .expect("answered");
    assert_eq!(r.status().as_u16(), 201);
    let admin = client
        .get(url.replace("/v1", "/_sim/counters"))
        .send()
        .await
        .expect("answered");
    let counters: serde_json::Value = admin.json().await.expect("json");
    assert_eq!(counters["total"], 1);

    let pid = child.id().to_string();
    let killed = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let status = tokio::task::block_in_place(|| wait_exit(&mut child));
    assert!(status.success(), "{status:?}");
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("piped")
        .read_to_string(&mut stderr)
        .expect("stderr");
    assert!(stderr.contains("POST /v1/connections -> 201"), "{stderr}");
    assert!(
        !stderr.contains("db-pa55word") && !stderr.contains("s3cr3t-value"),
        "{stderr}"
    );
    assert!(stderr.contains("stopped"));
}

fn with_stdin_pipe(flags: &[&str]) -> (Child, HashMap<String, String>) {
    let mut child = binary()
        .args(flags)
        .args(["--quiet", "--port", "0"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts");
    let vars = banner(&mut child);
    (child, vars)
}

#[test]
fn exits_on_stdin_eof_only_when_asked() {
    // Both see end of input at once; the one asked to exits, which shows the EOF arrived.
    let (mut asked, _) = with_stdin_pipe(&["--exit-on-stdin-eof"]);
    let (mut not_asked, vars) = with_stdin_pipe(&[]);
    drop(not_asked.stdin.take());
    drop(asked.stdin.take());
    assert!(wait_exit(&mut asked).success());
    let url = vars.get("FIVETRAN_API_URL").cloned().unwrap_or_default();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let answered = runtime.block_on(async {
        reqwest::get(url.replace("/v1", "/_sim/counters"))
            .await
            .map(|r| r.status().as_u16())
    });
    assert_eq!(
        answered.ok(),
        Some(200),
        "stopped answering after end of stdin without --exit-on-stdin-eof"
    );
    assert!(
        not_asked.try_wait().expect("wait").is_none(),
        "exited on end of stdin without --exit-on-stdin-eof"
    );
    let _ = not_asked.kill();
    let _ = not_asked.wait();
}
