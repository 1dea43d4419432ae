// SPDX-License-Identifier: Apache-2.0
// Kafel's `&` and `|` in their general form: a tree over arguments and
// constants (`count | 8`, `fd & count`, `(a | b) & MASK`). The common form,
// one argument under a constant mask, stays an Operand's `arg & mask`;
// resolve.cc builds a BitExpr only for the rest. Kafel's simplifications are
// applied as the tree is built (x & 0 = 0, x | ~0 = ~0, x & ~0 = x, x | 0 = x,
// constants folded), because they decide the comparison's width.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace stockade::seccomp {

struct BitExpr;
using BitPtr = std::shared_ptr<const BitExpr>;
struct BitExpr {
  enum class Kind { Const, Arg, And, Or };
  Kind kind = Kind::Const;
  uint64_t value = 0;  // Const
  uint32_t arg = 0;    // Arg: index 0..5
  uint8_t width = 8;   // Arg: bytes (4: int-sized)
  std::string name;    // Arg, as written
  BitPtr left, right;  // And, Or
};

BitPtr bit_const(uint64_t v);
BitPtr bit_arg(uint32_t arg, uint8_t width, std::string name);
// `l & r` or `l | r`, simplified as Kafel does.
BitPtr bit_combine(BitExpr::Kind k, BitPtr l, BitPtr r);

// The expression's value for these arguments.
uint64_t bit_eval(const BitExpr& e, const uint64_t args[6]);
// Kafel compares all 64 bits when any argument is 8 bytes wide or any
// constant exceeds 32 bits; otherwise the low 32 bits only.
bool bit_is_wide(const BitExpr& e);
// One 32-bit half when it does not depend on the arguments (`x & 0xffffffff`
// has a constant high half), per Kafel's per-word folding.
std::optional<uint32_t> bit_const_half(const BitExpr& e, bool high);
// Scratch words (M[]) the lowering needs to compute one half, at most.
uint32_t bit_scratch_words(const BitExpr& e);
// True when computing a half uses the X register.
bool bit_uses_x(const BitExpr& e, bool high);
std::string bit_text(const BitExpr& e, std::string (*number)(uint64_t));

}  // namespace stockade::seccomp
