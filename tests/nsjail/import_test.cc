// SPDX-License-Identifier: Apache-2.0
// import-nsjail on configs it has never seen: unusual fields, JSON, unknown
// placeholders, unsupported fields and errors. Diagnostics are pinned.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "diag/diagnostics.h"
#include "files.h"
#include "frontend/frontend.h"
#include "import.h"
#include "parse_config.h"
#include "placeholders.h"

namespace {

using stockade::diag::Sink;
using stockade::diag::SourceMap;
using stockade::nsjail::import_config;
using stockade::nsjail::ImportOptions;

struct Result {
  bool ok = false;
  std::string policy;
  std::string diagnostics;
};

Result run(const std::string& file, const std::string& text, const std::string& name = {}) {
  Sink sink;
  Result r;
  r.ok = import_config(file, text, ImportOptions{name}, sink, r.policy);
  SourceMap sources;
  sources.add(file, text);
  r.diagnostics = render_all(sink, sources);
  return r;
}

using stockade::testing::contains;

// The nice_level warning every config without nice_level gets.
std::string default_nice(const std::string& file) {
  return file +
         ": warning: field nice_level is not supported: nsjail's default nice level 19 is not applied; "
         "the job keeps the launcher's priority\n";
}

}  // namespace

TEST_CASE("policy names come from the file name") {
  using stockade::nsjail::policy_name_from_path;
  CHECK(policy_name_from_path("run.python3.config.proto") == "python3");
  CHECK(policy_name_from_path("some/dir/download.py.pip.config.proto") == "download_py_pip");
  CHECK(policy_name_from_path("sandbox.config.proto") == "sandbox");
  CHECK(policy_name_from_path("jail.json") == "jail");
  CHECK(policy_name_from_path("9lives.cfg") == "p_9lives");
}

TEST_CASE("placeholders become tokens and come back as params") {
  using namespace stockade::nsjail;
  Sink sink;
  Preprocessed pre;
  std::string text =
      "hostname: \"{LANG}-box\"\n"
      "time_limit: {TIMEOUT}\n"
      "clone_newuser: {CLONE_NEWUSER}\n"
      "cwd: {WORKDIR}\n"
      "  {SHARED_MOUNT}\n"
      "#{DEV}\n";
  REQUIRE(preprocess("t.cfg", text, false, sink, pre));
  REQUIRE(pre.placeholders.size() == 6);
  CHECK(pre.placeholders[0].slot == Slot::InString);
  CHECK(pre.placeholders[1].slot == Slot::Integer);
  CHECK(pre.placeholders[2].slot == Slot::Bool);
  CHECK(pre.placeholders[3].slot == Slot::Text);
  CHECK(pre.placeholders[4].slot == Slot::Fragment);
  CHECK(pre.placeholders[5].slot == Slot::Fragment);
  CHECK(pre.placeholders[5].commented);
  CHECK(pre.placeholders[4].line == 5);
  CHECK(pre.placeholders[4].column == 3);
  // Line numbers are kept, so parse errors still point at the right line.
  CHECK(std::count(pre.text.begin(), pre.text.end(), '\n') == std::count(text.begin(), text.end(), '\n'));
  CHECK(contains(pre.text, "clone_newuser: true\n"));
  CHECK(contains(pre.text, "time_limit: " + std::to_string(integer_token(1)) + "\n"));
  // append: GCC 12 -O3 -Wrestrict misfires on "lit" + string
  auto pieces = split_tokens(std::string("a").append(string_token(0)).append("b"), pre);
  REQUIRE(pieces.size() == 3);
  CHECK(pieces[1].is_param);
  CHECK(pieces[1].text == "LANG");
  CHECK(pieces[2].text == "b");
  CHECK(integer_token_id(integer_token(1), pre) == 1u);
  CHECK(!integer_token_id(integer_token(0), pre).has_value());  // token 0 is a string slot
  CHECK(!integer_token_id(600, pre).has_value());
}

TEST_CASE("fields Windmill does not use translate") {
  const std::string text = R"(name: "unusual"
description: "fields Windmill does not use"
mode: ONCE
hostname: "box"
cwd: "/work"
time_limit: 0
clone_newnet: true
clone_newtime: true
clone_newcgroup: false
uidmap { inside_id: "1000" outside_id: "100000" count: 65536 }
gidmap { inside_id: "1000" outside_id: "100000" count: 65536 }
mount { dst: "/" fstype: "tmpfs" options: "size=64m,mode=0755" rw: false }
mount { src: "/usr" dst: "/usr" is_bind: true noexec: true }
mount { dst: "/etc/passwd" src_content: "root:x:0:0::/:/bin/sh\n" }
mount { src: "/proc/self/fd" dst: "/dev/fd" is_symlink: true }
mount { dst: "/work" is_dir: true }
mount { dst: "/proc" fstype: "proc" }
rlimit_as_type: INF
rlimit_cpu: 30
rlimit_nofile: 256
rlimit_nofile_type: HARD
rlimit_stack: 16
rlimit_stack_type: VALUE
rlimit_msgqueue: 819200
rlimit_msgqueue_type: VALUE
cgroup_mem_max: 536870912
cgroup_pids_max: 64
cgroup_cpu_ms_per_sec: 500
keep_env: false
envar: "TERM"
envar: "LANG=C.UTF-8"
cap: "CAP_NET_BIND_SERVICE"
disable_no_new_privs: true
pass_fd: 3
nice_level: 5
seccomp_string: "ERRNO(1) { ptrace }"
seccomp_string: "DEFAULT ALLOW"
)";
  Result r = run("unusual.cfg", text);
  REQUIRE(r.ok);
  CHECK(r.diagnostics ==
        "unusual.cfg:35:1: warning: field nice_level is not supported: the language has no nice level; the job "
        "keeps the launcher's priority\n"
        "nice_level: 5\n"
        "^~~~~~~~~~\n");
  CHECK(r.policy == R"(# Imported from unusual.cfg by `stockadec import-nsjail`.
# nsjail's silent defaults are written out and marked "nsjail's default".
# Differences by design: binds and tmpfs are nosuid,nodev here (nsjail set neither
# unless asked; device nodes use `dev`), and read-only binds are read-only recursively.
# nsjail config name: "unusual"
# nsjail description: fields Windmill does not use
policy unusual {
  hostname "box"
  cwd /work
  time_limit none  # time_limit: 0
  network loopback  # nsjail brings lo up by default
  namespaces {
    user on  # nsjail's default (clone_newuser absent)
    mount on  # nsjail's default (clone_newns absent)
    pid on  # nsjail's default (clone_newpid absent)
    ipc on  # nsjail's default (clone_newipc absent)
    uts on  # nsjail's default (clone_newuts absent)
    cgroup off  # clone_newcgroup: false
    time on  # clone_newtime: true
  }
  uid_map 1000 100000 65536
  gid_map 1000 100000 65536
  mount {
    tmpfs / size 64 MiB mode 0755 ro
    bind /usr noexec
    file /etc/passwd "root:x:0:0::/:/bin/sh\n"
    symlink /dev/fd -> /proc/self/fd
    mkdir /work
    proc /proc ro
  }
  limits {
    as inf  # rlimit_as_type: INF
    core 0 MiB  # nsjail's default (rlimit_core absent)
    cpu 30s
    fsize 1 MiB  # nsjail's default (rlimit_fsize absent)
    inherit nofile  # rlimit_nofile_type: HARD: the caller's hard limit (rlimit_nofile is unused)
    inherit nproc  # nsjail's default (rlimit_nproc absent): the caller's soft limit
    stack 16 MiB  # rlimit_stack_type: VALUE
    inherit memlock  # nsjail's default (rlimit_memlock absent): the caller's soft limit
    inherit rtprio  # nsjail's default (rlimit_rtprio absent): the caller's soft limit
    msgqueue 800 KiB  # rlimit_msgqueue_type: VALUE
  }
  cgroup {
    memory 512 MiB  # cgroup_mem_max
    pids 64  # cgroup_pids_max
    cpu_ms_per_sec 500  # cgroup_cpu_ms_per_sec
  }
  env {
    clear  # keep_env: false
    pass TERM
    set LANG = "C.UTF-8"
  }
  capabilities {
    keep CAP_NET_BIND_SERVICE  # cap
  }
  no_new_privs off  # disable_no_new_privs: true
  session new  # nsjail's default
  pass_fd 3
  seccomp {
ERRNO(1) { ptrace }
DEFAULT ALLOW
  }
}
)");
}

TEST_CASE("nsjail's silent defaults are written out") {
  Result r = run("empty.cfg", "");
  REQUIRE(r.ok);
  CHECK(r.diagnostics == default_nice("empty.cfg"));
  for (const char* line : {
           "  hostname \"NSJAIL\"  # nsjail's default (hostname absent)\n",
           "  cwd /  # nsjail's default (cwd absent)\n",
           "  time_limit 600s  # nsjail's default (time_limit absent)\n",
           "  network loopback  # nsjail brings lo up by default\n",
           "    cgroup on  # nsjail's default (clone_newcgroup absent)\n",
           "    time off  # nsjail's default (clone_newtime absent)\n",
           "  uid_map 0 0 1  # nsjail's default without uidmap",
           "    as 4096 MiB  # nsjail's default (rlimit_as absent)\n",
           "    core 0 MiB  # nsjail's default (rlimit_core absent)\n",
           "    cpu 600s  # nsjail's default (rlimit_cpu absent)\n",
           "    fsize 1 MiB  # nsjail's default (rlimit_fsize absent)\n",
           "    nofile 32  # nsjail's default (rlimit_nofile absent)\n",
           "    inherit nproc  # nsjail's default (rlimit_nproc absent): the caller's soft limit\n",
           "    inherit stack  # nsjail's default (rlimit_stack absent): the caller's soft limit\n",
           "    clear  # nsjail's default (keep_env absent)\n",
           "  no_new_privs on  # nsjail's default\n",
           "  session new  # nsjail's default\n",
       }) {
    CAPTURE(line);
    CHECK(contains(r.policy, line));
  }
  CHECK(!contains(r.policy, "mount {"));
  CHECK(!contains(r.policy, "capabilities"));
  CHECK(!contains(r.policy, "seccomp"));
}

TEST_CASE("disable_rl leaves every rlimit inherited") {
  Result r = run("norl.cfg", "disable_rl: true\nrlimit_as: 100\n");
  REQUIRE(r.ok);
  CHECK(contains(r.policy, "  limits {\n    inherit all  # disable_rl: true\n  }\n"));
  CHECK(contains(r.diagnostics,
                 "norl.cfg:2:1: warning: field rlimit_as has no effect: disable_rl keeps the "
                 "inherited limits\n"));
}

TEST_CASE("the JSON form imports the same way") {
  const std::string json = R"({
  "name": "json jail",
  "hostname": "{LANG}",
  "time_limit": {TIMEOUT},
  "clone_newuser": {CLONE_NEWUSER},
  "rlimit_as": 2048,
  "keepEnv": true,
  "mount": [
    {"src": "{JOB_DIR}/main.py", "dst": "/tmp/main.py", "is_bind": true},
    {"dst": "/tmp", "fstype": "tmpfs", "rw": true, "options": "size=100000000"}
  ],
  "envar": ["HOME=/tmp"]
})";
  Result r = run("jail.json", json);
  REQUIRE(r.ok);
  CHECK(r.diagnostics == default_nice("jail.json"));
  for (const char* line : {
           "policy jail {\n",
           "  param LANG : string\n",
           "  param TIMEOUT : duration  # seconds when given without a unit, as nsjail read it\n",
           "  param CLONE_NEWUSER : bool = true",
           "  param JOB_DIR : path\n",
           "  hostname \"${LANG}\"\n",
           "  time_limit ${TIMEOUT}\n",
           "    user on if CLONE_NEWUSER  # clone_newuser: {CLONE_NEWUSER}\n",
           "    user off if !CLONE_NEWUSER\n",
           "    bind ${JOB_DIR}/main.py -> /tmp/main.py\n",
           "    tmpfs /tmp size 100 MB\n",
           "    as 2048 MiB\n",
           "    keep  # keep_env: true\n",
           "    set HOME = \"/tmp\"\n",
       }) {
    CAPTURE(line);
    CHECK(contains(r.policy, line));
  }
}

TEST_CASE("invalid JSON is an error") {
  Result r = run("bad.json", "{\"hostname\": 3,}");
  CHECK(!r.ok);
  CHECK(contains(r.diagnostics, "bad.json: error: invalid nsjail JSON config: "));
}

TEST_CASE("unknown placeholders become params with a warning") {
  Result r = run("u.cfg",
                 "hostname: \"{FLAVOUR}\"\nmount { src: \"{BASE}/{SUB}\" dst: \"/opt\" is_bind: true }\n"
                 "{MYSTERY_BLOCK}\n");
  REQUIRE(r.ok);
  CHECK(r.diagnostics ==
        default_nice("u.cfg") +
            "u.cfg:3:1: warning: unknown fragment placeholder {MYSTERY_BLOCK}: the statements it stands for are not "
            "known; nothing imported for it\n"
            "{MYSTERY_BLOCK}\n"
            "^~~~~~~~~~~~~~~\n"
            "u.cfg:1:12: warning: unknown placeholder {FLAVOUR}: imported as a string param\n"
            "hostname: \"{FLAVOUR}\"\n"
            "           ^~~~~~~~~\n"
            "u.cfg:2:15: warning: unknown placeholder {BASE}: imported as a path param\n"
            "mount { src: \"{BASE}/{SUB}\" dst: \"/opt\" is_bind: true }\n"
            "              ^~~~~~\n"
            "u.cfg:2:22: warning: unknown placeholder {SUB}: imported as a name param\n"
            "mount { src: \"{BASE}/{SUB}\" dst: \"/opt\" is_bind: true }\n"
            "                     ^~~~~\n");
  CHECK(contains(r.policy, "  param FLAVOUR : string\n  param BASE : path\n  param SUB : name\n"));
  CHECK(contains(r.policy, "    bind ${BASE}/${SUB} -> /opt\n"));
  CHECK(contains(r.policy, "  # {MYSTERY_BLOCK}: unknown fragment, not imported\n"));
}

TEST_CASE("unsupported fields are reported, never dropped") {
  const std::string text =
      "mode: LISTEN\n"
      "port: 8080\n"
      "daemon: true\n"
      "log_level: INFO\n"
      "persona_addr_no_randomize: true\n"
      "seccomp_policy_file: \"/etc/jail.kafel\"\n"
      "macvlan_iface: \"eth0\"\n"
      "cgroup_mem_parent: \"JOBS\"\n"
      "mount { src: \"/data\" prefix_src_env: \"HOME\" dst: \"/data\" is_bind: true }\n"
      "mount { dst: \"/sys\" fstype: \"sysfs\" }\n"
      "mount { dst: \"/tmp\" fstype: \"tmpfs\" options: \"size=1g,nr_inodes=10\" rw: true }\n";
  Result r = run("u.cfg", text);
  REQUIRE(r.ok);
  const std::string expected[] = {
      "u.cfg:1:1: warning: field mode is not supported: the launcher runs one job per start (ONCE); LISTEN has no "
      "equivalent\n",
      "u.cfg:2:1: warning: field port is not supported: only nsjail's LISTEN mode uses it\n",
      "u.cfg:3:1: warning: field daemon is not supported: the launcher stays in the foreground as the job's "
      "supervisor\n",
      "u.cfg:4:1: warning: field log_level is not supported: the launcher reports on stderr and in its --report "
      "file\n",
      "u.cfg:5:1: warning: field persona_addr_no_randomize is not supported: the launcher does not change the "
      "personality\n",
      "u.cfg:6:1: warning: field seccomp_policy_file is not supported: policies are compiled at build time; paste "
      "the Kafel file into a seccomp { } block\n",
      "u.cfg:7:1: warning: field macvlan_iface is not supported: MACVLAN interfaces are not created\n",
      "u.cfg:8:1: warning: field cgroup_mem_parent is not supported: the launcher detects cgroup v1 or v2 and makes "
      "the job's cgroup under its own\n",
      "u.cfg:9:22: warning: field mount[0].prefix_src_env is not supported: paths are fixed at build time or come "
      "from a param, not from the launcher's environment; mount skipped\n",
      "u.cfg:10:21: warning: field mount[1].fstype is not supported: only bind, tmpfs, proc, symlink, file and "
      "directory mounts exist (fstype 'sysfs'); mount skipped\n",
      "u.cfg:11:37: warning: field mount[2].options is not supported: tmpfs option 'nr_inodes=10' (only "
      "size=N[kmg] and mode=OCTAL translate)\n",
  };
  for (const std::string& e : expected) {
    CAPTURE(e);
    CHECK(contains(r.diagnostics, e));
  }
  CHECK(contains(r.policy, "    # skipped: nsjail mount[0] (see the warning)\n"));
  CHECK(contains(r.policy, "    tmpfs /tmp size 1 GiB\n"));
  CHECK(!contains(r.diagnostics, "importer bug"));
}

TEST_CASE("a mount with no kind is reported at its entry") {
  Result r = run("k.cfg", "hostname: \"k\"\nmount { src: \"/s\" dst: \"/m\" }\n");
  REQUIRE(r.ok);
  CHECK(contains(r.diagnostics,
                 "k.cfg:2:1: warning: field mount[0].fstype is not supported: a mount that is no bind, symlink, file "
                 "or directory needs a filesystem type; mount skipped\n"
                 "mount { src: \"/s\" dst: \"/m\" }\n"
                 "^~~~~\n"));
}

TEST_CASE("a mount hidden by a later one on the same target is dropped") {
  Result r = run("h.cfg",
                 "mount { dst: \"/tmp\" fstype: \"tmpfs\" rw: true }\n"
                 "mount { src: \"/var/job\" dst: \"/tmp\" is_bind: true rw: true }\n");
  REQUIRE(r.ok);
  CHECK(contains(r.diagnostics,
                 "h.cfg:1: warning: mount on /tmp is hidden by the mount on the same target at line 2: dropped\n"));
  CHECK(contains(r.policy,
                 "    # hidden by the later mount on /tmp (line 2): tmpfs /tmp\n"
                 "    bind /var/job -> /tmp rw\n"));
}

TEST_CASE("a /proc mount in the list is hidden by mount_proc") {
  Result r = run("p.cfg", "mount_proc: true\nmount { dst: \"/proc\" fstype: \"proc\" }\n");
  REQUIRE(r.ok);
  CHECK(
      contains(r.diagnostics,
               "p.cfg:2: warning: mount on /proc is hidden by the mount on the same target at mount_proc: dropped\n"));
  CHECK(contains(r.policy,
                 "    # hidden by the later mount on /proc (mount_proc): proc /proc ro\n"
                 "    proc /proc ro  # mount_proc: true\n"));
}

TEST_CASE("parse errors point at the config") {
  Result r = run("e.cfg", "hostname: \"x\"\nflavour: 3\n");
  CHECK(!r.ok);
  CHECK(r.diagnostics ==
        "e.cfg:2:8: error: Message type \"stockade.nsjail.schema.NsJailConfig\" has no field named \"flavour\".\n"
        "flavour: 3\n"
        "       ^\n");
}

TEST_CASE("a placeholder cannot stand for an enum") {
  Result r = run("e.cfg", "mode: {MODE}\n");
  CHECK(!r.ok);
  CHECK(r.diagnostics ==
        "e.cfg:1:7: error: placeholder {MODE} cannot stand for the value of field mode\n"
        "mode: {MODE}\n"
        "      ^~~~~~\n");
}

TEST_CASE("a placeholder used as two types is an error") {
  Result r = run("e.cfg", "time_limit: {N}\nhostname: \"{N}\"\nclone_newnet: {N}\n");
  CHECK(!r.ok);
  CHECK(contains(r.diagnostics,
                 "e.cfg:1:13: error: placeholder {N} is used as a string, a duration, a bool: no "
                 "one param type fits\n"));
}

TEST_CASE("--name overrides the file name and must be an identifier") {
  CHECK(contains(run("run.x.config.proto", "", "custom").policy, "policy custom {\n"));
  Result r = run("run.x.config.proto", "", "not-ok");
  CHECK(!r.ok);
  CHECK(r.diagnostics ==
        "run.x.config.proto: error: policy name 'not-ok' is not an identifier; give one with "
        "--name\n");
}

TEST_CASE("placeholders in comments are written back as the config had them") {
  Result r = run("c.cfg", "name: \"{LANG} run script\"\nhostname: \"{LANG}\"\nexec_bin { path: \"{JOB_DIR}/run\" }\n");
  REQUIRE(r.ok);
  CHECK(contains(r.policy, "# nsjail config name: \"{LANG} run script\"\n"));
  CHECK(contains(r.policy, "  # nsjail's exec_bin ran: {JOB_DIR}/run (give it after `--`)\n"));
  CHECK(contains(r.diagnostics,
                 "c.cfg:3:1: warning: field exec_bin is not supported: the worker gives the command "
                 "after `--` (here: {JOB_DIR}/run)\n"));
  CHECK(!contains(r.policy, "@@"));
}

TEST_CASE("list fragments, MAIN and kept capabilities with a user-namespace param, exactly") {
  // {SHARED_DEPENDENCIES} and {EXTRA_MOUNTS} are one bind per host path:
  // list params and `bind each`. {EXTRA_MOUNTS}' caller-chosen rw binds are
  // a volume list, only below the directories the config makes writable
  // (the rw tmpfs /tmp and the rw bind of {SANDBOX_DIR}; not the file
  // result.json nor {JOB_DIR}/out, which is not known to be a directory).
  const std::string text = R"(hostname: "job"
cwd: "/tmp"
time_limit: 30
disable_rl: true
clone_newnet: false
clone_newuser: {CLONE_NEWUSER}
cap: "CAP_NET_BIND_SERVICE"
keep_env: true
nice_level: 0
mount { dst: "/tmp" fstype: "tmpfs" rw: true options: "size=64m" }
mount { src: "/etc" dst: "/etc" is_bind: true }
mount { src: "/etc/resolv.conf" dst: "/etc/resolv.conf" is_bind: true mandatory: false }
mount { src: "{JOB_DIR}/{MAIN}.py" dst: "/tmp/{MAIN}.py" is_bind: true }
mount { src: "{JOB_DIR}/result.json" dst: "/tmp/result.json" is_bind: true rw: true }
mount { src: "{SANDBOX_DIR}" dst: "/workspace" is_bind: true rw: true }
mount { src: "{JOB_DIR}/out" dst: "/out" is_bind: true rw: true }
{SHARED_DEPENDENCIES}
{EXTRA_MOUNTS}
)";
  Result r = run("lists.cfg", text);
  REQUIRE(r.ok);
  CHECK(r.diagnostics ==
        "lists.cfg:9:1: warning: field nice_level is not supported: the language has no nice level; the job keeps "
        "the launcher's priority\n"
        "nice_level: 0\n"
        "^~~~~~~~~~\n"
        "lists.cfg:7:1: note: capabilities are kept and clone_newuser is {CLONE_NEWUSER}: with CLONE_NEWUSER=false "
        "the launcher refuses to start (exit 121): capabilities kept without a user namespace would be the host's\n"
        "cap: \"CAP_NET_BIND_SERVICE\"\n"
        "^~~\n");
  CHECK(r.policy == R"(# Imported from lists.cfg by `stockadec import-nsjail`.
# nsjail's silent defaults are written out and marked "nsjail's default".
# Differences by design: binds and tmpfs are nosuid,nodev here (nsjail set neither
# unless asked; device nodes use `dev`), and read-only binds are read-only recursively.
policy lists {
  param CLONE_NEWUSER : bool = true  # false when the worker runs without user namespaces
  param MAIN : relpath  # a path with folders, as Windmill gives it: u/admin/my_script
  param JOB_DIR : path
  param SANDBOX_DIR : path
  param SHARED_DEPENDENCIES : path[]  # {SHARED_DEPENDENCIES}: one package or gem directory a value, bound read-only at its own path
  param EXTRA_MOUNTS : path[]  # {EXTRA_MOUNTS}: host paths bound read-only at their own path
  param EXTRA_VOLUMES : volume[]  # {EXTRA_MOUNTS}: HOST:TARGET binds the caller chooses, read-write, TARGET below /tmp /workspace

  hostname "job"
  cwd /tmp
  time_limit 30s
  network host  # clone_newnet: false
  namespaces {
    user on if CLONE_NEWUSER  # clone_newuser: {CLONE_NEWUSER}
    user off if !CLONE_NEWUSER
    mount on  # nsjail's default (clone_newns absent)
    pid on  # nsjail's default (clone_newpid absent)
    ipc on  # nsjail's default (clone_newipc absent)
    uts on  # nsjail's default (clone_newuts absent)
    cgroup on  # nsjail's default (clone_newcgroup absent)
    time off  # nsjail's default (clone_newtime absent)
  }
  uid_map 0 0 1  # nsjail's default without uidmap: the id running nsjail (root for Windmill's worker) on both sides
  gid_map 0 0 1  # nsjail's default without gidmap: the id running nsjail (root for Windmill's worker) on both sides
  mount {
    tmpfs /tmp size 64 MiB
    bind /etc
    bind? /etc/resolv.conf
    bind ${JOB_DIR}/${MAIN}.py -> /tmp/${MAIN}.py
    bind ${JOB_DIR}/result.json -> /tmp/result.json rw
    bind ${SANDBOX_DIR} -> /workspace rw
    bind ${JOB_DIR}/out -> /out rw
    bind each ${SHARED_DEPENDENCIES}  # {SHARED_DEPENDENCIES}
    bind each ${EXTRA_MOUNTS}  # {EXTRA_MOUNTS}
    bind each ${EXTRA_VOLUMES} rw within /tmp /workspace
  }
  limits {
    inherit all  # disable_rl: true
  }
  env {
    keep  # keep_env: true
  }
  capabilities {
    # with CLONE_NEWUSER=false the launcher refuses to start (exit 121): capabilities kept without a user namespace would be the host's
    keep CAP_NET_BIND_SERVICE  # cap
  }
  no_new_privs on  # nsjail's default
  session new  # nsjail's default
}
)");
  stockade::diag::Sink sink;
  SourceMap sources;
  stockade::ir::PolicySet set;
  CHECK(stockade::frontend::compile_text("lists.policy", r.policy, ".", {}, sources, sink, set));
}

TEST_CASE("{EXTRA_MOUNTS} without a writable directory in the config imports only the read-only list") {
  Result r = run("x.cfg", "mount { src: \"/usr\" dst: \"/usr\" is_bind: true }\n{EXTRA_MOUNTS}\n");
  REQUIRE(r.ok);
  CHECK(contains(r.policy,
                 "  param EXTRA_MOUNTS : path[]  # {EXTRA_MOUNTS}: host paths bound read-only at their own "
                 "path\n\n"));
  CHECK(contains(r.policy, "    bind /usr\n    bind each ${EXTRA_MOUNTS}  # {EXTRA_MOUNTS}\n  }\n"));
  CHECK(contains(r.policy,
                 "  # {EXTRA_MOUNTS}: no writable directory in the config to place caller-chosen rw binds "
                 "below; only read-only binds at their own path are imported\n"));
  CHECK(!contains(r.policy, "volume"));
}

TEST_CASE("a volume is never placed within a system directory, whatever the config makes writable") {
  // Each of these the front end refuses as a `within` directory, and the
  // launcher as a volume's target; the importer leaves them out, so the
  // policy compiles with only /data.
  std::string text;
  for (const char* dir : {"/", "/proc/x", "/dev/shm", "/sys/y", "/etc/z", "/usr/w", "/bin/v", "/sbin/u", "/lib/t",
                          "/lib32/s", "/lib64/r", "/libx32/q", "/boot/p", "/run/o", "/data"})
    text += std::string("mount { dst: \"") + dir + "\" fstype: \"tmpfs\" rw: true }\n";
  text += "{EXTRA_MOUNTS}\n";
  Result r = run("sys.cfg", text);
  REQUIRE(r.ok);
  CHECK(contains(r.policy, "    bind each ${EXTRA_VOLUMES} rw within /data\n"));
  stockade::diag::Sink sink;
  SourceMap sources;
  stockade::ir::PolicySet set;
  CHECK(stockade::frontend::compile_text("sys.policy", r.policy, ".", {}, sources, sink, set));
}

TEST_CASE("a tmpfs size that does not fit in 64 bits is an error at the option, not an abort") {
  for (const char* size : {"99999999999999999999", "99999999999g"}) {
    CAPTURE(size);
    Result r = run("s.cfg", std::string("hostname: \"s\"\nmount { dst: \"/tmp\" fstype: \"tmpfs\" options: \"size=") +
                                size + "\" rw: true }\n");
    CHECK(!r.ok);
    CHECK(contains(r.diagnostics, std::string("s.cfg:2:37: error: tmpfs size '") + size +
                                      "' is too large: at most 18446744073709551615 bytes\n"));
  }
  Result fits = run("s.cfg", "mount { dst: \"/tmp\" fstype: \"tmpfs\" options: \"size=17179869183g\" rw: true }\n");
  CHECK(fits.ok);
  CHECK(contains(fits.policy, "    tmpfs /tmp size 17179869183 GiB\n"));
}

TEST_CASE("a 10-digit id above 4294967295 is an error at the field, never truncated") {
  Result r = run("i.cfg", "uidmap { inside_id: \"4294967296\" outside_id: \"1000\" }\n");
  CHECK(!r.ok);
  CHECK(contains(r.diagnostics, "i.cfg:1:10: error: id '4294967296' is out of range: ids go up to 4294967295\n"));
  CHECK(!contains(r.policy, "uid_map 0 1000"));
  Result top = run("i.cfg", "uidmap { inside_id: \"4294967295\" outside_id: \"1000\" }\n");
  CHECK(top.ok);
  CHECK(contains(top.policy, "uid_map 4294967295 1000 1"));
}

TEST_CASE("memory + swap that does not fit in 64 bits is an error at the swap field, not a wrapped limit") {
  Result r = run("m.cfg", "cgroup_mem_max: 18446744073709551615\ncgroup_mem_swap_max: 1\n");
  CHECK(!r.ok);
  CHECK(contains(r.diagnostics,
                 "m.cfg:2:1: error: cgroup_mem_max + cgroup_mem_swap_max is too large: at most "
                 "18446744073709551615 bytes\n"));
}
