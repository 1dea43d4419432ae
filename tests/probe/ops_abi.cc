// SPDX-License-Identifier: Apache-2.0
// Other syscall ABIs on x86-64: a seccomp filter written for x86-64 syscall
// numbers must not be bypassed through the i386 (int 0x80) or x32 entry points.
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "probe.h"

namespace probe {
namespace {

#if defined(__x86_64__)
constexpr long kX32Bit = 0x40000000;  // __X32_SYSCALL_BIT
constexpr long kI386Uname = 122;      // i386 newuname; x86-64's 122 is setfsuid

// The i386 entry point takes 32-bit pointers, so the buffer must sit below
// 4 GiB: a static array in a non-PIE static binary does.
struct utsname g_low_buffer;

long i386_uname() {
  long rc;
  long nr = kI386Uname;
  auto arg = static_cast<long>(reinterpret_cast<unsigned long>(&g_low_buffer));
  asm volatile("int $0x80" : "=a"(rc) : "a"(nr), "b"(arg) : "memory");
  return rc;
}
#endif

int report(long rc) {
  if (rc < 0 && rc > -4096) return result(-1, static_cast<int>(-rc));
  return result(0, 0);
}

}  // namespace

int abi_ops(const std::string& op, const Args&) {
#if defined(__x86_64__)
  if (op == "i386-uname") {
    if (reinterpret_cast<unsigned long>(&g_low_buffer) >= (1ul << 32)) return result(-1, EFAULT);
    long rc = i386_uname();
    if (rc == 0) line("nodename", g_low_buffer.nodename);
    return report(rc);
  }
  if (op == "x32-uname") {
    struct utsname u;
    long rc = syscall(kX32Bit | SYS_uname, &u);
    return result(rc == 0 ? 0 : -1, errno);
  }
#endif
  if (op == "syslog") {
    // SYSLOG_ACTION_SIZE_BUFFER (10): harmless, but a syscall the seccomp test policy kills.
    return check(syscall(SYS_syslog, 10, nullptr, 0));
  }
  if (op == "uname-raw") {
    struct utsname u;
    return check(syscall(SYS_uname, &u));
  }
  return -1;
}

}  // namespace probe
