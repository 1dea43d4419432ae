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

#include <string>

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
