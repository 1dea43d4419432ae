#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Two launchers side by side: the same policies and job, interleaved in one
run, so a change to the launcher is measured against the launcher before it
on the same machine at the same moment. For each launcher and policy: median
and p90 wall time, the median CPU of the launch tree (wait4's rusage: the
launcher and everything it reaped), which moves far less than wall time when
the machine is shared, and its minor page faults; then B minus A.

  tests/bench/launch_ab.py --a OLD/stockade-bench --b build/stockade-bench \\
      [--policy launch_bench --policy python3] [--runs 300]

The job is /bin/true with the python3 policy's parameters (a job directory
made here below /tmp/windmill/cache). Run as root. Never fails on figures.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from bench_jobdir import make_job_dir  # the script's own directory is on sys.path


def pct(values, q):
    s = sorted(values)
    return s[min(len(s) - 1, int(len(s) * q))]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--a", required=True, help="the launcher before")
    ap.add_argument("--b", required=True, help="the launcher after")
    ap.add_argument("--policy", action="append", help="repeatable; default launch_bench and python3")
    ap.add_argument("--runs", type=int, default=300)
    ap.add_argument("--warmup", type=int, default=20)
    o = ap.parse_args()
    policies = o.policy or ["launch_bench", "python3"]
    os.makedirs("/tmp/windmill/cache", exist_ok=True)
    root = tempfile.mkdtemp(prefix="stockade-launch-ab-", dir="/tmp/windmill/cache")
    devnull = os.open(os.devnull, os.O_RDWR)
    try:
        job, py = make_job_dir(root)
        variants = []
        for policy in policies:
            for tag, launcher in (("A", o.a), ("B", o.b)):
                argv = [launcher, "run", policy, "--param", "JOB_DIR=" + job, "--param", "PY_INSTALL_DIR=" + py,
                        "--", "/bin/true"]
                variants.append(("%s %s" % (tag, policy), argv))
        wall = {name: [] for name, _ in variants}
        cpu = {name: [] for name, _ in variants}
        faults = {name: [] for name, _ in variants}
        for i in range(o.warmup + o.runs):
            # Each round starts at another variant: none always follows another.
            for k in range(len(variants)):
                name, argv = variants[(i + k) % len(variants)]
                start = time.perf_counter()
                proc = subprocess.Popen(argv, stdin=devnull, stdout=devnull, stderr=devnull)
                _, status, usage = os.wait4(proc.pid, 0)
                elapsed = time.perf_counter() - start
                if os.waitstatus_to_exitcode(status) != 0:
                    print("%s: exit %d: %s" % (name, os.waitstatus_to_exitcode(status), " ".join(argv)))
                    return 1
                if i >= o.warmup:
                    wall[name].append(elapsed * 1e6)
                    cpu[name].append((usage.ru_utime + usage.ru_stime) * 1e6)
                    faults[name].append(usage.ru_minflt)
        with open("/proc/loadavg") as f:
            load = f.read().split()[0]
        print("launch A/B, %d interleaved runs each, load %s; us" % (o.runs, load))
        print("  %-24s %9s %9s %9s %9s" % ("variant", "wall med", "wall p90", "cpu med", "minflt"))
        for name, _ in variants:
            print("  %-24s %9.0f %9.0f %9.0f %9.0f" % (name, statistics.median(wall[name]), pct(wall[name], 0.9),
                                                       statistics.median(cpu[name]), statistics.median(faults[name])))
        for policy in policies:
            a, b = "A " + policy, "B " + policy
            print("  B - A %-17s wall %+7.0f  cpu %+7.0f" % (policy, statistics.median(wall[b]) - statistics.median(wall[a]),
                                                           statistics.median(cpu[b]) - statistics.median(cpu[a])))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
