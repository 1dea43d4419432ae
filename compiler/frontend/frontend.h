// SPDX-License-Identifier: Apache-2.0
// The .policy front end as one call: read, check, lower. Each stage is also
// callable alone (parse.h, includes.h, names.h, types.h, paths.h, lower.h,
// extends.h) for tests.
#pragma once

#include <string>
#include <vector>

#include "diag/diagnostics.h"
#include "frontend/includes.h"
#include "policy_ir.pb.h"

namespace stockade::frontend {

struct Options {
  // If set, file names in diagnostics and Location.file are made relative
  // to this directory.
  std::string root;
  // Where included files come from; empty: the file system (the fuzz
  // harness serves a fixed set instead).
  ReadFile read;
  // Where `include "x.policy"` looks when x.policy is not next to the
  // including file: each directory in order (stockadec -I, then the
  // installed policy directory).
  std::vector<std::string> include_dirs;
};

// Reads, checks and lowers the given files (and their includes). Returns
// false if any error was reported.
bool compile(const std::vector<std::string>& files, const Options& opts, diag::SourceMap& sources, diag::Sink& sink,
             ir::PolicySet& out);

// Same, for text in memory (tests, the nsjail importer). `name` is the file
// name used in diagnostics; includes are resolved relative to `dir`.
bool compile_text(const std::string& name, const std::string& text, const std::string& dir, const Options& opts,
                  diag::SourceMap& sources, diag::Sink& sink, ir::PolicySet& out);

}  // namespace stockade::frontend
