// SPDX-License-Identifier: Apache-2.0
// The seccomp stage of stockadec: Kafel text in the IR -> x86-64 classic BPF,
// explain text, and checked `expect` lines. See README.md for the pipeline.
#pragma once

#include <string>

#include "diag/diagnostics.h"
#include "policy_ir.pb.h"
#include "resolve.h"

namespace stockade::seccomp {

// Compiles p.seccomp().fragments (Kafel text pieces with their .policy
// locations; shared definitions first, the policy's own block last) into
// p.seccomp().program and p.seccomp().explain, then checks every
// p.seccomp().expects entry against the compiled program with the in-tree BPF
// interpreter. Errors go to `sink` with the file:line:col of the offending
// token. Returns false on error. No fragments -> empty program, true (expect
// lines are still checked, against "no filter": everything is allowed).
// `root`: the directory file names in the IR are relative to (stockadec's
// --root); `#include` in a seccomp block searches the block's file's
// directory under it.
bool compile_policy(ir::PolicyIr& p, diag::Sink& sink, const std::string& root = "");

// Steps 1 and 2 of compile_policy alone: the fragments parsed and resolved
// into rules (for exports that need the rules rather than the program).
bool policy_rules(const ir::Seccomp& s, diag::Sink& sink, const std::string& root, RuleSet& rules,
                  Constants& constants);

// `stockadec bpf --disasm`: readable listing with syscall names.
std::string disassemble(const ir::Seccomp& s);

}  // namespace stockade::seccomp
