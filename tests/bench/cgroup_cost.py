#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""What the per-job cgroups cost a launch: `/bin/true` under the test
launcher's `probe` policy (no cgroup), `probe_pids` (the pids cgroup every
shipped policy has), `probe_cgroup` (pids and memory) and `probe` with
`--report-fd` (memory and, on cgroup v1, cpuacct for the report's figures),
interleaved in one run so a shared machine's load hits each alike. Prints
median and p90 wall, median CPU, and the differences of medians against
`probe`; never fails.

    cgroup_cost.py --launcher build/stockade-test --probe-dir build/tests/integration/probe [--runs N]
"""

import argparse
import os
import statistics
import subprocess
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--launcher", required=True)
    ap.add_argument("--probe-dir", required=True)
    ap.add_argument("--runs", type=int, default=300)
    ap.add_argument("--warmup", type=int, default=20)
    o = ap.parse_args()
    if os.geteuid() != 0:
        print("skipped: cgroups need root")
        return 77

    def argv(policy, extra=()):
        return [o.launcher, "run", policy, "--param", "PROBE_DIR=" + os.path.abspath(o.probe_dir), *extra, "--", "/bin/true"]

    devnull = os.open(os.devnull, os.O_WRONLY)
    variants = [
        ("probe (no cgroup)", argv("probe"), ()),
        ("probe_pids (pids 1024)", argv("probe_pids"), ()),
        ("probe_cgroup (pids + memory)", argv("probe_cgroup"), ()),
        ("probe --report-fd (memory, cpuacct)", argv("probe", ["--report-fd", str(devnull)]), (devnull,)),
    ]
    times = {name: [] for name, _, _ in variants}
    cpu = {name: [] for name, _, _ in variants}
    for i in range(o.warmup + o.runs):
        # Each round starts at another variant: no variant always follows another.
        for k in range(len(variants)):
            name, args, fds = variants[(i + k) % len(variants)]
            start = time.perf_counter()
            proc = subprocess.Popen(args, stdout=devnull, stderr=devnull, pass_fds=fds)
            # wait4: the launcher's CPU with everything it reaped (init, the
            # job, the keeper), less sensitive to the machine's load than wall.
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            wall = (time.perf_counter() - start) * 1000
            if proc.returncode != 0:
                print("%s: exit %d" % (name, proc.returncode))
                return 1
            if i >= o.warmup:
                times[name].append(wall)
                cpu[name].append((usage.ru_utime + usage.ru_stime) * 1000)
    with open("/proc/loadavg") as f:
        load = f.read().split()[0]
    print("cgroup cost per launch, %d interleaved runs each, load %s (ms; wall of the whole launch, and CPU of "
          "the launcher and all it reaped):" % (o.runs, load))
    base = statistics.median(times[variants[0][0]])
    base_cpu = statistics.median(cpu[variants[0][0]])
    for name, _, _ in variants:
        t = sorted(times[name])
        med = statistics.median(t)
        c = statistics.median(cpu[name])
        print("  %-38s wall median %6.2f  p90 %6.2f  %+6.2f | CPU median %5.2f  %+5.2f  (against no cgroup)" %
              (name, med, t[int(len(t) * 0.9)], med - base, c, c - base_cpu))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
