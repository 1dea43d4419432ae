// SPDX-License-Identifier: Apache-2.0
// Lowers one argument condition to BPF: `&&`, `||`, `!` become jumps, and
// each 64-bit comparison becomes compares of 32-bit halves (classic BPF
// registers are 32 bits wide). Kafel's widths: when every argument involved
// is int-sized and every constant fits 32 bits, only the low halves are
// compared, so a garbage high half cannot dodge a rule.
#pragma once

#include "builder.h"
#include "rules.h"

namespace stockade::seccomp {

// Emits code that jumps to `t` when `c` holds and to `f` otherwise.
void lower_cond(const Cond& c, Builder& b, Label t, Label f);

// True when the comparison needs only the low 32 bits (see above).
bool is_narrow(const Cond& cmp);

}  // namespace stockade::seccomp
