// SPDX-License-Identifier: Apache-2.0
// A model of the size of the program Kafel (google/kafel 18f2074) emits for
// a resolved policy, for comparisons where Kafel itself cannot be run (it is
// not packaged). Built from the facts of Kafel's code generator, counting
// what it always emits, so it leans low for large programs (their far-jump
// copies are left out):
//   - the arch check and the syscall-number load: 3 instructions;
//   - one `ret` per distinct action, the arch check's kill among them
//     (Kafel shares them; the copies it makes for jumps over 255 are not
//     counted, nor its `ja`s);
//   - its search over syscall ranges (adjacent numbers with the same rules
//     merged): one jump per range but the first;
//   - per syscall, the rules up to the first unconditional one, without
//     rules that end where the rules after them end (Kafel's jump with equal
//     targets emits nothing); per comparison, per 32-bit half compared
//     (both halves unless every argument is int-sized and every constant
//     fits 32 bits): a load and a jump; an inequality's high half one more
//     jump; a mask one ALU instruction per half unless it is a
//     `(x & m) == 0` / `!= 0` test (a `jset`); argument against argument a
//     load, `tax`, load and jump per half; a general `&`/`|` tree two per
//     operand per half.
// seccomp_bench prints the model's figure for issue 11's denylist text
// beside Kafel's measured 78: 80, so the model is close but not a bound.
#pragma once

#include <cstddef>

#include "rules.h"

namespace stockade::seccomp::test {

size_t kafel_model_size(const RuleSet& set);

}  // namespace stockade::seccomp::test
