#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Runs the real-job tests (test_*.py here) against a built launcher and
prints every skip with its reason and a final 'N passed, N failed, N skipped'
line. Exit status 0 when all passed, 77 when all that ran passed but
something was skipped, 1 when something failed; under STOCKADE_CI=1 a skip
is a failure (tests/support/skips.py).

  run_jobs.py --launcher PATH --npm-prefix DIR [--only test_python3] [-v]
"""

import argparse
import os
import sys
import unittest

sys.dont_write_bytecode = True  # keep the source tree clean
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
import skips  # noqa: E402  (tests/support: the skip rule of every suite)


class CountingResult(skips.Result):
    """The shared result, with each skip line naming its test."""

    name_skips = True


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--launcher", required=True, help="the built stockade binary")
    parser.add_argument("--npm-prefix", required=True, help="where npm installs the JS runtimes")
    parser.add_argument("--only", default="test_*", help="test module pattern, e.g. test_bun")
    parser.add_argument("-v", "--verbose", action="store_true")
    opts = parser.parse_args()

    if os.geteuid() != 0:
        return skips.skip_whole_run("the real-job tests run the launcher as root (bind mounts, namespaces)")
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
    return skips.exit_code(failed, len(result.skipped))


if __name__ == "__main__":
    sys.exit(main())
