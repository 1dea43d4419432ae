// SPDX-License-Identifier: Apache-2.0
#include "cli/common.h"

#include <fmt/format.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "frontend/frontend.h"
#include "seccomp/notify_rewrite.h"
#include "seccomp/seccomp.h"

#ifndef STOCKADE_BIN_TO_POLICY_DIR
#define STOCKADE_BIN_TO_POLICY_DIR "../share/stockade/policies"
#endif

namespace fs = std::filesystem;

namespace stockade::cli {

void add_policy_input_options(CLI::App& cmd, PolicyInput& in) {
  cmd.add_option("-I,--include-dir", in.include_dirs,
                 "look for included files in DIR too (repeatable; before the installed policy directory)")
      ->type_name("DIR")
      ->allow_extra_args(false);
  cmd.add_option("--root", in.root, "name files in diagnostics relative to DIR")->type_name("DIR");
}

std::string default_include_dir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "";
  fs::path dir = (exe.parent_path() / STOCKADE_BIN_TO_POLICY_DIR).lexically_normal();
  return fs::is_directory(dir, ec) ? dir.string() : "";
}

void verbose(const Global& g, const std::string& line) {
  if (g.verbosity == Verbosity::Verbose) std::cerr << "stockadec: " << line << "\n";
}

namespace {

// An input that cannot be read is a usage or I/O error (exit 2), not a
// policy error: say so before the front end would turn it into a diagnostic.
bool readable(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "stockadec: cannot read " << path << ": " << std::strerror(errno) << "\n";
    return false;
  }
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    std::cerr << "stockadec: cannot read " << path << ": is a directory\n";
    return false;
  }
  return true;
}

// A LOG the launcher cannot report would go to the kernel's audit log
// alone, unseen by the worker: an error, at the policy's seccomp block.
bool log_reports(const ir::PolicyIr& p, diag::Sink& sink) {
  bool logs = false;
  for (const ir::BpfInsn& i : p.seccomp().program())
    logs = logs || (i.code() == (BPF_RET | BPF_K) && (i.k() & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_LOG);
  if (!logs || seccomp::notify_seccomp(p.seccomp()).program_size() > 0) return true;
  const ir::Location& at =
      p.seccomp().fragments().empty() ? p.location() : p.seccomp().fragments().rbegin()->location();
  sink.error({at.file(), at.line(), at.column(), 1},
             fmt::format("policy {}: its LOG cannot be reported: the launcher hands the listener over with a `read` "
                         "the filter denies (ALLOW or LOG read)",
                         p.name()));
  return false;
}

}  // namespace

int compile_all(const Global& g, const PolicyInput& in, Compilation& c) {
  for (const std::string& f : in.files)
    if (!readable(f)) return kExitUsage;
  frontend::Options opts;
  opts.root = in.root;
  opts.include_dirs = in.include_dirs;
  if (std::string d = default_include_dir(); !d.empty()) opts.include_dirs.push_back(d);
  for (const std::string& d : opts.include_dirs) verbose(g, "include path: " + d);
  bool ok = frontend::compile(in.files, opts, c.sources, c.sink, c.set);
  if (ok) {
    // A Kafel #include is found relative to --root (compiler/seccomp).
    for (ir::PolicyIr& p : *c.set.mutable_policies()) ok = seccomp::compile_policy(p, c.sink, in.root) && ok;
    for (const ir::PolicyIr& p : c.set.policies()) ok = log_reports(p, c.sink) && ok;
  }
  if (g.verbosity == Verbosity::Quiet) {
    // Errors only: a copy of the sink without warnings and their notes.
    diag::Sink errors;
    bool keep = false;
    for (const diag::Diagnostic& d : c.sink.all()) {
      if (d.severity != diag::Severity::Note) keep = d.severity == diag::Severity::Error;
      if (keep) errors.report(d);
    }
    std::cerr << diag::render_all(errors, c.sources);
  } else {
    std::cerr << diag::render_all(c.sink, c.sources);
  }
  if (c.sink.has_errors()) {
    std::cerr << fmt::format("stockadec: {} error{}\n", c.sink.error_count(), c.sink.error_count() == 1 ? "" : "s");
    return kExitInputError;
  }
  verbose(g, fmt::format("{} polic{} compiled", c.set.policies_size(), c.set.policies_size() == 1 ? "y" : "ies"));
  return ok ? kExitOk : kExitInputError;
}

bool write_if_changed(const std::string& path, const std::string& text) {
  std::ifstream in(path, std::ios::binary);
  if (in) {
    std::stringstream old;
    old << in.rdbuf();
    if (old.str() == text) return true;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  return static_cast<bool>(out);
}

}  // namespace stockade::cli
