#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""network filtered against network host, in the test network of
tests/integration/egress_net.py (nothing leaves the machine). Prints
figures; asserts nothing about time.

    egress_bench.py --launcher build/stockade-test --probe-dir build/tests/integration/probe [--runs 31]

- launch: wall time of `stockade run POLICY -- /bin/true`, median of --runs,
  the two policies interleaved in the same run;
- connect: the cost of one connect() through the filter: a UDP connect()
  (no packet leaves; the syscall, the route lookup and the cgroup hook),
  timed inside the job over 20000 calls, filtered minus host;
- bulk: TCP throughput of one 1 GiB stream from the job to a sink in the
  other namespace (veth), filtered / host (target >= 95 %)."""

import argparse
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
from egress_net import PUBLIC4, TestNet  # noqa: E402

CONNECTS = r'''
import socket, sys, time
n = int(sys.argv[1]); s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
t = time.perf_counter()
for _ in range(n): s.connect((sys.argv[2], 9999))
print((time.perf_counter() - t) / n * 1e9)
'''
BULK = r'''
import socket, sys, time
s = socket.create_connection((sys.argv[1], 5001)); buf = b"x" * (1 << 20); total = 1 << 30
t = time.perf_counter()
for _ in range(total // len(buf)): s.sendall(buf)
s.shutdown(socket.SHUT_WR); s.recv(1)
print(total / (time.perf_counter() - t) / 1e6)
'''


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--launcher", required=True)
    ap.add_argument("--probe-dir", required=True)
    ap.add_argument("--runs", type=int, default=31)
    o = ap.parse_args()
    net = TestNet()
    try:
        base = net.in_ns("sbx")

        def run(policy, *argv):
            params = ["--param", "PROBE_DIR=" + os.path.abspath(o.probe_dir)]
            if policy == "probe_filtered":
                params += ["--param", "RESOLVER=10.0.0.53"]
            t = time.perf_counter()
            out = subprocess.run(base + [o.launcher, "run", policy] + params + ["--"] + list(argv),
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=True)
            return time.perf_counter() - t, out.stdout.decode().strip()

        policies = ("probe_hostnet", "probe_filtered")
        launch = {p: [] for p in policies}
        for _ in range(o.runs):
            for p in policies:
                launch[p].append(run(p, "/bin/true")[0] * 1000)
        for p in policies:
            print("launch %-15s median %.2f ms (of %d)" % (p, statistics.median(launch[p]), o.runs))
        print("launch filter cost  %+.2f ms" % (statistics.median(launch["probe_filtered"]) -
                                               statistics.median(launch["probe_hostnet"])))
        # Interleaved, so that the shared machine's noise falls on both alike.
        conn = {p: [] for p in policies}
        bulks = {p: [] for p in policies}
        for _ in range(9):
            for p in policies:
                conn[p].append(float(run(p, "/usr/bin/python3", "-c", CONNECTS, "20000", PUBLIC4)[1]))
        for _ in range(7):
            for p in policies:
                bulks[p].append(float(run(p, "/usr/bin/python3", "-c", BULK, PUBLIC4)[1]))
        per = {p: statistics.median(conn[p]) for p in policies}
        bulk = {p: statistics.median(bulks[p]) for p in policies}
        for p in policies:
            print("connect %-14s %.0f ns per UDP connect() (median of 9 x 20000)" % (p, per[p]))
        print("connect filter cost %+.0f ns" % (per["probe_filtered"] - per["probe_hostnet"]))
        for p in policies:
            print("bulk %-17s %.0f MB/s (median of 7; min %.0f, max %.0f)" % (p, bulk[p], min(bulks[p]), max(bulks[p])))
        print("bulk filtered/host  %.1f %%" % (100 * bulk["probe_filtered"] / bulk["probe_hostnet"]))
    finally:
        net.close()


if __name__ == "__main__":
    main()
