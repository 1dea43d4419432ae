// SPDX-License-Identifier: Apache-2.0
// The probes of the shipped base_denylist: each denied syscall with
// arguments chosen so that, were the filter to let it through, it would fail
// harmlessly with another errno (EFAULT, EBADF, EINVAL) than the filter's.
#pragma once

#include <vector>

#include "support.h"

namespace stockade::seccomp::test {

struct Probe {
  const char* name;
  std::vector<uint64_t> args;
  Observed expected;
};

const Observed kEperm{Outcome::Errno, 1};
const Observed kEnosys{Outcome::Errno, 38};
const Observed kAllowed{Outcome::Allowed, 0};
const Observed kKilled{Outcome::Killed, 0};
constexpr uint64_t kBad = ~uint64_t{0};  // -1: a bad fd, request or flag set

const std::vector<Probe>& probes();

}  // namespace stockade::seccomp::test
