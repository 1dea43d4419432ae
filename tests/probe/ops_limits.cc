// SPDX-License-Identifier: Apache-2.0
// Resource exhaustion: fork bomb, memory bomb, both at once, huge file, descriptor flood,
// CPU spin. Each stops at the first failure and reports how far it got.
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "probe.h"

namespace probe {
namespace {

// With `hold`, the children stay after the first failure until the job is
// killed (two jobs' bombs at once).
int fork_bomb(long long max, bool hold) {
  std::vector<pid_t> children;
  int rc = 0;
  int err = 0;
  while (static_cast<long long>(children.size()) < max) {
    pid_t pid = fork();
    if (pid < 0) {
      rc = -1;
      err = errno;
      break;
    }
    if (pid == 0) {
      pause();
      _exit(0);
    }
    children.push_back(pid);
  }
  line("forked", std::to_string(children.size()));
  if (hold)
    for (;;) pause();
  for (pid_t pid : children) kill(pid, SIGKILL);
  for (pid_t pid : children) waitpid(pid, nullptr, 0);
  return result(rc, err);
}

// Touches every page so the memory is really charged to the cgroup. With
// `hold`, keeps it and waits to be killed (the report's figures after a kill).
int memory_bomb(long long mib, bool hold) {
  for (long long i = 0; i < mib; ++i) {
    void* chunk = std::malloc(1 << 20);
    if (chunk == nullptr) {
      line("allocated_mib", std::to_string(i));
      return result(-1, ENOMEM);
    }
    std::memset(chunk, 0x5a, 1 << 20);
  }
  line("allocated_mib", std::to_string(mib));
  if (hold) {
    for (;;) pause();
  }
  return result(0, 0);
}

// Forks `children` processes that each touch `mib` MiB, 1 MiB at a time,
// printing `touched: CHILD MIB` after each (one write each: lines from
// many processes never mix), so the test knows how much the whole job held
// however it ends. Once all are done: `allocated_mib` (the total), `hold_ms`
// more with it all held, then `result: ok`; a child whose malloc failed
// (RLIMIT_DATA) or that was killed (a cgroup's OOM killer): `result: ENOMEM`. `shared`: the MiB are shared anonymous
// mappings instead, which RLIMIT_DATA does not count.
int fork_memory_bomb(long long children, long long mib, long long hold_ms, bool shared) {
  int done[2];
  if (pipe(done) != 0) return result(-1, errno);
  std::fflush(stdout);
  std::vector<pid_t> pids;
  for (long long c = 0; c < children; ++c) {
    pid_t pid = fork();
    if (pid < 0) break;
    if (pid > 0) {
      pids.push_back(pid);
      continue;
    }
    char status = 'o';
    for (long long i = 1; i <= mib; ++i) {
      void* chunk = shared ? mmap(nullptr, 1 << 20, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0)
                           : std::malloc(1 << 20);
      if (chunk == nullptr || chunk == MAP_FAILED) {
        status = 'e';
        break;
      }
      std::memset(chunk, 0x5a, 1 << 20);
      line("touched", std::to_string(c) + " " + std::to_string(i));
    }
    if (write(done[1], &status, 1) != 1) _exit(1);
    close(done[1]);
    for (;;) pause();
  }
  close(done[1]);  // EOF once every child is done or dead
  int err = pids.size() == static_cast<size_t>(children) ? 0 : EAGAIN;
  for (size_t got = 0; got < pids.size() && err == 0; ++got) {
    char status = 0;
    if (read(done[0], &status, 1) != 1 || status != 'o') err = ENOMEM;
  }
  if (err == 0) {
    line("allocated_mib", std::to_string(children * mib));
    struct timespec hold = {static_cast<time_t>(hold_ms / 1000), static_cast<long>(hold_ms % 1000) * 1000000};
    nanosleep(&hold, nullptr);
  }
  for (pid_t pid : pids) kill(pid, SIGKILL);
  for (pid_t pid : pids) waitpid(pid, nullptr, 0);
  return result(err == 0 ? 0 : -1, err);
}

int big_file(long long bytes, const char* path, bool ignore_signal) {
  if (ignore_signal) signal(SIGXFSZ, SIG_IGN);
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return result(-1, errno);
  static char chunk[64 * 1024];
  long long written = 0;
  int rc = 0;
  int err = 0;
  while (written < bytes) {
    ssize_t n = write(fd, chunk, sizeof chunk);
    if (n < 0) {
      rc = -1;
      err = errno;
      break;
    }
    written += n;
  }
  close(fd);
  line("written", std::to_string(written));
  return result(rc, err);
}

int descriptor_flood() {
  int highest = -1;
  for (;;) {
    int fd = dup(1);
    if (fd < 0) {
      int err = errno;
      line("highest_fd", std::to_string(highest));
      return result(-1, err);
    }
    highest = fd;
  }
}

double cpu_seconds() {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

int spin(double seconds, bool ignore_xcpu) {
  if (ignore_xcpu) signal(SIGXCPU, SIG_IGN);
  while (cpu_seconds() < seconds) {}
  return result(0, 0);
}

}  // namespace

int limit_ops(const std::string& op, const Args& args) {
  if (op == "nofile") return descriptor_flood();
  const char* a0 = args.at(0);
  if (a0 == nullptr) return -1;
  // A trailing `ignore` makes fsize/spin ignore SIGXFSZ/SIGXCPU.
  auto ignoring = [&](int at) { return args.at(at) != nullptr && std::strcmp(args.at(at), "ignore") == 0; };
  auto holding = [&](int at) { return args.at(at) != nullptr && std::strcmp(args.at(at), "hold") == 0; };
  if (op == "forkbomb") return fork_bomb(number(a0), holding(1));
  if (op == "membomb") return memory_bomb(number(a0), holding(1));
  if (op == "forkmem") {
    bool shared = args.at(3) != nullptr && std::strcmp(args.at(3), "shared") == 0;
    return fork_memory_bomb(number(a0), number(args.at(1)), args.at(2) != nullptr ? number(args.at(2)) : 0, shared);
  }
  if (op == "fsize") return big_file(number(a0), args.at(1) ? args.at(1) : "/tmp/big", ignoring(2));
  if (op == "spin") return spin(static_cast<double>(number(a0)), ignoring(1));
  if (op == "spin-ms") return spin(static_cast<double>(number(a0)) / 1000, false);
  return -1;
}

}  // namespace probe
