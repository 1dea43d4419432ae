// SPDX-License-Identifier: Apache-2.0
// Network: `none` leaves the new net namespace with lo down, `loopback`
// brings lo up, `host` shares the host's (no net namespace at all).
// Abstract unix socket names belong to the network namespace, so only a
// mode that shares the host's can reach the host's abstract sockets.
#pragma once

#include "fail.h"
#include "landlock.h"
#include "plan.h"

namespace stockade {

bool setup_network(const Plan& plan, Failure& f);

// Whether the job shares the host's network namespace (and with it the
// host's abstract unix socket names).
bool shares_host_netns(table::Network mode);

// In the job, after scope_landlock: where the abstract-socket scope is
// missing and the job shares the host's network namespace, stack the
// unix-socket guard (seccomp/unix_guard.h), unless a mounted `socket` bind
// lifts it. One note on stderr says which, whenever the scope is missing:
//   ... socket(AF_UNIX) refused instead
//   ... unix sockets allowed for TARGET: the host's abstract sockets are reachable
//   ... not needed: the job has its own network namespace
bool close_abstract_sockets(const Plan& plan, const LandlockScope& scope, Failure& f);

}  // namespace stockade
