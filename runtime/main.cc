// SPDX-License-Identifier: Apache-2.0
// stockade: the launcher. Runs one job in a sandbox described by a policy
// compiled into this binary (generated/*.cc, types in policy_table.h). It
// parses nothing but argv.
//
// Set-up order, one function per step, one file per kernel mechanism (the
// full list, and who may call whom: runtime/README.md):
//   parent (this file, run()):
//     cli.cc         parse argv                                  exit 120
//     stats.cc       --stats-fd open for writing                 exit 120
//     param_file.cc  --param-file lines as list values          exit 121
//     params.cc      validate every --param, apply defaults      exit 121
//     plan.cc        evaluate the tables into a resolved Plan
//     report.cc      open the --report file before the job exists     exit 120
//     cgroup.cc      per-job cgroup (v1 or v2) with its limits    exit 122 from here on
//     cgroup_keeper.cc  a child that removes it if the launcher is SIGKILLed
//     supervisor.cc  block SIGTERM/SIGINT/SIGHUP into a signalfd
//     channel.cc     report pipe, release and notify sockets
//     namespaces.cc  clone3 into new user/mount/pid/ipc/uts namespaces, CLONE_PIDFD
//                    (v2: CLONE_INTO_CGROUP)
//     idmap.cc       write uid_map/gid_map (setgroups deny); idmapped trees for rw binds
//     channel.cc     hand the trees over and release the child
//     supervisor.cc  wait on the pidfd, time limit (timerfd), forward signals,
//                    the job's seccomp listener (seccomp/listener.cc: a notified
//                    kill ends the sandbox, a notified LOG is recorded and let
//                    through), live stats samples (stats.cc), without a memory
//                    cgroup the memory watchdog (stats.cc tree_memory)
//     classify()     exit code and stderr line (seccomp/report_fields.cc for a
//                    seccomp kill, naming the syscall: seccomp/kill_log.cc)
//     cgroup.cc      peak memory, CPU times; cgroup removed
//     report.cc      --report JSON; stats.cc its exit line
//   sandbox child (sandbox.cc sandbox_main, never returns):
//     while the parent writes the id maps: PR_SET_PDEATHSIG, a helper that
//     makes the net namespace (namespaces.cc), joins the v1 cgroups
//     (cgroup.cc), opens bind sources (mounts.cc); then waits for release
//     (channel.cc)
//     namespaces.cc  cgroup/time namespaces
//     mounts.cc      adds the rw bind sources (idmapped by the parent)
//     idmap.cc       the inside ids
//     sandbox.cc     PR_SET_PDEATHSIG again (the id change cleared it),
//                    PR_SET_DUMPABLE 0, the launcher still there
//     keyring.cc     fresh session keyring
//     mounts.cc      tmpfs root, every mount (mount_points.cc), pivot_root,
//                    detach the old root
//     namespaces.cc  joins the helper's net namespace (setns on the fd it left)
//     hostname, net.cc (lo up for `network loopback`)
//     init.cc        pid 1: reaps zombies, forwards signals, reports the job's status
//   job (sandbox.cc job_main):
//     channel.cc (hello: its pid to the launcher), signals reset, rlimits.cc,
//     cwd, fds.cc (close_range), setsid, caps.cc (securebits, bounding set),
//     setuid_guard.cc (with idmapped binds: a filter of its own, or the head
//     of the policy's), idmap.cc (final ids), caps.cc (capset, ambient),
//     PDEATHSIG, no_new_privs, landlock.cc (scope abstract unix sockets,
//     signals), net.cc (without the scope under `network host`: the
//     seccomp/unix_guard.cc filter), seccomp/install.cc (last: the notify variant with a listener,
//     handed to the launcher; else the kill program), execve
//                                                       exit 126/127 on failure
// Support: fail.cc (the one-line messages), text.cc (fixed buffers, arena),
// io.cc (fds, whole reads/writes), capacity.h (table sizes), exit_codes.h,
// seccomp_names.cc (syscall names, tables from compiler/seccomp), cxx_support.cc,
// unpack.cc (the policies' packed words, for `show`), help.cc (the help texts),
// show_plan.cc (`show NAME --param ...`: the resolved plan, nothing run).
//
// Failures: every step fills a Failure (fail.h); the parent prints it as one
// line on stderr, and the exit code and the report's reason come from the
// step's row in fail.cc's table. The child sends its Failure over the report pipe
// (channel.h), so "set-up failed" (122) and "the job failed" never mix.
// Nothing is left behind: mounts live only in the child's mount namespace,
// the pid namespace dies with init, and the cgroup is removed at the end.
//
// Read-write binds and ids: the job is uid 0 inside a user namespace that
// maps it to 65534 outside, so it cannot write files owned by the launching
// root. For rw binds the root launcher makes an idmapped mount mapping the
// source's owner to the job (idmap.h), so the job's files there belong to
// that owner. Fallback, where the filesystem cannot be idmapped: a plain
// bind, writable only as far as the host permissions let uid 65534 write; a
// note on stderr says so.
//
// Rootless: without root the launcher maps only its own uid/gid (one line
// each) and skips cgroups and idmapped mounts, saying so once on stderr.
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "cgroup_keeper.h"
#include "channel.h"
#include "cli.h"
#include "egress/egress.h"
#include "exit_codes.h"
#include "fail.h"
#include "fds.h"
#include "help.h"
#include "idmap.h"
#include "io.h"
#include "mounts.h"
#include "namespaces.h"
#include "param_file.h"
#include "params.h"
#include "plan.h"
#include "report.h"
#include "rlimits.h"
#include "sandbox.h"
#include "seccomp/report_fields.h"
#include "show_plan.h"
#include "stats.h"
#include "supervisor.h"
#include "test_switch.h"
#include "text.h"
#include "unpack.h"

#ifndef STOCKADE_VERSION
#define STOCKADE_VERSION "unknown"
#endif

namespace stockade {
namespace {

using table::Namespace;

const table::Policy* find_policy(const char* name) {
  for (const table::Policy* p : generated::kPolicies)
    if (equal(p->name, name)) return p;
  return nullptr;
}

uint64_t now_ms() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000 + static_cast<uint64_t>(ts.tv_nsec) / 1000000;
}

uint64_t tv_ms(const timeval& tv) {
  return static_cast<uint64_t>(tv.tv_sec) * 1000 + static_cast<uint64_t>(tv.tv_usec) / 1000;
}

int report_failure(const Failure& f, Exit code) {
  print_failure(f);
  return stockade::code(code);
}

// Everything one launch needs, on the stack of run(): no globals.
struct Launch {
  ParamValues values;
  Plan plan;
  Cgroup cgroup;
  EgressFilter egress;  // network filtered: its cgroup (egress/egress.h)
  Failure failure{};
  uint64_t start_ms = 0;
  bool rootless = false;
  Keeper keeper;      // cgroup_keeper.h
  StatsStream stats;  // --stats-fd (stats.h); fd -1: off
  ReportSink report;  // --report, --report-fd (report.h)
  ReportContext context;
};

bool check_pass_fds(const Plan& plan, Failure& f) {
  for (uint32_t fd : plan.policy->pass_fds) {
    if (fcntl(static_cast<int>(fd), F_GETFD) < 0) {
      Text<24> v;
      v.add("fd ").add_u64(fd);
      return fail(f, Step::Fds, "pass_fd", v.view(), errno);
    }
  }
  return true;
}

// The parent's share of set-up once the child exists: id maps, idmapped
// trees, release. (The child joins its cgroup itself: cgroup.h.) On failure the caller kills the child.
bool prepare_child(Launch& l, pid_t child, int release_sock) {
  Failure& f = l.failure;
  const Plan& plan = l.plan;
  bool userns = ns_on(plan, Namespace::User);
  if (userns && !write_id_maps(child, plan, l.rootless, f)) return false;
  if (!l.rootless) {
    int prepared[kMaxMounts];
    if (!prepare_idmapped_binds(plan, child, prepared, f)) return false;
    for (uint32_t i = 0; i < plan.mount_count; ++i) {
      if (prepared[i] == -1) continue;
      bool sent = send_tree(release_sock, static_cast<int>(i), prepared[i], f);
      if (prepared[i] >= 0) close(prepared[i]);
      if (!sent) return false;
    }
  }
  return send_release(release_sock, f);
}

// How the sandbox ended -> exit code, reason, the stderr line.
JobResult classify(const Launch& l, const Outcome& o, const Received& r, pid_t job) {
  JobResult res;
  res.seccomp.logged = &o.seccomp.logged;  // LOGged calls are reported however the job ended
  bool oom = cgroup_oom_killed(l.cgroup);
  int st = r.has_status ? r.wait_status : o.init_status;
  if (r.failed) {
    print_failure(r.failure);
    res.status = code(exit_for(r.failure));
    res.reason = reason_for(r.failure);
    res.failure = r.failure;
  } else if (o.seccomp.notified) {
    // The supervisor killed the sandbox on the filter's notification.
    bool kill = seccomp_notified_end(o.seccomp, res.seccomp);
    res.status = kill ? code(Exit::SignalBase) + SIGSYS : code(Exit::Internal);
    res.reason = "seccomp";
    res.signal = kill ? SIGSYS : 0;
  } else if (o.timed_out) {
    Text<96> note;
    note.add("time limit: the sandbox was killed after ").add_u64(l.plan.time_limit_ms).add(" ms");
    print_note(note.view());
    res.status = code(Exit::TimeLimit);
    res.reason = "timeout";
  } else if (o.memory_killed || (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL && oom)) {
    if (o.memory_killed) {
      Text<160> note;
      note.add("memory limit: the job held ").add_u64(o.memory_peak).add(" bytes, over its limit of ");
      print_note(note.add_u64(l.plan.memory_watch).add(": the launcher killed the sandbox (no cgroup)").view());
    } else {
      print_note("memory limit: the job was killed by the cgroup OOM killer");
    }
    res.status = code(Exit::MemoryLimit);
    res.reason = "oom";
    res.signal = SIGKILL;
    res.memory_bound = o.memory_killed ? "watchdog" : "cgroup";
  } else if (WIFSIGNALED(st)) {
    res.signal = WTERMSIG(st);
    res.status = code(Exit::SignalBase) + res.signal;
    res.reason = res.signal == SIGSYS ? "seccomp" : "signaled";
    if (res.signal == SIGSYS) note_seccomp_sigsys(job);
  } else if (r.has_status) {
    res.status = WEXITSTATUS(st);
    res.reason = "exited";
  } else {
    // init ended without a word: the release never came (launcher-side
    // failure already reported) or something killed it.
    Text<24> v;
    v.add("exit ").add_i64(WEXITSTATUS(st));
    fail_reason(res.failure, Step::Init, "init", v.view(), "the sandbox ended without reporting the job's status");
    print_failure(res.failure);
    res.status = code(Exit::Internal);
    res.reason = "internal";
  }
  return res;
}

// What the launcher inherited must not bend its own machinery: with
// SIGCHLD ignored the kernel would reap init before wait4 sees its status,
// and a closed 0/1/2 would let a launcher pipe become the job's stdout.
void sane_process_state() {
  signal(SIGCHLD, SIG_DFL);
  for (int fd = 0; fd <= 2; ++fd)
    if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) != fd) _exit(code(Exit::Internal));
}

int run(const Cli& cli, char** environ_in) {
  sane_process_state();
  Launch l;
  l.start_ms = now_ms();
  Failure& f = l.failure;
  // Every failure before the job runs: its one line, no cgroup left, and
  // still a report, so a worker always finds one.
  // The exit code and the report's reason come from the failed step
  // (fail.cc's table).
  l.report.path = cli.report_path;
  l.report.fd = cli.report_fd;
  l.context = {cli.policy, STOCKADE_VERSION, nullptr, nullptr, cli.params, cli.param_count};
  if (cli.report_fd >= 0) {
    // A report pipe nobody reads is EPIPE, one line, not the launcher's death.
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    sigprocmask(SIG_BLOCK, &pipe, nullptr);
  }
  auto stop = [&]() {
    print_failure(f);
    egress_destroy(l.egress);
    cgroup_destroy(l.cgroup);
    end_cgroup_keeper(l.keeper, l.cgroup);
    JobResult r;
    r.status = stockade::code(exit_for(f));
    r.reason = reason_for(f);
    r.failure = f;
    r.wall_ms = now_ms() - l.start_ms;
    Failure rf{};
    // An unusable --report is its own line (nothing more to write it to).
    if (f.step != Step::Report && !write_report(l.report, l.context, r, rf)) print_failure(rf);
    stats_end(l.stats, r);
    return r.status;
  };
  // The arena is mapped, not on the stack: a worker may run us with a small
  // RLIMIT_STACK. Pages are only committed as they are used.
  void* arena_bytes = mmap(nullptr, kArenaBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (arena_bytes == MAP_FAILED) return (fail(f, Step::Plan, "mmap", "arena", errno), stop());
  Arena arena(static_cast<char*>(arena_bytes), kArenaBytes);

  const table::Policy* policy = find_policy(cli.policy);
  if (policy == nullptr)
    return (fail_reason(f, Step::Usage, "policy", cli.policy, "not embedded (stockade list)"), stop());
  if (cli.stats_fd >= 0) {
    if (!stats_check_fd(cli.stats_fd, policy->pass_fds, f)) return stop();
    l.stats.fd = cli.stats_fd;
    l.stats.interval_ms = cli.stats_interval_ms;
    l.stats.start_ms = l.start_ms;
    l.stats.launcher = getpid();
    l.stats.cgroup = &l.cgroup;
    // A worker that closes its end must not kill the launcher mid-job:
    // the write fails with EPIPE instead and the stream ends. (The job
    // starts with nothing blocked: sandbox.cc job_main.)
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    sigprocmask(SIG_BLOCK, &pipe, nullptr);
  }
  bool stats = l.stats.fd >= 0;
  const ParamArg* args = nullptr;
  size_t arg_count = 0;
  if (!expand_param_files(cli, arena, &args, &arg_count, f)) return stop();
  l.context.args = args;
  l.context.arg_count = arg_count;
  if (!validate_params(*policy, args, arg_count, l.values, f)) return stop();
  l.context.table = policy;
  l.context.values = &l.values;
  if (!resolve_plan(*policy, l.values, environ_in, cli.program_argv, arena, l.plan, f)) return stop();
  if (cli.learn && policy->seccomp.count == 0)
    return (
        fail_reason(f, Step::Usage, "option --learn", cli.policy, "the policy has no seccomp filter to learn under"),
        stop());
  l.plan.learn = cli.learn;
  const Plan& plan = l.plan;

  l.rootless = geteuid() != 0;
  if (l.rootless) {
    if (!ns_on(plan, Namespace::User))
      return (fail_reason(f, Step::Namespaces, "user namespace", "off", "the policy turns it off, which needs root"),
              stop());
    // Without a cgroup, rlimits stand in for pids and memory; the note
    // says which bound holds (rlimits.h).
    Text<384> note;
    note.add("not root: running with a user namespace only; idmapped binds skipped");
    if (cli.cgroup_parent == nullptr) bound_without_cgroup(l.plan, note);
    print_note(note.view());
  }
  if (!check_pass_fds(plan, f)) return stop();
  // The report's file, before the job exists (report.h); after the
  // pass_fd check, so its fd cannot take the number of one the job gets.
  if (!open_report(l.report, &plan.policy->pass_fds, f)) return stop();
  // Peak memory, for the report or the live stats, wants a cgroup.
  bool report = cli.report_path != nullptr || cli.report_fd >= 0;
  bool cgroup =
      (!l.rootless || cli.cgroup_parent != nullptr) && cgroup_wanted(plan, report || stats, cli.cgroup_parent);
  // The keeper first, out of our process group before any directory
  // exists (cgroup_keeper.h); the egress filter's own cgroup is one too.
  bool keeper = cgroup || (plan.network == table::Network::Filtered && !l.rootless);
  if (keeper && !start_cgroup_keeper(l.cgroup, &l.keeper, f)) return stop();
  if (cgroup && !cgroup_create(plan, report || stats, getpid(), cli.cgroup_parent, l.cgroup, f)) {
    // Root without a writable hierarchy (a user-namespaced container): a
    // cgroup wanted only for the figures is not worth refusing the job.
    bool denied = f.step == Step::Cgroup && (f.err == EACCES || f.err == EROFS) && cli.cgroup_parent == nullptr;
    cgroup_destroy(l.cgroup);
    if (!denied || !(report || stats) || !cgroup_create(plan, false, getpid(), nullptr, l.cgroup, f)) return stop();
    print_note("cgroup: cannot make the job's cgroup here (no write access); peak memory comes from getrusage");
  }
  test_stop_at("cgroup");
  if (!egress_prepare(plan, l.values, l.cgroup, getpid(), l.rootless, l.egress, f)) return stop();

  Fd sigfd;
  Channels ch;
  if (!take_signals(sigfd, f)) return stop();
  if (!open_channels(plan.policy->pass_fds, ch, f)) return stop();
  want_job_pid(ch.release_parent.get());

  int pidfd_raw = -1;
  pid_t child = clone_sandbox(plan, egress_clone_fd(l.egress, l.cgroup.into_fd), &pidfd_raw, f);
  if (child < 0 && l.cgroup.into_fd >= 0 && (f.err == EINVAL || f.err == E2BIG)) {
    // A kernel older than 5.7: no CLONE_INTO_CGROUP.
    if (!cgroup_join_by_procs(l.cgroup, f)) return stop();
    child = clone_sandbox(plan, -1, &pidfd_raw, f);
  }
  if (child < 0) return stop();
  if (child == 0) {
    ch.report_read.reset();
    ch.release_parent.reset();
    ch.notify_parent.reset();
    sigfd.reset();
    if (l.cgroup.keeper_fd >= 0) close(l.cgroup.keeper_fd);  // the keeper's EOF is the launcher's death alone
    l.report.file.reset();
    l.report.dir.reset();
    sandbox_main(plan, l.cgroup, {ch.release_child.get(), ch.report_write.get(), ch.notify_child.get()});
  }
  Fd pidfd(pidfd_raw);
  test_stop_at("clone");
  l.stats.init = child;
  cgroup_close_join_fds(l.cgroup);
  ch.release_child.reset();
  ch.report_write.reset();
  ch.notify_child.reset();

  if (!prepare_child(l, child, ch.release_parent.get())) {
    abort_sandbox(child, pidfd.get());
    // The child may have failed first (it sets up in parallel): its step,
    // not our write to a process that was gone, is the cause.
    Received early;
    fcntl(ch.report_read.get(), F_SETFL, O_NONBLOCK);
    drain_reports(ch.report_read.get(), early);
    if (early.failed) f = early.failure;
    return stop();
  }
  // release_parent stays open while the launcher lives: the child checks
  // it to notice a launcher that died during set-up.

  Outcome outcome;
  outcome.seccomp.learn = plan.learn;
  // --logged-max (--learn: all it takes): the record's entries, mapped
  // (pages are committed as entries are used).
  uint32_t logged_max = cli.logged_max != 0 ? cli.logged_max : plan.learn ? kLoggedMaxLimit : kMaxLoggedSyscalls;
  if (logged_max > kMaxLoggedSyscalls) {
    void* more =
        mmap(nullptr, logged_max * sizeof(LoggedSyscall), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (more != MAP_FAILED) {
      outcome.seccomp.logged.more = static_cast<LoggedSyscall*>(more);
      outcome.seccomp.logged.capacity = logged_max;
    }
  } else {
    outcome.seccomp.logged.capacity = logged_max;
  }
  // The release socket carries the job's hello (stats) and init's tmpfs roots (the watchdog).
  bool hello = stats || plan.memory_watch != 0;
  SupervisedFds watched{sigfd.get(), ch.notify_parent.get(), hello ? ch.release_parent.get() : -1};
  if (!supervise(child, pidfd.get(), watched, plan.policy->seccomp, plan.time_limit_ms, plan.memory_watch,
                 stats ? &l.stats : nullptr, outcome, f)) {
    abort_sandbox(child, pidfd.get());
    return stop();
  }
  Received received;
  fcntl(ch.report_read.get(), F_SETFL, O_NONBLOCK);
  drain_reports(ch.report_read.get(), received);

  // With live stats the supervisor took the job's hello already.
  pid_t job = outcome.job_pid != 0 ? outcome.job_pid : job_pid(ch.release_parent.get());
  JobResult result = classify(l, outcome, received, job);
  result.wall_ms = now_ms() - l.start_ms;
  // The cgroup counts every process of the job, also those a kill left unreaped.
  if (!cgroup_cpu_times(l.cgroup, &result.user_ms, &result.sys_ms)) {
    result.user_ms = tv_ms(outcome.usage.ru_utime);
    result.sys_ms = tv_ms(outcome.usage.ru_stime);
  }
  result.peak_memory_bytes = cgroup_peak_memory(l.cgroup);
  if (result.peak_memory_bytes == 0) result.peak_memory_bytes = static_cast<uint64_t>(outcome.usage.ru_maxrss) * 1024;
  // Without a cgroup: the watchdog's highest sum, where it saw more.
  if (result.peak_memory_bytes < outcome.memory_peak) result.peak_memory_bytes = outcome.memory_peak;
  egress_destroy(l.egress);
  cgroup_destroy(l.cgroup);
  end_cgroup_keeper(l.keeper, l.cgroup);
  // A report that cannot be written is one line; the exit code stays the
  // job's (report.h).
  if (!write_report(l.report, l.context, result, f)) print_failure(f);
  stats_end(l.stats, result);
  return result.status;
}

int list_policies() {
  Text<8192> out;
  for (const table::Policy* p : generated::kPolicies) out.add(p->name).add('\n');
  return write_all(1, out.view()) == 0 ? 0 : code(Exit::Internal);
}

int print_help(std::string_view topic) {
  bool codes = topic.empty() || topic == "run";
  return write_all(1, help_text(topic)) == 0 && (!codes || write_all(1, help_exit_codes()) == 0) ? 0
                                                                                                 : code(Exit::Internal);
}

// `show NAME`: the words; `show NAME --param ...`: the resolved plan (show_plan.h).
int show_policy(const Cli& cli, char** environ_in) {
  const char* name = cli.policy;
  const table::Policy* p = find_policy(name);
  Failure f{};
  if (p == nullptr)
    return report_failure((fail_reason(f, Step::Usage, "policy", name, "not embedded (stockade list)"), f),
                          Exit::Usage);
  if (cli.param_count > 0) return show_resolved(cli, *p, environ_in);
  // Mapped, not on the stack: ~50 KiB, whatever the stack limit (+1: mmap
  // refuses length 0). Freed on exit.
  const table::PackedText& packed = generated::kSummaries;
  void* mem = mmap(nullptr, packed.unpacked_size + 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  char* text = static_cast<char*>(mem);
  uint32_t text_size = 0;
  if (mem == MAP_FAILED || !lz_unpack(packed.bytes, packed.size, text, packed.unpacked_size, &text_size) ||
      text_size != packed.unpacked_size)
    return report_failure((fail_reason(f, Step::Show, "policy text", name, "cannot unpack"), f), Exit::Internal);
  const table::TextRef parts[] = {p->summary, p->seccomp_summary};
  for (const table::TextRef& part : parts) {
    if (part.size > text_size || part.offset > text_size - part.size) {
      return report_failure((fail_reason(f, Step::Show, "policy text", name, "out of range"), f), Exit::Internal);
    }
    std::string_view words(text + part.offset, part.size);
    if (part.size == 0 && &part == &parts[1]) words = "seccomp: no filter\n";
    write_all(1, words);
    if (words.empty() || words.back() != '\n') write_all(1, "\n");
  }
  return 0;
}

}  // namespace
}  // namespace stockade

int main(int argc, char** argv) {
  using namespace stockade;
  Cli cli;
  Failure f{};
  if (!parse_cli(argc, argv, cli, f)) {
    print_failure(f);
    // `run` with a report destination given before the error: a report too.
    ReportSink sink;
    sink.path = cli.report_path;
    sink.fd = cli.report_fd;
    JobResult r;
    r.status = code(exit_for(f));
    r.reason = reason_for(f);
    r.failure = f;
    ReportContext context{cli.policy, STOCKADE_VERSION, nullptr, nullptr, cli.params, cli.param_count};
    Failure rf{};
    if (sink.fd >= 0) signal(SIGPIPE, SIG_IGN);
    if (cli.command == Command::Run && !write_report(sink, context, r, rf)) print_failure(rf);
    return r.status;
  }
  switch (cli.command) {
    case Command::Help: return print_help(cli.help_topic);
    case Command::Version: return write_all(1, "stockade " STOCKADE_VERSION "\n") == 0 ? 0 : code(Exit::Internal);
    case Command::List: return list_policies();
    case Command::Show: return show_policy(cli, environ);
    case Command::Run: return run(cli, environ);
  }
  return code(Exit::Internal);
}
