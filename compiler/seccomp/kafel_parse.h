// Lexing and parsing of one Kafel fragment into an ast::Unit. Positions are
// mapped straight to the .policy file: a fragment starts at (line L, column
// C), so its line n is file line L+n-1, and on its first line column c is
// file column C+c-1.
#pragma once

#include <string>

#include "diag/diagnostics.h"
#include "kafel_ast.h"

namespace stockade::seccomp {

struct FragmentOrigin {
  std::string file;
  uint32_t line = 1;
  uint32_t column = 1;
};

// Appends the fragment's statements to `out`. Syntax and lexical errors go to
// `sink`; returns false if there were any.
bool parse_fragment(const std::string& text, const FragmentOrigin& origin, ast::Unit& out, diag::Sink& sink);

// Used by the scanner and the parser: one per parse, no globals.
struct LexContext {
  FragmentOrigin origin;
  diag::Sink* sink = nullptr;
  uint32_t line = 1;    // fragment-relative position of the next byte
  uint32_t column = 1;
  bool failed = false;
  bool aborted = false;  // the lexer stopped on an error: no syntax error on top
  ast::Unit* unit = nullptr;
  ast::Loc comment_at;   // the `/*` of the comment being skipped

  // Maps a fragment-relative span to file coordinates.
  ast::Loc map(uint32_t l, uint32_t c, uint32_t el, uint32_t ec) const;
  void error(const ast::Loc& at, const std::string& message);
};

}  // namespace stockade::seccomp
