// SPDX-License-Identifier: Apache-2.0
// The two pipes between the launcher (parent) and the sandbox:
//  - release (parent <-> child, a SOCK_SEQPACKET socketpair): the parent says
//    "ids are mapped, go", handing over the detached
//    idmapped mount trees it made (SCM_RIGHTS). EOF means the parent died.
//    Back the other way: init's tmpfs roots for the memory watchdog
//    (tmpfs_roots.h), then the job's hello (below).
//  - report (child -> parent, a CLOEXEC pipe): a set-up failure (step,
//    value, errno) from the child or the job before execve, or the job's wait
//    status from init. Successful execve closes the job's copy, so "set-up
//    failed" and "the job failed" are never confused.
//  - notify (job <-> parent, a SOCK_SEQPACKET socketpair): the hand-over of
//    the job's seccomp listener (seccomp/install.h, listener.h): the job's
//    pidfd and the listener's fd number, the parent's one-byte answers, and
//    where the parent may not pull it, the listener itself (SCM_RIGHTS);
//    EOF without a listener means none.
#pragma once

#include <stdint.h>
#include <sys/types.h>

#include "capacity.h"
#include "fail.h"
#include "io.h"
#include "policy_table.h"

namespace stockade {

struct Channels {
  Fd report_read, report_write;      // pipe: child -> parent
  Fd release_parent, release_child;  // socketpair: parent <-> child
  Fd notify_parent, notify_child;    // socketpair: job -> parent
};
// Both channels, CLOEXEC, the child's ends clear of the policy's pass_fds
// (they must survive until the job's close_range and execve).
bool open_channels(const table::List<uint32_t>& pass_fds, Channels& c, Failure& f);

// Parent side.
bool send_tree(int sock, int mount_index, int tree_fd, Failure& f);
bool send_release(int sock, Failure& f);
// Child side: fills prepared[] (index -> fd, -1 default) until the release
// message; false if the parent went away or sent garbage.
bool receive_release(int sock, int* prepared, int slots);

// One message on a socketpair: an index and, when fd >= 0, that descriptor
// (SCM_RIGHTS). The release uses them, and the notify socket
// (seccomp/listener.h). A failed send names the step "release".
bool send_index(int sock, int32_t index, int fd, Failure& f);
// One message of send_index: its index and the descriptor it carries (-1 if
// none). Returns recvmsg's result; EINTR is retried here.
ssize_t receive_index(int sock, int flags, int32_t& index, int& fd);

// The job's hello: the job sends one message over the release socket, and
// SO_PASSCRED makes the kernel attach its pid, translated into the
// launcher's pid namespace (for naming a seccomp kill, seccomp/kill_log.h,
// and the live stats, stats.h).
// Parent, before clone: ask for credentials on its end of the socket.
void want_job_pid(int parent_sock);
// Job, just before the last set-up steps: "here I am".
void job_hello(int child_sock);
// Parent, while or after the sandbox runs: reads what is waiting, without
// blocking, up to the hello, and returns the job's pid, or 0 if it has not
// said (yet). Before the hello, init may have sent its tmpfs roots
// (tmpfs_roots.h): each is added to `roots` while `*count < cap`, else closed.
pid_t job_pid(int parent_sock, int* roots = nullptr, uint32_t* count = nullptr, uint32_t cap = 0);

void send_failure(int report_fd, const Failure& f);
void send_job_status(int report_fd, int wait_status);

struct Received {
  bool failed = false;
  Failure failure{};
  bool has_status = false;
  int wait_status = 0;
};
// Parent: reads every message left in the (non-blocking) pipe.
void drain_reports(int report_fd, Received& out);

}  // namespace stockade
