#!/usr/bin/env python3
"""Runs the integration tests against a real launcher, as root.

    run.py --launcher PATH --probe PATH [-k PATTERN]...

Prints one line per test, 'skipped: <why>' for a test whose kernel feature
is missing (a failure instead under STOCKADE_MUST_WORK=1), and a summary
line 'N passed, N failed, N skipped'. Exits 0 only if nothing failed.
"""

import argparse
import os
import sys
import unittest

sys.dont_write_bytecode = True  # keep the source tree clean
HERE = os.path.dirname(os.path.abspath(__file__))
MODULES = ["test_cli", "test_filesystem", "test_process", "test_network", "test_limits", "test_cgroup_v2", "test_rootless", "test_seccomp", "test_seccomp_report",
           "test_stats",
           "test_landlock", "test_layouts", "test_overlay",
           "test_leftovers", "test_shipped", "test_timing"]


class Result(unittest.TextTestResult):
    """Counts passes and prints each skip reason as 'skipped: <why>'."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.passed = 0

    def addSuccess(self, test):
        super().addSuccess(test)
        self.passed += 1

    def addSkip(self, test, reason):
        unittest.TestResult.addSkip(self, test, reason)
        self.stream.writeln("skipped: %s" % reason)
        self.stream.flush()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--launcher", required=True)
    parser.add_argument("--probe", required=True)
    parser.add_argument("--shipped-launcher", help="the `stockade` launcher with policies/ embedded")
    parser.add_argument("-k", dest="patterns", action="append", default=[])
    opts = parser.parse_args()
    if os.geteuid() != 0:
        print("skipped: the integration tests need root (CI runs them as root)")
        print("0 passed, 0 failed, 1 skipped")
        return 1 if os.environ.get("STOCKADE_MUST_WORK") == "1" or os.environ.get("STOCKADE_CI") == "1" else 0
    os.environ["STOCKADE_LAUNCHER"] = os.path.abspath(opts.launcher)
    os.environ["STOCKADE_PROBE"] = os.path.abspath(opts.probe)
    if opts.shipped_launcher:
        os.environ["STOCKADE_SHIPPED_LAUNCHER"] = os.path.abspath(opts.shipped_launcher)
    sys.path.insert(0, HERE)
    loader = unittest.TestLoader()
    if opts.patterns:
        loader.testNamePatterns = ["*%s*" % p for p in opts.patterns]
    suite = unittest.TestSuite(loader.loadTestsFromName(m) for m in MODULES)
    import harness  # after sys.path is set
    # Whatever a single test does not check, the whole run must not leave
    # mounts or cgroups behind either.
    before = harness.Snapshot()
    runner = unittest.TextTestRunner(stream=sys.stdout, verbosity=2, resultclass=Result)
    result = runner.run(suite)
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    for kind, left in (("mount", before.new_mounts()), ("cgroup", before.new_cgroups())):
        for item in left:
            print("FAIL: the run left a %s behind: %s" % (kind, item))
            failed += 1
    print("%d passed, %d failed, %d skipped" % (result.passed, failed, len(result.skipped)))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
