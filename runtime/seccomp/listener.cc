#include "seccomp/listener.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "channel.h"
#include "seccomp/bpf_eval.h"
#include "text.h"

namespace stockade {

bool send_listener(int sock, int listener, Failure& f) {
  if (!send_index(sock, 0, listener, f)) return fail(f, Step::Seccomp, "sendmsg", "listener", f.err);
  return true;
}

int receive_listener(int sock) {
  int32_t index = 0;
  int fd = -1;
  ssize_t n = receive_index(sock, MSG_DONTWAIT, index, fd);
  if (n < 0 && errno == EAGAIN) return -2;
  return fd;
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
  if (action == SECCOMP_RET_LOG) {
    Logged seen = record_logged(out.logged, call);
    int err = let_continue(listener, n.id);
    if (err == 0) {
      if (seen == Logged::First) {
        Text<512> note;
        note.add("seccomp: logged: ");
        describe_call(call, note);
        print_note(note.view());
      } else if (seen == Logged::Unlisted && out.logged.unlisted == 1) {
        Text<128> note;
        note.add("seccomp: logged: more than ").add_u64(kMaxLoggedSyscalls);
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
