// SPDX-License-Identifier: Apache-2.0
// The token stream of a text, for tests and debugging of the scanner.
#pragma once

#include <string>
#include <vector>

#include "diag/diagnostics.h"
#include "frontend/ast.h"

namespace stockade::frontend {

struct Token {
  std::string kind;  // the token's name in the grammar: "identifier", "path", "'mount'", ...
  std::string text;  // the source bytes it covers (first line only)
  ast::Loc loc;
};

// Scans all of `text`; stops at the end or at the first invalid token.
std::vector<Token> lex(const std::string& file, const std::string& text, diag::Sink& sink);

}  // namespace stockade::frontend
