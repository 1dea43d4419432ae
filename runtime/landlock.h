// SPDX-License-Identifier: Apache-2.0
// Landlock scoping: the job may not connect to abstract unix sockets, nor
// send signals, outside its own Landlock domain (its own processes). This
// matters for `network host`, where the job shares the worker's network
// namespace and so its abstract socket names; it is applied in every network
// mode because with an own net namespace there is nothing of the host's to
// reach anyway, and signal scoping keeps the job off init and the host.
// Without it (kernels before 6.12) net.h's close_abstract_sockets stacks
// the unix-socket guard (seccomp/unix_guard.h) under `network host`.
// No filesystem or network access rules: scoping only.
#pragma once

#include "fail.h"

namespace stockade {

// What the kernel could scope, for the fallback (net.h close_abstract_sockets).
struct LandlockScope {
  bool abstract_sockets;  // LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET applied
  long abi;               // the kernel's Landlock ABI, 0 without Landlock
  bool forced_off;        // the test switch (test_switch.h) turned the abstract scope off
};

// In the job, after no_new_privs and before seccomp. Where the kernel lacks
// scoping (Landlock ABI < 6, kernel < 6.12, or Landlock disabled) it applies
// nothing and returns true with scope.abstract_sockets false: the caller
// decides the fallback and says so.
bool scope_landlock(LandlockScope& scope, Failure& f);

}  // namespace stockade
