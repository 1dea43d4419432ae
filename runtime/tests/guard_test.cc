// SPDX-License-Identifier: Apache-2.0
// The set-id guard under the real kernel: loaded in a forked child (a
// seccomp filter cannot be removed), which reports each errno back.
#include <doctest/doctest.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/audit.h>
#include <linux/seccomp.h>

#include <string>
#include <vector>

#include "seccomp/bpf_eval.h"
#include "setuid_guard.h"

using namespace stockade;

namespace {

// Runs `op` in a child after loading the guard; returns the errno it ended
// with (0 = success), or -1 if the child could not load the guard.
template <class Op>
int in_guarded_child(Op op) {
  int pipefd[2];
  REQUIRE(pipe(pipefd) == 0);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    Failure f{};
    int result = -1;
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 && install_setuid_guard(f)) {
      errno = 0;
      result = op() == 0 ? 0 : errno;
    }
    (void)!write(pipefd[1], &result, sizeof result);
    _exit(0);
  }
  close(pipefd[1]);
  int result = -2;
  REQUIRE(read(pipefd[0], &result, sizeof result) == sizeof result);
  close(pipefd[0]);
  waitpid(pid, nullptr, 0);
  return result;
}

struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/stockade-guard-XXXXXX";
    REQUIRE(mkdtemp(tmpl) != nullptr);
    path = tmpl;
  }
  ~TempDir() { (void)!system(("rm -rf " + path).c_str()); }
  std::string file(const char* name) const { return path + "/" + name; }
};

}  // namespace

TEST_CASE("set-id bits are refused, plain modes pass") {
  TempDir dir;
  std::string f = dir.file("f");
  int fd = open(f.c_str(), O_CREAT | O_WRONLY, 0644);
  REQUIRE(fd >= 0);
  close(fd);
  CHECK(in_guarded_child([&] { return chmod(f.c_str(), 04755); }) == EPERM);
  CHECK(in_guarded_child([&] { return chmod(f.c_str(), 02755); }) == EPERM);
  CHECK(in_guarded_child([&] { return fchmodat(AT_FDCWD, f.c_str(), 06755, 0); }) == EPERM);
  CHECK(in_guarded_child([&] { return chmod(f.c_str(), 0700); }) == 0);
  struct stat st;
  REQUIRE(stat(f.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0700);
}

TEST_CASE("files cannot be created set-id") {
  TempDir dir;
  std::string a = dir.file("a"), b = dir.file("b"), c = dir.file("c");
  CHECK(in_guarded_child([&] {
          int fd = static_cast<int>(syscall(SYS_openat, AT_FDCWD, a.c_str(), O_CREAT | O_WRONLY, 04755));
          return fd < 0 ? -1 : close(fd);
        }) == EPERM);
  CHECK(in_guarded_child([&] { return mknod(b.c_str(), S_IFREG | 02644, 0); }) == EPERM);
  CHECK(in_guarded_child([&] {
          int fd = static_cast<int>(syscall(SYS_openat, AT_FDCWD, c.c_str(), O_CREAT | O_WRONLY, 0644));
          return fd < 0 ? -1 : close(fd);
        }) == 0);
  CHECK(access(a.c_str(), F_OK) != 0);
  CHECK(access(c.c_str(), F_OK) == 0);
}

TEST_CASE("calls whose mode a filter cannot read are refused with ENOSYS") {
  CHECK(in_guarded_child([] { return static_cast<int>(syscall(SYS_openat2, AT_FDCWD, "/", nullptr, 0)); }) == ENOSYS);
  CHECK(in_guarded_child([] { return static_cast<int>(syscall(SYS_io_uring_setup, 1, nullptr)); }) == ENOSYS);
}

TEST_CASE("the x32 entry point is guarded too") {
  TempDir dir;
  std::string f = dir.file("x");
  int fd = open(f.c_str(), O_CREAT | O_WRONLY, 0644);
  REQUIRE(fd >= 0);
  close(fd);
  // chmod through the x32 bit: ENOSYS on kernels without x32, never success.
  int err = in_guarded_child([&] { return static_cast<int>(syscall(0x40000000 | SYS_chmod, f.c_str(), 04755)); });
  CHECK((err == EPERM || err == ENOSYS));
  struct stat st;
  REQUIRE(stat(f.c_str(), &st) == 0);
  CHECK((st.st_mode & 06000) == 0);
}

namespace {

// What the guard must answer for (arch, nr, mode): the calls it guards with
// the index of their mode argument, -1 for the ones refused outright.
struct Expect {
  uint32_t nr;
  int mode_arg;
};
constexpr Expect kX86_64Calls[] = {{90, 1}, {91, 1},  {268, 2}, {452, 2},  {2, 2},   {257, 3},
                                   {85, 1}, {133, 1}, {259, 2}, {437, -1}, {425, -1}};
constexpr Expect kI386Calls[] = {{15, 1}, {94, 1}, {306, 2}, {452, 2},  {5, 2},   {295, 3},
                                 {8, 1},  {14, 1}, {297, 2}, {437, -1}, {425, -1}};

template <size_t N>
uint32_t want(const Expect (&calls)[N], uint32_t nr, uint64_t mode) {
  for (const Expect& c : calls) {
    if (c.nr != nr) continue;
    if (c.mode_arg < 0) return SECCOMP_RET_ERRNO | ENOSYS;
    return (mode & 06000) != 0 ? SECCOMP_RET_ERRNO | EPERM : SECCOMP_RET_ALLOW;
  }
  return SECCOMP_RET_ALLOW;
}

template <size_t N>
void check_every_number(const std::vector<sock_filter>& prog, uint32_t arch, uint32_t nr_bits, const Expect (&calls)[N],
                        uint32_t after_guard) {
  for (uint32_t nr = 0; nr < 600; ++nr) {
    for (uint64_t mode :
         {uint64_t{0}, uint64_t{0644}, uint64_t{04755}, uint64_t{02000}, uint64_t{0x100000000} | 0755}) {
      seccomp_data d{};
      d.arch = arch;
      d.nr = static_cast<int>(nr | nr_bits);
      for (int i = 0; i < 6; ++i) d.args[i] = mode;
      uint32_t expected = want(calls, nr, mode);
      if (expected == SECCOMP_RET_ALLOW) expected = after_guard;
      INFO("arch ", arch, " nr ", nr, " mode ", mode);
      CHECK(bpf_eval(prog.data(), static_cast<uint32_t>(prog.size()), d) == expected);
    }
  }
}

}  // namespace

// Every syscall number of each entry point, alone and as the head of
// another program (whose own answer, ERRNO(99) here, must come after every
// ALLOW of the guard): the search finds each guarded call and no other.
TEST_CASE("the guard answers every syscall number as specified") {
  std::vector<sock_filter> head(setuid_guard_length());
  write_setuid_guard_head(head.data());
  std::vector<sock_filter> guarded = head;
  guarded.push_back({BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ERRNO | 99});
  std::vector<sock_filter> alone = head;
  alone.push_back({BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ALLOW});
  for (const auto* prog : {&alone, &guarded}) {
    uint32_t after = prog == &alone ? SECCOMP_RET_ALLOW : (SECCOMP_RET_ERRNO | 99);
    check_every_number(*prog, AUDIT_ARCH_X86_64, 0, kX86_64Calls, after);
    check_every_number(*prog, AUDIT_ARCH_X86_64, 0x40000000, kX86_64Calls, after);  // x32
    check_every_number(*prog, AUDIT_ARCH_I386, 0, kI386Calls, after);
  }
  // An architecture the guard does not know passes untouched.
  seccomp_data other{};
  other.arch = 0xdeadbeef;
  CHECK(bpf_eval(guarded.data(), static_cast<uint32_t>(guarded.size()), other) == (SECCOMP_RET_ERRNO | 99));
}
