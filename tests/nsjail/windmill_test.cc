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
  for (const char* prefix : {"field log_level is not supported", "field nice_level is not supported",
                             "field exec_bin is not supported", "field mode is not supported",
                             "mount on /tmp is hidden by the mount on the same target"})
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

TEST_CASE("the fragments and value placeholders of run.python3 become typed params" *
          doctest::test_suite("windmill")) {
  if (!windmill_present()) return;
  fs::path p = fs::path(STOCKADE_WINDMILL_DIR) / "run.python3.config.proto";
  REQUIRE_MESSAGE(fs::exists(p), "shared configs not present: " << p.string());
  diag::Sink sink;
  std::string policy;
  REQUIRE(nsjail::import_config("run.python3.config.proto", read_file(p), {}, sink, policy));
  for (const char* line : {
           "  param TIMEOUT : duration",
           "  param CLONE_NEWUSER : bool = true",
           "  param MAIN : name\n",
           "  param JOB_DIR : path\n",
           "  param GLOBAL_SITE_PACKAGES : path?",
           "  param ADDITIONAL_PYTHON_PATHS : string\n",
           "  param SHARED_MOUNT : bool = false",
           "  param SHARED_DEP_8 : path?\n",
           "  param DEV : bool = false",
           "    bind ${JOB_DIR}/${MAIN}.py -> /tmp/${MAIN}.py\n",
           "    bind ${JOB_DIR}/result.json -> /tmp/result.json rw\n",
           "    bind? ${JOB_DIR}/loader.py -> /tmp/loader.py\n",
           "    dev /dev/null\n",
           "    tmpfs /tmp size 500 MB\n",
           "    bind ${JOB_DIR}/shared -> /tmp/shared rw if SHARED_MOUNT  # {SHARED_MOUNT}\n",
           "    bind ${SHARED_DEP_1}  # {SHARED_DEPENDENCIES}\n",
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
