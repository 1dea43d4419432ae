// SPDX-License-Identifier: Apache-2.0
// Each check pins the exact diagnostic text, caret excerpt included.
#include <doctest/doctest.h>

#include "frontend/includes.h"
#include "frontend/names.h"
#include "frontend/parse.h"
#include "frontend/paths.h"
#include "frontend/types.h"
#include "helpers.h"

namespace stockade::frontend {
namespace {

using test::errors_of;

TEST_SUITE("checks") {
  TEST_CASE("unknown param in ${X}") {
    CHECK(errors_of("policy p {\n  mount { bind ${NOPE}/x -> /x }\n}\n") ==
          "test.policy:2:16: error: unknown param 'NOPE'\n"
          "  mount { bind ${NOPE}/x -> /x }\n"
          "               ^~~~~~~\n");
  }

  TEST_CASE("unknown param in if") {
    CHECK(errors_of("policy p { hostname \"h\" if !GONE }\n") ==
          "test.policy:1:29: error: unknown param 'GONE'\n"
          "policy p { hostname \"h\" if !GONE }\n"
          "                            ^~~~\n");
  }

  TEST_CASE("duplicate policy, with a note at the first") {
    CHECK(errors_of("policy p {}\npolicy p {}\n") ==
          "test.policy:2:8: error: duplicate policy 'p'\n"
          "policy p {}\n"
          "       ^\n"
          "test.policy:1:8: note: first defined here\n"
          "policy p {}\n"
          "       ^\n");
  }

  TEST_CASE("duplicate param in one body") {
    CHECK(errors_of("policy p {\n  param A : int = 1\n  param A : int = 2\n}\n") ==
          "test.policy:3:9: error: duplicate param 'A'\n"
          "  param A : int = 2\n"
          "        ^\n"
          "test.policy:2:9: note: first declared here\n"
          "  param A : int = 1\n"
          "        ^\n");
  }

  TEST_CASE("unknown extends target") {
    CHECK(errors_of("policy p extends nobody {}\n") ==
          "test.policy:1:18: error: unknown policy 'nobody' in extends\n"
          "policy p extends nobody {}\n"
          "                 ^~~~~~\n");
  }

  TEST_CASE("extends cycle") {
    CHECK(errors_of("policy a extends c {}\npolicy b extends a {}\npolicy c extends b {}\n") ==
          "test.policy:1:18: error: extends cycle: a -> c -> b -> a\n"
          "policy a extends c {}\n"
          "                 ^\n");
  }

  TEST_CASE("param default does not fit its type") {
    CHECK(errors_of("policy p { param N : int = \"many\" }\n") ==
          "test.policy:1:28: error: default of 'N' is not an int\n"
          "policy p { param N : int = \"many\" }\n"
          "                           ^~~~~~\n");
  }

  TEST_CASE("param default outside its range") {
    CHECK(errors_of("policy p { param N : int in 1..10 = 11 }\n") ==
          "test.policy:1:37: error: default of 'N' is outside its range\n"
          "policy p { param N : int in 1..10 = 11 }\n"
          "                                    ^~\n");
  }

  TEST_CASE("path default must be normalised") {
    CHECK(errors_of("policy p { param D : path = /a/../b }\n") ==
          "test.policy:1:29: error: default of 'D' is not a path: '..' component\n"
          "policy p { param D : path = /a/../b }\n"
          "                            ^~~~~~~\n");
  }

  TEST_CASE("size param in a duration slot") {
    CHECK(errors_of("policy p {\n  param AS : size = 1GiB\n  time_limit ${AS}\n}\n") ==
          "test.policy:3:14: error: param 'AS' is a size, but this slot takes a duration\n"
          "  time_limit ${AS}\n"
          "             ^~~~~\n");
  }

  TEST_CASE("string param in a path") {
    CHECK(errors_of("policy p {\n  param TAG : string = \"\"\n  mount { tmpfs /tmp/${TAG} }\n}\n") ==
          "test.policy:3:22: error: string param 'TAG' cannot be used in a path\n"
          "  mount { tmpfs /tmp/${TAG} }\n"
          "                     ^~~~~~\n");
  }

  TEST_CASE("path param only at the start of a path") {
    CHECK(errors_of("policy p {\n  param D : path\n  mount { bind /x${D} -> /y }\n}\n") ==
          "test.policy:3:18: error: path param 'D' may only stand at the start of a path\n"
          "  mount { bind /x${D} -> /y }\n"
          "                 ^~~~\n");
  }

  TEST_CASE("bool params are never interpolated") {
    CHECK(errors_of("policy p {\n  param B : bool = true\n  hostname \"h-${B}\"\n}\n") ==
          "test.policy:3:15: error: bool param 'B' cannot be interpolated\n"
          "  hostname \"h-${B}\"\n"
          "              ^~~~\n");
  }

  TEST_CASE("if on a required non-bool param") {
    CHECK(errors_of("policy p {\n  param D : path\n  cwd /tmp if D\n}\n") ==
          "test.policy:3:15: error: 'if' needs a bool or optional param; 'D' is a required path\n"
          "  cwd /tmp if D\n"
          "              ^\n");
  }

  TEST_CASE("size without unit") {
    CHECK(errors_of("policy p { limits { as 4096 } }\n") ==
          "test.policy:1:24: error: size needs a unit (B, KB, MB, GB, TB, KiB, MiB, GiB, TiB)\n"
          "policy p { limits { as 4096 } }\n"
          "                       ^~~~\n");
  }

  TEST_CASE("duration with a size unit, and a unit on a count") {
    CHECK(errors_of("policy p { time_limit 5MB; limits { nofile 10 KiB } }\n") ==
          "test.policy:1:23: error: expected a duration, found a size\n"
          "policy p { time_limit 5MB; limits { nofile 10 KiB } }\n"
          "                      ^~~\n"
          "test.policy:1:44: error: a count takes no unit\n"
          "policy p { time_limit 5MB; limits { nofile 10 KiB } }\n"
          "                                           ^~~~~~\n");
  }

  TEST_CASE("rlimit cpu is whole seconds") {
    CHECK(errors_of("policy p { limits { cpu 1500ms } }\n") ==
          "test.policy:1:25: error: rlimit cpu must be whole seconds\n"
          "policy p { limits { cpu 1500ms } }\n"
          "                        ^~~~~~\n");
  }

  TEST_CASE("relative mount target") {
    CHECK(errors_of("policy p {\n  mount { bind /usr -> \"usr\" }\n}\n") ==
          "test.policy:2:24: error: mount target 'usr' is not an absolute path\n"
          "  mount { bind /usr -> \"usr\" }\n"
          "                       ^~~~~\n");
  }

  TEST_CASE("non-normalised mount targets") {
    CHECK(errors_of("policy p { mount { tmpfs /tmp//x; tmpfs /tmp/; tmpfs /a/./b } }\n") ==
          "test.policy:1:26: error: mount target '/tmp//x' is not normalised: empty component ('//')\n"
          "policy p { mount { tmpfs /tmp//x; tmpfs /tmp/; tmpfs /a/./b } }\n"
          "                         ^~~~~~~\n"
          "test.policy:1:41: error: mount target '/tmp/' is not normalised: trailing '/'\n"
          "policy p { mount { tmpfs /tmp//x; tmpfs /tmp/; tmpfs /a/./b } }\n"
          "                                        ^~~~~\n"
          "test.policy:1:54: error: mount target '/a/./b' is not normalised: '.' component\n"
          "policy p { mount { tmpfs /tmp//x; tmpfs /tmp/; tmpfs /a/./b } }\n"
          "                                                     ^~~~~~\n");
  }

  TEST_CASE("a path param stands for a normalised path, so ${D}/x is fine and ${D}/ is not") {
    CHECK(errors_of("policy p { param D : path; mount { bind ${D}/x -> /x; bind /y -> ${D}/ } }\n") ==
          "test.policy:1:66: error: mount target '${D}/' is not normalised: trailing '/'\n"
          "policy p { param D : path; mount { bind ${D}/x -> /x; bind /y -> ${D}/ } }\n"
          "                                                                 ^~~~~\n");
  }

  TEST_CASE("two mounts on one target in one body") {
    CHECK(errors_of("policy p {\n  mount {\n    tmpfs /tmp\n    bind /var/tmp -> /tmp\n  }\n}\n") ==
          "test.policy:4:22: error: two mounts on target '/tmp' in policy 'p'\n"
          "    bind /var/tmp -> /tmp\n"
          "                     ^~~~\n"
          "test.policy:3:11: note: the first is here\n"
          "    tmpfs /tmp\n"
          "          ^~~~\n");
  }

  TEST_CASE("mounts on one target under opposite guards never meet") {
    CHECK(errors_of("policy p { param B : bool = false; mount { tmpfs /tmp if B; bind /x -> /tmp if !B } }") == "");
  }

  TEST_CASE("dev takes only the allowed nodes") {
    CHECK(errors_of("policy p { mount { dev /dev/sda } }\n") ==
          "test.policy:1:24: error: dev takes only /dev/null, /dev/zero, /dev/full, /dev/random, /dev/urandom or "
          "/dev/tty\n"
          "policy p { mount { dev /dev/sda } }\n"
          "                       ^~~~~~~~\n");
  }

  TEST_CASE("cwd must be absolute") {
    CHECK(errors_of("policy p { cwd \"tmp\" }\n") ==
          "test.policy:1:16: error: cwd 'tmp' is not an absolute path\n"
          "policy p { cwd \"tmp\" }\n"
          "               ^~~~~\n");
  }

  TEST_CASE("unknown names of rlimits and capabilities") {
    CHECK(errors_of("policy p { limits { heap 1 MiB } capabilities { keep CAP_EVERYTHING } }\n") ==
          "test.policy:1:21: error: unknown rlimit 'heap'\n"
          "policy p { limits { heap 1 MiB } capabilities { keep CAP_EVERYTHING } }\n"
          "                    ^~~~\n"
          "test.policy:1:54: error: unknown capability 'CAP_EVERYTHING'\n"
          "policy p { limits { heap 1 MiB } capabilities { keep CAP_EVERYTHING } }\n"
          "                                                     ^~~~~~~~~~~~~~\n");
  }

  TEST_CASE("redeclared param keeps its type") {
    CHECK(errors_of("abstract policy b { param N : int = 1 }\npolicy c extends b { param N : size = 1 MiB }\n") ==
          "test.policy:2:32: error: param 'N' redeclared as size, but policy 'b' declares it as int\n"
          "policy c extends b { param N : size = 1 MiB }\n"
          "                               ^~~~\n");
  }

  TEST_CASE("an empty expect line") {
    CHECK(errors_of("policy p {\n  expect   # nothing\n}\n") ==
          "test.policy:2:3: error: expect needs a syscall and a decision, as in 'expect ptrace -> ERRNO(1)'\n"
          "  expect   # nothing\n"
          "  ^~~~~~~~~~~~~~~~~~\n");
  }

  TEST_CASE("include cycle points at the include that closes it") {
    diag::SourceMap sources;
    diag::Sink sink;
    ir::PolicySet set;
    Options opts;
    opts.root = test::fixtures();
    CHECK_FALSE(compile({test::fixtures() + "/cycle_a.policy"}, opts, sources, sink, set));
    CHECK(diag::render_all(sink, sources) ==
          "cycle_b.policy:2:9: error: include cycle: cycle_a.policy -> cycle_b.policy -> cycle_a.policy\n"
          "include \"cycle_a.policy\"\n"
          "        ^~~~~~~~~~~~~~~~\n");
  }

  TEST_CASE("missing include") {
    CHECK(errors_of("include \"no_such.policy\"\n") ==
          "test.policy:1:9: error: cannot read include 'no_such.policy': No such file or directory"
          " (looked next to test.policy; stockadec -I DIR adds a directory)\n"
          "include \"no_such.policy\"\n"
          "        ^~~~~~~~~~~~~~~~\n");
  }

  TEST_CASE("an include not next to the file is found on the include path, first directory first") {
    std::string text = "include \"windmill_base.policy\"\npolicy p extends windmill_base { hostname \"h\" }\n";
    diag::SourceMap sources;
    diag::Sink sink;
    ir::PolicySet set;
    Options opts;
    CHECK_FALSE(compile_text("test.policy", text, "/nonexistent-dir", opts, sources, sink, set));
    CHECK(diag::render_all(sink, sources).find("cannot read include 'windmill_base.policy'") != std::string::npos);

    diag::SourceMap sources2;
    diag::Sink sink2;
    opts.include_dirs = {"/nonexistent-first", test::fixtures()};
    CHECK(compile_text("test.policy", text, "/nonexistent-dir", opts, sources2, sink2, set));
    CHECK(diag::render_all(sink2, sources2) == "");
    REQUIRE(set.policies_size() == 1);
    CHECK(set.policies(0).name() == "p");
    // Named by where it was found, so a diagnostic in it points there.
    CHECK(sources2.has(test::fixtures() + "/windmill_base.policy"));
  }

  TEST_CASE("an include named twice is read once") {
    diag::SourceMap sources;
    diag::Sink sink;
    ast::Program program;
    std::vector<std::string> reads;
    ReadFile counting = [&](const std::string& path, std::string& error) {
      reads.push_back(path);
      return read_file_from_disk(path, error);
    };
    load_program({{test::fixtures() + "/diamond.policy", "diamond.policy", std::nullopt}}, counting, sources, sink,
                 program);
    CHECK_FALSE(sink.has_errors());
    CHECK(reads.size() == 2);  // diamond.policy and shared_defs.policy
    REQUIRE(program.files.size() == 2);
    CHECK(program.files[0].name == "shared_defs.policy");
    CHECK(program.files[1].name == "diamond.policy");
    CHECK(program.files[1].resolved == std::vector<long>{0, 0});
  }

  TEST_CASE("each check runs alone on a parsed tree") {
    diag::Sink sink;
    ast::File file;
    REQUIRE(parse_text("alone.policy", ".", "policy p { param S : size = 1; mount { tmpfs \"tmp\" } }", sink, file));
    ast::Program program;
    program.files.push_back(file);
    Scope scope;
    CHECK(check_names(program, sink, scope));
    CHECK_FALSE(check_types(program, scope, sink));
    CHECK(sink.error_count() == 1);
    CHECK_FALSE(check_paths(program, scope, sink));
    REQUIRE(sink.error_count() == 2);
    CHECK(sink.all()[0].message == "size needs a unit (B, KB, MB, GB, TB, KiB, MiB, GiB, TiB)");
    CHECK(sink.all()[1].message == "mount target 'tmp' is not an absolute path");
  }
}

}  // namespace
}  // namespace stockade::frontend
