// SPDX-License-Identifier: Apache-2.0
#include "lower_cond.h"

#include <optional>
#include <utility>

namespace stockade::seccomp {
namespace {

constexpr uint64_t kAllOnes = ~uint64_t{0};

bool fits32(uint64_t v) { return v <= 0xffffffffu; }

// One 32-bit half of an operand: a constant, a masked argument word, or a
// general bitwise expression's half.
struct Half {
  bool constant = false;
  uint32_t value = 0;   // constant
  uint32_t offset = 0;  // argument word in seccomp_data
  uint32_t mask = 0xffffffffu;
  const BitExpr* expr = nullptr;  // set: compute this expression's half
  bool high = false;
};

Half half_of(const Operand& o, bool high) {
  Half h;
  if (!o.is_arg) {
    h.constant = true;
    h.value = static_cast<uint32_t>(high ? o.value >> 32 : o.value);
    return h;
  }
  if (o.expr) {
    if (std::optional<uint32_t> k = bit_const_half(*o.expr, high)) {
      h.constant = true;
      h.value = *k;
      return h;
    }
    h.expr = o.expr.get();
    h.high = high;
    return h;
  }
  h.mask = static_cast<uint32_t>(high ? o.mask >> 32 : o.mask);
  if (h.mask == 0) {  // masked away entirely: the half is the constant 0
    h.constant = true;
    h.value = 0;
    return h;
  }
  h.offset = high ? arg_hi(o.arg) : arg_lo(o.arg);
  return h;
}

// A = one half of `e` (not constant), using scratch words from `slot` up.
void compute(Builder& b, const BitExpr& e, bool high, uint32_t slot) {
  if (e.kind == BitExpr::Kind::Arg) {
    b.stmt(BPF_LD | BPF_W | BPF_ABS, high ? arg_hi(e.arg) : arg_lo(e.arg));
    return;
  }
  uint16_t op = e.kind == BitExpr::Kind::And ? BPF_AND : BPF_OR;
  uint32_t identity = e.kind == BitExpr::Kind::And ? 0xffffffffu : 0;
  std::optional<uint32_t> lk = bit_const_half(*e.left, high), rk = bit_const_half(*e.right, high);
  if (lk || rk) {  // one side constant (both would have made `e` constant)
    compute(b, lk ? *e.right : *e.left, high, slot);
    uint32_t k = lk ? *lk : *rk;
    if (k != identity) b.stmt(BPF_ALU | op | BPF_K, k);
    return;
  }
  // & and | commute: compute the harder side first; a plain argument word
  // joins through X without a scratch word.
  const BitExpr* first = e.left.get();
  const BitExpr* second = e.right.get();
  if (second->kind != BitExpr::Kind::Arg &&
      (first->kind == BitExpr::Kind::Arg || bit_scratch_words(*second) > bit_scratch_words(*first)))
    std::swap(first, second);
  compute(b, *first, high, slot);
  if (second->kind == BitExpr::Kind::Arg) {
    b.stmt(BPF_MISC | BPF_TAX, 0);
    compute(b, *second, high, slot);
  } else {
    b.stmt(BPF_ST, slot);
    compute(b, *second, high, slot + 1);
    b.stmt(BPF_LDX | BPF_W | BPF_MEM, slot);
  }
  b.stmt(BPF_ALU | op | BPF_X, 0);
}

bool uses_x(const Half& h) { return h.expr && bit_uses_x(*h.expr, h.high); }

void load(Builder& b, const Half& h, uint32_t slot = 0) {
  if (h.expr) {
    compute(b, *h.expr, h.high, slot);
    return;
  }
  b.stmt(BPF_LD | BPF_W | BPF_ABS, h.offset);
  if (h.mask != 0xffffffffu) b.stmt(BPF_ALU | BPF_AND | BPF_K, h.mask);
}

enum class Op { Eq, Gt, Ge };

bool eval(Op op, uint32_t a, uint32_t b) {
  switch (op) {
    case Op::Eq: return a == b;
    case Op::Gt: return a > b;
    case Op::Ge: return a >= b;
  }
  return false;
}

uint16_t jmp(Op op) {
  switch (op) {
    case Op::Eq: return BPF_JMP | BPF_JEQ;
    case Op::Gt: return BPF_JMP | BPF_JGT;
    case Op::Ge: return BPF_JMP | BPF_JGE;
  }
  return BPF_JMP | BPF_JEQ;
}

// Puts lhs in A (and rhs in X when it is not a constant); returns false when
// both are constants (nothing to load).
bool prepare(Builder& b, const Half& lhs, const Half& rhs) {
  if (lhs.constant && rhs.constant) return false;
  if (!rhs.constant && !lhs.constant && uses_x(lhs)) {
    // Computing lhs needs X: keep rhs in a scratch word meanwhile.
    load(b, rhs, 1);
    b.stmt(BPF_ST, 0);
    load(b, lhs, 1);
    b.stmt(BPF_LDX | BPF_W | BPF_MEM, 0);
    return true;
  }
  if (!rhs.constant) {
    load(b, rhs);
    b.stmt(BPF_MISC | BPF_TAX, 0);
  }
  if (lhs.constant) b.stmt(BPF_LD | BPF_IMM, lhs.value);
  else load(b, lhs);
  return true;
}

void test(Builder& b, Op op, const Half& rhs, Label t, Label f) {
  if (rhs.constant) b.cond(jmp(op) | BPF_K, rhs.value, t, f);
  else b.cond(jmp(op) | BPF_X, 0, t, f);
}

// lhs OP rhs over one half, final: true -> t, false -> f.
void compare_half(Builder& b, Op op, const Half& lhs, const Half& rhs, Label t, Label f) {
  if (!prepare(b, lhs, rhs)) {
    b.ja(eval(op, lhs.value, rhs.value) ? t : f);
    return;
  }
  test(b, op, rhs, t, f);
}

// The high halves decide unless equal; then the low halves decide.
void compare_wide(Builder& b, Op op, const Operand& l, const Operand& r, Label t, Label f) {
  Half lh = half_of(l, true), rh = half_of(r, true);
  Half ll = half_of(l, false), rl = half_of(r, false);
  Label low = b.label();
  if (!prepare(b, lh, rh)) {
    if (lh.value == rh.value) b.ja(low);
    else b.ja(op != Op::Eq && lh.value > rh.value ? t : f);
  } else if (op == Op::Eq) {
    test(b, Op::Eq, rh, low, f);
  } else {
    Label equal = b.label();
    test(b, Op::Gt, rh, t, equal);
    b.bind(equal);
    test(b, Op::Eq, rh, low, f);
  }
  b.bind(low);
  compare_half(b, op, ll, rl, t, f);
}

}  // namespace

bool is_narrow(const Cond& c) {
  auto ok = [](const Operand& o) {
    if (!o.is_arg) return fits32(o.value);
    if (o.expr) return !bit_is_wide(*o.expr);
    return o.width == 4 && !o.wide_constant && (o.mask == kAllOnes || fits32(o.mask));
  };
  return ok(c.lhs) && ok(c.rhs);
}

void lower_cond(const Cond& c, Builder& b, Label t, Label f) {
  switch (c.kind) {
    case Cond::Kind::True: b.ja(t); return;
    case Cond::Kind::False: b.ja(f); return;
    case Cond::Kind::Not: lower_cond(*c.left, b, f, t); return;
    case Cond::Kind::And: {
      Label mid = b.label();
      lower_cond(*c.left, b, mid, f);
      b.bind(mid);
      lower_cond(*c.right, b, t, f);
      return;
    }
    case Cond::Kind::Or: {
      Label mid = b.label();
      lower_cond(*c.left, b, t, mid);
      b.bind(mid);
      lower_cond(*c.right, b, t, f);
      return;
    }
    case Cond::Kind::Cmp: break;
  }
  // <, <=, != are the negations of >=, >, ==: swap the targets.
  Op op = Op::Eq;
  bool negate = false;
  switch (c.op) {
    case ast::CmpOp::Eq: op = Op::Eq; break;
    case ast::CmpOp::Ne:
      op = Op::Eq;
      negate = true;
      break;
    case ast::CmpOp::Gt: op = Op::Gt; break;
    case ast::CmpOp::Ge: op = Op::Ge; break;
    case ast::CmpOp::Lt:
      op = Op::Ge;
      negate = true;
      break;
    case ast::CmpOp::Le:
      op = Op::Gt;
      negate = true;
      break;
  }
  Label yes = negate ? f : t, no = negate ? t : f;
  if (is_narrow(c)) compare_half(b, op, half_of(c.lhs, false), half_of(c.rhs, false), yes, no);
  else compare_wide(b, op, c.lhs, c.rhs, yes, no);
}

}  // namespace stockade::seccomp
