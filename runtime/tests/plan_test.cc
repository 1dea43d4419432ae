// SPDX-License-Identifier: Apache-2.0
// Plan resolution: conditions, last-applicable-wins, templates, numbers
// from params, skipped optional statements, env rules in order.
#include <doctest/doctest.h>

#include <sys/resource.h>

#include <string>

#include "plan.h"
#include "test_tables.h"

using namespace stockade;

namespace {

struct Resolved {
  char arena_bytes[1 << 16];
  Arena arena{arena_bytes, sizeof arena_bytes};
  ParamValues values;
  Plan plan;
  Failure f{};
  bool ok = false;

  Resolved(std::initializer_list<const char*> args, char** env) {
    ParamArg list[kMaxParams];
    size_t n = 0;
    for (const char* a : args) list[n++].text = a;
    static char prog[] = "/bin/true";
    static char* argv[] = {prog, nullptr};
    ok = validate_params(testing::kTestPolicy, list, n, values, f) &&
         resolve_plan(testing::kTestPolicy, values, env, argv, arena, plan, f);
  }
  std::string env_text() const {
    std::string s;
    for (char** e = plan.envp; *e; ++e) s += std::string(*e) + ";";
    return s;
  }
};

char e_path[] = "PATH=/usr/bin";
char e_secret[] = "SECRET=x";
char e_home[] = "HOME=/root";
char* kEnv[] = {e_path, e_secret, e_home, nullptr};

}  // namespace

TEST_CASE("templates and numbers from params") {
  Resolved r({"DIR=/jobs/1", "NAME=calc", "N=12", "MEM=2MiB"}, kEnv);
  REQUIRE(r.ok);
  REQUIRE(r.plan.mount_count == 2);  // OPT unset: its bind is skipped
  CHECK(std::string(r.plan.mounts[1].source) == "/jobs/1/calc.py");
  CHECK(std::string(r.plan.mounts[1].target) == "/tmp/calc-12.py");
  CHECK(r.plan.mounts[0].size == 2u << 20);
  CHECK(r.plan.time_limit_ms == 60000);
  CHECK(r.plan.cgroup[static_cast<int>(table::CgroupLimit::Memory)].value == 2u << 20);
}

TEST_CASE("optional param set: its mount applies") {
  Resolved r({"DIR=/jobs/1", "OPT=/srv/data"}, kEnv);
  REQUIRE(r.ok);
  REQUIRE(r.plan.mount_count == 3);
  CHECK(std::string(r.plan.mounts[2].source) == "/srv/data");
  CHECK(std::string(r.plan.mounts[2].target) == "/opt");
}

TEST_CASE("last applicable setting wins") {
  Resolved off({"DIR=/j"}, kEnv);
  REQUIRE(off.ok);
  CHECK(std::string(off.plan.hostname) == "alpha");
  CHECK(off.plan.network == table::Network::None);
  CHECK(ns_on(off.plan, table::Namespace::Net));
  CHECK(off.plan.rlimits[static_cast<int>(table::Rlimit::Nofile)].set);
  CHECK(off.plan.rlimits[static_cast<int>(table::Rlimit::Nofile)].hard == 128);

  Resolved on({"DIR=/j", "FLAG=true", "TAG=x1"}, kEnv);
  REQUIRE(on.ok);
  CHECK(std::string(on.plan.hostname) == "beta-x1");
  CHECK(on.plan.network == table::Network::Host);
  CHECK_FALSE(ns_on(on.plan, table::Namespace::Net));
  CHECK_FALSE(on.plan.rlimits[static_cast<int>(table::Rlimit::Nofile)].set);  // `inherit` undid it
}

TEST_CASE("defaults: namespaces all on but time; id maps 0 -> 65534") {
  Resolved r({"DIR=/j"}, kEnv);
  REQUIRE(r.ok);
  CHECK(ns_on(r.plan, table::Namespace::User));
  CHECK(ns_on(r.plan, table::Namespace::Pid));
  CHECK_FALSE(ns_on(r.plan, table::Namespace::Time));
  REQUIRE(r.plan.uid_map_count == 1);
  CHECK(r.plan.uid_map[0].inside == 0);
  CHECK(r.plan.uid_map[0].outside == 65534);
  CHECK(std::string(r.plan.cwd) == "/");
  CHECK(r.plan.rlimits[static_cast<int>(table::Rlimit::Stack)].soft == RLIM_INFINITY);
}

TEST_CASE("env rules run in order") {
  Resolved keep({"DIR=/j", "NAME=ann"}, kEnv);
  REQUIRE(keep.ok);
  CHECK(keep.env_text() == "PATH=/usr/bin;HOME=/home/ann;");
  Resolved cleared({"DIR=/j", "FLAG=true"}, kEnv);
  REQUIRE(cleared.ok);
  CHECK(cleared.env_text() == "PATH=/usr/bin;");
}

TEST_CASE("bind sources trust only their first segment for symlinks") {
  Resolved r({"DIR=/jobs/1", "NAME=calc", "OPT=/srv/data"}, kEnv);
  REQUIRE(r.ok);
  // ${DIR}/${NAME}.py: the worker's DIR may be a symlink, calc.py may not.
  CHECK(r.plan.mounts[1].source_trusted_len == 7);
  // ${OPT} alone: all of it is the worker's.
  CHECK(r.plan.mounts[2].source_trusted_len == 9);
}
