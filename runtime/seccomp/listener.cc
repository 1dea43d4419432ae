// SPDX-License-Identifier: Apache-2.0
#include "seccomp/listener.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "channel.h"
#include "seccomp/bpf_eval.h"
#include "text.h"

namespace stockade {

bool send_listener(int sock, int listener, Failure& f) {
  if (!send_index(sock, 0, listener, f)) return fail(f, Step::Seccomp, "sendmsg", "listener", f.err);
  return true;
}

namespace {

long getfd(int pidfd, int fd) { return syscall(SYS_pidfd_getfd, pidfd, fd, 0); }

void say(int sock, char word) { (void)send(sock, &word, 1, MSG_NOSIGNAL | MSG_DONTWAIT); }

}  // namespace

int take_listener(int sock, ListenerHandover& h) {
  if (h.pulling()) {  // the job's "none", or it is gone: what we may pull later is not ours
    h = {};
    return -1;
  }
  int32_t slot = 0;
  int fd = -1;
  ssize_t n = receive_index(sock, MSG_DONTWAIT, slot, fd);
  if (n < 0 && errno == EAGAIN) return -2;
  if (h.pushing && fd < 0)  // the job could not push it: its filter would notify the push
    print_note(
        "seccomp: the job's listener cannot be handed over here (no ptrace access to pull it); "
        "LOG and kills go to the kernel's audit log only");
  if (h.pushing || n <= 0 || fd < 0 || slot < 0) return fd;  // the pushed listener, EOF or "none"
  Fd job(fd);
  // Nothing is at `slot` until the filter is in: EBADF means we may pull.
  long probe = getfd(fd, slot);
  if (probe >= 0 || errno != EBADF) {
    if (probe >= 0) close(static_cast<int>(probe));
    h.pushing = true;
    say(sock, 'p');
    return -2;
  }
  say(sock, 'g');
  h.job.reset(job.release());
  h.slot = slot;
  h.wait_ns = 20000;  // the job installs its filter within microseconds of 'g'
  return -2;
}

int pull_listener(int sock, ListenerHandover& h) {
  long got = getfd(h.job.get(), h.slot);
  int err = errno;
  if (got < 0 && err == EBADF) {
    if (h.wait_ns < 10000000) h.wait_ns *= 2;
    return -2;
  }
  // A message or EOF just before the pull: the job's "none", and what
  // was pulled is not the listener.
  pollfd p{sock, POLLIN, 0};
  bool spoke = got >= 0 && poll(&p, 1, 0) != 0;
  h = {};
  if (got < 0 || spoke) {  // ESRCH: the job died
    if (got >= 0) close(static_cast<int>(got));
    return -1;
  }
  say(sock, 'd');
  return static_cast<int>(got);
}

namespace {

// Takes one pending notification. False when there was none (the task
// died meanwhile: ENOENT).
bool receive_notification(int listener, seccomp_notif& n) {
  for (;;) {
    memset(&n, 0, sizeof n);  // the kernel insists on a zeroed buffer
    if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &n) == 0) return true;
    if (errno != EINTR) return false;
  }
}

// Lets a LOGged call run as if the filter had allowed it. Returns 0 or the
// errno; ENOENT (the task died or a signal interrupted the call, which then
// restarts and is notified again) counts as done. No
// SECCOMP_IOCTL_NOTIF_ID_VALID check is needed: the supervisor reads nothing
// of the task's memory, and a stale id only makes this fail with ENOENT.
int let_continue(int listener, uint64_t id) {
  seccomp_notif_resp resp;
  memset(&resp, 0, sizeof resp);
  resp.id = id;
  resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
  for (;;) {
    if (ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp) == 0) return 0;
    if (errno == ENOENT) return 0;
    if (errno != EINTR) return errno;
  }
}

}  // namespace

bool take_notification(int listener, const table::List<sock_filter>& program, SeccompWatch& out) {
  seccomp_notif n;
  if (!receive_notification(listener, n)) return false;
  SeccompCall call;
  call.arch = n.data.arch;
  call.nr = static_cast<uint32_t>(n.data.nr);
  for (int i = 0; i < 6; ++i) call.args[i] = n.data.args[i];
  uint32_t action = bpf_eval(program.items, program.count, n.data) & SECCOMP_RET_ACTION_FULL;
  if (action == SECCOMP_RET_LOG || (out.learn && action == SECCOMP_RET_ALLOW)) {
    Logged seen = record_logged(out.logged, call);
    int err = let_continue(listener, n.id);
    if (err == 0) {
      if (seen == Logged::First && !out.learn) {  // --learn would print every syscall
        Text<512> note;
        note.add("seccomp: logged: ");
        describe_call(call, note);
        print_note(note.view());
      } else if (seen == Logged::Unlisted && out.logged.unlisted == 1) {
        Text<128> note;
        note.add("seccomp: logged: more than ").add_u64(out.logged.capacity);
        note.add(" distinct syscalls; further ones are only counted");
        print_note(note.view());
      }
      return false;
    }
    // The kernel cannot let it through (no FLAG_CONTINUE before Linux 5.5):
    // the call would wait forever, so the job ends here.
    out.continue_errno = err;
  }
  out.notified = true;
  out.call = call;
  out.action = action;
  return true;
}

}  // namespace stockade
