// SPDX-License-Identifier: Apache-2.0
// Lexing and parsing of one Kafel fragment into an ast::Unit. Positions are
// mapped straight to the .policy file: a fragment starts at (line L, column
// C), so its line n is file line L+n-1, and on its first line column c is
// file column C+c-1.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "diag/diagnostics.h"
#include "kafel_ast.h"

namespace stockade::seccomp {

struct FragmentOrigin {
  std::string file;
  uint32_t line = 1;
  uint32_t column = 1;
};

// Appends the fragment's statements to `out`. Syntax and lexical errors go to
// `sink`; returns false if there were any. `#include "name"` is Kafel's: the
// named files are spliced into the text where they stand, each looked up as
// DIR/name in `include_dirs`, in order (see README.md).
bool parse_fragment(const std::string& text, const FragmentOrigin& origin, ast::Unit& out, diag::Sink& sink,
                    const std::vector<std::string>& include_dirs = {});

// Kafel's bound on nested includes.
constexpr size_t kMaxIncludeDepth = 16;

// Used by the scanner and the parser: one per parse, no globals.
struct LexContext {
  FragmentOrigin origin;
  diag::Sink* sink = nullptr;
  uint32_t line = 1;  // fragment-relative position of the next byte
  uint32_t column = 1;
  bool failed = false;
  bool aborted = false;  // the lexer stopped on an error: no syntax error on top
  ast::Unit* unit = nullptr;
  ast::Loc comment_at;  // the `/*` of the comment being skipped
  // #include: the search path, the files being read (innermost last) and
  // the state of the directive being scanned.
  const std::vector<std::string>* include_dirs = nullptr;
  struct Included {
    FragmentOrigin origin;  // of the file that named it, to return to
    uint32_t line = 1, column = 1;
    uint32_t file = 0;
    std::FILE* fp = nullptr;
  };
  std::vector<Included> include_stack;
  uint32_t file = 0;           // current file: 0 the fragment, n unit->included[n - 1]
  ast::Loc include_at;         // the directive
  bool include_blank = false;  // a blank since the directive or the last name
  bool include_named = false;  // the directive named a file

  // Maps a fragment-relative span to file coordinates.
  ast::Loc map(uint32_t l, uint32_t c, uint32_t el, uint32_t ec) const;
  void error(const ast::Loc& at, const std::string& message);
};

}  // namespace stockade::seccomp
