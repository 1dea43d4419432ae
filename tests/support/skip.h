// SPDX-License-Identifier: Apache-2.0
// Skips that stay visible: one rule for every C++ test program.
//
// A test that cannot run here (the machine lacks a kernel feature, data from
// outside the repository is absent) calls skip("why"). It prints
// `skipped: why` once per reason, and the shared doctest main (main.cc)
// then exits with kSkipExitCode, which ctest shows as "Skipped" (each test
// is registered with SKIP_RETURN_CODE, tests/support/testing.cmake). Where
// everything must run (STOCKADE_CI=1, as .ci/run sets, or
// STOCKADE_MUST_WORK=1) the skip is a failure of the current test case.
// The Python suites keep the same rule in tests/support/skips.py.
#pragma once

#include <string>

namespace stockade::testing {

// Automake's "skipped" status; ctest's SKIP_RETURN_CODE for every test.
inline constexpr int kSkipExitCode = 77;

// STOCKADE_MUST_WORK=1, or STOCKADE_CI=1 unless STOCKADE_MUST_WORK=0.
bool must_work();

// Records a skip of (the rest of) the current test case; see above. The
// caller returns afterwards.
void skip(const std::string& why);

// How many distinct skips were recorded so far (the main reads it).
int skips_recorded();

}  // namespace stockade::testing
