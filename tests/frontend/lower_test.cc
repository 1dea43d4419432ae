// SPDX-License-Identifier: Apache-2.0
// Lowering and extends: IR fields of the Windmill python fixture.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "frontend/extends.h"
#include "frontend/lower.h"
#include "helpers.h"

namespace stockade::frontend {
namespace {

std::string spelled(const ir::PolicyIr& p, const ir::Template& t) {
  std::string out;
  for (const ir::Segment& s : t.segments())
    out += s.has_param() ? "${" + p.params(static_cast<int>(s.param())).name() + "}" : s.literal();
  return out;
}

const ir::Mount* mount_at(const ir::PolicyIr& p, const std::string& target) {
  for (const ir::Mount& m : p.mounts())
    if (spelled(p, m.target()) == target) return &m;
  return nullptr;
}

ir::PolicySet compile_fixture(const std::string& file) {
  diag::SourceMap sources;
  diag::Sink sink;
  ir::PolicySet set;
  Options opts;
  opts.root = test::fixtures();
  bool ok = compile({test::fixtures() + "/" + file}, opts, sources, sink, set);
  INFO(diag::render_all(sink, sources));
  REQUIRE(ok);
  return set;
}

TEST_SUITE("lower") {
  TEST_CASE("the Windmill python3 fixture lowers") {
    ir::PolicySet set = compile_fixture("windmill_python3.policy");
    REQUIRE(set.policies_size() == 1);  // the abstract base is not emitted
    const ir::PolicyIr& p = set.policies(0);
    CHECK(p.name() == "windmill_python3");
    CHECK(p.parent() == "windmill_base");
    CHECK(p.location().file() == "windmill_python3.policy");
    CHECK(p.location().line() == 5);

    SUBCASE("params: the parent's first, then the child's") {
      REQUIRE(p.params_size() == 10);
      CHECK(p.params(0).name() == "JOB_DIR");
      CHECK(p.params(0).type() == ir::PARAM_PATH);
      CHECK_FALSE(p.params(0).has_default());
      CHECK(p.params(1).default_value() == "true");
      CHECK(p.params(3).name() == "MAIN");
      CHECK(p.params(3).default_value() == "main");
      CHECK(p.params(5).optional());
      const ir::Param& timeout = p.params(9);
      CHECK(timeout.type() == ir::PARAM_DURATION);
      CHECK(timeout.default_value() == "915");
      CHECK(timeout.has_range());
      CHECK(timeout.min() == 1000);
      CHECK(timeout.max() == 86400000);
      CHECK(timeout.location().line() == 12);
    }

    SUBCASE("templates") {
      const ir::Mount* m = mount_at(p, "/tmp/${MAIN}.py");
      REQUIRE(m != nullptr);
      REQUIRE(m->source().segments_size() == 4);
      CHECK(m->source().segments(0).param() == 0);
      CHECK(m->source().segments(1).literal() == "/");
      CHECK(m->source().segments(2).param() == 3);
      CHECK(m->source().segments(3).literal() == ".py");
      CHECK(m->location().line() == 27);
      CHECK(m->location().column() == 5);
      // "$L" without a brace is literal.
      CHECK(spelled(p, p.env(1).value()) == "/usr/local/lib:$LD_LIBRARY_PATH");
    }

    SUBCASE("conditions: explicit guards and optional params") {
      const ir::Mount* shared = mount_at(p, "/tmp/shared");
      REQUIRE(shared);
      REQUIRE(shared->when().all_size() == 1);
      CHECK(shared->when().all(0).param() == 2);
      CHECK(shared->when().all(0).kind() == ir::COND_TRUE);
      const ir::Mount* deps = mount_at(p, "${DEPS_DIR}");
      REQUIRE(deps);
      REQUIRE(deps->when().all_size() == 1);
      CHECK(deps->when().all(0).param() == 7);
      CHECK(deps->when().all(0).kind() == ir::COND_SET);
      CHECK_FALSE(deps->optional());
      REQUIRE(p.namespaces_size() == 1);
      CHECK(p.namespaces(0).ns() == ir::NS_USER);
      CHECK_FALSE(p.namespaces(0).enabled());
      CHECK(p.namespaces(0).when().all(0).kind() == ir::COND_FALSE);
      CHECK(mount_at(p, "/usr")->when().all_size() == 0);
    }

    SUBCASE("units") {
      REQUIRE(p.rlimits_size() == 4);
      CHECK(p.rlimits(0).resource() == ir::RLIMIT_AS);
      CHECK(p.rlimits(0).soft().constant() == 4096ULL << 20);
      CHECK(p.rlimits(0).hard().constant() == 4096ULL << 20);
      CHECK(p.rlimits(1).resource() == ir::RLIMIT_CPU);
      CHECK(p.rlimits(1).soft().constant() == 1000);  // whole seconds
      CHECK(p.rlimits(3).soft().constant() == 10000);
      const ir::Mount* tmp = mount_at(p, "/tmp");
      REQUIRE(tmp);
      CHECK(tmp->size().constant() == 500000000);
      CHECK(tmp->mode() == 01777);
      REQUIRE(p.time_limit_ms_size() == 1);
      CHECK(p.time_limit_ms(0).value().from_param());
      CHECK(p.time_limit_ms(0).value().param() == 9);
    }

    SUBCASE("defaults made explicit") {
      const ir::Mount* usr = mount_at(p, "/usr");
      CHECK(usr->kind() == ir::MOUNT_BIND);
      CHECK_FALSE(usr->read_write());
      CHECK(usr->nosuid());
      CHECK(usr->nodev());
      CHECK_FALSE(usr->noexec());
      const ir::Mount* shm = mount_at(p, "/dev/shm");
      CHECK(shm->kind() == ir::MOUNT_TMPFS);
      CHECK(shm->read_write());
      CHECK(shm->nosuid());
      CHECK(shm->nodev());
      const ir::Mount* proc = mount_at(p, "/proc");
      CHECK(proc->kind() == ir::MOUNT_PROC);
      CHECK(proc->read_write());
      CHECK(proc->noexec());
      const ir::Mount* null = mount_at(p, "/dev/null");
      CHECK(null->kind() == ir::MOUNT_DEV_NODE);
      CHECK(spelled(p, null->source()) == "/dev/null");
      CHECK(null->read_write());
      CHECK(null->nosuid());
      CHECK_FALSE(null->nodev());
      CHECK(mount_at(p, "/tmp/result.json")->read_write());
    }

    SUBCASE("extends: a child mount on a parent's target replaces it in place") {
      CHECK(p.mounts(2).optional() == false);
      CHECK(spelled(p, p.mounts(2).target()) == "/lib64");
      int lib64 = 0;
      for (const ir::Mount& m : p.mounts()) lib64 += spelled(p, m.target()) == "/lib64";
      CHECK(lib64 == 1);
      CHECK(p.mounts(2).location().file() == "windmill_python3.policy");
      // The child's others come after the parent's seven.
      CHECK(spelled(p, p.mounts(7).target()) == "/proc");
      CHECK(p.mounts_size() == 7 + 16);
    }

    SUBCASE("extends: settings, env and session") {
      REQUIRE(p.cwd_size() == 1);
      CHECK(spelled(p, p.cwd(0).value()) == "/tmp");
      CHECK(p.session() == ir::SESSION_KEEP);
      REQUIRE(p.env_size() == 4);
      CHECK(p.env(0).op() == ir::ENV_KEEP);  // the parent's rule first
      CHECK(p.env(3).name() == "HOME");
      CHECK(p.network(0).mode() == ir::NET_HOST);
      CHECK_FALSE(p.allow_new_privs());
    }

    SUBCASE("seccomp: shared definitions from includes, then the nearest ancestor's block; expects accumulate") {
      const ir::Seccomp& s = p.seccomp();
      REQUIRE(s.fragments_size() == 2);
      CHECK(s.fragments(0).text() == "\n  POLICY deny_tracing { ERRNO(1) { ptrace, process_vm_readv } }\n");
      CHECK(s.fragments(0).location().file() == "shared_defs.policy");
      CHECK(s.fragments(0).location().line() == 2);
      CHECK(s.fragments(0).location().column() == 10);
      CHECK(s.fragments(1).text() == "\n    USE deny_tracing\n    DEFAULT ALLOW\n  ");
      CHECK(s.fragments(1).location().file() == "windmill_base.policy");
      REQUIRE(s.expects_size() == 2);
      CHECK(s.expects(0).text() == "ptrace -> ERRNO(1)");
      CHECK(s.expects(1).text() == "process_vm_readv -> ERRNO(1)");
      CHECK(s.expects(1).location().line() == 50);
      CHECK(s.expects(1).location().column() == 10);
    }
  }

  TEST_CASE("a child's seccomp block replaces the parent's; policies come sorted by name") {
    auto c = test::compile_snippet(
        "seccomp { POLICY shared { ALLOW { read } } }\n"
        "policy zeta { seccomp { DEFAULT KILL } }\n"
        "policy alpha extends zeta { seccomp { USE shared DEFAULT ALLOW } }\n");
    INFO(c.diagnostics);
    REQUIRE(c.ok);
    REQUIRE(c.set.policies_size() == 2);
    CHECK(c.set.policies(0).name() == "alpha");
    CHECK(c.set.policies(1).name() == "zeta");
    const ir::Seccomp& s = c.set.policies(0).seccomp();
    REQUIRE(s.fragments_size() == 2);
    CHECK(s.fragments(0).text() == " POLICY shared { ALLOW { read } } ");
    CHECK(s.fragments(1).text() == " USE shared DEFAULT ALLOW ");
    CHECK(s.fragments(1).location().line() == 3);
    CHECK(s.fragments(1).location().column() == 38);
  }

  TEST_CASE("no seccomp block anywhere: no fragments, so no filter") {
    auto c = test::compile_snippet("seccomp { POLICY shared { ALLOW { read } } }\npolicy p {}\n");
    REQUIRE(c.ok);
    CHECK(c.set.policies(0).seccomp().fragments_size() == 0);
  }

  TEST_CASE("limits: soft/hard, inf, inherit all; cgroup; ids; caps; fds") {
    auto c = test::compile_snippet(
        "policy p {\n"
        "  param N : int in 1..100 = 50\n"
        "  limits { nofile soft 1024 hard 4096; stack inf; nproc ${N}; inherit all }\n"
        "  cgroup { memory 2 GiB; pids 256; cpu_ms_per_sec 500 }\n"
        "  uid_map 0 1000 1\n"
        "  capabilities { keep CAP_NET_BIND_SERVICE, CAP_KILL }\n"
        "  no_new_privs off\n"
        "  pass_fd 3\n"
        "  time_limit none\n"
        "  mount { file /etc/hostname \"box\\n\" mode 0644; mkdir /w mode 700; symlink /dev/fd -> /proc/self/fd }\n"
        "}\n");
    INFO(c.diagnostics);
    REQUIRE(c.ok);
    const ir::PolicyIr& p = c.set.policies(0);
    REQUIRE(p.rlimits_size() == 3 + 10);
    CHECK(p.rlimits(0).soft().constant() == 1024);
    CHECK(p.rlimits(0).hard().constant() == 4096);
    CHECK(p.rlimits(1).soft().infinity());
    CHECK(p.rlimits(2).soft().from_param());
    CHECK(p.rlimits(2).soft().param() == 0);
    for (int i = 3; i < 13; ++i) CHECK(p.rlimits(i).inherit());
    CHECK(p.params(0).min() == 1);
    CHECK(p.params(0).max() == 100);
    CHECK(p.params(0).default_value() == "50");
    CHECK(p.cgroup(0).value().constant() == 2ULL << 30);
    CHECK(p.cgroup(2).limit() == ir::CGROUP_CPU_MS_PER_SEC);
    CHECK(p.uid_map(0).outside() == 1000);
    REQUIRE(p.keep_caps_size() == 2);
    CHECK(p.keep_caps(0) == 10);  // CAP_NET_BIND_SERVICE
    CHECK(p.keep_caps(1) == 5);   // CAP_KILL
    CHECK(p.allow_new_privs());
    CHECK(p.pass_fds(0) == 3);
    CHECK(p.time_limit_ms(0).value().constant() == 0);
    CHECK(p.mounts(0).kind() == ir::MOUNT_FILE);
    CHECK(p.mounts(0).content().segments(0).literal() == "box\n");
    CHECK(p.mounts(0).mode() == 0644);
    CHECK(p.mounts(1).mode() == 0700);
    CHECK(p.mounts(2).kind() == ir::MOUNT_SYMLINK);
    CHECK(p.mounts(2).source().segments(0).literal() == "/proc/self/fd");
  }

  TEST_CASE("a redeclared param keeps its index and takes the new default") {
    auto c = test::compile_snippet(
        "abstract policy b { param A : int = 1; param S : size = 1 MiB }\n"
        "policy c extends b { param S : size = 2 MiB; param X : bool = false }\n");
    REQUIRE(c.ok);
    const ir::PolicyIr& p = c.set.policies(0);
    REQUIRE(p.params_size() == 3);
    CHECK(p.params(1).name() == "S");
    CHECK(p.params(1).default_value() == std::to_string(2 << 20));
    CHECK(p.params(2).name() == "X");
  }

  TEST_CASE("extends: a child's `if X` / `if !X` pair on a parent's target replaces it, both halves, in place") {
    auto c = test::compile_snippet(
        "abstract policy base {\n"
        "  param X : bool = true\n"
        "  mount { tmpfs /a; bind /usr -> /w; tmpfs /z }\n"
        "}\n"
        "policy child extends base {\n"
        "  mount {\n"
        "    tmpfs /w size 1 MiB if X\n"
        "    bind /srv -> /w if !X\n"
        "    tmpfs /n\n"
        "  }\n"
        "}\n");
    INFO(c.diagnostics);
    REQUIRE(c.ok);
    const ir::PolicyIr& p = c.set.policies(0);
    REQUIRE(p.mounts_size() == 5);
    std::vector<std::string> targets;
    for (const ir::Mount& m : p.mounts()) targets.push_back(spelled(p, m.target()));
    CHECK(targets == std::vector<std::string>{"/a", "/w", "/w", "/z", "/n"});
    const ir::Mount& when_x = p.mounts(1);
    CHECK(when_x.kind() == ir::MOUNT_TMPFS);
    CHECK(when_x.size().constant() == 1 << 20);
    REQUIRE(when_x.when().all_size() == 1);
    CHECK(when_x.when().all(0).param() == 0);
    CHECK(when_x.when().all(0).kind() == ir::COND_TRUE);
    CHECK(when_x.location().line() == 7);
    const ir::Mount& when_not_x = p.mounts(2);
    CHECK(when_not_x.kind() == ir::MOUNT_BIND);
    CHECK(spelled(p, when_not_x.source()) == "/srv");
    REQUIRE(when_not_x.when().all_size() == 1);
    CHECK(when_not_x.when().all(0).param() == 0);
    CHECK(when_not_x.when().all(0).kind() == ir::COND_FALSE);
    CHECK(when_not_x.location().line() == 8);
    CHECK(p.mounts(3).when().all_size() == 0);  // the parent's /z, untouched
  }

  TEST_CASE("extends: a child's mount replaces both halves of a parent's pair; a grandchild's pair replaces it") {
    auto c = test::compile_snippet(
        "abstract policy a {\n"
        "  param X : bool = true\n"
        "  mount { tmpfs /w if X; tmpfs /m; bind /srv -> /w if !X }\n"
        "}\n"
        "abstract policy b extends a { mount { mkdir /w } }\n"
        "policy c extends b { mount { tmpfs /w if !X; bind /usr -> /w if X } }\n");
    INFO(c.diagnostics);
    REQUIRE(c.ok);
    const ir::PolicyIr& p = c.set.policies(0);
    REQUIRE(p.mounts_size() == 3);
    CHECK(spelled(p, p.mounts(0).target()) == "/w");
    CHECK(p.mounts(0).kind() == ir::MOUNT_TMPFS);
    REQUIRE(p.mounts(0).when().all_size() == 1);
    CHECK(p.mounts(0).when().all(0).kind() == ir::COND_FALSE);
    CHECK(spelled(p, p.mounts(1).target()) == "/w");
    CHECK(p.mounts(1).kind() == ir::MOUNT_BIND);
    REQUIRE(p.mounts(1).when().all_size() == 1);
    CHECK(p.mounts(1).when().all(0).kind() == ir::COND_TRUE);
    CHECK(spelled(p, p.mounts(2).target()) == "/m");

    // b alone: its one /w stands where a's pair began, a's `if !X` half is gone.
    ir::PolicyIr base;
    base.add_mounts()->mutable_target()->add_segments()->set_literal("/w");
    base.add_mounts()->mutable_target()->add_segments()->set_literal("/m");
    base.add_mounts()->mutable_target()->add_segments()->set_literal("/w");
    LoweredBody child;
    ir::Mount* only = child.ir.add_mounts();
    only->set_kind(ir::MOUNT_MKDIR);
    only->mutable_target()->add_segments()->set_literal("/w");
    merge_child(base, child);
    REQUIRE(base.mounts_size() == 2);
    CHECK(base.mounts(0).kind() == ir::MOUNT_MKDIR);
    CHECK(base.mounts(1).target().segments(0).literal() == "/m");
  }

  TEST_CASE("the names pass resolves param types and modes once; lowering maps each to the IR") {
    diag::Sink sink;
    ast::File file;
    REQUIRE(
        parse_text("k.policy", ".",
                   "policy p { param A : path\n param B : name = \"x\"\n param C : string = \"s\"\n"
                   " param D : int = 1\n param E : size = 1 MiB\n param F : duration = 2 s\n"
                   " param G : bool = true\n param H : relpath = \"a/b\"\n param I : volume[]\n param J : endpoint[]\n"
                   " network loopback\n network host if G\n network none if !G\n"
                   " session keep }",
                   sink, file));
    ast::Program program;
    program.files.push_back(file);
    Scope scope;
    REQUIRE(check_names(program, sink, scope));
    const PolicyInfo& info = *scope.find("p");
    REQUIRE(info.params.size() == kParamTypes.size());
    for (size_t i = 0; i < kParamTypes.size(); ++i) CHECK(info.type(*info.params[i]) == kParamTypes[i].first);
    REQUIRE(info.network_modes.size() == 3);
    REQUIRE(info.session_modes.size() == 1);
    LoweredBody body = lower_body(info, sink);
    const ir::ParamType want[] = {ir::PARAM_PATH,   ir::PARAM_NAME,     ir::PARAM_STRING, ir::PARAM_INT,
                                  ir::PARAM_SIZE,   ir::PARAM_DURATION, ir::PARAM_BOOL,   ir::PARAM_RELPATH,
                                  ir::PARAM_VOLUME, ir::PARAM_ENDPOINT};
    REQUIRE(body.ir.params_size() == 10);
    for (int i = 0; i < 10; ++i) CHECK(body.ir.params(i).type() == want[i]);
    CHECK(body.ir.params(5).default_value() == "2");
    REQUIRE(body.ir.network_size() == 3);
    CHECK(body.ir.network(0).mode() == ir::NET_LOOPBACK);
    CHECK(body.ir.network(1).mode() == ir::NET_HOST);
    CHECK(body.ir.network(2).mode() == ir::NET_NONE);
    CHECK(body.session == ir::SESSION_KEEP);
  }

  TEST_CASE("unknown param types and modes are reported, never lowered to a default") {
    using test::errors_of;
    CHECK(errors_of("policy p { param A : pathh }")
              .find("unknown param type 'pathh' (expected path, name, string, "
                    "int, size, duration, bool, relpath, volume or endpoint)") != std::string::npos);
    CHECK(errors_of("policy p { network hostt }").find("unknown network mode 'hostt'") != std::string::npos);
    CHECK(errors_of("policy p { session kept }").find("unknown session mode 'kept'") != std::string::npos);
  }

  TEST_CASE("lower_body and merge_child work alone") {
    diag::Sink sink;
    ast::File file;
    REQUIRE(parse_text("m.policy", ".", "policy p { mount { tmpfs /a; tmpfs /b } hostname \"x\" }", sink, file));
    ast::Program program;
    program.files.push_back(file);
    Scope scope;
    REQUIRE(check_names(program, sink, scope));
    LoweredBody body = lower_body(*scope.find("p"), sink);
    CHECK(body.ir.mounts_size() == 2);
    ir::PolicyIr base;
    base.add_mounts()->mutable_target()->add_segments()->set_literal("/b");
    base.add_mounts()->mutable_target()->add_segments()->set_literal("/c");
    merge_child(base, body);
    REQUIRE(base.mounts_size() == 3);
    CHECK(base.mounts(0).kind() == ir::MOUNT_TMPFS);  // /b replaced in place
    CHECK(base.mounts(1).target().segments(0).literal() == "/c");
    CHECK(base.mounts(2).target().segments(0).literal() == "/a");
    CHECK(base.hostname_size() == 1);
  }
}

}  // namespace
}  // namespace stockade::frontend
