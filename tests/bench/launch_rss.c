// SPDX-License-Identifier: Apache-2.0
/* launch-rss PROGRAM ARGS...: runs PROGRAM, waits for it and prints
   "<ru_maxrss KiB> <wait status>" on stdout.

   Why a separate static helper: Linux charges a child's pre-execve image to
   its ru_maxrss (exec records the old mm's high-water mark), and a forked
   child's image is its parent's anonymous memory. Forked from the C++
   benchmark driver, every launch would show the driver's heap; forked from
   this small static program, the figure is the launched tree's own. */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc < 2) {
    fputs("usage: launch-rss PROGRAM ARGS...\n", stderr);
    return 2;
  }
  const pid_t pid = fork();
  if (pid < 0) {
    perror("launch-rss: fork");
    return 2;
  }
  if (pid == 0) {
    execv(argv[1], argv + 1);
    perror("launch-rss: execv");
    _exit(127);
  }
  int status = 0;
  struct rusage ru;
  if (wait4(pid, &status, 0, &ru) < 0) {
    perror("launch-rss: wait4");
    return 2;
  }
  printf("%ld %d\n", ru.ru_maxrss, status);
  return 0;
}
