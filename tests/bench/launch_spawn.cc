// SPDX-License-Identifier: Apache-2.0
#include "launch_spawn.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace stockade::bench {

namespace {

int64_t now_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// Runs in the forked child: only async-signal-safe calls from here to execve.
[[noreturn]] void exec_child(const Prepared& cmd, const ChildIo& io) {
  const int out = io.stdout_fd >= 0 ? io.stdout_fd : io.null_fd;
  if (dup2(io.null_fd, 0) < 0 || dup2(out, 1) < 0 || dup2(io.stderr_fd, 2) < 0) _exit(126);
  if (cmd.reopen_path() != nullptr) {
    const int fd = open(cmd.reopen_path(), O_RDONLY);
    if (fd < 0 || dup2(fd, cmd.reopen_as()) < 0) _exit(126);
    if (fd != cmd.reopen_as()) close(fd);
  }
  execve(cmd.argv()[0], cmd.argv(), environ);
  _exit(127);
}

}  // namespace

Prepared::Prepared(std::vector<std::string> argv) : words_(std::move(argv)) {
  ptrs_.reserve(words_.size() + 1);
  for (std::string& w : words_) ptrs_.push_back(w.data());
  ptrs_.push_back(nullptr);
}

void Prepared::reopen_fd(int source_fd, int as_fd) {
  reopen_path_ = "/proc/self/fd/" + std::to_string(source_fd);
  reopen_as_ = as_fd;
}

int start_child(const Prepared& cmd, const ChildIo& io) {
  const pid_t pid = fork();
  if (pid == 0) exec_child(cmd, io);
  return pid;
}

RunResult run_once(const Prepared& cmd, const ChildIo& io) {
  RunResult r;
  const int64_t t0 = now_ns();
  const pid_t pid = start_child(cmd, io);
  if (pid < 0) {
    r.wall_ns = -1;
    return r;
  }
  rusage ru{};
  while (wait4(pid, &r.status, 0, &ru) < 0 && errno == EINTR) {}
  r.wall_ns = now_ns() - t0;
  r.maxrss_kib = ru.ru_maxrss;
  auto ns = [](const timeval& tv) { return static_cast<int64_t>(tv.tv_sec) * 1'000'000'000 + tv.tv_usec * 1000; };
  r.cpu_ns = ns(ru.ru_utime) + ns(ru.ru_stime);
  return r;
}

Throughput run_parallel(const Prepared& cmd, const ChildIo& io, int total, int width) {
  Throughput t;
  int in_flight = 0;
  const int64_t t0 = now_ns();
  while (t.launched < total || in_flight > 0) {
    while (t.launched < total && in_flight < width) {
      if (start_child(cmd, io) < 0) {
        t.failed += total - t.launched;
        t.launched = total;
        break;
      }
      ++t.launched;
      ++in_flight;
    }
    if (in_flight == 0) break;
    int status = 0;
    const pid_t pid = wait4(-1, &status, 0, nullptr);
    if (pid < 0) {
      if (errno == EINTR) continue;
      break;
    }
    --in_flight;
    if (!exited_zero(status)) {
      if (t.failed == 0) t.first_bad_status = status;
      ++t.failed;
    }
  }
  t.elapsed_ns = now_ns() - t0;
  return t;
}

bool exited_zero(int status) { return WIFEXITED(status) && WEXITSTATUS(status) == 0; }

std::string describe_status(int status) {
  if (WIFEXITED(status)) return "exit " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return std::string("signal ") + strsignal(WTERMSIG(status));
  return "status " + std::to_string(status);
}

}  // namespace stockade::bench
