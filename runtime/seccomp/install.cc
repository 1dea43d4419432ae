// SPDX-License-Identifier: Apache-2.0
#include "seccomp/install.h"
#include "seccomp/listener.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "channel.h"
#include "seccomp/bpf_eval.h"
#include "setuid_guard.h"
#include "test_switch.h"
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
  if (program.count > BPF_MAXINSNS)
    return fail_reason(f, Step::Seccomp, "filter", len.view(), "longer than BPF_MAXINSNS");
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

#if defined(__x86_64__)
constexpr uint32_t kArch = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
constexpr uint32_t kArch = AUDIT_ARCH_AARCH64;
#endif

// True when `program` lets nr(a0, _, a2) through without a notification.
bool passes(const table::List<sock_filter>& program, long nr, long a0, long a2) {
  seccomp_data d{};
  d.nr = static_cast<int>(nr);
  d.arch = kArch;
  d.args[0] = static_cast<uint64_t>(a0);
  d.args[2] = static_cast<uint64_t>(a2);
  return (bpf_eval(program.items, program.count, d) & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ALLOW;
}

}  // namespace

// The handover (seccomp/listener.h): the listener is pulled by the
// supervisor with pidfd_getfd, so the job makes no call of its own to pass
// it on. Before the filter: our pidfd and the number the listener will get
// (the lowest free fd: nothing else opens one in between), then the
// supervisor's word that it can pull ('g'). After it: one read for 'd' (the
// supervisor holds the listener), which the filter may notify like any
// call; the pidfd and the socket are CLOEXEC and go with execve.
bool install_seccomp_reporting(const table::Policy& policy, int notify_sock, bool guard, bool learn, Failure& f) {
  // Mapped rather than on the stack: the policy's rlimits already apply.
  // Just big enough for both programs: the job runs in init's memory
  // (vfork), which keeps this mapping after the job's execve.
  // The notify variant is built here from the policy's program and its
  // patches (policy_table.h), after the guard's head when there is one.
  void* mem = MAP_FAILED;
  size_t slot = setuid_guard_length() + policy.seccomp.count;
  if (slot > BPF_MAXINSNS) slot = BPF_MAXINSNS;
  bool variant = (policy.seccomp_notify.count > 0 || learn) && notify_sock >= 0 && policy.seccomp.count <= BPF_MAXINSNS;
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
    // --learn: what the policy allows is notified too (the supervisor
    // records it and lets it run), so the report lists every call.
    for (uint32_t i = 0; learn && i < policy.seccomp.count; ++i)
      if (own[i].code == (BPF_RET | BPF_K) && (own[i].k & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ALLOW)
        own[i].k = SECCOMP_RET_USER_NOTIF;
    notify = {own, policy.seccomp.count};
    if (guard) notify = guarded(notify, bufs + slot);
  }
  char word = 0;
  int self = -1;
  int next = -1;
  if (notify.count != 0 && notify_sock >= 0 && check_length(notify, f)) {
    self = static_cast<int>(syscall(SYS_pidfd_open, getpid(), 0));
    next = self < 0 ? -1 : fcntl(notify_sock, F_DUPFD_CLOEXEC, 0);
    if (next >= 0) close(next);
    if (next >= 0 && send_index(notify_sock, next, self, f) && read(notify_sock, &word, 1) != 1) word = 0;
  }
  // 'p': the launcher may not pull (no ptrace access to us: an ordinary
  // user's launcher, Yama's scope 3); the old way still works where the
  // variant lets this handover's own calls through unnotified.
  if (word == 'p' && passes(notify, SYS_sendmsg, notify_sock, MSG_NOSIGNAL) && passes(notify, SYS_close, next, 0) &&
      passes(notify, SYS_close, notify_sock, 0) && passes(notify, SYS_close, self, 0)) {
    close(self);
    long listener = set_filter(notify, SECCOMP_FILTER_FLAG_NEW_LISTENER);
    if (listener < 0) {
      close(notify_sock);
      return install_seccomp(kill, f);  // the kernel log still names a kill
    }
    bool sent = send_listener(notify_sock, static_cast<int>(listener), f);
    close(static_cast<int>(listener));
    close(notify_sock);
    // Unsent, the listener is gone with our close and a notified call
    // would only fail with ENOSYS: refuse to run the job like that.
    return sent;
  }
  if (word == 'g') {
    test_stop_at("pull");
    long listener = set_filter(notify, SECCOMP_FILTER_FLAG_NEW_LISTENER);
    if (listener >= 0) {
      if (read(notify_sock, &word, 1) == 1 && word == 'd') return true;
      return fail_reason(f, Step::Seccomp, "listener", "handover", "the launcher did not take it");
    }
    send_index(notify_sock, -1, -1, f);  // the kernel refused the listener: the kill program, logged by the kernel
  }
  if (self >= 0) close(self);
  if (notify_sock >= 0) close(notify_sock);
  f = {};
  return install_seccomp(kill, f);
}

}  // namespace stockade
