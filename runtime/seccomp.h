// Installs the policy's precompiled classic-BPF filter. Called last before
// execve: after it, only the job's own syscalls should need to pass, so the
// filter need not allow any of the set-up calls.
#pragma once

#include <linux/filter.h>

#include "fail.h"
#include "policy_table.h"

namespace stockade {

bool install_seccomp(const table::List<sock_filter>& program, Failure& f);

}  // namespace stockade
