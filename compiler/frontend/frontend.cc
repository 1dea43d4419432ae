// SPDX-License-Identifier: Apache-2.0
#include "frontend/frontend.h"

#include <filesystem>

#include "frontend/extends.h"
#include "frontend/includes.h"
#include "frontend/lower.h"
#include "frontend/names.h"
#include "frontend/network.h"
#include "frontend/overlays.h"
#include "frontend/paths.h"
#include "frontend/types.h"

namespace stockade::frontend {

namespace fs = std::filesystem;

namespace {

// The name a file goes by in diagnostics: relative to opts.root when set.
std::string display_name(const std::string& path, const Options& opts) {
  if (opts.root.empty()) return path;
  std::error_code ec;
  fs::path rel =
      fs::absolute(path, ec).lexically_normal().lexically_relative(fs::absolute(opts.root, ec).lexically_normal());
  if (ec || rel.empty()) return path;
  return rel.string();
}

bool run(const std::vector<RootFile>& roots, const Options& opts, diag::SourceMap& sources, diag::Sink& sink,
         ir::PolicySet& out) {
  size_t errors_before = sink.error_count();
  ast::Program program;
  load_program(roots, opts.read ? opts.read : ReadFile(read_file_from_disk), sources, sink, program, opts.include_dirs);
  Scope scope;
  // Each check reports everything it finds; lowering runs only on a clean tree.
  check_names(program, sink, scope);
  check_types(program, scope, sink);
  check_paths(program, scope, sink);
  check_overlays(program, scope, sink);
  check_network_rules(scope, sink);
  if (sink.error_count() != errors_before) return false;
  out.Clear();
  for (const auto& [name, info] : scope.policies) {  // std::map: sorted by name
    if (info.policy->abstract) continue;
    ir::PolicyIr policy = resolve_policy(scope, info, sink);
    check_network_expects(policy, sink);
    // Shared definitions first, so the policy block can USE them.
    if (policy.seccomp().fragments_size() > 0) {
      std::vector<ir::SeccompFragment> fragments = shared_seccomp(program, info.file);
      ir::SeccompFragment own = policy.seccomp().fragments(0);
      policy.mutable_seccomp()->clear_fragments();
      for (ir::SeccompFragment& f : fragments) *policy.mutable_seccomp()->add_fragments() = std::move(f);
      *policy.mutable_seccomp()->add_fragments() = std::move(own);
    }
    *out.add_policies() = std::move(policy);
  }
  return sink.error_count() == errors_before;
}

}  // namespace

bool compile(const std::vector<std::string>& files, const Options& opts, diag::SourceMap& sources, diag::Sink& sink,
             ir::PolicySet& out) {
  std::vector<RootFile> roots;
  for (const std::string& f : files) roots.push_back({f, display_name(f, opts), std::nullopt});
  return run(roots, opts, sources, sink, out);
}

bool compile_text(const std::string& name, const std::string& text, const std::string& dir, const Options& opts,
                  diag::SourceMap& sources, diag::Sink& sink, ir::PolicySet& out) {
  std::string path = (fs::path(dir) / fs::path(name).filename()).string();
  // `name` is already the name to show: opts.root does not apply; opts.include_dirs do.
  return run({{path, name, text}}, opts, sources, sink, out);
}

}  // namespace stockade::frontend
