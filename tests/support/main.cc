// SPDX-License-Identifier: Apache-2.0
// The one doctest main of every C++ test program (linked as
// stockade_test_main). It runs doctest as usual and turns "passed, but
// something was skipped" into kSkipExitCode so that ctest reports the skip
// (skip.h); a failure stays a failure.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>
#include <string>

#include "skip.h"

namespace stockade::testing {
namespace {

std::set<std::string>& recorded() {
  static std::set<std::string> reasons;  // per process; tests run one at a time
  return reasons;
}

}  // namespace

bool must_work() {
  const char* flag = std::getenv("STOCKADE_MUST_WORK");
  if (flag && std::strcmp(flag, "1") == 0) return true;
  if (flag && std::strcmp(flag, "0") == 0) return false;
  const char* ci = std::getenv("STOCKADE_CI");
  return ci && std::strcmp(ci, "1") == 0;
}

void skip(const std::string& why) {
  if (must_work()) {
    FAIL_CHECK("skipped: " << why << " (a failure: STOCKADE_CI=1 or STOCKADE_MUST_WORK=1 says it must run)");
    return;
  }
  if (!recorded().insert(why).second) return;
  std::printf("skipped: %s\n", why.c_str());
  std::fflush(stdout);
}

int skips_recorded() { return static_cast<int>(recorded().size()); }

}  // namespace stockade::testing

int main(int argc, char** argv) {
  doctest::Context context(argc, argv);
  int rc = context.run();
  if (context.shouldExit() || rc != 0) return rc;
  return stockade::testing::skips_recorded() > 0 ? stockade::testing::kSkipExitCode : 0;
}
