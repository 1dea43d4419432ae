// SPDX-License-Identifier: Apache-2.0
// How often jobs make each syscall: the cost model of the dispatch search
// (dispatch.cc). A syscall a job makes thousands of times should be found
// after fewer comparisons than one it never makes.
//
// The figures are measured, not guessed: `strace -f -c` of three small jobs
// on Debian 12 (a python3 job importing asyncio, email, subprocess and
// sqlite3 and running a query; a bash loop over ls, cat, grep and date; a
// node script reading a directory), each job's counts normalised to 1000
// calls, the three averaged, and every syscall at 2 per mille or more kept.
// The seccomp benchmark measures on a different python3 job (its own text),
// so it does not check the profile against the calls it was taken from.
#pragma once

#include <cstdint>

namespace stockade::seccomp {

struct HotSyscall {
  const char* name;    // canonical (table) name
  uint32_t per_mille;  // share of all calls
};

extern const HotSyscall kHotSyscalls[];
extern const unsigned kHotSyscallCount;

}  // namespace stockade::seccomp
