// SPDX-License-Identifier: Apache-2.0
#include "seccomp/kill_log.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "io.h"
#include "seccomp_names.h"
#include "text.h"

namespace stockade {
namespace {

constexpr uint32_t kX32Bit = 0x40000000;

// The value after " key=" in an audit record, or nullptr.
const char* field(const char* record, const char* key) {
  size_t n = strlen(key);
  for (const char* p = find_text(record, key); p != nullptr; p = find_text(p + 1, key))
    if ((p == record || p[-1] == ' ') && p[n] == '=') return p + n + 1;
  return nullptr;
}

long now_ms() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<long>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

}  // namespace

bool find_seccomp_kill(pid_t pid, SeccompKill& out) {
  if (pid <= 0) return false;
  Fd kmsg(openat(AT_FDCWD, "/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (!kmsg.ok()) return false;
  // Without an audit daemon the kernel's kauditd thread prints the record
  // a moment after the kill, so wait briefly for it once the backlog is read.
  // The latest matching record wins (pids are reused).
  constexpr long kWaitMs = 250;
  long deadline = now_ms() + kWaitMs;
  bool found = false;
  char record[8192];
  for (;;) {
    ssize_t n = read(kmsg.get(), record, sizeof record - 1);
    if (n < 0 && errno == EPIPE) continue;  // overwritten while reading: go on
    if (n <= 0) {
      long left = deadline - now_ms();
      if (found || (n < 0 && errno != EAGAIN) || left <= 0) break;
      pollfd p{kmsg.get(), POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left)) <= 0) break;
      continue;
    }
    record[n] = '\0';
    if (find_text(record, "type=1326") == nullptr) continue;
    const char* p = field(record, "pid");
    const char* arch = field(record, "arch");
    const char* nr = field(record, "syscall");
    if (p == nullptr || arch == nullptr || nr == nullptr || scan_unsigned(&p, 10) != static_cast<uint64_t>(pid))
      continue;
    out.arch = static_cast<uint32_t>(scan_unsigned(&arch, 16));
    out.syscall = static_cast<uint32_t>(scan_unsigned(&nr, 10));
    found = true;
  }
  return found;
}

void describe_syscall(const SeccompKill& k, TextBuf& out) {
  const char* abi = seccomp_names::abi_name(k.arch, k.syscall);
  const char* name = seccomp_names::syscall_name(k.arch, k.syscall);
  if (abi != nullptr && k.arch != AUDIT_ARCH_X86_64) out.add(abi).add(' ');
  if (abi != nullptr && (k.syscall & kX32Bit)) out.add("x32 ");
  if (name != nullptr) out.add(name).add(" (").add_u64(k.syscall).add(')');
  else out.add("syscall ").add_u64(k.syscall);
}

}  // namespace stockade
