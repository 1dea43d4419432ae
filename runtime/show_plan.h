// SPDX-License-Identifier: Apache-2.0
// `stockade show NAME --param K=V ...`: the policy resolved for those values
// (the Plan run() would apply: mounts with their real sources, limits, env)
// printed without creating anything. Each setting appears once, as it
// applies; `show NAME` alone prints the policy's words instead (main.cc).
#pragma once

#include "cli.h"
#include "policy_table.h"

namespace stockade {

// Validates the params and resolves the plan like `run`; prints it on
// stdout. Returns the exit code: 0, 121 for a bad param, 125 internal.
int show_resolved(const Cli& cli, const table::Policy& policy, char** environ_in);

}  // namespace stockade
