// SPDX-License-Identifier: Apache-2.0
// For the guard filters' kernel tests (unix_guard_test, shmem_guard_test):
// runs `op` in a forked child after no_new_privs and `install`, and returns
// the errno `op` ended with (0 when it returned >= 0), or -1 if the guard
// did not load.
#pragma once

#include <doctest/doctest.h>

#include <errno.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fail.h"

template <class Install, class Op>
int in_guarded_child(Install install, Op op) {
  int pipefd[2];
  REQUIRE(pipe(pipefd) == 0);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    stockade::Failure f{};
    int result = -1;
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 && install(f)) {
      errno = 0;
      result = op() < 0 ? errno : 0;
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
