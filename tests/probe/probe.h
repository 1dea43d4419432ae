// SPDX-License-Identifier: Apache-2.0
// stockade-probe: a tiny static helper for the integration tests. Each
// invocation attempts one operation (read a host file, remount, ptrace pid 1,
// connect to a host socket, ...) and prints what happened, so the test
// harness outside the sandbox can assert on the exact errno.
//
// Output protocol, one item per line:
//   <key>: <value>     data lines (e.g. `pid: 3`, `entry: usr`)
//   result: ok         the operation succeeded
//   result: EROFS      the operation failed with this errno (its name)
// The probe exits 0 when it could attempt the operation, 2 on a usage error.
// A few operations end the process on purpose (exit, raise, spin, ...).
#pragma once

#include <string>

namespace probe {

// Arguments after the operation name.
struct Args {
  int count;
  char** items;
  const char* at(int i) const { return i < count ? items[i] : nullptr; }
};

// Prints `result: ok` (rc >= 0) or `result: <errno name>` and returns 0.
int result(int rc, int saved_errno);
// `result(rc, errno)` for a call's return value, reading errno only after
// the call (argument evaluation order is unspecified). rc < 0 is failure.
int check(long rc);
// Prints `key: value`.
void line(const char* key, const std::string& value);
// The errno name, e.g. "EPERM".
std::string errno_name(int err);
// Parses a decimal/hex/octal number or dies with a usage error.
long long number(const char* text);

// One function per group of operations; each returns the process exit code,
// or -1 when `op` is not one of theirs.
int fs_ops(const std::string& op, const Args& args);
int mount_ops(const std::string& op, const Args& args);
int proc_ops(const std::string& op, const Args& args);
int limit_ops(const std::string& op, const Args& args);
int net_ops(const std::string& op, const Args& args);
int abi_ops(const std::string& op, const Args& args);
int misc_ops(const std::string& op, const Args& args);

}  // namespace probe
