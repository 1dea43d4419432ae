// SPDX-License-Identifier: Apache-2.0
#include "stats.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "io.h"
#include "text.h"

namespace stockade {
namespace {

// The processes one sample visits, in fixed arrays (no heap). A tree with
// more is summed over the first kMaxTree found, breadth first.
constexpr uint32_t kMaxTree = 1024;

uint64_t now_ms() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000 + static_cast<uint64_t>(ts.tv_nsec) / 1000000;
}

struct Tree {
  uint64_t rss_kib = 0;   // VmRSS, summed
  uint64_t hwm_kib = 0;   // VmHWM, summed
  uint64_t held_kib = 0;  // RssAnon + RssShmem, summed: the memory watchdog's figure
  uint64_t user_ticks = 0;
  uint64_t sys_ticks = 0;
  uint32_t processes = 0;
};

void proc_path(TextBuf& out, pid_t pid, const char* rest) {
  out.add("/proc/").add_u64(static_cast<uint64_t>(pid)).add(rest);
}

// utime + cutime and stime + cstime (fields 14-17 of proc(5)): the
// process's own time and that of the children it reaped, so a process that
// ended still counts once its parent in the tree has waited for it.
bool add_times(pid_t pid, Tree& t) {
  Text<48> path;
  proc_path(path, pid, "/stat");
  char buf[1024];
  size_t len = 0;
  if (read_file(path.c_str(), buf, sizeof buf, &len) != 0) return false;
  const char* p = strrchr(buf, ')');  // the command name may hold spaces and parentheses
  if (p == nullptr) return false;
  ++p;                                        // the blank before field 3
  for (int field = 3; field < 14; ++field) {  // to the blank before field+1
    p = strchr(p + 1, ' ');
    if (p == nullptr) return false;
  }
  uint64_t v[4];
  for (uint64_t& x : v) {
    ++p;
    x = scan_unsigned(&p, 10);
  }
  t.user_ticks += v[0] + v[2];
  t.sys_ticks += v[1] + v[3];
  return true;
}

uint64_t status_kib(const char* status, const char* key) {
  const char* p = find_text(status, key);
  if (p == nullptr) return 0;
  p += strlen(key);
  while (*p == ' ' || *p == '\t') ++p;
  return scan_unsigned(&p, 10);
}

// 0: gone; else its thread count (1 when the line is missing).
uint32_t add_memory(pid_t pid, Tree& t) {
  Text<48> path;
  proc_path(path, pid, "/status");
  char buf[4096];
  Fd fd(openat(AT_FDCWD, path.c_str(), O_RDONLY | O_CLOEXEC));
  ssize_t len = fd.ok() ? read(fd.get(), buf, sizeof buf - 1) : -1;  // one read: status is ~1.5 KB
  if (len <= 0) return 0;
  buf[len] = '\0';
  t.rss_kib += status_kib(buf, "\nVmRSS:");  // absent for a zombie
  t.hwm_kib += status_kib(buf, "\nVmHWM:");
  t.held_kib += status_kib(buf, "\nRssAnon:") + status_kib(buf, "\nRssShmem:");
  uint64_t threads = status_kib(buf, "\nThreads:");
  return threads > 1 ? static_cast<uint32_t>(threads) : 1;
}

// Appends the pids in one thread's `children` file, read to its end (a
// parent of a thousand children fills more than one page).
uint32_t read_children(const char* path, pid_t* queue, uint32_t n, uint32_t cap) {
  Fd fd(openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC));
  if (!fd.ok()) return n;
  char buf[4096];
  uint64_t pid = 0;
  for (ssize_t got; (got = read(fd.get(), buf, sizeof buf)) > 0;) {
    for (ssize_t k = 0; k < got; ++k) {
      if (buf[k] >= '0' && buf[k] <= '9') {
        pid = pid * 10 + static_cast<uint64_t>(buf[k] - '0');
        continue;
      }
      if (pid != 0 && pid <= 0x7fffffff && n < cap) queue[n++] = static_cast<pid_t>(pid);
      pid = 0;
    }
  }
  return n;
}

// Appends the children of every thread of `pid` (a child belongs to the
// thread that forked it); of a process of one thread, that one's alone
// (a thread made since is seen by the next walk).
uint32_t add_children(pid_t pid, bool one_thread, pid_t* queue, uint32_t n, uint32_t cap) {
  Text<48> dir;
  proc_path(dir, pid, "/task");
  if (one_thread) {
    Text<80> path;
    path.add(dir.view()).add('/').add_u64(static_cast<uint64_t>(pid)).add("/children");
    return read_children(path.c_str(), queue, n, cap);
  }
  Fd d(openat(AT_FDCWD, dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!d.ok()) return n;
  alignas(8) char entries[2048];
  long got;
  while ((got = syscall(SYS_getdents64, d.get(), entries, sizeof entries)) > 0) {
    for (long at = 0; at < got;) {
      const auto* e = reinterpret_cast<const dirent64*>(entries + at);
      at += e->d_reclen;
      if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
      Text<80> path;
      path.add(dir.view()).add('/').add(e->d_name).add("/children");
      n = read_children(path.c_str(), queue, n, cap);
    }
  }
  return n;
}

// The sandbox's processes: init and everything below it, breadth first in
// `queue` (room for `cap`). Init is a subreaper (and pid 1 of the job's pid
// namespace), so orphans stay below it; but they move to it while the walk
// runs, so init's children are read again at the end, and those new since
// the last read (the kernel appends them: the survivors come first, in
// order) are walked too, until a read finds none new (at most kRereads).
// `times`: CPU times, else only memory.
constexpr int kRereads = 8;

Tree walk(pid_t init, bool times, bool memory, pid_t* queue, uint32_t cap, uint32_t* walked = nullptr) {
  Tree t;
  uint32_t n = 0;
  queue[n++] = init;
  uint32_t first = 1, last = 1;  // init's children as last read
  for (uint32_t i = 0, reads = 0;; ++i) {
    if (i == n) {
      if (++reads > kRereads) break;
      uint32_t from = n;
      n = add_children(init, true, queue, n, cap);  // init has one thread
      uint32_t old = first;
      for (i = from; i < n; ++i) {
        while (old < last && queue[old] != queue[i]) ++old;
        if (old++ == last) break;
      }
      first = from;
      last = n;
      if (i == n) break;
    }
    uint32_t threads = 0;  // 0: not read
    bool here = times ? add_times(queue[i], t) : (threads = add_memory(queue[i], t)) != 0;
    if (!here) continue;  // gone meanwhile
    ++t.processes;
    if (times && memory) threads = add_memory(queue[i], t);
    n = add_children(queue[i], threads == 1, queue, n, cap);
    if (i == 0) last = n;
  }
  if (walked != nullptr) *walked = n;
  return t;
}

void emit(StatsStream& s, const TextBuf& line) {
  if (s.fd < 0 || s.broken || line.truncated()) return;
  // Lines are shorter than PIPE_BUF: a non-blocking pipe takes one whole
  // or not at all (EAGAIN: this line is skipped, the next may fit).
  int err = write_all(s.fd, line.view());
  if (err != 0 && err != EAGAIN) s.broken = true;
}

void add_field(TextBuf& line, const char* key, uint64_t v) { line.add(", \"").add(key).add("\": ").add_u64(v); }

// /proc/<pid>/stat counts in USER_HZ, which the kernel fixes at 100 for
// user space on every architecture (musl's sysconf(_SC_CLK_TCK) is that
// constant too, behind 1.3 KB of table the launcher need not carry).
constexpr uint64_t kUserHz = 100;

uint64_t ticks_ms(uint64_t ticks) { return ticks * 1000 / kUserHz; }

bool cgroup_memory(const StatsStream& s, uint64_t* current, uint64_t* peak) {
  return s.cgroup != nullptr && cgroup_memory_now(*s.cgroup, current, peak);
}

}  // namespace

bool stats_check_fd(int fd, const table::List<uint32_t>& pass_fds, Failure& f) {
  Text<24> v;
  v.add_i64(fd);
  int flags = fcntl(fd, F_GETFL);
  if (flags < 0) return fail(f, Step::Usage, "option --stats-fd", v.view(), errno);
  if ((flags & O_ACCMODE) == O_RDONLY)
    return fail_reason(f, Step::Usage, "option --stats-fd", v.view(), "not open for writing");
  for (uint32_t p : pass_fds)
    if (static_cast<int>(p) == fd)
      return fail_reason(f, Step::Usage, "option --stats-fd", v.view(),
                         "the policy passes this fd to the job (pass_fd)");
  return true;
}

void stats_start(StatsStream& s, pid_t job) {
  s.job = job;
  uint64_t current = 0, peak = 0;
  const char* source = !cgroup_memory(s, &current, &peak) ? "proc" : s.cgroup->version == 2 ? "cgroup v2" : "cgroup v1";
  Text<256> line;
  line.add("{\"event\": \"start\"");
  add_field(line, "wall_ms", now_ms() - s.start_ms);
  add_field(line, "launcher_pid", static_cast<uint64_t>(s.launcher));
  add_field(line, "init_pid", static_cast<uint64_t>(s.init));
  add_field(line, "job_pid", static_cast<uint64_t>(job));
  line.add(", \"memory_source\": \"").add(source).add('"');
  add_field(line, "interval_ms", s.interval_ms);
  line.add("}\n");
  emit(s, line);
}

void stats_sample(StatsStream& s) {
  uint64_t current = 0, peak = 0;
  bool from_cgroup = cgroup_memory(s, &current, &peak);
  pid_t queue[kMaxTree];
  Tree t = walk(s.init, true, !from_cgroup, queue, kMaxTree);
  if (!from_cgroup) {
    current = t.rss_kib * 1024;
    peak = t.hwm_kib * 1024;
  }
  if (peak < current) peak = current;
  if (s.peak < peak) s.peak = peak;
  Text<320> line;
  line.add("{\"event\": \"sample\"");
  add_field(line, "wall_ms", now_ms() - s.start_ms);
  add_field(line, "memory_bytes", current);
  add_field(line, "peak_memory_bytes", s.peak);
  add_field(line, "user_ms", ticks_ms(t.user_ticks));
  add_field(line, "sys_ms", ticks_ms(t.sys_ticks));
  add_field(line, "processes", t.processes);
  line.add("}\n");
  emit(s, line);
}

uint64_t tree_memory(pid_t init, pid_t* queue, uint32_t cap, uint32_t* walked) {
  return walk(init, false, true, queue, cap, walked).held_kib * 1024;
}

void stats_end(StatsStream& s, const JobResult& r) {
  Text<256> line;
  line.add("{\"event\": \"exit\"");
  add_field(line, "wall_ms", r.wall_ms);
  line.add(", \"status\": ").add_i64(r.status);
  line.add(", \"reason\": \"").add(r.reason).add('"');
  line.add(", \"signal\": ");
  if (r.signal != 0) line.add_i64(r.signal);
  else line.add("null");
  add_field(line, "peak_memory_bytes", r.peak_memory_bytes > s.peak ? r.peak_memory_bytes : s.peak);
  add_field(line, "user_ms", r.user_ms);
  add_field(line, "sys_ms", r.sys_ms);
  line.add("}\n");
  emit(s, line);
  s.fd = -1;
}

}  // namespace stockade
