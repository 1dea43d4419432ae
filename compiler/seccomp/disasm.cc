// SPDX-License-Identifier: Apache-2.0
#include "disasm.h"

#include <cstdio>
#include <optional>
#include <vector>

#include "rules.h"
#include "syscalls.h"

namespace stockade::seccomp {
namespace {

// What the accumulator holds at an instruction, as far as a forward pass can tell.
enum class Holds { Unknown, Nr, Arch, Other };
struct State {
  Holds a = Holds::Unknown;
  uint32_t arch = 0;  // 0: not established on every path
  bool operator==(const State&) const = default;
};

State meet(const std::optional<State>& have, const State& in) {
  if (!have) return in;
  State s;
  s.a = have->a == in.a ? in.a : Holds::Unknown;
  s.arch = have->arch == in.arch ? in.arch : 0;
  return s;
}

std::string hex(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%#x", v);
  return buf;
}

const char* arch_name(uint32_t arch) {
  switch (arch) {
    case AUDIT_ARCH_X86_64: return "AUDIT_ARCH_X86_64";
    case AUDIT_ARCH_I386: return "AUDIT_ARCH_I386";
    case AUDIT_ARCH_AARCH64: return "AUDIT_ARCH_AARCH64";
    default: return "unknown arch";
  }
}

std::string syscall_comment(uint32_t arch, uint32_t nr) {
  const char* name = nullptr;
  switch (arch) {
    case AUDIT_ARCH_X86_64:
      if (nr == kX32Bit) return "x32 bit (__X32_SYSCALL_BIT)";
      name = syscall_name(nr >= kX32Bit ? Abi::X32 : Abi::X86_64, nr);
      if (nr >= kX32Bit && name) return std::string("x32 ") + name;
      break;
    case AUDIT_ARCH_I386:
      name = syscall_name(Abi::I386, nr);
      if (name) return std::string("i386 ") + name;
      break;
    case AUDIT_ARCH_AARCH64: name = syscall_name(Abi::Aarch64, nr); break;
    default: break;
  }
  return name ? name : "syscall " + std::to_string(nr);
}

std::string load_comment(uint32_t k) {
  if (k == kOffNr) return "syscall number";
  if (k == kOffArch) return "arch";
  if (k == kOffIpLo || k == kOffIpLo + 4)
    return k == kOffIpLo ? "instruction pointer, low half" : "instruction pointer, high half";
  uint32_t arg = (k - kOffArgs) / 8;
  return "args[" + std::to_string(arg) + "] " + ((k - kOffArgs) % 8 ? "high half" : "low half");
}

const char* jump_name(uint16_t code) {
  switch (BPF_OP(code)) {
    case BPF_JEQ: return "jeq";
    case BPF_JGT: return "jgt";
    case BPF_JGE: return "jge";
    case BPF_JSET: return "jset";
    default: return "j?";
  }
}

const char* alu_name(uint16_t code) {
  switch (BPF_OP(code)) {
    case BPF_ADD: return "add";
    case BPF_SUB: return "sub";
    case BPF_MUL: return "mul";
    case BPF_DIV: return "div";
    case BPF_AND: return "and";
    case BPF_OR: return "or";
    case BPF_XOR: return "xor";
    case BPF_LSH: return "lsh";
    case BPF_RSH: return "rsh";
    case BPF_NEG: return "neg";
    default: return "alu?";
  }
}

}  // namespace

std::string disassemble_program(const Program& p) {
  std::vector<std::optional<State>> in(p.size() + 1);
  if (!p.empty()) in[0] = State{};
  std::string out;
  auto flow = [&](size_t to, const State& s) {
    if (to < in.size()) in[to] = meet(in[to], s);
  };
  for (size_t pc = 0; pc < p.size(); ++pc) {
    const Insn& i = p[pc];
    State s = in[pc].value_or(State{});
    std::string text, comment;
    uint16_t cls = BPF_CLASS(i.code);
    if (cls == BPF_LD || cls == BPF_LDX) {
      const char* op = cls == BPF_LD ? "ld" : "ldx";
      switch (BPF_MODE(i.code)) {
        case BPF_ABS:
          text = std::string(op) + "   [" + std::to_string(i.k) + "]";
          comment = load_comment(i.k);
          break;
        case BPF_IMM: text = std::string(op) + "   #" + hex(i.k); break;
        case BPF_MEM: text = std::string(op) + "   M[" + std::to_string(i.k) + "]"; break;
        case BPF_LEN: text = std::string(op) + "   #len"; break;
        default: text = op; break;
      }
      if (cls == BPF_LD) {
        s.a = (BPF_MODE(i.code) == BPF_ABS && i.k == kOffNr)     ? Holds::Nr
              : (BPF_MODE(i.code) == BPF_ABS && i.k == kOffArch) ? Holds::Arch
                                                                 : Holds::Other;
      }
      flow(pc + 1, s);
    } else if (cls == BPF_ST || cls == BPF_STX) {
      text = std::string(cls == BPF_ST ? "st" : "stx") + "   M[" + std::to_string(i.k) + "]";
      flow(pc + 1, s);
    } else if (cls == BPF_ALU) {
      text = std::string(alu_name(i.code)) + (BPF_OP(i.code) == BPF_NEG  ? ""
                                              : BPF_SRC(i.code) == BPF_X ? "  x"
                                                                         : "  #" + hex(i.k));
      s.a = Holds::Other;
      flow(pc + 1, s);
    } else if (cls == BPF_MISC) {
      text = BPF_MISCOP(i.code) == BPF_TAX ? "tax" : "txa";
      if (BPF_MISCOP(i.code) == BPF_TXA) s.a = Holds::Other;
      flow(pc + 1, s);
    } else if (cls == BPF_RET) {
      text = BPF_RVAL(i.code) == BPF_A ? "ret   a" : "ret   #" + hex(i.k);
      if (BPF_RVAL(i.code) != BPF_A) comment = action_name(i.k);
    } else if (BPF_OP(i.code) == BPF_JA) {
      text = "ja    " + std::to_string(pc + 1 + i.k);
      flow(pc + 1 + i.k, s);
    } else {
      size_t t = pc + 1 + i.jt, f = pc + 1 + i.jf;
      bool x = BPF_SRC(i.code) == BPF_X;
      text = std::string(jump_name(i.code)) + "   " + (x ? std::string("x") : "#" + hex(i.k)) + "  jt " +
             std::to_string(t) + "  jf " + std::to_string(f);
      State on_true = s;
      if (!x && s.a == Holds::Arch) {
        comment = arch_name(i.k);
        if (BPF_OP(i.code) == BPF_JEQ) on_true.arch = i.k;
      } else if (!x && s.a == Holds::Nr) {
        comment = syscall_comment(s.arch, i.k);
      }
      flow(t, on_true);
      flow(f, s);
    }
    char head[32];
    std::snprintf(head, sizeof head, "%4zu: ", pc);
    std::string line = head + text;
    if (!comment.empty()) {
      if (line.size() < 40) line.append(40 - line.size(), ' ');
      line += " ; " + comment;
    }
    out += line + "\n";
  }
  return out;
}

}  // namespace stockade::seccomp
