// SPDX-License-Identifier: Apache-2.0
// The parser: every statement form of docs/language.md builds the right AST.
#include <doctest/doctest.h>

#include "frontend/parse.h"
#include "helpers.h"

namespace stockade::frontend {
namespace {

const char* kEveryForm = R"(include "shared.policy"
seccomp { POLICY shared { ERRNO(1) { ptrace } } }
abstract policy base { cwd /tmp }
policy all extends base {
  param JOB_DIR : path
  param MAIN    : name = "main"
  param SHARED  : path?
  param AS      : size in 256MiB..64GiB = 4GiB
  param TIMEOUT : duration = 300s
  param NPROC   : int in 1..4096 = 256
  param NEWUSER : bool = true
  param TAG     : string = ""
  hostname "python"
  cwd /tmp
  time_limit 300s
  network none
  namespaces {
    user on if NEWUSER
    user off if !NEWUSER
    time off
  }
  uid_map 0 65534 1
  gid_map 0 65534 1
  mount {
    tmpfs /tmp size 500MB mode 1777
    bind /usr
    bind ${JOB_DIR}/${MAIN}.py -> /tmp/${MAIN}.py
    bind ${JOB_DIR}/result.json -> /tmp/result.json rw
    bind? ${JOB_DIR}/loader.py -> /tmp/loader.py
    proc /proc
    dev /dev/null
    symlink /dev/fd -> /proc/self/fd
    file /etc/passwd "root:x:0:0::/tmp:/bin/sh\n" mode 0644
    mkdir /tmp/work mode 0700
  }
  limits {
    as 4096 MiB
    cpu 1000s
    nofile soft 1024 hard 4096
    stack inf
    core 0 B
    inherit nproc
    inherit all
  }
  cgroup {
    memory 2 GiB
    memory_swap 2 GiB
    pids 256
    cpu_ms_per_sec 1000
  }
  env {
    clear
    keep
    pass PATH, TERM
    set HOME = "/tmp"
    unset LD_PRELOAD
  }
  capabilities { keep CAP_NET_BIND_SERVICE }
  no_new_privs on
  session new
  pass_fd 3
  seccomp { USE shared DEFAULT ALLOW }
  expect ptrace -> ERRNO(1)  # a comment
}
)";

template <typename T>
std::vector<const T*> all_of(const ast::Policy& p) {
  std::vector<const T*> out;
  for (const ast::Stmt& s : p.body)
    if (const T* t = std::get_if<T>(&s.body)) out.push_back(t);
  return out;
}

TEST_SUITE("parser") {
  TEST_CASE("every statement form parses") {
    diag::Sink sink;
    ast::File file;
    bool ok = parse_text("every.policy", "dir", kEveryForm, sink, file);
    diag::SourceMap sources;
    sources.add("every.policy", kEveryForm);
    INFO(diag::render_all(sink, sources));
    REQUIRE(ok);
    REQUIRE(file.includes.size() == 1);
    CHECK(file.includes[0].path == "shared.policy");
    CHECK(file.includes[0].loc.line == 1);
    CHECK(file.includes[0].loc.column == 9);
    REQUIRE(file.seccomp.size() == 1);
    CHECK(file.seccomp[0].text == " POLICY shared { ERRNO(1) { ptrace } } ");
    CHECK(file.seccomp[0].body.line == 2);
    CHECK(file.seccomp[0].body.column == 10);
    REQUIRE(file.policies.size() == 2);
    CHECK(file.policies[0].abstract);
    const ast::Policy& p = file.policies[1];
    CHECK(p.name.text == "all");
    CHECK(p.parent->text == "base");
    CHECK(p.loc.line == 4);
    CHECK(p.loc.column == 1);

    auto params = all_of<ast::ParamDecl>(p);
    REQUIRE(params.size() == 8);
    CHECK(params[2]->optional);
    CHECK(params[3]->lo->digits == "256");
    CHECK(params[3]->lo->unit == "MiB");
    CHECK(params[3]->hi->unit == "GiB");
    CHECK(params[3]->def_quantity->digits == "4");
    CHECK(params[1]->def_text->pieces[0].text == "main");
    CHECK(*params[6]->def_bool);
    CHECK(params[7]->def_text->pieces.empty());

    auto ns = all_of<ast::NamespaceStmt>(p);
    REQUIRE(ns.size() == 3);
    CHECK(ns[1]->ns.text == "user");
    CHECK_FALSE(ns[1]->on);

    auto mounts = all_of<ast::MountStmt>(p);
    REQUIRE(mounts.size() == 10);
    CHECK(mounts[0]->kind == ast::MountKind::Tmpfs);
    REQUIRE(mounts[0]->opts.size() == 2);
    CHECK(mounts[0]->opts[0].kind == ast::MountOptKind::Size);
    CHECK(mounts[0]->opts[1].value.digits == "1777");
    CHECK(mounts[1]->source->pieces[0].text == "/usr");
    CHECK_FALSE(mounts[1]->explicit_target);
    const ast::Text& src = *mounts[2]->source;
    REQUIRE(src.pieces.size() == 4);
    CHECK(src.pieces[0].is_param);
    CHECK(src.pieces[0].text == "JOB_DIR");
    CHECK(src.pieces[1].text == "/");
    CHECK(src.pieces[2].text == "MAIN");
    CHECK(src.pieces[2].loc.column == 21);
    CHECK(src.pieces[3].text == ".py");
    CHECK(mounts[4]->optional);
    CHECK(mounts[6]->kind == ast::MountKind::Dev);
    CHECK(mounts[7]->kind == ast::MountKind::Symlink);
    CHECK(mounts[7]->target.pieces[0].text == "/dev/fd");
    CHECK(mounts[7]->source->pieces[0].text == "/proc/self/fd");
    CHECK(mounts[8]->content->pieces[0].text == "root:x:0:0::/tmp:/bin/sh\n");

    auto rl = all_of<ast::RlimitStmt>(p);
    REQUIRE(rl.size() == 7);
    CHECK(rl[2]->split);
    CHECK(rl[2]->hard.digits == "4096");
    CHECK(rl[3]->soft.kind == ast::Quantity::Kind::Inf);
    CHECK(rl[6]->inherit);
    CHECK(rl[6]->resource.text == "all");

    CHECK(all_of<ast::CgroupStmt>(p).size() == 4);
    auto env = all_of<ast::EnvStmt>(p);
    REQUIRE(env.size() == 6);  // pass PATH, TERM is two rules
    CHECK(env[3]->name.text == "TERM");
    CHECK(env[4]->value.pieces[0].text == "/tmp");
    CHECK(all_of<ast::CapStmt>(p)[0]->cap.text == "CAP_NET_BIND_SERVICE");
    CHECK(all_of<ast::SessionStmt>(p)[0]->mode.text == "new");
    CHECK(all_of<ast::PassFd>(p)[0]->fd.digits == "3");
    CHECK(all_of<ast::SeccompBlock>(p)[0]->text == " USE shared DEFAULT ALLOW ");
    auto expects = all_of<ast::ExpectStmt>(p);
    REQUIRE(expects.size() == 1);
    CHECK(expects[0]->text == "ptrace -> ERRNO(1)");
    CHECK(expects[0]->loc.column == 10);
  }

  TEST_CASE("guards on statements and a keyword used as a name") {
    diag::Sink sink;
    ast::File file;
    REQUIRE(parse_text("g.policy", ".", "policy p { param size : bool = false; hostname \"h\" if !size }", sink, file));
    const ast::Stmt& s = file.policies[0].body[1];
    REQUIRE(s.guard);
    CHECK(s.guard->param == "size");
    CHECK(s.guard->negated);
  }

  TEST_CASE("syntax error: unexpected token and what was expected") {
    CHECK(test::errors_of("policy p {\n  mount { bind }\n}\n") ==
          "test.policy:2:16: error: syntax error, unexpected '}', expecting ${...}, path, string or 'each'\n"
          "  mount { bind }\n"
          "               ^\n");
  }

  TEST_CASE("syntax error at the end of the file") {
    CHECK(test::errors_of("policy p {\n  cwd /tmp\n") ==
          "test.policy:3:1: error: syntax error, unexpected end of file, expecting '}'\n"
          "\n"
          "^\n"
          "test.policy:1:10: note: the block opened here is not closed\n"
          "policy p {\n"
          "         ^\n");
  }

  TEST_CASE("unterminated string and seccomp block") {
    CHECK(test::errors_of("policy p { hostname \"abc }\n") ==
          "test.policy:1:21: error: unterminated string\n"
          "policy p { hostname \"abc }\n"
          "                    ^~~~~~\n");
    CHECK(test::errors_of("policy p {}\nseccomp { ALLOW { read }\n") ==
          "test.policy:2:1: error: unterminated seccomp block: no matching '}'\n"
          "seccomp { ALLOW { read }\n"
          "^~~~~~~~~\n");
    // The innermost unclosed brace, the open comment, or a closing brace
    // that belonged to the policy: each reported where it is.
    CHECK(test::errors_of("policy p {}\nseccomp { POLICY x { ALLOW { read }\n") ==
          "test.policy:2:20: error: unbalanced '{' in seccomp block: no matching '}'\n"
          "seccomp { POLICY x { ALLOW { read }\n"
          "                   ^\n");
    CHECK(test::errors_of("policy p {}\nseccomp { ALLOW { read } /* no end }\n}\n") ==
          "test.policy:2:26: error: unterminated comment in seccomp block: no matching '*/'\n"
          "seccomp { ALLOW { read } /* no end }\n"
          "                         ^~\n");
    CHECK(test::errors_of("policy p {\n  seccomp { ALLOW { read, write { fd == 1 } DEFAULT KILL }\n}\n") ==
          "test.policy:3:1: error: unbalanced braces in the seccomp block: this '}' closed it, which leaves the "
          "enclosing block open; a '{' inside the seccomp block has no matching '}'\n"
          "}\n"
          "^\n"
          "test.policy:4:1: error: syntax error, unexpected end of file, expecting '}'\n"
          "\n"
          "^\n"
          "test.policy:1:10: note: the block opened here is not closed\n"
          "policy p {\n"
          "         ^\n");
  }

  TEST_CASE("an extra '}' in a seccomp block is reported at that brace") {
    // Without the check the rest of the Kafel text was parsed as policy text
    // (`DEFAULT KILL` as a setting, the block's real '}' closing the policy).
    CHECK(test::errors_of(
              "policy p {\n  seccomp {\n    ALLOW { read } }\n    DEFAULT KILL\n  }\n  hostname \"x\"\n}\n") ==
          "test.policy:3:20: error: extra '}' in the seccomp block: this '}' ends the block, and the Kafel text "
          "after it would be read as policy text\n"
          "    ALLOW { read } }\n"
          "                   ^\n");
    CHECK(test::errors_of("seccomp { ALLOW { read } }, ERRNO(1) { ptrace } }\n") ==
          "test.policy:1:26: error: extra '}' in the seccomp block: this '}' ends the block, and the Kafel text "
          "after it would be read as policy text\n"
          "seccomp { ALLOW { read } }, ERRNO(1) { ptrace } }\n"
          "                         ^\n");
    CHECK(test::errors_of("policy p {}\nseccomp { POLICY a { ALLOW { read } } }\n#define X 1\n}\n") ==
          "test.policy:2:39: error: extra '}' in the seccomp block: this '}' ends the block, and the Kafel text "
          "after it would be read as policy text\n"
          "seccomp { POLICY a { ALLOW { read } } }\n"
          "                                      ^\n");
    // Policy text after the block, a policy comment, or the policy's own '}'
    // on the same line are no Kafel.
    CHECK(test::errors_of("policy p { seccomp { ALLOW { read } } }\n") == "");
    CHECK(test::errors_of("policy p {\n  seccomp { ALLOW { read } DEFAULT KILL }\n  # DEFAULT comes first\n"
                          "  hostname \"x\"\n}\n") == "");
  }

  TEST_CASE("syntax error names an unexpected identifier") {
    CHECK(test::errors_of("policy p { hostnme \"x\" }\n") ==
          "test.policy:1:12: error: syntax error, unexpected identifier 'hostnme'; did you mean 'hostname'?\n"
          "policy p { hostnme \"x\" }\n"
          "           ^~~~~~~\n");
  }
}

}  // namespace
}  // namespace stockade::frontend
