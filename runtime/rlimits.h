// Resource limits for the job (setrlimit); unset ones stay inherited.
#pragma once

#include "fail.h"
#include "plan.h"

namespace stockade {

bool apply_rlimits(const Plan& plan, Failure& f);

}  // namespace stockade
