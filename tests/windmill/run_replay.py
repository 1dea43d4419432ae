#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Runs the executor replays (test_*.py here) against a built launcher; every
skip is a visible 'skipped: why' line, the last line counts passes, failures
and skips. Exit status 0 only when nothing failed.

  run_replay.py --launcher PATH --npm-prefix DIR [--only test_replay] [-k PATTERN] [-v]
"""

import argparse
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "jobs"))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
from run_jobs import CountingResult  # noqa: E402  (same counting and skip lines as tests/jobs)
import skips  # noqa: E402  (the skip rule of every suite)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--launcher", required=True, help="the built stockade binary")
    parser.add_argument("--npm-prefix", required=True, help="where npm installs Deno and Bun")
    parser.add_argument("--only", default="test_*", help="test module pattern")
    parser.add_argument("--stockadec", help="the compiler, for the import-and-launch checks")
    parser.add_argument("--launcher-build", action="append", default=[],
                        help="NAME=VALUE for runtime/build_launcher.cmake (repeatable)")
    parser.add_argument("--windmill-dir", help="Windmill's configs (default: <source>/../shared/windmill-nsjail)")
    parser.add_argument("-k", dest="pattern", action="append", help="only tests whose name holds this")
    parser.add_argument("-v", "--verbose", action="store_true")
    opts = parser.parse_args()

    if os.geteuid() != 0:
        return skips.skip_whole_run("the replays run the launcher as root, as a worker does")
    if not os.access(opts.launcher, os.X_OK):
        print("error: launcher not found or not executable: " + opts.launcher, file=sys.stderr)
        return 2
    os.environ["STOCKADE_LAUNCHER"] = os.path.abspath(opts.launcher)
    os.environ["STOCKADE_NPM_PREFIX"] = os.path.abspath(opts.npm_prefix)
    if opts.stockadec:
        os.environ["STOCKADE_STOCKADEC"] = os.path.abspath(opts.stockadec)
    if opts.launcher_build:
        os.environ["STOCKADE_LAUNCHER_BUILD"] = "\n".join(opts.launcher_build)
    if opts.windmill_dir:
        os.environ["STOCKADE_WINDMILL_DIR"] = opts.windmill_dir
    sys.path.insert(0, HERE)
    pattern = opts.only if opts.only.endswith(".py") else opts.only + ".py"
    loader = unittest.TestLoader()
    if opts.pattern:
        loader.testNamePatterns = ["*%s*" % p for p in opts.pattern]
    suite = loader.discover(HERE, pattern=pattern, top_level_dir=HERE)
    runner = unittest.TextTestRunner(stream=sys.stdout, verbosity=2 if opts.verbose else 1,
                                     resultclass=CountingResult)
    result = runner.run(suite)
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    print("%d passed, %d failed, %d skipped" % (result.passed, failed, len(result.skipped)))
    if result.testsRun == 0:
        print("error: no test matched", file=sys.stderr)
        return 2
    return skips.exit_code(failed, len(result.skipped))


if __name__ == "__main__":
    sys.exit(main())
