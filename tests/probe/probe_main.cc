// SPDX-License-Identifier: Apache-2.0
// Entry point and output helpers of stockade-probe (see probe.h).
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <unistd.h>

#include "probe.h"

namespace probe {

std::string errno_name(int err) {
  const char* name = strerrorname_np(err);
  return name != nullptr ? std::string(name) : std::string("E").append(std::to_string(err));
}

int result(int rc, int saved_errno) {
  std::printf("result: %s\n", rc >= 0 ? "ok" : errno_name(saved_errno).c_str());
  std::fflush(stdout);
  return 0;
}

int check(long rc) {
  int err = errno;
  return result(rc < 0 ? -1 : 0, err);
}

void line(const char* key, const std::string& value) {
  std::printf("%s: %s\n", key, value.c_str());
  std::fflush(stdout);
}

long long number(const char* text) {
  if (text == nullptr) {
    std::fprintf(stderr, "probe: missing numeric argument\n");
    std::exit(2);
  }
  char* end = nullptr;
  errno = 0;
  long long value = std::strtoll(text, &end, 0);
  if (errno != 0 || end == text || *end != '\0') {
    std::fprintf(stderr, "probe: not a number: %s\n", text);
    std::exit(2);
  }
  return value;
}

}  // namespace probe

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: probe [after MS] OPERATION [ARGS...]\n");
    return 2;
  }
  // `after MS OP ...`: wait, so the harness can change the host meanwhile.
  if (std::string(argv[1]) == "after" && argc >= 4) {
    std::printf("waiting: %s\n", argv[2]);
    std::fflush(stdout);
    usleep(static_cast<useconds_t>(probe::number(argv[2]) * 1000));
    argv += 2;
    argc -= 2;
  }
  const std::string op = argv[1];
  const probe::Args args{argc - 2, argv + 2};
  using Group = int (*)(const std::string&, const probe::Args&);
  for (Group group : {probe::fs_ops, probe::mount_ops, probe::proc_ops, probe::limit_ops, probe::net_ops,
                      probe::abi_ops, probe::misc_ops}) {
    int rc = group(op, args);
    if (rc != -1) return rc;
  }
  std::fprintf(stderr, "probe: unknown operation: %s\n", op.c_str());
  return 2;
}
