// SPDX-License-Identifier: Apache-2.0
// Loads one of the launcher's own small filters (unix_guard.h,
// shmem_guard.h) as a filter of its own, stacked with the policy's: the
// strictest answer of all loaded filters wins. Needs no_new_privs or
// CAP_SYS_ADMIN; a failure names the guard by `what`.
#pragma once

#include <linux/filter.h>
#include <stddef.h>

#include "fail.h"

namespace stockade {

bool install_guard(const sock_filter* program, size_t count, const char* what, Failure& f);

}  // namespace stockade
