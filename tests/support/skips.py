# SPDX-License-Identifier: Apache-2.0
"""The skip rule of the Python suites (integration, jobs), kept once.

A test that cannot run here prints `skipped: why`. A run that passed but
skipped something exits SKIP_EXIT_CODE (77), which ctest reports as
"Skipped" (tests/support/testing.cmake); where everything must run
(STOCKADE_CI=1, as .ci/run sets, or STOCKADE_MUST_WORK=1) a skip is a
failure. The C++ tests keep the same rule in tests/support/skip.h.
"""

import os
import sys
import unittest

SKIP_EXIT_CODE = 77

# A skip whose reason says this stays a skip under must_work(): the cause is
# the moment or a tool, not a feature the CI machine class must have.
NEVER_FORCED = "never forced"


def must_work():
    """STOCKADE_MUST_WORK=1, or STOCKADE_CI=1 unless STOCKADE_MUST_WORK=0."""
    flag = os.environ.get("STOCKADE_MUST_WORK")
    if flag in ("0", "1"):
        return flag == "1"
    return os.environ.get("STOCKADE_CI") == "1"


def must_work_note():
    return "a failure: STOCKADE_CI=1 or STOCKADE_MUST_WORK=1 says it must run"


class Result(unittest.TextTestResult):
    """Counts passes too, prints each skip as 'skipped: [test: ]why', and
    under must_work() records the skip as a failure instead."""

    name_skips = False  # set to prefix each skip line with the test's id

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.passed = 0

    def addSuccess(self, test):
        super().addSuccess(test)
        self.passed += 1

    def addSkip(self, test, reason):
        if must_work() and NEVER_FORCED not in reason:
            try:
                raise AssertionError("skipped: %s (%s)" % (reason, must_work_note()))
            except AssertionError:
                self.addFailure(test, sys.exc_info())
            return
        unittest.TestResult.addSkip(self, test, reason)
        if self.showAll:
            self.stream.writeln("skipped")  # ends the "test ... " line
        elif self.dots:
            self.stream.writeln()  # off the line of progress dots
        prefix = test.id() + ": " if self.name_skips else ""
        self.stream.writeln("skipped: %s%s" % (prefix, reason))
        self.stream.flush()


def skip_whole_run(why):
    """The exit code of a run that cannot start here at all (e.g. not root),
    after printing the skip and the summary line."""
    print("skipped: " + why)
    if must_work():
        print("FAIL: " + must_work_note())
        print("0 passed, 1 failed, 0 skipped")
        return 1
    print("0 passed, 0 failed, 1 skipped")
    return SKIP_EXIT_CODE


def exit_code(failed, skipped):
    """0, 1 (something failed) or SKIP_EXIT_CODE (passed, something skipped)."""
    if failed:
        return 1
    return SKIP_EXIT_CODE if skipped else 0
