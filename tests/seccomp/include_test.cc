// SPDX-License-Identifier: Apache-2.0
// Kafel's #include inside a seccomp block: files spliced in where the
// directive stands, looked up in the search path in order, several names per
// directive (each after a blank), ended by a newline or `;', at most 16
// deep. Cases follow Kafel's documented behaviour; the files are our own.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "support.h"

using namespace stockade::seccomp;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "stockade-include-XXXXXX").string();
    path = mkdtemp(pattern.data());
  }
  ~TempDir() { fs::remove_all(path); }
  void write(const std::string& name, const std::string& text) const {
    fs::create_directories((path / name).parent_path());
    std::ofstream(path / name) << text;
  }
};

std::string first_line(const std::string& d) { return d.substr(0, d.find('\n')); }

}  // namespace

TEST_CASE("include: files are spliced in place, several per directive") {
  TempDir t;
  t.write("empty.policy", "POLICY empty { }\n");
  t.write("basic.policy", "POLICY allow_exit { ALLOW { exit, exit_group } }\n");
  std::vector<std::string> dirs{t.path.string()};
  for (const char* text : {"#include \"empty.policy\" \"basic.policy\";USE allow_exit DEFAULT KILL",
                           "#include \"basic.policy\"\nUSE allow_exit DEFAULT KILL",
                           "#include \"basic.policy\"; USE allow_exit DEFAULT KILL"}) {
    test::Compiled c = test::compile_text(text, {}, dirs);
    REQUIRE_MESSAGE(c.ok, c.diagnostics);
    CHECK(test::decide(c.program, "exit_group") == kAllow);
    CHECK(test::decide(c.program, "write") == kKillThread);
  }
}

TEST_CASE("include: chains, the search path in order, and text around the directive") {
  TempDir a, b;
  a.write("chain.policy", "#include \"stdio.policy\"\nPOLICY allow_exit { ALLOW { exit_group } }\n");
  b.write("stdio.policy", "#define STDIN 0\nPOLICY allow_stdio { ALLOW { read { fd == STDIN } } }\n");
  b.write("chain.policy", "POLICY never_used { }\n");  // a comes first
  test::Compiled c =
      test::compile_text("ERRNO(1) { ptrace }\n#include \"chain.policy\"\nUSE allow_exit, USE allow_stdio DEFAULT KILL",
                         {}, {a.path.string(), b.path.string()});
  REQUIRE_MESSAGE(c.ok, c.diagnostics);
  CHECK(test::decide(c.program, "read(0)") == kAllow);
  CHECK(test::decide(c.program, "read(1)") == kKillThread);
  CHECK(test::decide(c.program, "ptrace") == (kErrno | 1));
  CHECK(test::decide(c.program, "exit_group") == kAllow);
}

TEST_CASE("include: errors") {
  TempDir t;
  t.write("empty.policy", "POLICY empty { }\n");
  t.write("self.policy", "#include \"self.policy\"\n");
  t.write("loop_a.policy", "#include \"loop_b.policy\"\n");
  t.write("loop_b.policy", "#include \"loop_a.policy\"\n");
  t.write("bad.policy", "POLICY bad {\n  ALLOW { nosuchcall }\n}\n");
  std::vector<std::string> dirs{t.path.string()};
  std::string dir = t.path.string();
  auto error_of = [&](const std::string& text) { return first_line(test::compile_text(text, {}, dirs).diagnostics); };
  CHECK(error_of("#include \"nosuch.policy\";") ==
        "test.policy:1:10: error: cannot include `nosuch.policy': not found in the search path (" + dir + ")");
  CHECK(error_of("#include\"empty.policy\"; USE empty") ==
        "test.policy:1:9: error: expected a blank before the file name (Kafel's #include syntax)");
  CHECK(error_of("#include \"empty.policy\"\"empty.policy\"\nUSE empty") ==
        "test.policy:1:24: error: expected a blank before the file name (Kafel's #include syntax)");
  CHECK(error_of("#include \"empty.policy") ==
        "test.policy:1:10: error: expected a quoted file name, a newline or `;' in #include");
  CHECK(error_of("#include \"empty.policy\"") ==
        "test.policy:1:1: error: unterminated #include: end it with a newline or `;'");
  CHECK(error_of("#include empty.policy; USE empty") ==
        "test.policy:1:10: error: expected a quoted file name, a newline or `;' in #include");
  CHECK(error_of("#include ;") == "test.policy:1:1: error: #include names no file");
  CHECK(error_of("#include \"self.policy\";") ==
        dir + "/self.policy:1:10: error: #include nested more than 16 deep (Kafel's limit)");
  CHECK(error_of("#include \"loop_a.policy\";") ==
        dir + "/loop_b.policy:1:10: error: #include nested more than 16 deep (Kafel's limit)");
  // Errors inside an included file name that file and its own lines.
  CHECK(error_of("#include \"bad.policy\"\nUSE bad") == dir + "/bad.policy:2:11: error: unknown syscall `nosuchcall'");
  // No search path: nothing can be found (Kafel needs one registered).
  CHECK(first_line(test::compile_text("#include \"empty.policy\";").diagnostics) ==
        "test.policy:1:10: error: cannot include `empty.policy': not found in an empty search path");
}
