// SPDX-License-Identifier: Apache-2.0
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

// Init, once the job has exec'd: keeps only CAP_KILL (to forward a signal
// to a job whose uid is not its own, as with NEWUSER=false, where init is
// host uid 0) in its effective and permitted sets, empties the bounding,
// inheritable and ambient sets and, with `host_ids` (no user namespace),
// the launcher's supplementary groups. The job then cannot borrow init's
// privileges in any way, and init has none to misuse.
bool drop_init_capabilities(bool host_ids, Failure& f);

}  // namespace stockade
