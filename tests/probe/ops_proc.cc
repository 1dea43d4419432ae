// SPDX-License-Identifier: Apache-2.0
// Process operations: which processes the job sees, whether it can touch
// them, what reaches it through the environment, how it ends.
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "probe.h"

extern char** environ;

namespace probe {
namespace {

std::vector<int> numeric_entries(const char* dir_path) {
  std::vector<int> out;
  DIR* dir = opendir(dir_path);
  if (dir == nullptr) return out;
  while (struct dirent* entry = readdir(dir)) {
    if (std::isdigit(static_cast<unsigned char>(entry->d_name[0]))) out.push_back(std::atoi(entry->d_name));
  }
  closedir(dir);
  std::sort(out.begin(), out.end());
  return out;
}

// Reads a whole file; false with errno set on failure.
bool slurp(const std::string& path, std::string& out) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  int err = errno;
  close(fd);
  errno = err;
  return n == 0;
}

int list_pids() {
  line("self", std::to_string(getpid()));
  for (int pid : numeric_entries("/proc")) {
    std::string comm;
    slurp("/proc/" + std::to_string(pid) + "/comm", comm);
    while (!comm.empty() && comm.back() == '\n') comm.pop_back();
    line("pid", std::to_string(pid) + " " + comm);
  }
  return result(0, 0);
}

// Looks for a secret everywhere a job could read another process's
// environment or arguments. The secret arrives reversed so that this
// process's own argv (and the launcher's) never contains it.
int find_string(const char* reversed) {
  std::string needle(reversed);
  std::reverse(needle.begin(), needle.end());
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::strstr(*e, needle.c_str()) != nullptr) line("found", "environ");
  }
  for (int pid : numeric_entries("/proc")) {
    for (const char* file : {"environ", "cmdline"}) {
      std::string path = "/proc/" + std::to_string(pid) + "/" + file;
      std::string text;
      if (!slurp(path, text)) {
        line("unreadable", path + " " + errno_name(errno));
        continue;
      }
      if (text.find(needle) != std::string::npos) line("found", path);
    }
  }
  return result(0, 0);
}

int vm_read(pid_t pid) {
  // The permission check comes before the address is used: EPERM means
  // "not allowed", EFAULT/EIO would mean "allowed, bad address".
  char byte = 0;
  struct iovec local = {&byte, 1};
  struct iovec remote = {reinterpret_cast<void*>(0x400000), 1};
  return check(process_vm_readv(pid, &local, 1, &remote, 1, 0));
}

int ptrace_attach(pid_t pid) {
  long rc = ptrace(PTRACE_ATTACH, pid, nullptr, nullptr);
  int err = errno;
  if (rc == 0) {
    waitpid(pid, nullptr, __WALL);
    ptrace(PTRACE_DETACH, pid, nullptr, nullptr);
  }
  return result(rc == 0 ? 0 : -1, err);
}

// Counts processes in state Z (zombie) under /proc.
int count_zombies() {
  int zombies = 0;
  for (int pid : numeric_entries("/proc")) {
    std::string stat;
    if (!slurp("/proc/" + std::to_string(pid) + "/stat", stat)) continue;
    size_t paren = stat.rfind(')');
    if (paren != std::string::npos && paren + 2 < stat.size() && stat[paren + 2] == 'Z') ++zombies;
  }
  return zombies;
}

// Leaves `count` orphans behind: a middle child forks them and exits, so they
// are re-parented to pid 1 of the sandbox, which must reap them when they exit.
int make_orphans(int count) {
  pid_t middle = fork();
  if (middle < 0) return result(-1, errno);
  if (middle == 0) {
    for (int i = 0; i < count; ++i) {
      if (fork() == 0) {
        usleep(100 * 1000);
        _exit(0);
      }
    }
    _exit(0);
  }
  waitpid(middle, nullptr, 0);
  usleep(1000 * 1000);
  line("zombies", std::to_string(count_zombies()));
  return result(0, 0);
}

}  // namespace

int proc_ops(const std::string& op, const Args& args) {
  if (op == "pids") return list_pids();
  if (op == "env") {
    for (char** e = environ; *e != nullptr; ++e) line("env", *e);
    return result(0, 0);
  }
  if (op == "cwd") {
    char buf[4096];
    const char* cwd = getcwd(buf, sizeof buf);
    int err = errno;
    if (cwd != nullptr) line("cwd", cwd);
    return result(cwd != nullptr ? 0 : -1, err);
  }
  if (op == "uname") {
    struct utsname u;
    int rc = uname(&u);
    int err = errno;
    if (rc == 0) line("nodename", u.nodename);
    return result(rc, err);
  }
  const char* a0 = args.at(0);
  if (a0 == nullptr) return -1;
  if (op == "kill") return check(kill(static_cast<pid_t>(number(a0)), static_cast<int>(number(args.at(1)))));
  if (op == "ptrace") return ptrace_attach(static_cast<pid_t>(number(a0)));
  if (op == "vmread") return vm_read(static_cast<pid_t>(number(a0)));
  if (op == "findstr") return find_string(a0);
  if (op == "sethostname") return check(sethostname(a0, std::strlen(a0)));
  if (op == "sleep") {
    // The extra arguments are a marker the harness finds this process by.
    line("pid", std::to_string(getpid()));
    sleep(static_cast<unsigned>(number(a0)));
    return result(0, 0);
  }
  if (op == "exit") {
    std::fflush(stdout);
    _exit(static_cast<int>(number(a0)));
  }
  if (op == "raise") {
    int sig = static_cast<int>(number(a0));
    signal(sig, SIG_DFL);
    std::fflush(stdout);
    raise(sig);
    return result(-1, EINTR);  // not reached for a fatal signal
  }
  if (op == "orphans") return make_orphans(static_cast<int>(number(a0)));
  return -1;
}

}  // namespace probe
