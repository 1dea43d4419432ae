// SPDX-License-Identifier: Apache-2.0
// explain(): the policy in words, exact text for a small policy.
#include <doctest/doctest.h>

#include "explain/explain.h"
#include "helpers.h"

namespace stockade::frontend {
namespace {

using stockade::explain::explain;

const char* kSmall = R"(abstract policy base {
  param JOB_DIR : path
  mount { bind /usr; tmpfs /tmp size 64MiB }
}
policy small extends base {
  param FAST : bool = false
  param CACHE : path?
  param MEM : size in 1MiB..1GiB = 256MiB
  hostname "small"
  time_limit 90s
  network loopback
  namespaces { user off if !FAST }
  mount {
    bind ${JOB_DIR}/in -> /tmp/in
    bind? ${CACHE} -> /cache rw
    proc /proc
    file /etc/motd "hi\n" mode 0444
  }
  limits { as ${MEM}; nofile soft 64 hard 128 }
  cgroup { pids 32 }
  env { pass PATH; set HOME = "/tmp" }
  capabilities { keep CAP_NET_BIND_SERVICE }
  seccomp { DEFAULT ALLOW }
  expect ptrace -> ALLOW
}
)";

const char* kExplained = R"(policy small (extends base)
parameters:
  JOB_DIR: path, required
  FAST: bool, default false
  CACHE: path, optional (statements using it are skipped when unset)
  MEM: size in 1 MiB..1 GiB, default 256 MiB
namespaces:
  user: on by default; then off [if not FAST]
  mount: on by default
  pid: on by default
  ipc: on by default
  uts: on by default
  cgroup: on by default
  time: off by default
network: loopback only (own network namespace, loopback up)
uid map: inside 0 -> outside 65534, 1 id (default)
gid map: inside 0 -> outside 65534, 1 id (default)
hostname: small
cwd: / (default)
time limit: 90 s
mounts, in order:
  1. bind /usr -> /usr, read-only, nosuid, nodev
  2. tmpfs /tmp, read-write, nosuid, nodev, size 64 MiB
  3. bind ${JOB_DIR}/in -> /tmp/in, read-only, nosuid, nodev
  4. bind ${CACHE} -> /cache, read-write, nosuid, nodev, skipped if the source is missing [if CACHE is set]
  5. proc /proc, read-write, nosuid, nodev, noexec
  6. file /etc/motd holding "hi\n", read-only, nosuid, nodev, mode 0444
rlimits (others inherited from the launcher):
  as (address space): ${MEM}
  nofile (open files): soft 64, hard 128
cgroup:
  processes: 32
environment, starting empty:
  pass PATH from the launcher if set
  set HOME = "/tmp"
capabilities: CAP_NET_BIND_SERVICE
no_new_privs: on
session: new (setsid, no controlling terminal)
file descriptors passed in: none besides stdin, stdout, stderr
seccomp: a filter from 1 Kafel block(s)
  expected: ptrace -> ALLOW
)";

TEST_SUITE("explain") {
  TEST_CASE("a small policy in words") {
    auto c = test::compile_snippet(kSmall);
    INFO(c.diagnostics);
    REQUIRE(c.ok);
    REQUIRE(c.set.policies_size() == 1);
    CHECK(explain(c.set.policies(0)) == kExplained);
  }

  TEST_CASE("several conditions read as one") {
    auto c = test::compile_snippet(
        "policy p { param A : path?; param B : bool = true\n mount { bind ${A} -> /a if !B } }\n");
    INFO(c.diagnostics);
    REQUIRE(c.ok);
    CHECK(explain(c.set.policies(0)).find("  1. bind ${A} -> /a, read-only, nosuid, nodev [if not B and A is set]\n") !=
          std::string::npos);
  }

  TEST_CASE("the seccomp stage's explanation is used when set, and output is deterministic") {
    auto c = test::compile_snippet(kSmall);
    REQUIRE(c.ok);
    ir::PolicyIr p = c.set.policies(0);
    p.mutable_seccomp()->set_explain("seccomp, first matching rule wins:\n  any syscall -> ALLOW");
    std::string text = explain(p);
    CHECK(text.find("\nseccomp, first matching rule wins:\n  any syscall -> ALLOW\n  expected: ptrace -> ALLOW\n") !=
          std::string::npos);
    CHECK(text.find("a filter from") == std::string::npos);
    CHECK(explain(p) == text);
  }
}

}  // namespace
}  // namespace stockade::frontend
