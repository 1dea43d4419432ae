// SPDX-License-Identifier: Apache-2.0
#include "interpreter.h"

#include <cstring>
#include <vector>

namespace stockade::seccomp {
namespace {

// The opcodes seccomp accepts (kernel/seccomp.c: seccomp_check_filter).
bool allowed(uint16_t code) {
  switch (code) {
    case BPF_LD | BPF_W | BPF_ABS:
    case BPF_LD | BPF_W | BPF_LEN:
    case BPF_LDX | BPF_W | BPF_LEN:
    case BPF_RET | BPF_K:
    case BPF_RET | BPF_A:
    case BPF_ALU | BPF_ADD | BPF_K:
    case BPF_ALU | BPF_ADD | BPF_X:
    case BPF_ALU | BPF_SUB | BPF_K:
    case BPF_ALU | BPF_SUB | BPF_X:
    case BPF_ALU | BPF_MUL | BPF_K:
    case BPF_ALU | BPF_MUL | BPF_X:
    case BPF_ALU | BPF_DIV | BPF_K:
    case BPF_ALU | BPF_DIV | BPF_X:
    case BPF_ALU | BPF_AND | BPF_K:
    case BPF_ALU | BPF_AND | BPF_X:
    case BPF_ALU | BPF_OR | BPF_K:
    case BPF_ALU | BPF_OR | BPF_X:
    case BPF_ALU | BPF_XOR | BPF_K:
    case BPF_ALU | BPF_XOR | BPF_X:
    case BPF_ALU | BPF_LSH | BPF_K:
    case BPF_ALU | BPF_LSH | BPF_X:
    case BPF_ALU | BPF_RSH | BPF_K:
    case BPF_ALU | BPF_RSH | BPF_X:
    case BPF_ALU | BPF_NEG:
    case BPF_LD | BPF_IMM:
    case BPF_LDX | BPF_IMM:
    case BPF_MISC | BPF_TAX:
    case BPF_MISC | BPF_TXA:
    case BPF_LD | BPF_MEM:
    case BPF_LDX | BPF_MEM:
    case BPF_ST:
    case BPF_STX:
    case BPF_JMP | BPF_JA:
    case BPF_JMP | BPF_JEQ | BPF_K:
    case BPF_JMP | BPF_JEQ | BPF_X:
    case BPF_JMP | BPF_JGE | BPF_K:
    case BPF_JMP | BPF_JGE | BPF_X:
    case BPF_JMP | BPF_JGT | BPF_K:
    case BPF_JMP | BPF_JGT | BPF_X:
    case BPF_JMP | BPF_JSET | BPF_K:
    case BPF_JMP | BPF_JSET | BPF_X: return true;
    default: return false;
  }
}

std::string at(size_t pc, const std::string& why) { return "instruction " + std::to_string(pc) + ": " + why; }

bool is_cond_jump(uint16_t code) { return BPF_CLASS(code) == BPF_JMP && BPF_OP(code) != BPF_JA; }

// Scratch memory must be written on every path before it is read
// (net/core/filter.c: check_load_and_stores). Bit i of a mask = M[i] valid.
std::string check_memory(const Program& p) {
  std::vector<uint16_t> valid(p.size(), 0xffff);
  valid[0] = 0;
  for (size_t pc = 0; pc < p.size(); ++pc) {
    uint16_t mem = valid[pc];
    const Insn& i = p[pc];
    if (i.code == BPF_ST || i.code == BPF_STX) mem |= static_cast<uint16_t>(1u << i.k);
    if ((i.code == (BPF_LD | BPF_MEM) || i.code == (BPF_LDX | BPF_MEM)) && !(mem & (1u << i.k)))
      return at(pc, "reads scratch memory M[" + std::to_string(i.k) + "] before writing it");
    if (i.code == (BPF_JMP | BPF_JA)) {
      valid[pc + 1 + i.k] &= mem;
    } else if (is_cond_jump(i.code)) {
      valid[pc + 1 + i.jt] &= mem;
      valid[pc + 1 + i.jf] &= mem;
    } else if (BPF_CLASS(i.code) != BPF_RET && pc + 1 < p.size()) {
      valid[pc + 1] &= mem;
    }
  }
  return {};
}

uint32_t load_word(const SeccompData& d, uint32_t off) {
  uint8_t bytes[kSeccompDataSize];
  std::memcpy(bytes, &d.nr, 4);
  std::memcpy(bytes + 4, &d.arch, 4);
  std::memcpy(bytes + 8, &d.ip, 8);
  std::memcpy(bytes + 16, d.args, 48);
  uint32_t w = 0;
  std::memcpy(&w, bytes + off, 4);  // the host is little-endian like the targets
  return w;
}

}  // namespace

std::string verify(const Program& p) {
  if (p.empty()) return "empty program";
  if (p.size() > kMaxInsns)
    return "program has " + std::to_string(p.size()) + " instructions, over the kernel limit of " +
           std::to_string(kMaxInsns) + " (BPF_MAXINSNS)";
  for (size_t pc = 0; pc < p.size(); ++pc) {
    const Insn& i = p[pc];
    if (!allowed(i.code)) return at(pc, "opcode " + std::to_string(i.code) + " is not allowed in seccomp");
    switch (i.code) {
      case BPF_LD | BPF_W | BPF_ABS:
        if (i.k >= kSeccompDataSize || i.k % 4 != 0)
          return at(pc, "load offset " + std::to_string(i.k) + " is outside struct seccomp_data or unaligned");
        break;
      case BPF_ALU | BPF_DIV | BPF_K:
        if (i.k == 0) return at(pc, "division by constant zero");
        break;
      case BPF_ALU | BPF_LSH | BPF_K:
      case BPF_ALU | BPF_RSH | BPF_K:
        if (i.k >= 32) return at(pc, "shift by 32 or more");
        break;
      case BPF_LD | BPF_MEM:
      case BPF_LDX | BPF_MEM:
      case BPF_ST:
      case BPF_STX:
        if (i.k >= kMemWords) return at(pc, "scratch memory index " + std::to_string(i.k) + " >= 16 (BPF_MEMWORDS)");
        break;
      case BPF_JMP | BPF_JA:
        if (i.k >= p.size() - pc - 1) return at(pc, "jump out of the program");
        break;
      default:
        if (is_cond_jump(i.code) && (pc + 1 + i.jt >= p.size() || pc + 1 + i.jf >= p.size()))
          return at(pc, "jump out of the program");
        break;
    }
  }
  if (BPF_CLASS(p.back().code) != BPF_RET) return "the last instruction is not a return";
  return check_memory(p);
}

RunResult run(const Program& p, const SeccompData& d) {
  uint32_t A = 0, X = 0, M[kMemWords] = {};
  RunResult r;
  for (size_t pc = 0; pc < p.size(); ++pc) {
    const Insn& i = p[pc];
    ++r.executed;
    uint32_t src = BPF_SRC(i.code) == BPF_X ? X : i.k;
    switch (BPF_CLASS(i.code)) {
      case BPF_LD:
        switch (BPF_MODE(i.code)) {
          case BPF_ABS: A = load_word(d, i.k); break;
          case BPF_LEN: A = kSeccompDataSize; break;
          case BPF_IMM: A = i.k; break;
          case BPF_MEM: A = M[i.k]; break;
          default: break;
        }
        break;
      case BPF_LDX:
        switch (BPF_MODE(i.code)) {
          case BPF_LEN: X = kSeccompDataSize; break;
          case BPF_IMM: X = i.k; break;
          case BPF_MEM: X = M[i.k]; break;
          default: break;
        }
        break;
      case BPF_ST: M[i.k] = A; break;
      case BPF_STX: M[i.k] = X; break;
      case BPF_ALU:
        switch (BPF_OP(i.code)) {
          case BPF_ADD: A += src; break;
          case BPF_SUB: A -= src; break;
          case BPF_MUL: A *= src; break;
          case BPF_DIV:
            // The kernel's conversion of classic BPF ends the program with
            // 0 (SECCOMP_RET_KILL_THREAD) on a division by X == 0.
            if (src == 0) {
              r.action = 0;
              return r;
            }
            A /= src;
            break;
          case BPF_AND: A &= src; break;
          case BPF_OR: A |= src; break;
          case BPF_XOR: A ^= src; break;
          // 32-bit shifts by X use its low 5 bits, as the kernel's
          // interpreter and JIT do (constants >= 32 are refused by verify).
          case BPF_LSH: A <<= (src & 31); break;
          case BPF_RSH: A >>= (src & 31); break;
          case BPF_NEG: A = 0u - A; break;
          default: break;
        }
        break;
      case BPF_JMP: {
        bool taken = false;
        switch (BPF_OP(i.code)) {
          case BPF_JA: pc += i.k; continue;
          case BPF_JEQ: taken = A == src; break;
          case BPF_JGT: taken = A > src; break;
          case BPF_JGE: taken = A >= src; break;
          case BPF_JSET: taken = (A & src) != 0; break;
          default: break;
        }
        pc += taken ? i.jt : i.jf;
        break;
      }
      case BPF_RET: r.action = BPF_RVAL(i.code) == BPF_A ? A : i.k; return r;
      case BPF_MISC:
        if (BPF_MISCOP(i.code) == BPF_TAX) X = A;
        else A = X;
        break;
      default: break;
    }
  }
  r.action = 0;  // unreachable for a verified program
  return r;
}

}  // namespace stockade::seccomp
