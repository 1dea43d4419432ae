#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Cost of one list bind: the `layouts` test policy (tests/policies/layouts.policy)
launched with 0, 100, 500 and 1000 dependency binds (`bind each ${DEPS}`)
and with 0 and 50 volumes, interleaved, against `unshare -Urmpf true` run in
the same loop as the kernel's floor. Prints the median launch per variant and
the microseconds each extra element costs. Run as root:

  tests/bench/list_binds.py --launcher build/stockade-test --probe-dir build/tests/integration/probe
"""
import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time


def timed(args):
    start = time.perf_counter()
    subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
                   stdin=subprocess.DEVNULL)
    return time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--launcher", required=True)
    ap.add_argument("--probe-dir", required=True)
    ap.add_argument("--runs", type=int, default=40)
    opts = ap.parse_args()
    top = tempfile.mkdtemp(prefix="stockade-bench-")
    try:
        job = os.path.join(top, "job")
        os.makedirs(job)
        open(os.path.join(job, "result.json"), "w").close()
        deps = []
        for i in range(1000):
            d = os.path.join(top, "cache", "python_311", "pkg%04d==1.0" % i)
            os.makedirs(d)
            deps.append(d)
        vols = []
        for i in range(50):
            d = os.path.join(top, "volumes", "v%02d" % i)
            os.makedirs(d)
            vols.append("%s:/mnt/v%02d" % (d, i))
        base = [opts.launcher, "run", "layouts", "--param", "PROBE_DIR=" + os.path.abspath(opts.probe_dir), "--param", "JOB_DIR=" + job]

        def variant(name, values):
            listing = os.path.join(top, name + ".txt")
            with open(listing, "w") as f:
                f.write("\n".join(values) + ("\n" if values else ""))
            return base + ["--param-file", "%s=%s" % (name.split("-")[0], listing), "--", "/bin/true"]

        variants = {
            "deps-0": variant("DEPS-0", []),
            "deps-100": variant("DEPS-100", deps[:100]),
            "deps-500": variant("DEPS-500", deps[:500]),
            "deps-1000": variant("DEPS-1000", deps),
            "volumes-50": variant("VOLUMES-50", vols),
        }
        unshare = shutil.which("unshare")
        if unshare:
            variants["unshare -Urmpf (floor)"] = [unshare, "-Urmpf", "--mount-proc", "/bin/true"]
        times = {k: [] for k in variants}
        for args in variants.values():
            timed(args)  # warm-up, and a failed variant stops the run here
        for _ in range(opts.runs):
            for name, args in variants.items():
                times[name].append(timed(args))
        med = {k: statistics.median(v) * 1e3 for k, v in times.items()}
        for name, ms in med.items():
            print("measured: %-24s median %.2f ms" % (name, ms))
        for n in (100, 500, 1000):
            per = (med["deps-%d" % n] - med["deps-0"]) * 1e3 / n
            print("measured: per dependency bind at %d: %.1f us" % (n, per))
        print("measured: per volume at 50: %.1f us" % ((med["volumes-50"] - med["deps-0"]) * 1e3 / 50))
        if unshare:
            print("measured: deps-0 / unshare floor: %.2fx" % (med["deps-0"] / med["unshare -Urmpf (floor)"]))
    finally:
        shutil.rmtree(top, ignore_errors=True)


if __name__ == "__main__":
    main()
