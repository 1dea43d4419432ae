// Landlock scoping: the job may not connect to abstract unix sockets, nor
// send signals, outside its own Landlock domain (its own processes). This
// matters for `network host`, where the job shares the worker's network
// namespace and so its abstract socket names; it is applied in every network
// mode because with an own net namespace there is nothing of the host's to
// reach anyway, and signal scoping keeps the job off init and the host.
// No filesystem or network access rules: scoping only.
#pragma once

#include "fail.h"

namespace stockade {

// In the job, after no_new_privs and before seccomp. Where the kernel lacks
// scoping (Landlock ABI < 6, kernel < 6.12, or Landlock disabled) it says so
// once on stderr and returns true.
bool scope_landlock(Failure& f);

}  // namespace stockade
