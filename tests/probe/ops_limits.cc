// SPDX-License-Identifier: Apache-2.0
// Resource exhaustion: fork bomb, memory bomb, both at once, huge file, descriptor flood,
// CPU spin. Each stops at the first failure and reports how far it got.
#include <fcntl.h>
#include <signal.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/syscall.h>
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

// Where a child of the fork + memory bomb puts each MiB.
enum class Held { Private, Shared, Memfd, Sysv, File };

// One MiB more of `how`: a malloc'd or MAP_SHARED|MAP_ANONYMOUS chunk
// touched and kept mapped; written into one memfd (`*fd`) that nothing
// maps; a System V segment attached, touched, detached and left behind;
// written into a file of the child's own under `dir` (a tmpfs: memory
// too). False with errno set when it could not.
bool hold_one_mib(Held how, int* fd, const char* dir, long long child) {
  static char chunk[1 << 20];  // what is written does not matter: each page of the file is allocated
  switch (how) {
    case Held::Private:
    case Held::Shared: {
      void* p = how == Held::Shared ? mmap(nullptr, 1 << 20, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0)
                                    : std::malloc(1 << 20);
      if (p == nullptr || p == MAP_FAILED) return false;
      std::memset(p, 0x5a, 1 << 20);
      return true;
    }
    case Held::Sysv: {
      int id = shmget(IPC_PRIVATE, 1 << 20, IPC_CREAT | 0600);
      void* p = id < 0 ? reinterpret_cast<void*>(-1) : shmat(id, nullptr, 0);
      if (p == reinterpret_cast<void*>(-1)) return false;
      std::memset(p, 0x5a, 1 << 20);
      return shmdt(p) == 0;
    }
    case Held::Memfd:
    case Held::File:
      if (*fd < 0) {
        std::string name = std::string(dir != nullptr ? dir : "/tmp") + "/bomb-" + std::to_string(child);
        *fd = how == Held::Memfd ? static_cast<int>(syscall(SYS_memfd_create, "bomb", 0))
                                 : open(name.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (*fd < 0) return false;
      }
      return write(*fd, chunk, sizeof chunk) == static_cast<ssize_t>(sizeof chunk);
  }
  return false;
}

// Forks `children` processes that each hold `mib` MiB (hold_one_mib), 1 MiB
// at a time, printing `touched: CHILD MIB` after each (one write each: lines
// from many processes never mix), so the test knows how much the whole job
// held however it ends. Once all are done: `allocated_mib` (the total),
// `hold_ms` more with it all held, then `result: ok`; a child that could not
// go on prints `refused: CHILD ERRNO` and makes it `result: ENOMEM`, as does
// one that was killed (a cgroup's OOM killer).
int fork_memory_bomb(long long children, long long mib, long long hold_ms, Held how, const char* dir) {
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
    int fd = -1;
    for (long long i = 1; i <= mib; ++i) {
      if (!hold_one_mib(how, &fd, dir, c)) {
        line("refused", std::to_string(c) + " " + errno_name(errno));
        status = 'e';
        break;
      }
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
    // forkmem CHILDREN MIB [HOLD_MS [shared | memfd | sysv | file DIR]]
    const char* mode = args.at(3) != nullptr ? args.at(3) : "";
    Held how = std::strcmp(mode, "shared") == 0  ? Held::Shared
               : std::strcmp(mode, "memfd") == 0 ? Held::Memfd
               : std::strcmp(mode, "sysv") == 0  ? Held::Sysv
               : std::strcmp(mode, "file") == 0  ? Held::File
                                                 : Held::Private;
    return fork_memory_bomb(number(a0), number(args.at(1)), args.at(2) != nullptr ? number(args.at(2)) : 0, how,
                            args.at(4));
  }
  if (op == "fsize") return big_file(number(a0), args.at(1) ? args.at(1) : "/tmp/big", ignoring(2));
  if (op == "spin") return spin(static_cast<double>(number(a0)), ignoring(1));
  if (op == "spin-ms") return spin(static_cast<double>(number(a0)) / 1000, false);
  return -1;
}

}  // namespace probe
