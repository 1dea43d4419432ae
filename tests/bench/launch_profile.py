#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Where a stockade launch spends its time, syscall by syscall.

Runs `LAUNCHER run POLICY ... -- /bin/true` N times under `perf trace -s`
and prints, per process role (supervisor, sandbox init, job) and syscall,
the median over the runs of the time spent in that syscall. Tracing adds
roughly 10 us to every syscall, so read the large entries, not the sums.

  tests/bench/launch_profile.py --launcher build-bench/stockade-bench [--runs 30]
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

from bench_jobdir import make_job_dir  # the script's own directory is on sys.path

HEADER = re.compile(r"^\s*(\S.*) \((\d+)\), \d+ events")
ROW = re.compile(r"^\s+([a-z_0-9]+)\s+(\d+)\s+(\d+)\s+([\d.]+)\s+")
ROLES = ["supervisor", "sandbox init", "job"]


def one_run(perf, cmd):
    """{(role, syscall): (calls, msec)} for one traced launch."""
    out = subprocess.run([perf, "trace", "-s", "-f", "--"] + cmd, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True, check=False)
    blocks = {}
    pid = None
    for line in out.stderr.splitlines():
        m = HEADER.match(line)
        if m:
            pid = int(m.group(2))
            blocks[pid] = {}
            continue
        m = ROW.match(line)
        if m and pid is not None:
            blocks[pid][m.group(1)] = (int(m.group(2)), float(m.group(4)))
    # Pids grow in start order: the launcher, its sandbox child, the job.
    result = {}
    for i, p in enumerate(sorted(blocks)):
        role = ROLES[i] if i < len(ROLES) else f"process {i + 1}"
        for name, value in blocks[p].items():
            result[(role, name)] = value
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--launcher", required=True)
    ap.add_argument("--policy", default="launch_bench")
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--top", type=int, default=25)
    args = ap.parse_args()
    perf = shutil.which("perf")
    if perf is None:
        print("skipped: perf not found (apt-get install linux-perf)")
        return 0
    # Below Windmill's cache root: PY_INSTALL_DIR is `within /tmp/windmill/cache /usr`.
    os.makedirs("/tmp/windmill/cache", exist_ok=True)
    root = tempfile.mkdtemp(prefix="stockade-launch-profile-", dir="/tmp/windmill/cache")
    try:
        job, py = make_job_dir(root)
        cmd = [args.launcher, "run", args.policy, "--param", f"JOB_DIR={job}",
               "--param", f"PY_INSTALL_DIR={py}", "--", "/bin/true"]
        runs = [one_run(perf, cmd) for _ in range(args.runs)]
    finally:
        shutil.rmtree(root, ignore_errors=True)
    runs = [r for r in runs if r]
    if not runs:
        print("no perf trace output; is perf allowed to trace (root, perf_event_paranoid)?", file=sys.stderr)
        return 1
    keys = {k for r in runs for k in r}
    rows = []
    for key in keys:
        msec = [r.get(key, (0, 0.0))[1] for r in runs]
        calls = [r.get(key, (0, 0.0))[0] for r in runs]
        rows.append((statistics.median(msec), max(msec), statistics.median(calls), key))
    rows.sort(reverse=True)
    print(f"{len(runs)} traced launches of {args.policy}; median and max ms spent per syscall")
    print(f"  {'process':<13} {'syscall':<18} {'calls':>5} {'median ms':>10} {'max ms':>8}")
    for med, mx, calls, (role, name) in rows[: args.top]:
        print(f"  {role:<13} {name:<18} {calls:>5.0f} {med:>10.3f} {mx:>8.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
