// SPDX-License-Identifier: Apache-2.0
// stockadec compile -o DIR FILE...: one C++ table file per policy plus
// registry.cc, the launcher's input. --name and --from choose which of the
// policies read are emitted (a site's subset of the shipped ones).
#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>
#include <memory>
#include <set>

#include "cli/common.h"
#include "emit/emit_cpp.h"
#include "explain/explain.h"
#include "seccomp/notify_rewrite.h"
#include "seccomp/seccomp.h"

namespace fs = std::filesystem;

namespace stockade::cli {

namespace {

struct CompileOptions {
  PolicyInput in;
  std::string out;
  std::vector<std::string> names;  // --name: emit these
  std::vector<std::string> from;   // --from: emit every policy defined in these files
};

std::string same_file_key(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(path, ec);
  return ec ? fs::path(path).lexically_normal().string() : p.string();
}

// Keeps the chosen policies only; false (with a message) for a --name that
// names none or a --from file that defines none.
bool select(const CompileOptions& o, ir::PolicySet& set) {
  if (o.names.empty() && o.from.empty()) return true;
  std::set<std::string> names(o.names.begin(), o.names.end());
  std::set<std::string> files;
  for (const std::string& f : o.from) files.insert(same_file_key(f));
  std::set<std::string> named_found, files_found;
  ir::PolicySet kept;
  for (const ir::PolicyIr& p : set.policies()) {
    std::string file = same_file_key(p.location().file());
    bool by_name = names.count(p.name()) > 0;
    bool by_file = files.count(file) > 0;
    if (by_name) named_found.insert(p.name());
    if (by_file) files_found.insert(file);
    if (by_name || by_file) *kept.add_policies() = p;
  }
  bool ok = true;
  for (const std::string& n : names) {
    if (named_found.count(n) == 0) {
      std::cerr << "stockadec compile: --name " << n << ": no such policy in the files read\n";
      ok = false;
    }
  }
  for (const std::string& f : o.from) {
    if (files_found.count(same_file_key(f)) == 0) {
      std::cerr << "stockadec compile: --from " << f << ": defines no policy (abstract ones are not emitted)\n";
      ok = false;
    }
  }
  set = std::move(kept);
  return ok;
}

int compile(const Global& g, const CompileOptions& o) {
  Compilation c;
  if (int rc = compile_all(g, o.in, c); rc != kExitOk) return rc;
  if (!select(o, c.set)) return kExitUsage;
  std::map<std::string, emit::PolicyExtras> extras;
  for (const ir::PolicyIr& p : c.set.policies())
    extras[p.name()] = {explain::explain(p, explain::ExplainSeccomp::Omitted), p.seccomp().explain(),
                        p.seccomp().program().empty() ? "" : seccomp::disassemble(p.seccomp()),
                        seccomp::notify_seccomp(p.seccomp())};
  auto files = emit::emit_cpp(c.set, extras);
  std::error_code ec;
  fs::create_directories(o.out, ec);
  if (ec) {
    std::cerr << "stockadec compile: cannot create " << o.out << ": " << ec.message() << "\n";
    return kExitUsage;
  }
  for (const auto& [file, text] : files) {
    std::string path = (fs::path(o.out) / file).string();
    if (!write_if_changed(path, text)) {
      std::cerr << "stockadec compile: cannot write " << path << "\n";
      return kExitUsage;
    }
    verbose(g, "wrote " + path);
  }
  // Remove tables of policies that no longer exist.
  for (const auto& entry : fs::directory_iterator(o.out)) {
    if (entry.path().extension() == ".cc" && !files.count(entry.path().filename().string())) {
      fs::remove(entry.path(), ec);
      verbose(g, "removed " + entry.path().string());
    }
  }
  return kExitOk;
}

}  // namespace

Action add_compile(CLI::App& app, const Global& g) {
  auto o = std::make_shared<CompileOptions>();
  CLI::App* cmd = app.add_subcommand("compile", "write one C++ table file per policy and registry.cc into DIR");
  cmd->add_option("FILE", o->in.files, "policy files")->required();
  cmd->add_option("-o,--output", o->out, "the output directory (created if missing)")->required()->type_name("DIR");
  cmd->add_option("--name", o->names, "emit the policy NAME (repeatable; default: every policy read)")
      ->type_name("NAME")
      ->allow_extra_args(false);
  cmd->add_option("--from", o->from, "emit every policy FILE defines (repeatable)")
      ->type_name("FILE")
      ->allow_extra_args(false);
  add_policy_input_options(*cmd, o->in);
  return [&g, o] { return compile(g, *o); };
}

}  // namespace stockade::cli
