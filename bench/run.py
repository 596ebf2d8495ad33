#!/usr/bin/env python3
"""The benchmark suite (`make bench`): prints a table and writes BENCHMARKS.md.

Every figure is measured in the same run as its anchor:
  1. provider process vs the Go terraform-provider-null 2.1.2 binary (process.py);
  2. Terraform overhead floor: apply / refresh-plan of N private links against a zero-latency
     simulator vs N null_resource with the Go null provider, and vs N null_resource storing as
     much state as a link; with Linux `perf`, a profile of Terraform's CPU in each apply
     (tfprofile.py);
  3. API economy: requests per resource for create, refresh-only plan and destroy;
  4. waiting: detection lag and polls for 5 s / 30 s / 120 s / 600 s provisioning vs a fixed
     10 s loop, and the fewest polls any schedule meeting the lag goal needs;
  5. scale: plan / apply time, provider CPU and peak RSS for ~100, 1,000 and 5,000 resources in
     link -> connection -> certificate pin stacks, vs the same graph of null_resource, with a
     profile of the middle size;
  6. rate-limited throughput: 200 creations under a simulator limit of R requests/s;
  7. Fivetran's documented rate limits (simulator `--limits documented` / `trial`) with the
     provider's default settings (no `requests_per_second`): the client budget's cost on a
     plan of 200 links, 60 gated connections in one apply, a trial account's 500 per hour.
Section 1 measures the default release build. Terraform runs a provider built with the
`bench-switches` feature (copied to target/bench-switches), which adds one thing only: the
FIVETRAN_CLIENT_BUDGET=off switch that sections 2, 5 and 7 use to turn the budget off.
The client's waiter alone has a benchmark of its own: `cargo bench --bench waiter`.
Needs Rust, Terraform, Python 3 and pip (for the Go anchor); `perf` is optional (profiles).
`--quick` shrinks the sizes. The full run takes about 45 minutes on 2 cores.
"""
import argparse
import datetime
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import process  # noqa: E402
import tfprofile  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RELEASE = ROOT / "target" / "release"
# The provider Terraform runs: the release build with the `bench-switches` feature.
SWITCHED = ROOT / "target" / "bench-switches"


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout


class Sim:
    """The simulator binary on a free port, with its admin API."""

    def __init__(self, *flags):
        self.proc = subprocess.Popen([str(RELEASE / "fivetran-sim"), "--port", "0", "--quiet",
                                      "--group-id", GROUP_ID, *flags],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.env = {}
        while len(self.env) < 4:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError("simulator exited")
            m = re.match(r"(FIVETRAN_[A-Z_]+)=(.*)", line.strip())
            if m:
                self.env[m.group(1)] = m.group(2)
        self.root = self.env["FIVETRAN_API_URL"].rsplit("/v1", 1)[0]

    def admin(self, method, path, body=None):
        req = urllib.request.Request(self.root + "/_sim" + path, method=method,
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req) as r:
            text = r.read()
            return json.loads(text) if text else None

    def counters(self):
        c = self.admin("GET", "/counters")
        return c.get("data", c)

    def reset(self):
        self.admin("DELETE", "/counters")

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


def cli_config(dirpath: Path, null_dir: Path) -> Path:
    cfg = dirpath / "cli.tfrc"
    cfg.write_text(
        "provider_installation {\n  dev_overrides {\n"
        f"    \"registry.terraform.io/fivetran/fivetran\" = \"{SWITCHED}\"\n"
        f"    \"registry.terraform.io/hashicorp/null\" = \"{null_dir}\"\n"
        "  }\n  direct {}\n}\n")
    return cfg


USES_FIVETRAN = 'terraform {\n  required_providers {\n    fivetran = { source = "fivetran/fivetran" }\n  }\n}\n'
USES_NULL = 'terraform {\n  required_providers {\n    null = { source = "hashicorp/null" }\n  }\n}\n'
# Sections 2 and 5 measure Terraform's and the provider's own overhead against an unlimited
# simulator; thousands of connection creations would otherwise be spaced by the budget at
# Fivetran's documented 20 per minute (section 7 measures the budget).
NO_BUDGET = {"FIVETRAN_CLIENT_BUDGET": "off"}
# The starting group of every simulator the benchmark starts (so configurations can name it).
GROUP_ID = "bench_group"


def fivetran_provider(rate="10000", burst="1000"):
    """The root module's provider requirements and block, with its request budget."""
    return USES_FIVETRAN + f'provider "fivetran" {{\n  requests_per_second = {rate}\n  request_burst = {burst}\n}}\n'


def links_tf(n, rate="10000", burst="1000"):
    return (
        fivetran_provider(rate, burst) +
        f'resource "fivetran_private_link" "l" {{\n  count = {n}\n  name = "l${{count.index}}"\n'
        '  region = "AWS_US_EAST_1"\n  service = "SOURCE_AWS"\n'
        '  config = { connection_service_name = "svc-${count.index}" }\n}\n')


DATABASE_HOST = "orders-db.internal.example.com"


def stack_keys(stacks):
    """The module instances' keys as an HCL list literal (`range()` stops at 1,024 values)."""
    return json.dumps([str(i) for i in range(stacks)])


def stacks_tf(stacks, group_id, sha256, rate="10000", burst="1000"):
    """`stacks` private-link workflows, as users write many of them: a module (link ->
    connection on it -> pin of the database's certificate, three resources) with `for_each`.
    Returns {file name: text}."""
    module = (
        USES_FIVETRAN +
        'variable "key" {\n  type = string\n}\n'
        'resource "fivetran_private_link" "this" {\n  name = "l${var.key}"\n'
        '  region = "AWS_US_EAST_1"\n  service = "SOURCE_AWS"\n'
        '  config = { connection_service_name = "svc-${var.key}" }\n}\n'
        f'resource "fivetran_connection" "this" {{\n  group_id = "{group_id}"\n'
        '  service = "postgres"\n  schema_prefix = "s${var.key}"\n'
        '  networking_method = "PrivateLink"\n  private_link_id = fivetran_private_link.this.id\n'
        f'  config = {{ host = "{DATABASE_HOST}", port = 5432, database = "orders", user = "fivetran" }}\n}}\n'
        'resource "fivetran_connection_certificate" "this" {\n'
        f'  connection_id = fivetran_connection.this.id\n  sha256 = "{sha256}"\n}}\n')
    root = (
        fivetran_provider(rate, burst) +
        f'module "stack" {{\n  for_each = toset({stack_keys(stacks)})\n'
        '  source = "./stack"\n  key = each.key\n}\n')
    return {"main.tf": root, "stack/main.tf": module}


def nulls_tf(n, triggers=None):
    """`n` null_resource; with `triggers` (a string map) each one stores that map too."""
    body = ""
    if triggers:
        body = "  triggers = {\n" + "".join(f"    {k} = {json.dumps(v)}\n" for k, v in triggers.items()) + "  }\n"
    return (USES_NULL +
            f'resource "null_resource" "n" {{\n  count = {n}\n{body}}}\n')


def null_stacks_tf(stacks):
    """The same graph as `stacks_tf` in null_resource: a module of three, each referring to
    the one before it, with `for_each`."""
    module = (
        'resource "null_resource" "link" {}\n'
        'resource "null_resource" "connection" {\n  triggers = { link = null_resource.link.id }\n}\n'
        'resource "null_resource" "pin" {\n  triggers = { connection = null_resource.connection.id }\n}\n')
    root = (
        USES_NULL +
        f'module "stack" {{\n  for_each = toset({stack_keys(stacks)})\n'
        '  source = "./stack"\n}\n')
    return {"main.tf": root, "stack/main.tf": module}


def state_bytes_per_instance(ws) -> float:
    state = json.loads((ws.dir / "terraform.tfstate").read_text())
    count = sum(len(r["instances"]) for r in state["resources"])
    return (ws.dir / "terraform.tfstate").stat().st_size / max(count, 1)


def same_state_triggers(ws) -> dict:
    """Our first instance's attributes (but `id`) as a flat string map: a null_resource
    holding it stores about as many bytes per instance as our resource does, so Terraform
    does the same state work for it."""
    state = json.loads((ws.dir / "terraform.tfstate").read_text())
    flat = {}
    for key, value in state["resources"][0]["instances"][0]["attributes"].items():
        if key == "id":
            continue
        if isinstance(value, dict):
            flat.update({f"{key}_{k}": str(v) for k, v in value.items()})
        else:
            flat[key] = "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
    return flat


class Workspace:
    """A temporary root module: `tf` is its main.tf, or {file name: text} with modules in
    subdirectories (installed with `terraform get`, untimed)."""

    def __init__(self, tf: "str | dict", sim: "Sim | None", null_dir: Path):
        self.dir = Path(tempfile.mkdtemp(prefix="fivetran-bench-"))
        files = tf if isinstance(tf, dict) else {"main.tf": tf}
        for name, text in files.items():
            (self.dir / name).parent.mkdir(parents=True, exist_ok=True)
            (self.dir / name).write_text(text)
        self.env = dict(os.environ, TF_CLI_CONFIG_FILE=str(cli_config(self.dir, null_dir)),
                        TF_IN_AUTOMATION="1", CHECKPOINT_DISABLE="1")
        self.env.pop("TF_LOG", None)
        if sim:
            self.env.update(sim.env)
        if len(files) > 1:
            subprocess.run(["terraform", "get"], cwd=self.dir, env=self.env, check=True, capture_output=True)

    def tf(self, *args, watch_rss=None):
        """Runs terraform; returns (wall seconds, provider peak RSS KiB). Also records the CPU
        seconds of terraform and its providers (`self.cpu`) and of the providers alone
        (`self.provider_cpu`, sampled while they run)."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        provider_cpu = {}
        start = time.perf_counter()
        proc = subprocess.Popen(["terraform", *args], cwd=self.dir, env=self.env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        peak = 0
        while proc.poll() is None:
            if watch_rss:
                peak = max(peak, provider_rss_kib(watch_rss))
                provider_cpu.update(provider_cpu_seconds(watch_rss))
            time.sleep(0.05)
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        self.provider_cpu = sum(provider_cpu.values())
        if proc.returncode not in (0, 2):
            raise RuntimeError(f"terraform {' '.join(args)} failed: {proc.stderr.read()[-2000:]}")
        return elapsed, peak

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def provider_cpu_seconds(name):
    """CPU seconds so far of each running provider process matching `name`, by pid."""
    out = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            cmdline = (stat.parent / "cmdline").read_text(errors="ignore")
            if "terraform-provider" in cmdline and name in cmdline:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                out[stat.parent.name] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            continue
    return out


def provider_rss_kib(name="fivetran"):
    """The largest RSS among running provider processes whose command line contains `name`."""
    total = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
            cmdline = (status.parent / "cmdline").read_text(errors="ignore")
        except OSError:
            continue
        if "Name:\tterraform-provi" in text and name in cmdline:
            for line in text.splitlines():
                if line.startswith("VmRSS:"):
                    total = max(total, int(line.split()[1]))
    return total


# Rounds of the floor's applies (each from nothing, then destroyed) and refresh plans, run
# interleaved (ours, bare null_resource, null_resource with our state volume); the figures
# are medians, peak memory the highest. One run of each swings by 10-20% on this machine.
FLOOR_APPLY_ROUNDS = 3
FLOOR_PLAN_ROUNDS = 5


def floor(n, null_dir, rows):
    """Apply and refresh-plan of `n` private links against a zero-latency simulator, next to
    `n` null_resource (Terraform's floor for `n` instances) and `n` null_resource storing as
    much state per instance as a private link (Terraform's floor for the same state volume).
    With perf, also profiles Terraform's CPU in each apply (the fourth value returned)."""
    sim = Sim("--provisioning", "0s", "--update", "0s", "--destroy", "0s")
    ours = Workspace(links_tf(n), sim, null_dir)
    nulls = Workspace(nulls_tf(n), None, null_dir)
    heavy = None
    applies = {"ours": [], "null": [], "heavy": []}
    cpu = {"ours": [], "null": []}
    pcpu = {"ours": [], "null": []}
    peak = null_peak = 0
    for r in range(FLOOR_APPLY_ROUNDS):
        if r:
            for w in (ours, nulls, heavy):
                w.tf("destroy", "-auto-approve", "-input=false")
        t, p = ours.tf("apply", "-auto-approve", "-input=false", watch_rss="fivetran")
        applies["ours"].append(t)
        peak = max(peak, p)
        cpu["ours"].append(ours.cpu)
        pcpu["ours"].append(ours.provider_cpu)
        t, p = nulls.tf("apply", "-auto-approve", "-input=false", watch_rss="provider-null")
        applies["null"].append(t)
        null_peak = max(null_peak, p)
        cpu["null"].append(nulls.cpu)
        pcpu["null"].append(nulls.provider_cpu)
        if heavy is None:
            triggers = same_state_triggers(ours)
            heavy = Workspace(nulls_tf(n, triggers), None, null_dir)
        applies["heavy"].append(heavy.tf("apply", "-auto-approve", "-input=false")[0])
    plans = {"ours": [], "null": [], "heavy": []}
    for _ in range(FLOOR_PLAN_ROUNDS):
        for name, w in (("ours", ours), ("null", nulls), ("heavy", heavy)):
            plans[name].append(w.tf("plan", "-input=false", "-detailed-exitcode")[0])
    med = statistics.median
    apply_ours, apply_null, apply_heavy = med(applies["ours"]), med(applies["null"]), med(applies["heavy"])
    plan_ours, plan_null, plan_heavy = med(plans["ours"]), med(plans["null"]), med(plans["heavy"])
    sizes = (state_bytes_per_instance(ours), state_bytes_per_instance(nulls), state_bytes_per_instance(heavy))
    ours.tf("destroy", "-auto-approve", "-input=false")
    for w in (ours, nulls, heavy):
        w.close()
    sim.stop()
    profiles = profile_applies(null_dir, {"ours": links_tf(n), "null": nulls_tf(n), "heavy": nulls_tf(n, triggers)})
    rows.append((f"`terraform apply`, {n} resources (s), median of {FLOOR_APPLY_ROUNDS}", apply_ours, apply_null, "<= 1.3x"))
    rows.append((f"`terraform plan` (refresh), {n} resources (s), median of {FLOOR_PLAN_ROUNDS}", plan_ours, plan_null, "<= 1.3x"))
    rows.append(("  same, anchor = null_resource storing as much state: apply (s)", apply_ours, apply_heavy, "<= 1.3x"))
    rows.append(("  same, anchor = null_resource storing as much state: plan (s)", plan_ours, plan_heavy, "<= 1.3x"))
    rows.append(("  state file bytes per instance (anchor: bare null_resource)", sizes[0], sizes[1], "where the time goes"))
    rows.append((f"  CPU of the providers during that apply (s)", med(pcpu["ours"]), med(pcpu["null"]), "where the time goes"))
    rows.append((f"  CPU of Terraform itself during that apply (s)",
                 med(c - p for c, p in zip(cpu["ours"], pcpu["ours"])),
                 med(c - p for c, p in zip(cpu["null"], pcpu["null"])), "where the time goes"))
    return peak, null_peak, sizes, profiles


def profile_applies(null_dir, configs):
    """{name: (CPU s by activity, state bytes per instance)} of Terraform during a fresh apply
    of each config under perf, on a simulator of its own; or the reason there is no profile."""
    why_not = tfprofile.available()
    if why_not:
        return why_not
    sim = Sim("--provisioning", "0s", "--update", "0s", "--destroy", "0s")
    out = {}
    for name, config in configs.items():
        ws = Workspace(config, sim, null_dir)
        ws.env.update(NO_BUDGET)
        data = ws.dir / "perf.data"
        tfprofile.record(["terraform", "apply", "-auto-approve", "-input=false"], ws.dir, ws.env, data)
        out[name] = (tfprofile.buckets(data), state_bytes_per_instance(ws))
        ws.close()
    sim.stop()
    return out


def profile_table(profiles, columns):
    """Markdown rows of the profiles named by `columns` ({name: heading})."""
    rows = ["| Terraform was | " + " | ".join(columns.values()) + " |",
            "| --- |" + " ---: |" * len(columns)]
    for label in tfprofile.LABELS:
        name = f"**{label}**" if label == "total" else label
        rows.append(f"| {name} | " + " | ".join(f"{profiles[k][0].get(label, 0.0):.2f}" for k in columns) + " |")
    return rows


def economy_cases(n, presented):
    """(resource type, parents' HCL, the measured resources' HCL, how many, destination setup)
    for every resource type; parents are created first and not counted. `presented(host)` is
    what a source at `host` shows the setup tests."""
    group_id = GROUP_ID
    cert = lambda host: f'{{ host = "{host}", port = 5432, database = "orders", user = "fivetran" }}'
    tunnel = '{ host = "db.example.com", tunnel_host = "bastion.example.com", port = 5432, database = "orders", user = "fivetran" }'
    link = ('resource "fivetran_private_link" "parent" {\n  name = "parent"\n  region = "AWS_US_EAST_1"\n'
            '  service = "SOURCE_AWS"\n  config = { connection_service_name = "svc-parent" }\n}\n')
    def connections(config):
        return (f'resource "fivetran_connection" "parent" {{\n  count = {n}\n  group_id = "{group_id}"\n'
                f'  service = "postgres"\n  schema_prefix = "p${{count.index}}"\n  config = {config}\n}}\n')
    sha256 = presented("db.example.com")["certificate"]["sha256"]
    host_key = presented("bastion.example.com")["host_key"]["public_key"]
    groups = f'resource "fivetran_group" "parent" {{\n  count = {n}\n  name = "p${{count.index}}"\n}}\n'
    warehouse_link = ('resource "fivetran_private_link" "warehouse" {\n  name = "warehouse"\n'
                      '  region = "AWS_US_EAST_1"\n  service = "SNOWFLAKE_AWS"\n'
                      '  config = { account_url = "acme.privatelink.snowflakecomputing.com", vpce_id = "vpce-1" }\n}\n')
    warehouse = '{ host = "warehouse.example.com", port = 443, database = "ANALYTICS", auth = "PASSWORD", user = "FIVETRAN" }'
    destinations = (f'resource "fivetran_destination" "parent" {{\n  count = {n}\n'
                    '  group_id = fivetran_group.parent[count.index].id\n  service = "snowflake"\n'
                    '  time_zone_offset = "0"\n  networking_method = "PrivateLink"\n'
                    '  private_link_id = fivetran_private_link.warehouse.id\n'
                    f'  config = {warehouse}\n  config_secrets = {{ password = "p" }}\n}}\n')
    pins = (f'resource "fivetran_connection_certificate" "parent" {{\n  count = {n}\n'
            f'  connection_id = fivetran_connection.parent[count.index].id\n  sha256 = "{sha256}"\n}}\n')
    return [
        ("fivetran_private_link", "",
         f'resource "fivetran_private_link" "m" {{\n  count = {n}\n  name = "m${{count.index}}"\n'
         '  region = "AWS_US_EAST_1"\n  service = "SOURCE_AWS"\n'
         '  config = { connection_service_name = "svc-${count.index}" }\n}\n', n, None),
        ("fivetran_connection", link,
         f'resource "fivetran_connection" "m" {{\n  count = {n}\n  group_id = "{group_id}"\n'
         '  service = "postgres"\n  schema_prefix = "m${count.index}"\n'
         '  networking_method = "PrivateLink"\n  private_link_id = fivetran_private_link.parent.id\n'
         f'  config = {cert("db.example.com")}\n}}\n', n, None),
        ("fivetran_connection_certificate", connections(cert("db.example.com")),
         pins.replace('"parent"', '"m"', 1), n, None),
        ("fivetran_connection_fingerprint", connections(tunnel),
         f'resource "fivetran_connection_fingerprint" "m" {{\n  count = {n}\n'
         f'  connection_id = fivetran_connection.parent[count.index].id\n  public_key = "{host_key}"\n}}\n', n, None),
        ("fivetran_connection_setup_tests", connections(cert("db.example.com")) + pins,
         f'resource "fivetran_connection_setup_tests" "m" {{\n  count = {n}\n'
         '  connection_id = fivetran_connection.parent[count.index].id\n  paused = false\n'
         '  depends_on = [fivetran_connection_certificate.parent]\n}\n', n, None),
        ("fivetran_group", "",
         f'resource "fivetran_group" "m" {{\n  count = {n}\n  name = "g${{count.index}}"\n}}\n', n, None),
        ("fivetran_destination", groups + warehouse_link,
         f'resource "fivetran_destination" "m" {{\n  count = {n}\n'
         '  group_id = fivetran_group.parent[count.index].id\n  service = "snowflake"\n'
         '  time_zone_offset = "0"\n  networking_method = "PrivateLink"\n'
         '  private_link_id = fivetran_private_link.warehouse.id\n'
         f'  config = {warehouse}\n  config_secrets = {{ password = "p" }}\n}}\n', n, None),
        ("fivetran_destination_setup_tests", groups + warehouse_link + destinations,
         f'resource "fivetran_destination_setup_tests" "m" {{\n  count = {n}\n'
         '  destination_id = fivetran_destination.parent[count.index].id\n'
         '  trust_certificates = true\n}\n', n, None),
        ("fivetran_destination_certificate", "",
         f'resource "fivetran_destination_certificate" "m" {{\n  destination_id = "{group_id}"\n'
         f'  sha256 = "{presented("warehouse.example.com")["certificate"]["sha256"]}"\n}}\n', 1,
         {"host": "warehouse.example.com", "tunnel_host": None}),
        ("fivetran_destination_fingerprint", "",
         f'resource "fivetran_destination_fingerprint" "m" {{\n  destination_id = "{group_id}"\n'
         f'  public_key = "{presented("bastion.example.com")["host_key"]["public_key"]}"\n}}\n', 1,
         {"host": "warehouse.example.com", "tunnel_host": "bastion.example.com"}),
    ]


def presented(host):
    """What a source at `host` presents to setup tests (the same in every simulator)."""
    sim = Sim()
    try:
        return sim.admin("GET", f"/presented/{host}")
    finally:
        sim.stop()


def economy(null_dir, n=10):
    """{resource type: {phase: (requests per resource, {endpoint: count})}}. Parents are created
    first; creates and destroys run with -refresh=false (destroy targeted at the measured
    resources) so only their own requests count; refresh is a refresh-only plan minus the
    parents' own refresh."""
    out = {}
    for kind, parents, measured, count, destination in economy_cases(n, presented):
        sim = Sim("--provisioning", "0s", "--update", "0s", "--destroy", "0s")
        if destination:
            sim.admin("PATCH", f"/destinations/{GROUP_ID}", destination)
        ws = Workspace(fivetran_provider() + parents, sim, null_dir)
        ws.tf("apply", "-auto-approve", "-input=false")

        def counted(*args):
            sim.reset()
            ws.tf(*args)
            c = sim.counters()
            return c["total"], c.get("endpoints", {})

        parents_refresh, parents_endpoints = counted("plan", "-refresh-only", "-input=false")
        (ws.dir / "main.tf").write_text(fivetran_provider() + parents + measured)
        phases = {"create": counted("apply", "-auto-approve", "-input=false", "-refresh=false")}
        total, endpoints = counted("plan", "-refresh-only", "-input=false")
        phases["refresh"] = (total - parents_refresh,
                             {k: v - parents_endpoints.get(k, 0) for k, v in endpoints.items()
                              if v - parents_endpoints.get(k, 0)})
        targets = [f"-target={kind}.m" for kind in re.findall(r'resource "([a-z_]+)" "m"', measured)]
        phases["destroy"] = counted("destroy", "-auto-approve", "-input=false", "-refresh=false", *targets)
        out[kind] = {phase: (total / count, endpoints) for phase, (total, endpoints) in phases.items()}
        ws.close()
        sim.stop()
    return out


def waiting(null_dir, seconds):
    """Our provider's wait vs a fixed 10 s polling loop on the same simulator, concurrently."""
    sim = Sim("--provisioning", f"{seconds}s")
    ws = Workspace(links_tf(1, rate="10"), sim, null_dir)
    result = {}

    def fixed_loop():
        import base64
        auth = base64.b64encode(f"{sim.env['FIVETRAN_APIKEY']}:{sim.env['FIVETRAN_APISECRET']}".encode()).decode()
        base = sim.env["FIVETRAN_API_URL"]
        headers = {"Authorization": "Basic " + auth, "Content-Type": "application/json"}
        body = json.dumps({"name": "fixed", "region": "AWS_US_EAST_1", "service": "SOURCE_AWS",
                           "config": {"connection_service_name": "svc-fixed"}}).encode()
        with urllib.request.urlopen(urllib.request.Request(base + "/private-links", data=body, headers=headers)) as r:
            link_id = json.loads(r.read())["data"]["id"]
        polls = 0
        while True:
            time.sleep(10)
            polls += 1
            with urllib.request.urlopen(urllib.request.Request(f"{base}/private-links/{link_id}", headers=headers)) as r:
                if json.loads(r.read())["data"]["state"] == "OK":
                    result["fixed_done"] = time.time()
                    result["fixed_polls"] = polls
                    result["fixed_id"] = link_id
                    return

    t = threading.Thread(target=fixed_loop)
    t.start()
    ws.tf("apply", "-auto-approve", "-input=false")
    ours_done = time.time()
    t.join()
    links = sim.admin("GET", "/inventory")["private_links"]
    ours_id = next(l["id"] for l in links if l["name"] == "l0")
    def ready(i):
        tl = sim.admin("GET", f"/timeline/{i}")
        tl = tl.get("data", tl)
        return tl["ready_at_unix_ms"] / 1000.0
    counts = sim.counters()["endpoints"]
    gets = counts.get("GET /v1/private-links/{privateLinkId}", 0) - result["fixed_polls"]
    figures = (ours_done - ready(ours_id), gets, result["fixed_done"] - ready(result["fixed_id"]), result["fixed_polls"])
    ws.tf("destroy", "-auto-approve", "-input=false")
    ws.close()
    sim.stop()
    return figures


def throughput(null_dir, n=200, rate=20):
    sim = Sim("--provisioning", "0s", "--update", "0s", "--destroy", "0s", "--rate-limit", f"{rate}/1s")
    ws = Workspace(links_tf(n, rate=str(rate), burst="2"), sim, null_dir)
    sim.reset()
    wall, _ = ws.tf("apply", "-auto-approve", "-input=false", "-parallelism=20")
    c = sim.counters()
    ws.tf("destroy", "-auto-approve", "-input=false")
    ws.close()
    sim.stop()
    # The least a client can send: one POST and one readiness GET per link.
    return wall, c["total"], 2 * n / rate


def where_the_time_goes(n, sizes, profiles):
    """The profile table and its reading, for section 1-2."""
    out = [f"\n### Where Terraform's time goes in the {n}-resource apply\n"]
    if isinstance(profiles, str):
        return out + [f"No profile: {profiles}. Install Linux `perf` to get one."]
    out.append(
        "CPU seconds of the `terraform` process (not the providers) by what it was doing, from "
        "`perf record` symbolized with Terraform's own Go function table (bench/tfprofile.py): "
        "a sample counts for the first row whose function is on its stack.\n")
    out.extend(profile_table(profiles, {"ours": "with our private links", "null": "with bare null_resource",
                                        "heavy": "with null_resource storing as much state as ours"}))
    rewrite = tfprofile.BUCKETS[0][0]
    ours, null = profiles["ours"][0], profiles["null"][0]
    extra = ours["total"] - null["total"]
    from_state = (ours.get(rewrite, 0) - null.get(rewrite, 0)
                  + ours.get("garbage collection", 0) - null.get("garbage collection", 0))
    out.append(
        f"\nReading: after every resource it applies, Terraform serializes and rewrites the whole "
        f"state file (`statemgr.(*Filesystem).WriteState`, called from the state hook), so an "
        f"apply of n resources writes O(n^2) bytes. A private link's instance takes "
        f"{sizes[0]:.0f} bytes of state (its 12 attributes and `timeouts`, as the official "
        f"provider's 11 attributes would) against {sizes[1]:.0f} for a bare null_resource. Of "
        f"the {extra:.2f} CPU s Terraform spends more with our links than with null_resource, "
        f"{from_state:.2f} s are that rewrite and the garbage it makes. The same null_resource "
        f"storing {sizes[2]:.0f} bytes per instance costs Terraform {profiles['heavy'][0]['total']:.2f} "
        f"CPU s against {ours['total']:.2f} s with our links: the gap to the bare "
        f"null_resource is the state volume of a real resource, which no provider with these "
        f"attributes avoids; the provider's own CPU is the lower of the two (rows above).")
    return out


def fewest_polls(seconds):
    """Least polls (the one at t = 0 included) that detect readiness at `seconds` with a lag of
    at most 1 s + 10% of the provisioning time for every provisioning time: each gap after a
    poll at t may be at most 1 + 0.1 t, so poll k comes no later than 10 * 1.1^k - 10."""
    k = 0
    while 10 * 1.1 ** k - 10 < seconds:
        k += 1
    return k + 1


def scale_profile(size, null_dir):
    """Terraform's CPU by activity while applying `size` resources in stacks, ours vs the anchor."""
    out = [f"\n### Where Terraform's time goes applying {size} resources in stacks\n"]
    sha256 = presented(DATABASE_HOST)["certificate"]["sha256"]
    profiles = profile_applies(null_dir, {"ours": stacks_tf(size // 3, GROUP_ID, sha256),
                                          "anchor": null_stacks_tf(size // 3)})
    if isinstance(profiles, str):
        return out + [f"No profile: {profiles}."]
    out.extend(profile_table(profiles, {"ours": "with our stacks", "anchor": "with the null_resource stacks"}))
    out.append(
        f"\nBoth columns are dominated by work Terraform repeats for every resource over all the "
        f"others: rewriting the whole state after each one (our stacks store "
        f"{profiles['ours'][1]:.0f} bytes per instance, the anchor {profiles['anchor'][1]:.0f}), "
        f"the garbage that makes, and building graphs. None of it runs in a provider.")
    return out


SECTIONS = ["1-2", "3", "4", "5", "6", "7", "8"]
SECTION_CACHE = Path(__file__).resolve().parent / ".cache" / "sections"


def section_process_and_floor(args, null_dir, null_bin):
    lines = []
    cert = process.client_cert_pem()
    runs = 5 if args.quick else 20
    ours = process.measure(RELEASE / "terraform-provider-fivetran", runs, cert)
    go = process.measure(null_bin, runs, cert)
    rows = [("Release binary size (MB)", ours["binary_bytes"] / 1e6, go["binary_bytes"] / 1e6, "<= 0.5x"),
            (f"Exec to handshake line, median of {runs} (ms)", ours["handshake_ms_median"], go["handshake_ms_median"], "<= 0.5x"),
            ("RSS after handshake (MB)", ours["rss_kib_median"] / 1024, go["rss_kib_median"] / 1024, "<= 0.5x")]
    n = 100 if args.quick else 500
    peak, null_peak, sizes, profiles = floor(n, null_dir, rows)
    lines.append("\n## 1-2. Provider process and Terraform overhead floor\n")
    lines.append("| Figure | ours | anchor (Go null 2.1.2) | ratio | goal |\n| --- | ---: | ---: | ---: | --- |")
    for name, a, b, goal in rows:
        lines.append(f"| {name} | {a:.2f} | {b:.2f} | {a / b:.2f}x | {goal} |")
    lines.append(f"| Provider peak RSS during the {n}-resource apply (MB) | {peak / 1024:.1f} | {null_peak / 1024:.1f} | {peak / max(null_peak, 1):.2f}x | <= 0.5x |")
    lines.extend(where_the_time_goes(n, sizes, profiles))
    return lines


def section_economy(args, null_dir, null_bin):
    eco = economy(null_dir, n=3 if args.quick else 10)
    lines = ["\n## 3. API economy (requests per resource, every resource type)\n",
             "Counted by the simulator; parents (the link of a connection, the connection of a pin) "
             "are created beforehand and not counted. Goal: refresh <= 1 request per resource; "
             "create and destroy minimal.\n",
             "| Resource | create | refresh | destroy | requests while creating | while destroying |",
             "| --- | ---: | ---: | ---: | --- | --- |"]
    for kind, phases in eco.items():
        detail = lambda phase: ", ".join(f"{k}: {v}" for k, v in sorted(phases[phase][1].items()))
        lines.append(f"| `{kind}` | {phases['create'][0]:.2f} | {phases['refresh'][0]:.2f} "
                     f"| {phases['destroy'][0]:.2f} | {detail('create')} | {detail('destroy')} |")
    lines.append(
        "\nEvery request above has a job. A private link's create and destroy each end with the "
        "readiness wait's first check (it is ready, or gone, at once here). A connection checks "
        "its private link is `OK` before creating (it waits if not: a link made with "
        "`wait_for_ready = false` or outside this configuration). A pin first lists the parent's "
        "approvals: when the pinned certificate or key is already approved (a retried or "
        "interrupted apply) it is adopted without running the setup tests, which take tens of "
        "seconds on real sources; otherwise it reads whether the parent's last tests passed (one "
        "GET), the tests reveal what is presented and exactly that is approved, and when they had "
        "passed before they run once more, so that the parent is left connected as it was found "
        "(the simulator's destination starts connected, hence its second test run; a new "
        "connection has never passed, so its gate runs them). A pin's destroy lists the "
        "approvals for the id the API revokes by, then deletes it. The gate runs the tests and "
        "sets the paused state; its destroy pauses the connection again. A group is one POST "
        "and one DELETE. A destination, like a connection, checks its private link is `OK` "
        "before creating; its destroy is one DELETE. A destination's gate runs the tests once "
        "(twice only when a first run ends `incomplete` without a failure) and its destroy asks "
        "nothing. Each refresh is one GET.")
    return lines


def section_waiting(args, null_dir, null_bin):
    lines = []
    lines.append("\n## 4. Waiting for a private link (detection lag, polls)\n")
    lines.append(
        "| Provisioning | our lag (s) | our polls | lag goal | fewest polls any schedule meeting the lag goal needs "
        "| fixed 10 s loop lag (s) | loop polls |\n| --- | ---: | ---: | --- | ---: | ---: | ---: |")
    for seconds in ([5] if args.quick else [5, 30, 120, 600]):
        lag, polls, fixed_lag, fixed_polls = waiting(null_dir, seconds)
        lines.append(f"| {seconds} s | {lag:.2f} | {polls} | <= {1 + 0.1 * seconds:.1f} s | {fewest_polls(seconds)} "
                     f"| {fixed_lag:.2f} | {fixed_polls} |")
    lines.append(
        "\nPolls count every readiness GET, the first one right after the create included. A schedule "
        "whose lag never exceeds 1 s + 10% of the provisioning time must poll again at most "
        "1 s + 10% of the elapsed time after each poll (the link may become ready just after "
        "one), so its polls are at least 1 + log(1 + T/10 s) / log(1.1) by time T: our waiter "
        "sits on that bound. The fixed loop polls less for short waits by allowing up to 10 s of "
        "lag, and more once waits pass about 7 minutes. Its lag above is near 0 for 30 s, 120 s "
        "and 600 s only because the simulator's provisioning times are exact multiples of its "
        "period (its best case); a link ready just after one of its polls waits 10 s more.")
    return lines


def section_scale(args, null_dir, null_bin):
    lines = []
    lines.append("\n## 5. Scale (a module of link -> connection -> certificate pin, with for_each; zero-latency simulator)\n")
    lines.append(
        "Goal: time grows linearly, memory sub-linearly per resource. The anchor is the same graph "
        "in null_resource: the same module of three, each referring to the one before it, with "
        "`for_each`, run with the Go null provider. A module per database is how a configuration "
        "of many private connections is written (examples/modules/private-connection); with "
        "`count` and `resource[count.index]` references instead, every instance depends on every "
        "instance of the resource it refers to, and Terraform's graph work grows quadratically "
        "for any provider (at ~5,000 such resources it planned for over 10 minutes with no "
        "provider call).\n")
    lines.append(
        "| Resources | apply (s) | anchor apply (s) | ratio | plan (s) | anchor plan (s) | ratio "
        "| apply ms / resource | anchor ms / resource | provider CPU in apply (s) | provider CPU / resource | provider peak RSS (MB) |\n"
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    scale = []
    for size in ([99, 999] if args.quick else [99, 999, 4998]):
        sim = Sim("--provisioning", "0s", "--update", "0s", "--destroy", "0s")
        sha256 = sim.admin("GET", f"/presented/{DATABASE_HOST}")["certificate"]["sha256"]
        ws = Workspace(stacks_tf(size // 3, GROUP_ID, sha256), sim, null_dir)
        ws.env.update(NO_BUDGET)
        apply_t, peak = ws.tf("apply", "-auto-approve", "-input=false", watch_rss="fivetran")
        provider_cpu = ws.provider_cpu
        plan_t, _ = ws.tf("plan", "-input=false", "-detailed-exitcode")
        ws.close()
        sim.stop()
        nulls = Workspace(null_stacks_tf(size // 3), None, null_dir)
        null_t, _ = nulls.tf("apply", "-auto-approve", "-input=false")
        null_plan, _ = nulls.tf("plan", "-input=false", "-detailed-exitcode")
        nulls.close()
        scale.append((size, provider_cpu, peak))
        lines.append(
            f"| {size} | {apply_t:.1f} | {null_t:.1f} | {apply_t / null_t:.2f}x | {plan_t:.1f} | {null_plan:.1f} "
            f"| {plan_t / null_plan:.2f}x | {apply_t / size * 1000:.1f} | {null_t / size * 1000:.1f} "
            f"| {provider_cpu:.2f} | {provider_cpu / size * 1000:.2f} ms | {peak / 1024:.1f} |")
    (mid, cpu_mid, _), (large, cpu_large, _) = scale[-2], scale[-1]
    rss = [peak for _, _, peak in scale]
    lines.append(
        f"\nThe provider's own share grows linearly: {cpu_mid / mid * 1000:.2f} ms of CPU per "
        f"resource at {mid} resources, {cpu_large / large * 1000:.2f} ms at {large} (CPU is sampled "
        f"from /proc every 50 ms, so the shortest run undercounts); its peak memory stays between "
        f"{min(rss) / 1024:.1f} and {max(rss) / 1024:.1f} MB. Terraform's time per resource grows "
        f"with the count for our resources and for the anchor alike; the profile below "
        f"({scale[1][0]} resources) shows why. Plans differ from the anchor by more than applies: "
        f"a refresh of ours is a real API request per resource (section 3) where null_resource "
        f"has nothing to read, and Terraform decodes, compares and re-encodes every instance's "
        f"state, which is larger.")
    lines.extend(scale_profile(scale[1][0], null_dir))
    return lines


def section_throughput(args, null_dir, null_bin):
    lines = []
    wall, total, ideal = throughput(null_dir, n=50 if args.quick else 200)
    lines.append("\n## 6. Rate-limited throughput (simulator limit 20 requests/s)\n")
    lines.append("| Creations | requests sent (incl. 429s) | wall (s) | ideal = 2 requests per link / 20 (s) | ratio | goal |\n| ---: | ---: | ---: | ---: | ---: | --- |")
    lines.append(f"| {50 if args.quick else 200} | {total} | {wall:.1f} | {ideal:.1f} | {wall / ideal:.2f}x | <= 1.2x, 0 errors |")
    return lines


DEFAULT_PROVIDER = USES_FIVETRAN + 'provider "fivetran" {}\n'


def run_tf(ws, *args, env=None):
    """Runs terraform, returning (wall seconds, exit code, output), never raising."""
    start = time.perf_counter()
    p = subprocess.run(["terraform", *args], cwd=ws.dir, env=dict(ws.env, **(env or {})),
                       capture_output=True, text=True)
    return time.perf_counter() - start, p.returncode, p.stdout + p.stderr


def budget_cost(null_dir, n):
    """Apply and refresh-only plan of `n` links against the documented limits, with the
    provider's defaults and with the budget off (FIVETRAN_CLIENT_BUDGET=off, bench only)."""
    tf = DEFAULT_PROVIDER + links_tf(n).split("resource ", 1)[1].join(["resource ", ""])
    out = {}
    for label, env in (("default settings", {}), ("budget off", {"FIVETRAN_CLIENT_BUDGET": "off"})):
        sim = Sim("--provisioning", "0s", "--update", "0s", "--destroy", "0s", "--limits", "documented")
        ws = Workspace(tf, sim, null_dir)
        ws.env.pop("FIVETRAN_CLIENT_BUDGET", None)
        ws.env.update(env)
        apply, rc, text = run_tf(ws, "apply", "-auto-approve", "-input=false")
        assert rc == 0, text[-2000:]
        plan, rc, text = run_tf(ws, "plan", "-refresh-only", "-input=false", "-detailed-exitcode")
        assert rc == 0, text[-2000:]
        out[label] = (apply, plan)
        run_tf(ws, "destroy", "-auto-approve", "-input=false")
        ws.close()
        sim.stop()
    return out


def gated_connections(null_dir, n, sha256):
    """`n` connections, each pinned and gated by setup tests, in one apply against the
    documented per-endpoint limits. Returns (wall, exit code, output, requests log, wall of
    the same apply without limits)."""
    tf = (DEFAULT_PROVIDER +
          f'resource "fivetran_connection" "c" {{\n  count = {n}\n  group_id = "{GROUP_ID}"\n'
          '  service = "postgres"\n  schema_prefix = "c${count.index}"\n'
          f'  config = {{ host = "{DATABASE_HOST}", port = 5432, database = "orders", user = "fivetran" }}\n}}\n'
          f'resource "fivetran_connection_certificate" "c" {{\n  count = {n}\n'
          f'  connection_id = fivetran_connection.c[count.index].id\n  sha256 = "{sha256}"\n}}\n'
          f'resource "fivetran_connection_setup_tests" "c" {{\n  count = {n}\n'
          '  connection_id = fivetran_connection.c[count.index].id\n  paused = false\n'
          '  depends_on = [fivetran_connection_certificate.c]\n}\n')
    results = {}
    for limits in ("none", "documented"):
        sim = Sim("--provisioning", "0s", "--update", "0s", "--destroy", "0s", "--limits", limits)
        ws = Workspace(tf, sim, null_dir)
        # Without limits, the budget off too: the time the apply takes when nothing waits.
        env = NO_BUDGET if limits == "none" else {}
        wall, rc, text = run_tf(ws, "apply", "-auto-approve", "-input=false", "-no-color", env=env)
        log = sim.admin("GET", "/requests")
        log = log.get("data", log) if isinstance(log, dict) else log
        results[limits] = (wall, rc, text, log)
        ws.close()
        sim.stop()
    return results


def trial_account(null_dir, n):
    """`n` links (more requests than 500) under the trial limits, with a 1-minute create
    timeout; then the windows reset (standing for the hour passing) and a second apply."""
    tf = (DEFAULT_PROVIDER +
          f'resource "fivetran_private_link" "l" {{\n  count = {n}\n  name = "l${{count.index}}"\n'
          '  region = "AWS_US_EAST_1"\n  service = "SOURCE_AWS"\n'
          '  config = { connection_service_name = "svc-${count.index}" }\n'
          '  timeouts {\n    create = "1m"\n  }\n}\n')
    sim = Sim("--provisioning", "0s", "--update", "0s", "--destroy", "0s", "--limits", "trial")
    ws = Workspace(tf, sim, null_dir)
    first = run_tf(ws, "apply", "-auto-approve", "-input=false", "-no-color")
    inventory = sim.admin("GET", "/inventory")
    inventory = inventory.get("data", inventory)
    in_api = len(inventory.get("private_links", []))
    state = json.loads((ws.dir / "terraform.tfstate").read_text()) if (ws.dir / "terraform.tfstate").exists() else {"resources": []}
    in_state = sum(len(r["instances"]) for r in state["resources"])
    knobs = sim.admin("GET", "/knobs")
    sim.admin("PUT", "/knobs", knobs.get("data", knobs))  # windows start afresh
    second = run_tf(ws, "apply", "-auto-approve", "-input=false")
    sim.admin("PUT", "/knobs", knobs.get("data", knobs))
    plan = run_tf(ws, "plan", "-input=false", "-detailed-exitcode")
    ws.close()
    sim.stop()
    return first, in_api, in_state, second, plan


def first_error(text):
    """The first `Error:` diagnostic's summary and detail lines, joined."""
    lines = [l.strip(" │╷╵") .strip() for l in text.splitlines()]
    for i, l in enumerate(lines):
        if l.startswith("Error:"):
            keep = [x for x in lines[i:i + 12] if x and not re.match(r"(with |on |\d+:)", x)]
            return " ".join(keep[:4]).replace("|", "/")[:600]
    return "(none)"


def section_rate_limits(args, null_dir, null_bin):
    lines = ["\n## 7. Fivetran's documented rate limits, provider defaults\n",
             "Every run below uses the provider block `provider \"fivetran\" {}`: no `requests_per_second`, "
             "so only the client budget (src/client/budget.rs) paces requests. The simulator enforces "
             "Fivetran's documented limits over rolling windows (`--limits documented`: all requests "
             "20,000/hour, connection creation 20/minute and 600/hour, setup tests 250/minute and 2,500/hour; "
             "`--limits trial`: 500/hour), with zero latency and instant provisioning. \"Budget off\" "
             "sets `FIVETRAN_CLIENT_BUDGET=off`, a switch that exists only for this measurement (built in "
             "with the `bench-switches` feature, never in a release).\n"]
    n = 50 if args.quick else 200
    cost = budget_cost(null_dir, n)
    (a_on, p_on), (a_off, p_off) = cost["default settings"], cost["budget off"]
    lines.append(f"### a. The budget's cost: {n} private links, documented global limit\n")
    lines.append("| Run | apply (s) | refresh-only plan (s) |\n| --- | ---: | ---: |")
    lines.append(f"| default settings | {a_on:.1f} | {p_on:.1f} |")
    lines.append(f"| budget off | {a_off:.1f} | {p_off:.1f} |")
    lines.append(f"| ratio | {a_on / a_off:.2f}x | {p_on / p_off:.2f}x |\n")
    lines.append("Goal: within 1.2x of the budget-off run.\n")

    conns = 20 if args.quick else 60
    sha256 = presented(DATABASE_HOST)["certificate"]["sha256"]
    g = gated_connections(null_dir, conns, sha256)
    wall, rc, text, log = g["documented"]
    tail = g["none"][0]
    creations = [r for r in log if r["endpoint"] == "POST /v1/connections"]
    first_at = min((epoch(r["at"]) for r in creations), default=0.0)
    refused = [r for r in creations if r["status"] == 429]
    late = [r for r in refused if epoch(r["at"]) >= first_at + 60]
    batches = (conns - 1) // 20
    ideal = 60 * batches + tail
    errors = text.count("Error:")
    lines.append(f"### b. {conns} connections, each pinned and gated by setup tests, one apply\n")
    lines.append("| exit | errors shown | creation 429s (all / after the first window) | all 429s | wall (s) | ideal (s) | ratio |\n"
                 "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    lines.append(f"| {rc} | {errors} | {len(refused)} / {len(late)} | {sum(r['status'] == 429 for r in log)} | "
                 f"{wall:.1f} | {ideal:.1f} | {wall / ideal:.2f}x |\n")
    lines.append(f"The ideal: connection creation is the binding limit (20 per rolling minute; the "
                 f"{conns} setup-test runs stay far below 250 per minute). The first 20 creations go at "
                 f"once, each further 20 one minute after the previous 20, so the last batch starts at "
                 f"{60 * batches} s; add the time the same apply takes when nothing limits it (simulator "
                 f"without limits, budget off: {tail:.1f} s, its pins, setup tests and Terraform's own "
                 f"work): {ideal:.1f} s. Goal: 0 errors, no "
                 f"creation 429 after the first window, within 1.2x of the ideal.\n")

    links = 100 if args.quick else 300
    first, in_api, in_state, second, plan = trial_account(null_dir, links)
    lines.append(f"### c. A trial account (500 requests/hour) and an apply of {links} private links\n")
    lines.append("| Run | exit | wall (s) | outcome |\n| --- | ---: | ---: | --- |")
    lines.append(f"| first apply (create timeout 1m) | {first[1]} | {first[0]:.1f} | {first[2].count('Error:')} errors; first: {first_error(first[2])} |")
    lines.append(f"| links in the API / in the state after it | | | {in_api} / {in_state} |")
    lines.append(f"| second apply after the window resets | {second[1]} | {second[0]:.1f} | {second[2].count('Error:')} errors |")
    lines.append(f"| plan after it (`-detailed-exitcode`, 0 = converged) | {plan[1]} | {plan[0]:.1f} | |\n")
    lines.append("The reset stands for the hour passing: the simulator's windows are started afresh "
                 "(`PUT /_sim/knobs`) instead of waiting an hour.\n")
    return lines


def epoch(at):
    """Seconds since the epoch of the simulator's RFC 3339 time."""
    return datetime.datetime.fromisoformat(at.replace("Z", "+00:00")).timestamp()


def many_links(null_dir, n, provisioning, parallelism):
    """Applies n private links that each provision for `provisioning` seconds with
    `-parallelism` (None: Terraform's default, 10). Returns (wall seconds, rounds): a round is
    a group of creates sent together, counted from the simulator's request times."""
    sim = Sim("--provisioning", f"{provisioning}s", "--update", "0s", "--destroy", "0s")
    ws = Workspace(links_tf(n), sim, null_dir)
    args = ["apply", "-auto-approve", "-input=false"]
    if parallelism:
        args.append(f"-parallelism={parallelism}")
    wall, _ = ws.tf(*args)
    log = sim.admin("GET", "/requests")
    log = log.get("data", log) if isinstance(log, dict) else log
    posts = sorted(r["at_unix_ms"] / 1000.0 for r in log if r["endpoint"] == "POST /v1/private-links")
    rounds = 1 + sum(1 for a, b in zip(posts, posts[1:]) if b - a > provisioning / 2)
    ws.tf("destroy", "-auto-approve", "-input=false", f"-parallelism={max(parallelism or 10, 10)}")
    ws.close()
    sim.stop()
    return wall, rounds


def section_parallelism(args, null_dir, null_bin):
    n = 12 if args.quick else 30
    provisioning = 5 if args.quick else 10
    lines = [f"\n## 8. Many private links and Terraform's `-parallelism` ({n} links, each provisioning {provisioning} s)\n",
             "Each create holds one of Terraform's concurrent operations until its link is `OK` "
             "(Create blocks until the remote object is ready). Terraform runs at most 10 at a "
             "time unless told otherwise, so the links provision in rounds.\n",
             "| `-parallelism` | wall (s) | rounds of creates | wall / provisioning time |",
             "| --- | ---: | ---: | ---: |"]
    for p in (None, n):
        wall, rounds = many_links(null_dir, n, provisioning, p)
        label = "default (10)" if p is None else str(p)
        lines.append(f"| {label} | {wall:.1f} | {rounds} | {wall / provisioning:.2f} |")
    lines.append(f"\nWith links that take about 10 minutes to provision (a typical real figure), {n} "
                 f"of them take {-(-n // 10)} rounds, about {-(-n // 10) * 10} minutes, at the default, and "
                 f"about 10 minutes with `-parallelism={n}`. The provider's requests stay within the "
                 "rate budget either way (its waits are cheap: section 4).\n")
    return lines


RUNNERS = {"1-2": section_process_and_floor, "3": section_economy, "4": section_waiting,
           "5": section_scale, "6": section_throughput,
           "7": section_rate_limits, "8": section_parallelism}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--sections", default=",".join(SECTIONS),
                    help="comma-separated sections to run (default all); the others are taken "
                         "from the last run's results in bench/.cache/sections")
    args = ap.parse_args()
    chosen = args.sections.split(",")
    unknown = [c for c in chosen if c not in SECTIONS]
    if unknown:
        ap.error(f"unknown sections {unknown}; choose from {SECTIONS}")
    build = ["cargo", "build", "--release", "-q", "-p", "terraform-provider-fivetran"]
    subprocess.run(build + ["--features", "bench-switches"], cwd=ROOT, check=True)
    SWITCHED.mkdir(parents=True, exist_ok=True)
    shutil.copy2(RELEASE / "terraform-provider-fivetran", SWITCHED / "terraform-provider-fivetran")
    subprocess.run(build + ["-p", "fivetran-sim"], cwd=ROOT, check=True)
    null_bin = process.go_null_provider()
    null_dir = null_bin.parent / "null-provider"
    null_dir.mkdir(exist_ok=True)
    target = null_dir / "terraform-provider-null_v2.1.2_x4"
    if not target.exists():
        shutil.copy(null_bin, target)
    cache = SECTION_CACHE / "quick" if args.quick else SECTION_CACHE
    cache.mkdir(parents=True, exist_ok=True)
    for key in SECTIONS:
        cached = cache / f"{key}.md"
        if key in chosen or not cached.exists():
            # Each section is kept as soon as it finishes: a failure later loses nothing.
            cached.write_text("\n".join(RUNNERS[key](args, null_dir, null_bin)) + "\n")
    header = [f"# Benchmarks\n", f"Measured {datetime.date.today()} on {platform.node()}: {os.cpu_count()} cores, "
              f"{round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB, "
              f"{sh(['terraform', 'version']).splitlines()[0]}, {sh(['rustc', '--version']).strip()}.\n",
              "Regenerate with `make bench` (`python3 bench/run.py`; `--sections 5,6` re-runs only those "
              "and keeps the others from the last run). Never part of the test command.\n"]
    text = "\n".join(header) + "\n" + "".join((cache / f"{k}.md").read_text() for k in SECTIONS)
    print(text)
    if not args.quick:
        (ROOT / "BENCHMARKS.md").write_text(text)


if __name__ == "__main__":
    main()
