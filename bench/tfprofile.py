#!/usr/bin/env python3
"""Where Terraform's own CPU goes: `perf record` of a terraform run, symbolized from the Go
function table that even a stripped Go binary keeps (.gopclntab), then bucketed.

Terraform releases are stripped, so `perf report` shows bare addresses. A Go binary still
carries its function table for stack traces; reading it gives every function's entry address
and name, which is all a sampling profile needs.

Usage as a module: `record(cmd, cwd, env, out)` then `buckets(out)`; as a script:
  bench/tfprofile.py PERF_DATA [--top 40]   prints the inclusive profile of `terraform`.
Needs Linux `perf` (skipped with a note when absent or not permitted).
"""
import argparse
import bisect
import collections
import shutil
import struct
import subprocess
from pathlib import Path

FREQ = 999  # samples per second per CPU

# What a sample is charged to: the first bucket, in this order, whose function appears
# anywhere on the sample's stack (most specific first).
BUCKETS = [
    ("rewriting the whole state file after each resource",
     "internal/states/statemgr.(*Filesystem).WriteState"),
    ("garbage collection", "runtime.gcBgMarkWorker"),
    ("building graphs (transitive reduction, dependencies)",
     "internal/terraform.(*BasicGraphBuilder).Build"),
    ("evaluating references to other resources' instances",
     "internal/terraform.(*evaluationStateData).GetResource"),
    ("planning each instance (diff, validity checks)",
     "internal/terraform.(*NodeAbstractResourceInstance).plan"),
    ("refreshing each instance (ReadResource, decode, compare)",
     "internal/terraform.(*NodeAbstractResourceInstance).refresh"),
    ("applying each instance (ApplyResourceChange, checks)",
     "internal/terraform.(*NodeAbstractResourceInstance).apply"),
    ("rendering the plan and progress", "internal/command/views."),
    ("other graph-walk work", "internal/terraform."),
]
OTHER = "other (start-up, config, providers' I/O)"
# Every row of a profile table, in order.
LABELS = [label for label, _ in BUCKETS] + [OTHER, "total"]


def available() -> "str | None":
    """None when perf can record here, else why not."""
    if not shutil.which("perf"):
        return "`perf` is not installed"
    probe = subprocess.run(["perf", "record", "-q", "-o", "/dev/null", "--", "true"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        reason = (probe.stderr.strip().splitlines() or ["no reason given"])[-1]
        return f"`perf record` is not permitted here ({reason})"
    return None


def go_functions(binary: Path):
    """(sorted entry addresses, names) from the ELF's .gopclntab (Go 1.18+ layout)."""
    data = binary.read_bytes()
    shoff = struct.unpack_from("<Q", data, 0x28)[0]
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    names_at = struct.unpack_from("<IIQQQQ", data, shoff + shstrndx * shentsize)[4]
    sections = {}
    for i in range(shnum):
        name, _, _, addr, off, size = struct.unpack_from("<IIQQQQ", data, shoff + i * shentsize)
        end = data.index(b"\0", names_at + name)
        sections[data[names_at + name:end].decode()] = (addr, off, size)
    _, base, _ = sections[".gopclntab"]
    magic = struct.unpack_from("<I", data, base)[0]
    if magic not in (0xFFFFFFF0, 0xFFFFFFF1):
        raise ValueError(f"unsupported pclntab magic {magic:#x}")
    nfunc, _nfiles, text_start, funcnames, _cu, _files, _pc, functab = struct.unpack_from("<8Q", data, base + 8)
    table = base + functab
    entries = []
    for i in range(nfunc):
        entry, func_off = struct.unpack_from("<II", data, table + 8 * i)
        name_off = struct.unpack_from("<i", data, table + func_off + 4)[0]
        start = base + funcnames + name_off
        entries.append((text_start + entry, data[start:data.index(b"\0", start)].decode(errors="replace")))
    entries.sort()
    return [a for a, _ in entries], [n for _, n in entries]


def record(cmd, cwd, env, out: Path):
    subprocess.run(["perf", "record", "-q", "-F", str(FREQ), "-g", "-o", str(out), "--", *cmd],
                   cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)


def stacks(perf_data: Path, comm="terraform"):
    """Every sample of `comm` as a list of function names, innermost first."""
    binary = Path(shutil.which(comm)).resolve()
    addrs, names = go_functions(binary)
    # A non-PIE Go executable is mapped at 0x400000; perf prints offsets within the mapping.
    load = 0x400000
    text = subprocess.run(["perf", "script", "-i", str(perf_data), "--comm", comm, "-F", "ip,dso"],
                          capture_output=True, text=True, check=True).stdout
    for block in text.split("\n\n"):
        frames = []
        for line in block.splitlines():
            parts = line.split()
            if len(parts) < 2:
                continue
            if str(binary) in parts[1]:
                i = bisect.bisect_right(addrs, int(parts[0], 16) + load) - 1
                frames.append(names[i] if i >= 0 else "?")
            elif "kernel" in parts[1]:
                frames.append("[kernel]")
        if frames:
            yield frames


def buckets(perf_data: Path):
    """{bucket: CPU seconds} for terraform's samples, plus "other" and "total"."""
    out = collections.Counter()
    for frames in stacks(perf_data):
        out["total"] += 1
        for label, marker in BUCKETS:
            if any(marker in f for f in frames):
                out[label] += 1
                break
        else:
            out[OTHER] += 1
    return {k: v / FREQ for k, v in out.items()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("perf_data", type=Path)
    ap.add_argument("--top", type=int, default=40)
    args = ap.parse_args()
    inclusive, total = collections.Counter(), 0
    for frames in stacks(args.perf_data):
        total += 1
        inclusive.update(set(frames))
    print(f"{total} samples ({total / FREQ:.2f} CPU s)")
    for name, count in inclusive.most_common(args.top):
        print(f"{count / total * 100:5.1f}%  {name}")


if __name__ == "__main__":
    main()
