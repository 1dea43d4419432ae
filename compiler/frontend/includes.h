// SPDX-License-Identifier: Apache-2.0
// Stage 2: include resolution, a pass of its own (not in the lexer). Reads
// the root files and everything they include, each file once, and orders
// them so that a file comes after the files it includes. An include cycle
// is an error at the `include` that closes it.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "diag/diagnostics.h"
#include "frontend/ast.h"

namespace stockade::frontend {

// A root of the compile: `path` is where to read it (its directory is where
// its includes are read from), `name` is what diagnostics call it (included
// files are named relative to it). With `text` set, `path` is not read.
struct RootFile {
  std::string path;
  std::string name;
  std::optional<std::string> text;
};

// Reads a file; returns nullopt and sets `error` (strerror text) on failure.
using ReadFile = std::function<std::optional<std::string>(const std::string& path, std::string& error)>;

// Reads files from the file system.
std::optional<std::string> read_file_from_disk(const std::string& path, std::string& error);

// Every file read is added to `sources`. Returns false if any error was reported.
// `search`: directories a relative include is looked up in, in order, when
// it is not found next to the including file.
bool load_program(const std::vector<RootFile>& roots, const ReadFile& read, diag::SourceMap& sources, diag::Sink& sink,
                  ast::Program& out, const std::vector<std::string>& search = {});

}  // namespace stockade::frontend
