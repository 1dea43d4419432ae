// SPDX-License-Identifier: Apache-2.0
#include "launch_commands.h"

#include <initializer_list>

namespace stockade::bench {

namespace {

const char* job_program(const Tools& t, Job job) {
  switch (job) {
    case Job::True: return t.true_path.c_str();
    case Job::Noop: return "/tmp/main.py";
  }
  return t.true_path.c_str();
}

void add(std::vector<std::string>& v, std::initializer_list<std::string> words) { v.insert(v.end(), words); }

}  // namespace

std::vector<std::string> plain_argv(const Tools& t) { return {t.true_path}; }

std::vector<std::string> unshare_argv(const Tools& t, Net net) {
  if (net == Net::Host) return {t.unshare, "-Urmpif", t.true_path};
  return {t.unshare, "-Urmpfn", "--mount-proc", t.true_path};
}

// The bench policy (python3's mounts, hostname, cwd and env, network none)
// spelt in bubblewrap's options, mount for mount in the policy's order.
std::vector<std::string> bwrap_argv(const Tools& t, const Fixture& fx, int extra_binds, Job job, bool with_seccomp,
                                    Net net) {
  const std::string j = fx.job_dir();
  std::vector<std::string> v{t.bwrap};
  add(v, {"--unshare-all"});
  if (net == Net::Host) v.emplace_back("--share-net");
  add(v, {"--die-with-parent", "--new-session", "--hostname", "python", "--chdir", "/tmp"});
  // base.policy
  add(v, {"--ro-bind", "/bin",   "/bin",      "--ro-bind", "/lib", "/lib",       "--ro-bind-try",
          "/lib64",    "/lib64", "--ro-bind", "/usr",      "/usr", "--dev-bind", "/dev/null",
          "/dev/null", "--size", "500000000", "--perms",   "1777", "--tmpfs",    "/tmp"});
  // python3.policy
  add(v, {"--ro-bind",
          j + "/main.py",
          "/tmp/main.py",
          "--ro-bind-try",
          j + "/loader.py",
          "/tmp/loader.py",
          "--ro-bind",
          j + "/wrapper.py",
          "/tmp/wrapper.py",
          "--bind",
          j + "/args.json",
          "/tmp/args.json",
          "--ro-bind-try",
          j + "/checkpoint.json",
          "/tmp/checkpoint.json",
          "--bind",
          j + "/result.json",
          "/tmp/result.json",
          "--ro-bind",
          "/etc",
          "/etc",
          "--tmpfs",
          "/dev/shm",
          "--dev-bind",
          "/dev/random",
          "/dev/random",
          "--ro-bind",
          fx.py_install_dir(),
          fx.py_install_dir(),
          "--dev-bind",
          "/dev/urandom",
          "/dev/urandom",
          "--proc",
          "/proc"});
  for (int i = 0; i < extra_binds; ++i) add(v, {"--ro-bind", fx.bind_path(i), fx.bind_path(i)});
  add(v, {"--setenv", "LD_LIBRARY_PATH", "/usr/local/lib:$LD_LIBRARY_PATH", "--setenv", "PYTHONPATH", "", "--setenv",
          "HOME", "/tmp"});
  if (with_seccomp) add(v, {"--seccomp", std::to_string(kBwrapSeccompFd)});
  v.emplace_back(job_program(t, job));
  return v;
}

std::vector<std::string> stockade_argv(const Tools& t, const Fixture& fx, Net net, Job job, int deps) {
  std::string policy = net == Net::Host || deps > 0 ? "python3" : t.policy.empty() ? "launch_bench" : t.policy;
  std::vector<std::string> v{t.launcher,
                             "run",
                             policy,
                             "--param",
                             "JOB_DIR=" + fx.job_dir(),
                             "--param",
                             "PY_INSTALL_DIR=" + fx.py_install_dir()};
  if (deps > 0) add(v, {"--param-file", "DEPS=" + fx.deps_list(deps)});
  add(v, {"--", job_program(t, job)});
  return v;
}

}  // namespace stockade::bench
