// SPDX-License-Identifier: Apache-2.0
// `stockadec bpf … -o OUT`: a seccomp program as raw `struct sock_filter`
// bytes (8 bytes per instruction, host byte order), the form other tools
// load (`bwrap --seccomp FD`, `prctl(PR_SET_SECCOMP)` through a sock_fprog).
//
//   stockadec bpf --kafel FILE [-I DIR]... -o OUT   a bare Kafel file (nsjail's
//                                                   seccomp_policy_file form)
//   stockadec bpf POLICY_FILE [NAME] -o OUT          one policy's program
//   stockadec bpf --oci … -o OUT.json                either, as an OCI/Docker
//                                                   seccomp profile (export_oci.h)
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "policy_ir.pb.h"

namespace stockade::seccomp {

// Compiles .policy files into `out` (front end and seccomp stage), printing
// diagnostics; false on error. stockadec's main passes its own.
using CompilePolicyFiles = std::function<bool(const std::vector<std::string>& files, ir::PolicySet& out)>;

// True when `args` (after the command word) ask for an export rather than
// `bpf --disasm`.
bool is_bpf_export(const std::vector<std::string>& args);

// Runs the export; returns stockadec's exit status (0, 1 input error, 2
// usage or I/O error). Writes OUT only when everything succeeded.
int export_bpf_command(const std::vector<std::string>& args, const CompilePolicyFiles& compile);

}  // namespace stockade::seccomp
