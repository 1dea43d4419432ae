// SPDX-License-Identifier: Apache-2.0
// A small hand-written policy table for the host-side unit tests.
#pragma once

#include "policy_table.h"

namespace stockade::testing {
extern const table::Policy kTestPolicy;
extern const table::Policy kLayoutPolicy;  // list params, volumes, relpath, follow
}  // namespace stockade::testing
