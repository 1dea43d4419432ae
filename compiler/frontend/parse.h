// SPDX-License-Identifier: Apache-2.0
// Stage 1: one file's text to its syntax tree. Lexical and syntax errors go
// into the sink; nothing else is checked here.
#pragma once

#include <string>

#include "diag/diagnostics.h"
#include "frontend/ast.h"

namespace stockade::frontend {

// `file` is the name used in diagnostics and locations; `dir` is where the
// file's includes are looked up. Returns false if an error was reported.
bool parse_text(const std::string& file, const std::string& dir, const std::string& text, diag::Sink& sink,
                ast::File& out);

}  // namespace stockade::frontend
