// Network: `none` leaves the new net namespace with lo down, `loopback`
// brings lo up, `host` shares the host's (no net namespace at all).
#pragma once

#include "fail.h"
#include "plan.h"

namespace stockade {

bool setup_network(const Plan& plan, Failure& f);

}  // namespace stockade
