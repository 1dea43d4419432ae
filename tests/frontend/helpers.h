// SPDX-License-Identifier: Apache-2.0
// Small helpers shared by the front end tests.
#pragma once

#include <string>

#include "diag/diagnostics.h"
#include "frontend/ast.h"
#include "frontend/frontend.h"
#include "frontend/parse.h"

namespace stockade::frontend::test {

inline std::string fixtures() { return STOCKADE_FRONTEND_FIXTURES; }

// Compiles `text` as "test.policy" (includes from fixtures/); returns the
// rendered diagnostics, "" when there were none.
struct Compiled {
  bool ok = false;
  std::string diagnostics;
  ir::PolicySet set;
};
inline Compiled compile_snippet(const std::string& text, const std::string& name = "test.policy") {
  Compiled c;
  diag::SourceMap sources;
  diag::Sink sink;
  c.ok = compile_text(name, text, fixtures(), Options{}, sources, sink, c.set);
  c.diagnostics = diag::render_all(sink, sources);
  return c;
}

inline std::string errors_of(const std::string& text) { return compile_snippet(text).diagnostics; }

}  // namespace stockade::frontend::test
