// SPDX-License-Identifier: Apache-2.0
#include "bit_expr.h"

#include <algorithm>
#include <utility>

namespace stockade::seccomp {

BitPtr bit_const(uint64_t v) {
  auto e = std::make_shared<BitExpr>();
  e->kind = BitExpr::Kind::Const;
  e->value = v;
  return e;
}

BitPtr bit_arg(uint32_t arg, uint8_t width, std::string name) {
  auto e = std::make_shared<BitExpr>();
  e->kind = BitExpr::Kind::Arg;
  e->arg = arg;
  e->width = width;
  e->name = std::move(name);
  return e;
}

BitPtr bit_combine(BitExpr::Kind k, BitPtr l, BitPtr r) {
  bool is_and = k == BitExpr::Kind::And;
  if (l->kind == BitExpr::Kind::Const && r->kind == BitExpr::Kind::Const)
    return bit_const(is_and ? (l->value & r->value) : (l->value | r->value));
  if (l->kind == BitExpr::Kind::Const) std::swap(l, r);
  if (r->kind == BitExpr::Kind::Const) {
    uint64_t clobber = is_and ? 0 : ~uint64_t{0};
    if (r->value == clobber) return bit_const(clobber);
    if (r->value == ~clobber) return l;  // the identity
  }
  auto e = std::make_shared<BitExpr>();
  e->kind = k;
  e->left = std::move(l);
  e->right = std::move(r);
  return e;
}

uint64_t bit_eval(const BitExpr& e, const uint64_t args[6]) {
  switch (e.kind) {
    case BitExpr::Kind::Const: return e.value;
    case BitExpr::Kind::Arg: return args[e.arg];
    case BitExpr::Kind::And: return bit_eval(*e.left, args) & bit_eval(*e.right, args);
    case BitExpr::Kind::Or: return bit_eval(*e.left, args) | bit_eval(*e.right, args);
  }
  return 0;
}

bool bit_is_wide(const BitExpr& e) {
  switch (e.kind) {
    case BitExpr::Kind::Const: return e.value > 0xffffffffu;
    case BitExpr::Kind::Arg: return e.width == 8;
    case BitExpr::Kind::And:
    case BitExpr::Kind::Or: return bit_is_wide(*e.left) || bit_is_wide(*e.right);
  }
  return true;
}

std::optional<uint32_t> bit_const_half(const BitExpr& e, bool high) {
  switch (e.kind) {
    case BitExpr::Kind::Const: return static_cast<uint32_t>(high ? e.value >> 32 : e.value);
    case BitExpr::Kind::Arg: return std::nullopt;
    case BitExpr::Kind::And:
    case BitExpr::Kind::Or: break;
  }
  bool is_and = e.kind == BitExpr::Kind::And;
  uint32_t clobber = is_and ? 0 : 0xffffffffu;
  std::optional<uint32_t> l = bit_const_half(*e.left, high), r = bit_const_half(*e.right, high);
  if (l && r) return is_and ? (*l & *r) : (*l | *r);
  if ((l && *l == clobber) || (r && *r == clobber)) return clobber;
  return std::nullopt;
}

namespace {
bool is_leaf(const BitExpr& e) { return e.kind == BitExpr::Kind::Const || e.kind == BitExpr::Kind::Arg; }
}  // namespace

uint32_t bit_scratch_words(const BitExpr& e) {
  if (is_leaf(e)) return 0;
  uint32_t l = bit_scratch_words(*e.left), r = bit_scratch_words(*e.right);
  // One side a leaf: computed in A, the leaf joins through K or X.
  if (is_leaf(*e.left)) return r;
  if (is_leaf(*e.right)) return l;
  // Both computed: the first one waits in a scratch word.
  return l == r ? l + 1 : std::max(l, r);
}

bool bit_uses_x(const BitExpr& e, bool high) {
  if (is_leaf(e) || bit_const_half(e, high)) return false;
  bool lc = bit_const_half(*e.left, high).has_value(), rc = bit_const_half(*e.right, high).has_value();
  if (lc) return bit_uses_x(*e.right, high);
  if (rc) return bit_uses_x(*e.left, high);
  return true;
}

std::string bit_text(const BitExpr& e, std::string (*number)(uint64_t)) {
  switch (e.kind) {
    case BitExpr::Kind::Const: return number(e.value);
    case BitExpr::Kind::Arg:
      return e.name.empty() ? std::string("args[").append(std::to_string(e.arg)).append("]") : e.name;
    case BitExpr::Kind::And:
    case BitExpr::Kind::Or: break;
  }
  const char* op = e.kind == BitExpr::Kind::And ? " & " : " | ";
  // append: GCC 12 -O3 -Wrestrict misfires on "lit" + string
  return std::string("(").append(bit_text(*e.left, number)).append(op).append(bit_text(*e.right, number)).append(")");
}

}  // namespace stockade::seccomp
