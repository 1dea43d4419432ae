#include "seccomp/install.h"
#include "seccomp/listener.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "setuid_guard.h"
#include "text.h"

namespace stockade {
namespace {

long set_filter(const table::List<sock_filter>& program, unsigned flags) {
  sock_fprog prog{static_cast<unsigned short>(program.count), const_cast<sock_filter*>(program.items)};
  return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
}

bool check_length(const table::List<sock_filter>& program, Failure& f) {
  Text<32> len;
  len.add_u64(program.count).add(" instructions");
  if (program.count > BPF_MAXINSNS) return fail_reason(f, Step::Seccomp, "filter", len.view(), "longer than BPF_MAXINSNS");
  return true;
}

}  // namespace

bool install_seccomp(const table::List<sock_filter>& program, Failure& f) {
  if (program.count == 0) return true;
  if (!check_length(program, f)) return false;
  if (set_filter(program, 0) != 0) {
    Text<32> len;
    len.add_u64(program.count).add(" instructions");
    return fail(f, Step::Seccomp, "seccomp(SECCOMP_SET_MODE_FILTER)", len.view(), errno);
  }
  return true;
}

namespace {

// `program` behind the set-id guard's head, in `buf` (room for both, or
// for BPF_MAXINSNS instructions).
table::List<sock_filter> guarded(const table::List<sock_filter>& program, sock_filter* buf) {
  size_t head = setuid_guard_length();
  if (program.count == 0 || program.count + head > BPF_MAXINSNS) return program;  // check_length refuses it
  write_setuid_guard_head(buf);
  for (uint32_t i = 0; i < program.count; ++i) buf[head + i] = program.items[i];
  return {buf, static_cast<uint16_t>(head + program.count)};
}

}  // namespace

bool install_seccomp_reporting(const table::Policy& policy, int notify_sock, bool guard, Failure& f) {
  // Mapped rather than on the stack: the policy's rlimits already apply.
  // Just big enough for both programs: the job runs in init's memory
  // (vfork), which keeps this mapping after the job's execve.
  // The notify variant is built here from the policy's program and its
  // patches (policy_table.h), after the guard's head when there is one.
  void* mem = MAP_FAILED;
  size_t slot = setuid_guard_length() + policy.seccomp.count;
  if (slot > BPF_MAXINSNS) slot = BPF_MAXINSNS;
  bool variant = policy.seccomp_notify.count > 0 && notify_sock >= 0 && policy.seccomp.count <= BPF_MAXINSNS;
  if (guard || variant) {
    mem = mmap(nullptr, 2 * slot * sizeof(sock_filter), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED) return fail(f, Step::Seccomp, "mmap", guard ? "set-id guard" : "notify filter", errno);
  }
  auto* bufs = static_cast<sock_filter*>(mem);
  table::List<sock_filter> kill = guard ? guarded(policy.seccomp, bufs) : policy.seccomp;
  table::List<sock_filter> notify = {nullptr, 0};
  if (variant) {
    sock_filter* own = bufs + 2 * slot - policy.seccomp.count;  // the slot's end: room for the guard's head before it
    write_notify_variant(policy, own);
    notify = {own, policy.seccomp.count};
    if (guard) notify = guarded(notify, bufs + slot);
  }
  if (notify.count == 0 || notify_sock < 0 || !check_length(notify, f)) {
    if (notify_sock >= 0) close(notify_sock);
    return install_seccomp(kill, f);
  }
  long listener = set_filter(notify, SECCOMP_FILTER_FLAG_NEW_LISTENER);
  if (listener < 0) {
    close(notify_sock);
    return install_seccomp(kill, f);  // the kernel log still names a kill
  }
  // From here every call passes the notify filter; the compiler emits the
  // variant only where sendmsg and close are allowed
  // (compiler/seccomp/notify_rewrite.h).
  bool sent = send_listener(notify_sock, static_cast<int>(listener), f);
  close(static_cast<int>(listener));
  close(notify_sock);
  // Unsent, the listener is gone with our close and a denied call would
  // only fail with ENOSYS: refuse to run the job like that.
  return sent;
}

}  // namespace stockade
