#!/usr/bin/env python3
"""Runs the real-job tests (test_*.py here) against a built launcher and
prints every skip with its reason and a final 'N passed, N failed, N skipped'
line. Exit status 0 only when nothing failed.

  run_jobs.py --launcher PATH --npm-prefix DIR [--only test_python3] [-v]
"""

import argparse
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


class CountingResult(unittest.TextTestResult):
    """Counts passes too, and makes each skip a visible 'skipped: why' line."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.passed = 0

    def addSuccess(self, test):
        super().addSuccess(test)
        self.passed += 1

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        if self.dots:
            self.stream.writeln()  # off the line of progress dots
        self.stream.writeln("skipped: %s: %s" % (test.id(), reason))
        self.stream.flush()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--launcher", required=True, help="the built stockade binary")
    parser.add_argument("--npm-prefix", required=True, help="where npm installs the JS runtimes")
    parser.add_argument("--only", default="test_*", help="test module pattern, e.g. test_bun")
    parser.add_argument("-v", "--verbose", action="store_true")
    opts = parser.parse_args()

    if os.geteuid() != 0:
        print("skipped: the real-job tests run the launcher as root (bind mounts, namespaces)")
        print("0 passed, 0 failed, 1 skipped")
        return 0
    if not os.access(opts.launcher, os.X_OK):
        print("error: launcher not found or not executable: " + opts.launcher, file=sys.stderr)
        return 2

    os.environ["STOCKADE_LAUNCHER"] = os.path.abspath(opts.launcher)
    os.environ["STOCKADE_NPM_PREFIX"] = os.path.abspath(opts.npm_prefix)
    sys.path.insert(0, HERE)
    pattern = opts.only if opts.only.endswith(".py") else opts.only + ".py"
    suite = unittest.defaultTestLoader.discover(HERE, pattern=pattern, top_level_dir=HERE)
    runner = unittest.TextTestRunner(stream=sys.stdout, verbosity=2 if opts.verbose else 1,
                                     resultclass=CountingResult)
    result = runner.run(suite)
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    print("%d passed, %d failed, %d skipped" % (result.passed, failed, len(result.skipped)))
    if result.testsRun == 0:
        print("error: no test matched " + pattern, file=sys.stderr)
        return 2
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
