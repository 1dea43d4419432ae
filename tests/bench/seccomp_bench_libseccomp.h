// SPDX-License-Identifier: Apache-2.0
// base_denylist + DEFAULT ALLOW written as libseccomp rules, exported as BPF,
// for the seccomp benchmark's comparison.
#pragma once

#include <linux/filter.h>

#include <vector>

// optimize: SCMP_FLTATR_CTL_OPTIMIZE (1 = libseccomp's default, 2 = binary tree).
std::vector<sock_filter> libseccomp_denylist(int optimize, bool force_getppid_check);
