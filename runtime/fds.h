// SPDX-License-Identifier: Apache-2.0
// Descriptors: the job inherits 0, 1, 2 and the policy's pass_fds only.
#pragma once

#include "fail.h"
#include "policy_table.h"

namespace stockade {

// Closes every fd >= 3 except pass_fds and `keep` (the CLOEXEC report pipe,
// closed by execve itself); clears CLOEXEC on pass_fds.
bool close_stray_fds(const table::List<uint32_t>& pass_fds, int keep, int keep2, Failure& f);

// True if `fd` is one of pass_fds (the launcher's own fds must avoid them).
bool is_pass_fd(const table::List<uint32_t>& pass_fds, int fd);

// Moves the launcher's own descriptor above every pass_fd so a passed fd
// number is never taken by the launcher itself. Returns the (maybe new) fd.
int clear_of_pass_fds(const table::List<uint32_t>& pass_fds, int fd);

}  // namespace stockade
