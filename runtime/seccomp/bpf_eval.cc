// SPDX-License-Identifier: Apache-2.0
#include "seccomp/bpf_eval.h"

#include <string.h>

namespace stockade {
namespace {

constexpr uint32_t kDataSize = sizeof(seccomp_data);  // 64
constexpr uint32_t kScratch = BPF_MEMWORDS;           // 16
constexpr uint32_t kRefuse = SECCOMP_RET_KILL_PROCESS;

// A 32-bit word of seccomp_data at a byte offset; false outside it or
// unaligned (the kernel's checker rejects both).
bool load(const seccomp_data& d, uint32_t off, uint32_t& out) {
  if (off >= kDataSize || off % 4 != 0) return false;
  unsigned char bytes[kDataSize];
  memcpy(bytes, &d, kDataSize);
  memcpy(&out, bytes + off, 4);  // host order, as the kernel loads it
  return true;
}

// A = A op src for the ALU class. False for what the evaluator refuses: a
// shift by 32 or more (the kernel's checker rejects it for constants; for X
// the result is the JIT's business, so do not guess).
bool alu(uint16_t op, uint32_t src, uint32_t& A) {
  switch (op) {
    case BPF_ADD: A += src; return true;
    case BPF_SUB: A -= src; return true;
    case BPF_MUL: A *= src; return true;
    case BPF_DIV: A /= src; return true;  // src != 0 checked by the caller
    case BPF_AND: A &= src; return true;
    case BPF_OR: A |= src; return true;
    case BPF_XOR: A ^= src; return true;
    case BPF_LSH:
      if (src >= 32) return false;
      A <<= src;
      return true;
    case BPF_RSH:
      if (src >= 32) return false;
      A >>= src;
      return true;
    case BPF_NEG: A = 0u - A; return true;
    default: return false;  // MOD, ARSH...: not allowed in seccomp
  }
}

bool jump_taken(uint16_t op, uint32_t A, uint32_t src, bool& known) {
  known = true;
  switch (op) {
    case BPF_JEQ: return A == src;
    case BPF_JGT: return A > src;
    case BPF_JGE: return A >= src;
    case BPF_JSET: return (A & src) != 0;
    default: known = false; return false;
  }
}

}  // namespace

uint32_t bpf_eval(const sock_filter* program, uint32_t count, const seccomp_data& d) {
  uint32_t A = 0, X = 0;
  uint32_t M[kScratch] = {};
  bool written[kScratch] = {};
  // Every jump goes forward, so the loop ends within `count` steps.
  for (uint32_t pc = 0; pc < count; ++pc) {
    const sock_filter& in = program[pc];
    const uint16_t code = in.code;
    if (code > 0xff) return kRefuse;  // no classic opcode uses the high byte
    const uint32_t src = BPF_SRC(code) == BPF_X ? X : in.k;
    switch (code) {
      case BPF_LD | BPF_W | BPF_ABS:
        if (!load(d, in.k, A)) return kRefuse;
        break;
      case BPF_LD | BPF_W | BPF_LEN: A = kDataSize; break;
      case BPF_LDX | BPF_W | BPF_LEN: X = kDataSize; break;
      case BPF_LD | BPF_IMM: A = in.k; break;
      case BPF_LDX | BPF_IMM: X = in.k; break;
      case BPF_LD | BPF_MEM:
      case BPF_LDX | BPF_MEM:
        // The kernel's checker proves a slot is written before it is read.
        if (in.k >= kScratch || !written[in.k]) return kRefuse;
        (BPF_CLASS(code) == BPF_LD ? A : X) = M[in.k];
        break;
      case BPF_ST:
      case BPF_STX:
        if (in.k >= kScratch) return kRefuse;
        M[in.k] = code == BPF_ST ? A : X;
        written[in.k] = true;
        break;
      case BPF_MISC | BPF_TAX: X = A; break;
      case BPF_MISC | BPF_TXA: A = X; break;
      case BPF_RET | BPF_K: return in.k;
      case BPF_RET | BPF_A: return A;
      case BPF_JMP | BPF_JA:
        if (in.k >= count - pc - 1) return kRefuse;
        pc += in.k;
        break;
      default:
        if (BPF_CLASS(code) == BPF_ALU) {
          // Division by zero ends a classic program with 0 in the kernel,
          // which for seccomp is KILL_THREAD.
          if (BPF_OP(code) == BPF_DIV && src == 0) return SECCOMP_RET_KILL_THREAD;
          if ((BPF_OP(code) == BPF_NEG) != (code == (BPF_ALU | BPF_NEG))) return kRefuse;
          if (!alu(BPF_OP(code), src, A)) return kRefuse;
        } else if (BPF_CLASS(code) == BPF_JMP) {
          bool known = false;
          bool taken = jump_taken(BPF_OP(code), A, src, known);
          uint32_t off = taken ? in.jt : in.jf;
          if (!known || off >= count - pc - 1) return kRefuse;
          pc += off;
        } else {
          return kRefuse;  // an opcode seccomp does not allow
        }
        break;
    }
  }
  return kRefuse;  // fell off the end: the checker would have refused it
}

}  // namespace stockade
