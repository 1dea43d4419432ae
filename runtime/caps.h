// Capabilities and privilege locks for the job: securebits locked so uid 0
// gains nothing on execve, the bounding set emptied, effective / permitted /
// inheritable set by capset, ambient cleared (or raised for kept caps), and
// no_new_privs. All in the job process, after the set-up that needed them.
#pragma once

#include <stdint.h>

#include "fail.h"
#include "policy_table.h"

namespace stockade {

// Before the id change: makes setresuid keep capabilities (so they can be
// dropped explicitly afterwards) and makes root special no more.
bool lock_securebits(const table::List<uint32_t>& keep, Failure& f);
bool drop_bounding_set(const table::List<uint32_t>& keep, Failure& f);
// After the id change: capset + ambient.
bool set_capabilities(const table::List<uint32_t>& keep, Failure& f);
bool set_no_new_privs(bool allow_new_privs, Failure& f);

}  // namespace stockade
