// SPDX-License-Identifier: Apache-2.0
// Test-only switches: environment variables that force a fallback path the
// test machine's kernel would not otherwise take (Landlock scoping missing,
// idmapped mounts refused), so the integration suite can run those paths.
// Only the test launcher (stockade-test, built with -DSTOCKADE_TEST_SWITCHES)
// reads them; in the shipped launcher test_switch() is always false, so no
// environment can make it take a weaker path than the kernel allows.
#pragma once

namespace stockade {

// STOCKADE_TEST_NO_LANDLOCK_SCOPE=1: act as if the kernel had no Landlock
// abstract-socket scope (landlock.cc: signal scoping stays).
constexpr const char* kTestNoLandlockScope = "STOCKADE_TEST_NO_LANDLOCK_SCOPE";
// STOCKADE_TEST_NO_IDMAP=1: act as if no read-write bind could be idmapped.
constexpr const char* kTestNoIdmap = "STOCKADE_TEST_NO_IDMAP";

// True when `name` is set to "1" and this is the test launcher. Inline
// false otherwise, so the shipped binary holds not even the names.
// STOCKADE_TEST_STOP_AT=POINT: the launcher stops itself (SIGSTOP) each
// time it passes POINT of its set-up ("keeper": the cgroup keeper is out of
// the process group; "mkdir": a job cgroup directory was just made;
// "cgroup": the job's cgroups are made; "clone": the sandbox exists; "pull":
// the job was told to install its filter for the listener to be pulled), so
// a test can kill or signal its process group exactly there.
#ifdef STOCKADE_TEST_SWITCHES
bool test_switch(const char* name);
void test_stop_at(const char* point);
#else
inline bool test_switch(const char*) { return false; }
inline void test_stop_at(const char*) {}
#endif

}  // namespace stockade
