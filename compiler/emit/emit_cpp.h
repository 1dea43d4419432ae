// SPDX-License-Identifier: Apache-2.0
// Back end: lowers an IR PolicySet into C++ constant tables of the types in
// runtime/policy_table.h. Output is deterministic: the same IR gives the same
// bytes, so the committed generated/ can be compared with a fresh compile.
#pragma once

#include <map>
#include <string>

#include "policy_ir.pb.h"

namespace stockade::emit {

struct PolicyExtras {
  std::string summary;          // `stockade show` text, without the seccomp rules
  std::string seccomp_summary;  // the seccomp rules in words ("" = none)
  std::string disassembly;      // seccomp listing, placed as a comment above the program
  ir::Seccomp notify{};         // the notify variant's program (seccomp/notify_rewrite.h); empty = none
};

// File name -> contents: one `<policy>.cc` per policy, `registry.cc`, and
// `seccomp.cc`, which holds each distinct seccomp program and its words once
// (every shipped policy uses the same denylist: 22 copies were most of the
// launcher's size).
std::map<std::string, std::string> emit_cpp(const ir::PolicySet& set,
                                            const std::map<std::string, PolicyExtras>& extras);

// A C++ string literal for arbitrary bytes (printable ASCII kept, the rest
// escaped as three-digit octal so no escape can swallow a following digit).
std::string cpp_string(const std::string& bytes);

}  // namespace stockade::emit
