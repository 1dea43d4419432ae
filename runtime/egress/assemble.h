// SPDX-License-Identifier: Apache-2.0
// Puts a policy's compiled egress rule blocks together into the two
// BPF_PROG_TYPE_CGROUP_SOCK_ADDR programs the launcher loads: one for IPv4
// destinations (connect4, sendmsg4) and one for IPv6 (connect6, sendmsg6),
// whose IPv4-mapped destinations run the IPv4 rules. A block on an
// `endpoint` param is copied once per value, its immediates patched
// (layout.h). Pure: no system calls, unit-tested on the host.
#pragma once

#include <linux/bpf.h>
#include <stdint.h>

#include "fail.h"
#include "params.h"
#include "policy_table.h"

namespace stockade::egress {

struct Code {
  const bpf_insn* insns;
  uint32_t count;
};
struct Programs {
  Code v4;
  Code v6;
};

// `buf` holds `cap` instructions for both programs. False with `f` filled
// (step "param") when a value's port lies outside its rule's port range, or
// (step "network") when the programs do not fit.
bool assemble(const table::Egress& egress, const ParamValues& values, bpf_insn* buf, uint32_t cap, Programs& out,
              Failure& f);

// The one fixed program of BPF_CGROUP_INET_SOCK_CREATE: an AF_INET/AF_INET6
// socket is TCP (SOCK_STREAM) or UDP (SOCK_DGRAM) or is refused (EPERM), so
// no ICMP, raw, SCTP, MPTCP or UDP-Lite socket escapes the address rules.
Code socket_kinds_program();

}  // namespace stockade::egress
