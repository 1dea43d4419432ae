// SPDX-License-Identifier: Apache-2.0
// Every Windmill config in the shared folder imports, the policy compiles
// with the front end, and the compiled IR matches the nsjail message field by
// field (mounts, flags, limits, namespaces, env, hostname, cwd, time limit).
// The shared folder is not the project's: the test cases that read it form
// the doctest suite "windmill" (ctest nsjail_windmill) and skip visibly
// without it (tests/support/skip.h); the hand-written configs run anywhere.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>

#include "diag/diagnostics.h"
#include "files.h"
#include "frontend/frontend.h"
#include "import.h"
#include "ir_check.h"
#include "parse_config.h"
#include "skip.h"

namespace {

namespace fs = std::filesystem;
using namespace stockade;

using stockade::testing::read_file;

// The shared folder, or a recorded skip (a failure under STOCKADE_CI=1).
bool windmill_present() {
  if (fs::is_directory(STOCKADE_WINDMILL_DIR)) return true;
  stockade::testing::skip(STOCKADE_WINDMILL_LABEL " not present");
  return false;
}

// Warnings every Windmill config may give: fields Stockade reports by design.
bool expected_warning(const std::string& message) {
  for (const char* prefix :
       {"field log_level is not supported", "field nice_level is not supported", "field exec_bin is not supported",
        "field mode is not supported", "mount on /tmp is hidden by the mount on the same target",
        "fragment {UIDGIDMAP} cannot be imported"})
    if (message.rfind(prefix, 0) == 0) return true;
  return false;
}

// Imports `text`, compiles the result, and compares the IR with the nsjail
// message under two assignments of the params. Returns the policy text
// ("" after a failed check, so one config's failure does not stop the rest).
std::string import_compile_compare(const std::string& file, const std::string& text) {
  diag::Sink sink;
  std::string policy;
  bool ok = nsjail::import_config(file, text, {}, sink, policy);
  diag::SourceMap sources;
  sources.add(file, text);
  INFO(file);
  INFO(diag::render_all(sink, sources));
  CHECK(ok);
  if (!ok) return {};
  for (const diag::Diagnostic& d : sink.all()) {
    if (d.severity != diag::Severity::Warning) continue;
    INFO(d.message);
    CHECK(expected_warning(d.message));
  }

  diag::Sink compile_sink;
  diag::SourceMap compile_sources;
  ir::PolicySet set;
  bool compiled = frontend::compile_text(file + ".policy", policy, ".", {}, compile_sources, compile_sink, set);
  INFO(policy);
  INFO(diag::render_all(compile_sink, compile_sources));
  CHECK(compiled);
  CHECK(set.policies_size() == 1);
  if (!compiled || set.policies_size() != 1) return {};

  nsjail::ParsedConfig parsed;
  diag::Sink parse_sink;
  CHECK(nsjail::parse_config(file, text, parse_sink, parsed));
  nsjail::test::Scenario all_on{true, true, {}};
  nsjail::test::Scenario all_off{false, false, {}};
  for (const auto* s : {&all_on, &all_off}) {
    std::vector<std::string> problems = nsjail::test::compare(parsed, set.policies(0), *s);
    std::string joined;
    for (const std::string& p : problems) joined += p + "\n";
    std::string scenario = std::string("scenario: bools ") + (s->bools ? "true" : "false") + ", optional params " +
                           (s->optionals_set ? "set" : "unset");
    INFO(scenario);
    CHECK_MESSAGE(problems.empty(), joined);
  }
  return policy;
}

}  // namespace

TEST_CASE("every Windmill config imports, compiles and matches nsjail" * doctest::test_suite("windmill")) {
  if (!windmill_present()) return;
  fs::path dir = STOCKADE_WINDMILL_DIR;
  std::vector<fs::path> configs;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".proto") configs.push_back(e.path());
  std::sort(configs.begin(), configs.end());
  CHECK(configs.size() >= 22);
  for (const fs::path& p : configs) {
    std::string policy = import_compile_compare(p.filename().string(), read_file(p));
    CHECK(policy.find("policy " + nsjail::policy_name_from_path(p.filename().string()) + " {") != std::string::npos);
  }
}

TEST_CASE("the fragments and value placeholders of run.python3 become typed params" * doctest::test_suite("windmill")) {
  if (!windmill_present()) return;
  fs::path p = fs::path(STOCKADE_WINDMILL_DIR) / "run.python3.config.proto";
  REQUIRE_MESSAGE(fs::exists(p), "shared configs not present: " << p.string());
  diag::Sink sink;
  std::string policy;
  REQUIRE(nsjail::import_config("run.python3.config.proto", read_file(p), {}, sink, policy));
  for (const char* line : {
           "  param TIMEOUT : duration",
           "  param CLONE_NEWUSER : bool = true",
           "  param MAIN : relpath  # a path with folders, as Windmill gives it: u/admin/my_script\n",
           "  param JOB_DIR : path\n",
           "  param GLOBAL_SITE_PACKAGES : path?",
           "  param ADDITIONAL_PYTHON_PATHS : string\n",
           "  param SHARED_MOUNT : bool = false",
           "  param SHARED_DEPENDENCIES : path[]  # {SHARED_DEPENDENCIES}: one package or gem directory a value, "
           "bound read-only at its own path\n",
           "  param DEV : bool = false",
           "    bind ${JOB_DIR}/${MAIN}.py -> /tmp/${MAIN}.py\n",
           "    bind ${JOB_DIR}/result.json -> /tmp/result.json rw\n",
           "    bind? ${JOB_DIR}/loader.py -> /tmp/loader.py\n",
           "    dev /dev/null\n",
           "    tmpfs /tmp size 500 MB\n",
           "    bind ${JOB_DIR}/shared -> /tmp/shared rw if SHARED_MOUNT  # {SHARED_MOUNT}\n",
           "    bind each ${SHARED_DEPENDENCIES}  # {SHARED_DEPENDENCIES}\n",
           "    bind /nix/store if DEV  # #{DEV}\n",
           "    proc /proc ro  # mount_proc: true\n",
           "    set PYTHONPATH = \"${ADDITIONAL_PYTHON_PATHS}\"\n",
           "  network host  # clone_newnet: false (iface_no_lo has no effect without it)\n",
           "  session keep  # skip_setsid: true\n",
       }) {
    CAPTURE(line);
    CHECK(policy.find(line) != std::string::npos);
  }
  // The {SHARED_MOUNT} bind sits where the fragment stood: after the
  // GLOBAL_SITE_PACKAGES bind, before the tracing CA bind that follows it.
  size_t shared = policy.find("/tmp/shared rw if SHARED_MOUNT");
  CHECK(policy.find("bind? ${GLOBAL_SITE_PACKAGES}") < shared);
  CHECK(shared < policy.find("bind? ${TRACING_PROXY_CA_CERT_PATH}"));
}

TEST_CASE("hand-written configs compile to the IR they describe") {
  const char* unusual = R"(hostname: "box"
cwd: "/work"
time_limit: 0
clone_newtime: true
clone_newcgroup: false
iface_no_lo: true
uidmap { inside_id: "1000" outside_id: "100000" count: 65536 }
gidmap { inside_id: "1000" outside_id: "100000" count: 65536 }
mount { dst: "/" fstype: "tmpfs" options: "size=64m,mode=0755" rw: false }
mount { src: "/usr" dst: "/usr" is_bind: true noexec: true }
mount { dst: "/etc/passwd" src_content: "root:x:0:0::/:/bin/sh\n" }
mount { src: "/proc/self/fd" dst: "/dev/fd" is_symlink: true }
mount { dst: "/work" is_dir: true }
rlimit_as_type: INF
rlimit_cpu: 30
rlimit_nofile: 256
rlimit_nofile_type: HARD
rlimit_stack: 16
rlimit_stack_type: VALUE
cgroup_mem_max: 536870912
cgroup_pids_max: 64
keep_env: false
envar: "TERM"
envar: "LANG=C.UTF-8"
cap: "CAP_NET_BIND_SERVICE"
disable_no_new_privs: true
pass_fd: 3
seccomp_string: "ERRNO(1) { ptrace }"
seccomp_string: "DEFAULT ALLOW"
)";
  import_compile_compare("unusual.cfg", unusual);
  const char* placeholders = R"(hostname: "{LANG}"
clone_newnet: {CLONE_NEWNET}
iface_no_lo: {IFACE_NO_LO}
clone_newuser: {CLONE_NEWUSER}
cgroup_mem_max: {MEMORY_LIMIT}
cgroup_cpu_ms_per_sec: {CPU_MS_PER_SEC}
time_limit: {TIMEOUT}
mount { dst: "/tmp" fstype: "tmpfs" rw: true options: "size={DISK_LIMIT}" }
mount { src: "{JOB_DIR}/{LANG}" dst: "/tmp/{LANG}" is_bind: true }
)";
  import_compile_compare("placeholders.cfg", placeholders);
}

namespace {

// The imported policy of one shared config, compiled; REQUIREs both steps.
struct Imported {
  std::string policy;
  std::string diagnostics;
  ir::PolicySet set;
};

Imported import_and_compile(const std::string& config) {
  fs::path p = fs::path(STOCKADE_WINDMILL_DIR) / config;
  REQUIRE_MESSAGE(fs::exists(p), "shared configs not present: " << p.string());
  Imported out;
  diag::Sink sink;
  std::string text = read_file(p);
  REQUIRE(nsjail::import_config(config, text, {}, sink, out.policy));
  diag::SourceMap sources;
  sources.add(config, text);
  out.diagnostics = diag::render_all(sink, sources);
  diag::Sink compile_sink;
  diag::SourceMap compile_sources;
  INFO(out.policy);
  REQUIRE(frontend::compile_text(config + ".policy", out.policy, ".", {}, compile_sources, compile_sink, out.set));
  REQUIRE(out.set.policies_size() == 1);
  return out;
}

const ir::Param* param_named(const ir::PolicyIr& p, const std::string& name) {
  for (const ir::Param& q : p.params())
    if (q.name() == name) return &q;
  return nullptr;
}

// The `bind each` whose source is list param `name`.
const ir::Mount* each_of(const ir::PolicyIr& p, const std::string& name) {
  for (const ir::Mount& m : p.mounts())
    if (m.each() && m.source().segments_size() == 1 && m.source().segments(0).has_param() &&
        p.params(static_cast<int>(m.source().segments(0).param())).name() == name)
      return &m;
  return nullptr;
}

}  // namespace

TEST_CASE("imported python3 and ruby bind each resolved dependency from one list param" *
          doctest::test_suite("windmill")) {
  if (!windmill_present()) return;
  for (const char* config : {"run.python3.config.proto", "run.ruby.config.proto", "run.ansible.config.proto"}) {
    CAPTURE(config);
    Imported imp = import_and_compile(config);
    const ir::PolicyIr& p = imp.set.policies(0);
    const ir::Param* deps = param_named(p, "SHARED_DEPENDENCIES");
    REQUIRE(deps != nullptr);
    CHECK(deps->list());
    CHECK(deps->type() == ir::PARAM_PATH);
    CHECK_FALSE(deps->optional());
    const ir::Mount* m = each_of(p, "SHARED_DEPENDENCIES");
    REQUIRE(m != nullptr);
    CHECK(m->kind() == ir::MOUNT_BIND);
    CHECK_FALSE(m->read_write());
    CHECK_FALSE(m->optional());               // Windmill's binds are mandatory: a missing package is an error
    CHECK(m->target().segments_size() == 0);  // each value at its own path
    CHECK(imp.policy.find("SHARED_DEP_") == std::string::npos);
  }
  // MAIN is the script's path with folders.
  Imported py = import_and_compile("run.python3.config.proto");
  const ir::Param* main = param_named(py.set.policies(0), "MAIN");
  REQUIRE(main != nullptr);
  CHECK(main->type() == ir::PARAM_RELPATH);
}

TEST_CASE("imported sandbox: read-only extra mounts at their own path, caller-chosen rw targets as volumes" *
          doctest::test_suite("windmill")) {
  if (!windmill_present()) return;
  Imported imp = import_and_compile("sandbox.config.proto");
  CHECK(imp.policy.find("  param EXTRA_MOUNTS : path[]  # {EXTRA_MOUNTS}: host paths bound read-only at their own "
                        "path\n"
                        "  param EXTRA_VOLUMES : volume[]  # {EXTRA_MOUNTS}: HOST:TARGET binds the caller chooses, "
                        "read-write, TARGET below /workspace /tmp\n") != std::string::npos);
  CHECK(imp.policy.find("    tmpfs /tmp size ${DISK_LIMIT}\n"
                        "    bind each ${EXTRA_MOUNTS}  # {EXTRA_MOUNTS}\n"
                        "    bind each ${EXTRA_VOLUMES} rw within /workspace /tmp\n"
                        "    proc /proc ro  # mount_proc: true\n") != std::string::npos);
  const ir::PolicyIr& p = imp.set.policies(0);
  const ir::Mount* vols = each_of(p, "EXTRA_VOLUMES");
  REQUIRE(vols != nullptr);
  CHECK(vols->read_write());
  REQUIRE(vols->within_size() == 2);
  CHECK(vols->within(0).segments(0).literal() == "/workspace");
  CHECK(vols->within(1).segments(0).literal() == "/tmp");
  CHECK(param_named(p, "EXTRA_VOLUMES")->type() == ir::PARAM_VOLUME);
}

TEST_CASE("keep_caps with clone_newuser: {CLONE_NEWUSER}: the policy and a note say the launcher refuses false" *
          doctest::test_suite("windmill")) {
  if (!windmill_present()) return;
  for (const char* config :
       {"download.py.config.proto", "download.py.pip.config.proto", "download.ruby.config.proto",
        "install.r.config.proto", "lock.py.config.proto", "lock.ruby.config.proto", "resolve.r.config.proto"}) {
    CAPTURE(config);
    Imported imp = import_and_compile(config);
    CHECK(imp.policy.find("  capabilities {\n"
                          "    # with CLONE_NEWUSER=false the launcher refuses to start (exit 121): capabilities kept "
                          "without a user namespace would be the host's\n"
                          "    # keep_caps: true keeps every capability\n") != std::string::npos);
    CHECK(imp.diagnostics.find(": note: capabilities are kept and clone_newuser is {CLONE_NEWUSER}: with "
                               "CLONE_NEWUSER=false the launcher refuses to start (exit 121)") != std::string::npos);
    CHECK(imp.policy.find("    user off if !CLONE_NEWUSER\n") != std::string::npos);
  }
  // Without kept capabilities nothing is said.
  CHECK(import_and_compile("run.ruby.config.proto").policy.find("refuses") == std::string::npos);
}

TEST_CASE("the /etc file re-binds below the read-only /etc are kept, in the config's order" *
          doctest::test_suite("windmill")) {
  if (!windmill_present()) return;
  Imported imp = import_and_compile("run.ruby.config.proto");
  CHECK(imp.policy.find("    bind /etc\n"
                        "    bind? /etc/resolv.conf\n"
                        "    bind? /etc/hosts\n"
                        "    bind? /etc/hostname\n") != std::string::npos);
}
