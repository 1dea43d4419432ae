// SPDX-License-Identifier: Apache-2.0
#include "egress/assemble.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include "egress/endpoint.h"
#include "egress/layout.h"
#include "text.h"

namespace stockade::egress {
namespace {

constexpr bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm) {
  bpf_insn i{};
  i.code = code;
  i.dst_reg = dst & 0xf;
  i.src_reg = src & 0xf;
  i.off = off;
  i.imm = imm;
  return i;
}
constexpr bpf_insn load32(uint8_t dst, int16_t off) { return insn(BPF_LDX | BPF_MEM | BPF_W, dst, 1, off, 0); }
constexpr bpf_insn to_host(uint8_t dst, int32_t bits) { return insn(BPF_ALU | BPF_END | BPF_TO_BE, dst, 0, 0, bits); }
constexpr bpf_insn jne32(uint8_t dst, int32_t imm, int16_t off) {
  return insn(BPF_JMP32 | BPF_JNE | BPF_K, dst, 0, off, imm);
}
constexpr bpf_insn mov32_reg(uint8_t dst, uint8_t src) { return insn(BPF_ALU | BPF_MOV | BPF_X, dst, src, 0, 0); }
constexpr bpf_insn ja(int16_t off) { return insn(BPF_JMP | BPF_JA, 0, 0, off, 0); }
constexpr bpf_insn mov_imm(uint8_t dst, int32_t imm) { return insn(BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, imm); }
constexpr bpf_insn exit_insn() { return insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0); }

struct Out {
  bpf_insn* buf;
  uint32_t cap;
  uint32_t n = 0;
  bool overflow = false;
  void put(bpf_insn i) {
    if (n < cap) buf[n++] = i;
    else overflow = true;
  }
};

// Whatever the rules said, nothing matched: deny.
void deny_rest(Out& o) {
  o.put(mov_imm(0, kVerdictDeny));
  o.put(exit_insn());
}

bool put_template(const table::EgressBlock& b, const Endpoint& e, Out& o, Failure& f, const char* name) {
  unsigned words = b.family == 4 ? 1 : 4;
  uint32_t start = o.n;
  for (const bpf_insn& i : b.code) o.put(i);
  if (o.overflow) return true;  // reported by the caller
  bpf_insn* t = o.buf + start + b.patch_at;
  for (unsigned w = 0; w < words; ++w) {
    t[patch_mask(w)].imm = static_cast<int32_t>(prefix_mask(e.prefix, w));
    t[patch_prefix(w)].imm = static_cast<int32_t>(e.addr[w]);
  }
  if (e.has_port) {
    int32_t lo = t[patch_port_lo(words)].imm, hi = t[patch_port_hi(words)].imm;
    if (e.port_lo < lo || e.port_hi > hi) {
      Text<96> why;
      why.add("port outside the rule's ")
          .add_u64(static_cast<uint64_t>(lo))
          .add('-')
          .add_u64(static_cast<uint64_t>(hi));
      return fail_param(f, "", name, why.view());
    }
    t[patch_port_lo(words)].imm = e.port_lo;
    t[patch_port_hi(words)].imm = e.port_hi;
  }
  return true;
}

// The blocks of one family, each template once per value of that family.
bool put_rules(const table::Egress& egress, const ParamValues& values, uint8_t family, Out& o, Failure& f) {
  for (const table::EgressBlock& b : egress.blocks) {
    if (b.family != family) continue;
    if (b.param == table::kLiteral) {
      for (const bpf_insn& i : b.code) o.put(i);
      continue;
    }
    const ParamValue& v = values.v[b.param];
    if (!v.set) continue;
    const char* single[1] = {v.text};
    const char* const* items = v.items != nullptr ? v.items : single;
    uint32_t count = v.items != nullptr ? v.item_count : 1;
    for (uint32_t k = 0; k < count; ++k) {
      Endpoint e;
      // Checked when the params were (params.cc); a failure here is a bug.
      if (const char* why = parse_endpoint(items[k], e)) return fail_param(f, "", items[k], why);
      if (e.family != family) continue;
      if (!put_template(b, e, o, f, items[k])) return false;
    }
  }
  return true;
}

}  // namespace

bool assemble(const table::Egress& egress, const ParamValues& values, bpf_insn* buf, uint32_t cap, Programs& out,
              Failure& f) {
  Out o{buf, cap};
  // IPv4: r2 the address, r6 the port, r7 the protocol.
  uint32_t v4 = o.n;
  o.put(load32(kRegWord0, kCtxUserIp4));
  o.put(to_host(kRegWord0, 32));
  o.put(load32(kRegPort, kCtxUserPort));
  o.put(to_host(kRegPort, 16));
  o.put(load32(kRegProto, kCtxProtocol));
  if (!put_rules(egress, values, 4, o, f)) return false;
  deny_rest(o);
  out.v4 = {buf + v4, o.n - v4};
  // IPv6: r2..r5 the address; ::ffff:a.b.c.d moves a.b.c.d to r2 and
  // jumps to the IPv4 rules at the end.
  uint32_t v6 = o.n;
  for (uint8_t w = 0; w < 4; ++w) {
    o.put(load32(static_cast<uint8_t>(kRegWord0 + w), static_cast<int16_t>(kCtxUserIp6 + 4 * w)));
    o.put(to_host(static_cast<uint8_t>(kRegWord0 + w), 32));
  }
  o.put(load32(kRegPort, kCtxUserPort));
  o.put(to_host(kRegPort, 16));
  o.put(load32(kRegProto, kCtxProtocol));
  o.put(jne32(kRegWord0, 0, 4));
  o.put(jne32(kRegWord0 + 1, 0, 3));
  o.put(jne32(kRegWord0 + 2, 0xffff, 2));
  o.put(mov32_reg(kRegWord0, kRegWord0 + 3));
  uint32_t to_v4 = o.n;
  o.put(ja(0));  // patched below
  if (!put_rules(egress, values, 6, o, f)) return false;
  deny_rest(o);
  uint32_t mapped = o.n;
  if (!put_rules(egress, values, 4, o, f)) return false;
  deny_rest(o);
  if (o.overflow || mapped - to_v4 - 1 > 0x7fff)
    return fail_reason(f, Step::Network, "egress rules", "", "too many rules");
  buf[to_v4].off = static_cast<int16_t>(mapped - to_v4 - 1);
  out.v6 = {buf + v6, o.n - v6};
  return true;
}

Code socket_kinds_program() {
  // struct bpf_sock: type at 8, protocol at 12.
  static const bpf_insn kProgram[] = {
      load32(2, 8),
      load32(3, 12),
      jne32(2, SOCK_STREAM, 2),
      jne32(3, IPPROTO_TCP, 4),
      ja(5),
      jne32(2, SOCK_DGRAM, 2),
      jne32(3, IPPROTO_UDP, 1),
      ja(2),
      mov_imm(0, kVerdictDeny),
      exit_insn(),
      mov_imm(0, kVerdictAllow),
      exit_insn(),
  };
  return {kProgram, sizeof kProgram / sizeof kProgram[0]};
}

}  // namespace stockade::egress
