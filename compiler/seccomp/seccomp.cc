// SPDX-License-Identifier: Apache-2.0
#include "seccomp.h"

#include <filesystem>

#include "codegen.h"
#include "disasm.h"
#include "expect.h"
#include "explain.h"
#include "interpreter.h"
#include "kafel_parse.h"
#include "resolve.h"

namespace stockade::seccomp {
namespace {

diag::Location location_of(const ir::Location& l, uint32_t length = 1) {
  return diag::Location{l.file(), l.line(), l.column(), length};
}

}  // namespace

bool policy_rules(const ir::Seccomp& s, diag::Sink& sink, const std::string& root, RuleSet& rules,
                  Constants& constants) {
  std::vector<ast::Unit> units;
  bool parsed = true;
  for (const ir::SeccompFragment& f : s.fragments()) {
    units.emplace_back();
    FragmentOrigin origin{f.location().file(), f.location().line(), f.location().column()};
    // #include looks in the directory of the .policy file the block is in.
    std::filesystem::path file(origin.file);
    if (!root.empty() && file.is_relative()) file = std::filesystem::path(root) / file;
    std::filesystem::path dir = file.parent_path();
    std::vector<std::string> dirs{dir.empty() ? std::filesystem::path(".").string() : dir.string()};
    parsed = parse_fragment(f.text(), origin, units.back(), sink, dirs) && parsed;
  }
  return parsed && resolve(units, Abi::X86_64, rules, constants, sink);
}

bool compile_policy(ir::PolicyIr& p, diag::Sink& sink, const std::string& root) {
  ir::Seccomp& s = *p.mutable_seccomp();
  s.clear_program();
  s.clear_explain();
  Program program;
  Constants constants;
  if (s.fragments_size() > 0) {
    // 1. Parse every fragment, 2. resolve names into rules, 3. generate BPF.
    RuleSet rules;
    if (!policy_rules(s, sink, root, rules, constants)) return false;
    std::string error;
    const ir::SeccompFragment& own = s.fragments(s.fragments_size() - 1);
    if (!generate(rules, CodegenOptions{}, program, error)) {
      sink.error(location_of(own.location()), "policy `" + p.name() + "': " + error);
      return false;
    }
    // The interpreter's checker is the kernel's: a failure here is our bug.
    if (std::string why = verify(program); !why.empty()) {
      sink.error(location_of(own.location()), "internal error: generated seccomp program rejected: " + why);
      return false;
    }
    for (const Insn& i : program) {
      ir::BpfInsn* out = s.add_program();
      out->set_code(i.code);
      out->set_jt(i.jt);
      out->set_jf(i.jf);
      out->set_k(i.k);
    }
    s.set_explain(explain(rules, Abi::X86_64));
  }
  bool ok = true;
  for (const ir::Expect& e : s.expects()) {
    diag::Location where = location_of(e.location());
    std::optional<ExpectCase> c = parse_expect(e.text(), where, constants, sink);
    if (!c || !check_expect(program, *c, where, sink)) {
      ok = false;
      // Checked against a child's filter: say which policy, and how it can
      // restate or drop the line it inherited.
      if (c && !e.policy().empty() && e.policy() != p.name()) {
        std::string call = e.text().substr(0, e.text().find("->"));
        while (!call.empty() && (call.back() == ' ' || call.back() == '\t')) call.pop_back();
        sink.note(location_of(p.location(), 6),  // the `policy` keyword
                  "checked for policy '" + p.name() + "', which inherits it from '" + e.policy() +
                      "'; restate it there (`expect " + call + " -> ...`) or drop it (`expect drop " + call + "`)");
      }
    }
  }
  return ok;
}

std::string disassemble(const ir::Seccomp& s) {
  Program program;
  for (const ir::BpfInsn& i : s.program())
    program.push_back(
        Insn{static_cast<uint16_t>(i.code()), static_cast<uint8_t>(i.jt()), static_cast<uint8_t>(i.jf()), i.k()});
  if (program.empty()) return "no seccomp filter\n";
  return disassemble_program(program);
}

}  // namespace stockade::seccomp
