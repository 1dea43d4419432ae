#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Runs the integration tests against a real launcher, as root.

    run.py --launcher PATH --probe PATH [-k PATTERN]...

Prints one line per test, 'skipped: <why>' for a test whose kernel feature
is missing (a failure instead under STOCKADE_CI=1 or STOCKADE_MUST_WORK=1),
and a summary line 'N passed, N failed, N skipped'. Exits 0 when all passed,
77 when all that ran passed but something was skipped, 1 otherwise
(tests/support/skips.py).
"""

import argparse
import os
import sys
import unittest

sys.dont_write_bytecode = True  # keep the source tree clean
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
import skips  # noqa: E402  (tests/support: the skip rule of every suite)
MODULES = ["test_cli", "test_filesystem", "test_process", "test_network", "test_limits", "test_cgroup_v2", "test_rootless", "test_seccomp", "test_seccomp_report", "test_learn",
           "test_stats", "test_report", "test_containers", "test_show",
           "test_landlock", "test_idmap", "test_roots", "test_layouts", "test_overlay", "test_egress",
           "test_leftovers", "test_shipped", "test_bombs", "test_init_proc", "test_timing"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--launcher", required=True)
    parser.add_argument("--probe", required=True)
    parser.add_argument("--shipped-launcher", help="the `stockade` launcher with policies/ embedded")
    parser.add_argument("--shipped-test-launcher",
                        help="policies/ embedded, with the test-only switches (runtime/test_switch.h)")
    parser.add_argument("--stockadec", help="the compiler (test_learn.py compiles what it learned)")
    parser.add_argument("--build-launcher", help="the script that builds a launcher from tables (test_learn.py)")
    parser.add_argument("--source-dir", help="the source tree (policies/ for test_learn.py)")
    parser.add_argument("-k", dest="patterns", action="append", default=[])
    opts = parser.parse_args()
    if os.geteuid() != 0:
        return skips.skip_whole_run("the integration tests need root (CI runs them as root)")
    os.environ["STOCKADE_LAUNCHER"] = os.path.abspath(opts.launcher)
    os.environ["STOCKADE_PROBE"] = os.path.abspath(opts.probe)
    if opts.shipped_launcher:
        os.environ["STOCKADE_SHIPPED_LAUNCHER"] = os.path.abspath(opts.shipped_launcher)
    if opts.shipped_test_launcher:
        os.environ["STOCKADE_SHIPPED_TEST_LAUNCHER"] = os.path.abspath(opts.shipped_test_launcher)
    for opt, name in ((opts.stockadec, "STOCKADE_STOCKADEC"), (opts.build_launcher, "STOCKADE_BUILD_LAUNCHER"),
                      (opts.source_dir, "STOCKADE_SOURCE_DIR")):
        if opt:
            os.environ[name] = os.path.abspath(opt)
    sys.path.insert(0, HERE)
    loader = unittest.TestLoader()
    if opts.patterns:
        loader.testNamePatterns = ["*%s*" % p for p in opts.patterns]
    suite = unittest.TestSuite(loader.loadTestsFromName(m) for m in MODULES)
    import harness  # after sys.path is set
    # Whatever a single test does not check, the whole run must not leave
    # mounts or cgroups behind either.
    before = harness.Snapshot()
    runner = unittest.TextTestRunner(stream=sys.stdout, verbosity=2, resultclass=skips.Result)
    result = runner.run(suite)
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    for kind, left in (("mount", before.new_mounts()), ("cgroup", before.new_cgroups())):
        for item in left:
            print("FAIL: the run left a %s behind: %s" % (kind, item))
            failed += 1
    print("%d passed, %d failed, %d skipped" % (result.passed, failed, len(result.skipped)))
    return skips.exit_code(failed, len(result.skipped))


if __name__ == "__main__":
    sys.exit(main())
