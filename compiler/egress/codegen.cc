// SPDX-License-Identifier: Apache-2.0
#include "egress/codegen.h"

#include <linux/bpf.h>

#include <string>

#include "egress/endpoint.h"
#include "egress/internet.h"
#include "egress/layout.h"

namespace stockade::egress {
namespace {

// A block under construction: jumps name a label, resolved at the end.
class Asm {
 public:
  static constexpr int kNext = 0;  // the end of the block: the rule does not apply
  int label() {
    labels_.push_back(-1);
    return static_cast<int>(labels_.size());  // labels count from 1; 0 is kNext
  }
  void bind(int l) { labels_[static_cast<size_t>(l - 1)] = static_cast<int>(code_.size()); }
  void put(uint8_t code, uint8_t dst, uint8_t src, int32_t imm) { code_.push_back({code, dst, src, 0, imm}); }
  void jump(uint8_t op, uint8_t reg, int32_t imm, int to) {
    fixups_.push_back({code_.size(), to});
    code_.push_back({static_cast<uint8_t>(BPF_JMP32 | op | BPF_K), reg, 0, 0, imm});
  }
  void ja(int to) {
    fixups_.push_back({code_.size(), to});
    code_.push_back({BPF_JMP | BPF_JA, 0, 0, 0, 0});
  }
  size_t size() const { return code_.size(); }
  std::vector<Insn> finish() {
    int end = static_cast<int>(code_.size());
    for (auto [at, to] : fixups_) {
      int target = to == kNext ? end : labels_[static_cast<size_t>(to - 1)];
      code_[at].off = static_cast<int16_t>(target - static_cast<int>(at) - 1);
    }
    return std::move(code_);
  }

 private:
  struct Fixup {
    size_t at;
    int to;
  };
  std::vector<Insn> code_;
  std::vector<int> labels_;
  std::vector<Fixup> fixups_;
};

uint8_t word_reg(unsigned w) { return static_cast<uint8_t>(kRegWord0 + w); }
unsigned word_count(uint8_t family) { return family == 4 ? 1 : 4; }

// Leaves the masked word in a register and returns it.
uint8_t masked(Asm& a, unsigned w, uint32_t mask) {
  if (mask == 0xffffffffu) return word_reg(w);
  a.put(BPF_ALU | BPF_MOV | BPF_X, kRegScratch, word_reg(w), 0);
  a.put(BPF_ALU | BPF_AND | BPF_K, kRegScratch, 0, static_cast<int32_t>(mask));
  return kRegScratch;
}

// Falls through only when the destination lies in `e`.
void require_in(Asm& a, const Endpoint& e) {
  for (unsigned w = 0; w < word_count(e.family); ++w) {
    uint32_t mask = prefix_mask(e.prefix, w);
    if (mask == 0) break;
    a.jump(BPF_JNE, masked(a, w, mask), static_cast<int32_t>(e.addr[w]), Asm::kNext);
  }
}

// Jumps to the end (the rule does not apply) when the destination lies in `e`.
void refuse_in(Asm& a, const Endpoint& e) {
  int outside = a.label();
  unsigned last = 0;
  for (unsigned w = 0; w < word_count(e.family); ++w)
    if (prefix_mask(e.prefix, w) != 0) last = w;
  if (e.prefix == 0) {
    a.ja(Asm::kNext);
    return;
  }
  for (unsigned w = 0; w <= last; ++w) {
    uint32_t mask = prefix_mask(e.prefix, w);
    uint8_t r = masked(a, w, mask);
    if (w == last) a.jump(BPF_JEQ, r, static_cast<int32_t>(e.addr[w]), Asm::kNext);
    else a.jump(BPF_JNE, r, static_cast<int32_t>(e.addr[w]), outside);
  }
  a.bind(outside);
}

Endpoint endpoint_of(const ir::Cidr& c) {
  Endpoint e;
  e.family = static_cast<uint8_t>(c.family());
  e.prefix = static_cast<uint8_t>(c.prefix());
  for (int w = 0; w < c.words_size() && w < 4; ++w) e.addr[w] = c.words(w);
  return e;
}

bool applies_to(const ir::EgressRule& r, uint8_t family) {
  return r.target() != ir::TARGET_CIDR || r.cidr().family() == family;
}

Block compile(const ir::EgressRule& r, uint8_t family) {
  Block b;
  b.family = family;
  Asm a;
  if (r.proto() != ir::EGRESS_ANY_PROTO) a.jump(BPF_JNE, kRegProto, r.proto(), Asm::kNext);
  uint32_t lo = r.has_ports() ? r.port_lo() : 0, hi = r.has_ports() ? r.port_hi() : 65535;
  switch (r.target()) {
    case ir::TARGET_ANY: break;
    case ir::TARGET_CIDR: require_in(a, endpoint_of(r.cidr())); break;
    case ir::TARGET_INTERNET:
      for (const Excluded& x : kNotInternet) {
        Endpoint e;
        parse_endpoint(x.cidr, e);  // constants, checked by tests/egress
        if (e.family == family) refuse_in(a, e);
      }
      break;
    case ir::TARGET_PARAM: {
      // The full shape, every immediate patched at launch (layout.h).
      b.param = static_cast<int32_t>(r.param());
      for (unsigned w = 0; w < word_count(family); ++w) {
        a.put(BPF_ALU | BPF_MOV | BPF_X, kRegScratch, word_reg(w), 0);
        if (w == 0) b.patch_at = static_cast<uint16_t>(a.size());
        a.put(BPF_ALU | BPF_AND | BPF_K, kRegScratch, 0, 0);
        a.jump(BPF_JNE, kRegScratch, 0, Asm::kNext);
      }
      a.jump(BPF_JLT, kRegPort, static_cast<int32_t>(lo), Asm::kNext);
      a.jump(BPF_JGT, kRegPort, static_cast<int32_t>(hi), Asm::kNext);
      lo = 0, hi = 65535;  // done
      break;
    }
    case ir::EgressTarget_INT_MIN_SENTINEL_DO_NOT_USE_:
    case ir::EgressTarget_INT_MAX_SENTINEL_DO_NOT_USE_: break;
  }
  if (lo > 0) a.jump(BPF_JLT, kRegPort, static_cast<int32_t>(lo), Asm::kNext);
  if (hi < 65535) a.jump(BPF_JGT, kRegPort, static_cast<int32_t>(hi), Asm::kNext);
  a.put(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, r.action() == ir::EGRESS_ALLOW ? kVerdictAllow : kVerdictDeny);
  a.put(BPF_JMP | BPF_EXIT, 0, 0, 0);
  b.code = a.finish();
  return b;
}

}  // namespace

std::vector<Block> compile_rules(const google::protobuf::RepeatedPtrField<ir::EgressRule>& rules) {
  std::vector<Block> out;
  for (const ir::EgressRule& r : rules)
    for (uint8_t family : {uint8_t{4}, uint8_t{6}})
      if (applies_to(r, family)) out.push_back(compile(r, family));
  return out;
}

int run_blocks(const std::vector<Block>& blocks, uint8_t family, const uint32_t words[4], uint16_t port,
               uint8_t proto) {
  for (const Block& b : blocks) {
    if (b.family != family || b.param >= 0) continue;
    uint64_t reg[11] = {};
    for (unsigned w = 0; w < 4; ++w) reg[kRegWord0 + w] = words[w];
    reg[kRegPort] = port;
    reg[kRegProto] = proto;
    for (size_t pc = 0; pc < b.code.size(); ++pc) {
      const Insn& i = b.code[pc];
      uint32_t d = static_cast<uint32_t>(reg[i.dst]), k = static_cast<uint32_t>(i.imm);
      bool taken = false;
      switch (i.code) {
        case BPF_ALU | BPF_MOV | BPF_X: reg[i.dst] = static_cast<uint32_t>(reg[i.src]); continue;
        case BPF_ALU | BPF_AND | BPF_K: reg[i.dst] = d & k; continue;
        case BPF_ALU64 | BPF_MOV | BPF_K: reg[i.dst] = static_cast<uint64_t>(static_cast<int64_t>(i.imm)); continue;
        case BPF_JMP | BPF_EXIT: return static_cast<int>(reg[0]);
        case BPF_JMP | BPF_JA: taken = true; break;
        case BPF_JMP32 | BPF_JNE | BPF_K: taken = d != k; break;
        case BPF_JMP32 | BPF_JEQ | BPF_K: taken = d == k; break;
        case BPF_JMP32 | BPF_JLT | BPF_K: taken = d < k; break;
        case BPF_JMP32 | BPF_JGT | BPF_K: taken = d > k; break;
        default: return -1;  // not an instruction this generator makes
      }
      if (taken) pc = static_cast<size_t>(static_cast<long>(pc) + i.off);
    }
  }
  return kVerdictDeny;
}

}  // namespace stockade::egress
