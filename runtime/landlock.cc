// SPDX-License-Identifier: Apache-2.0
#include "landlock.h"

#include <errno.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "test_switch.h"

namespace stockade {
namespace {

// The kernel ABI, written out here because the build's uapi headers (Debian
// 12: linux 6.1) predate the `scoped` field. The syscall numbers are the same
// on every architecture (the unified table, since Linux 5.13).
#ifndef __NR_landlock_create_ruleset
#define __NR_landlock_create_ruleset 444
#endif
#ifndef __NR_landlock_restrict_self
#define __NR_landlock_restrict_self 446
#endif

// struct landlock_ruleset_attr as of ABI 6 (Linux 6.12); the kernel accepts
// this size from ABI 6 on.
struct RulesetAttr {
  uint64_t handled_access_fs;
  uint64_t handled_access_net;  // ABI 4
  uint64_t scoped;              // ABI 6
};

constexpr uint32_t kCreateRulesetVersion = 1U << 0;       // LANDLOCK_CREATE_RULESET_VERSION
constexpr uint64_t kScopeAbstractUnixSocket = 1ULL << 0;  // LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET
constexpr uint64_t kScopeSignal = 1ULL << 1;              // LANDLOCK_SCOPE_SIGNAL
constexpr long kScopeAbi = 6;

// The highest ABI the kernel supports; 0 where Landlock is missing
// (ENOSYS) or disabled at boot (EOPNOTSUPP).
long landlock_abi() {
  long abi = syscall(__NR_landlock_create_ruleset, nullptr, 0, kCreateRulesetVersion);
  return abi < 0 ? 0 : abi;
}

}  // namespace

bool scope_landlock(LandlockScope& scope, Failure& f) {
  long abi = landlock_abi();
  scope = {false, abi, test_switch(kTestNoLandlockScope)};
  if (abi < kScopeAbi) return true;
  RulesetAttr attr{};
  // The test switch keeps the signal scope: the forced path is the old
  // kernel's for abstract sockets and no weaker for anything else.
  attr.scoped = (scope.forced_off ? 0 : kScopeAbstractUnixSocket) | kScopeSignal;
  long fd = syscall(__NR_landlock_create_ruleset, &attr, sizeof attr, 0);
  if (fd < 0) return fail(f, Step::Landlock, "landlock_create_ruleset", "scoped", errno);
  long rc = syscall(__NR_landlock_restrict_self, static_cast<int>(fd), 0);
  int err = errno;
  close(static_cast<int>(fd));
  if (rc == 0) {
    scope.abstract_sockets = !scope.forced_off;
    return true;
  }
  // Without no_new_privs (a policy that allows new privileges) the kernel
  // wants CAP_SYS_ADMIN in the job's user namespace: fail closed, but say so.
  if (err == EPERM && prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 0)
    return fail_reason(f, Step::Landlock, "landlock_restrict_self", "scoped",
                       "needs no_new_privs or CAP_SYS_ADMIN (the policy allows new privileges)");
  return fail(f, Step::Landlock, "landlock_restrict_self", "scoped", err);
}

}  // namespace stockade
