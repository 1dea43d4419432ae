// SPDX-License-Identifier: Apache-2.0
#include "channel.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fds.h"
#include "io.h"

namespace stockade {
namespace {

constexpr int32_t kRelease = -1;

enum class Kind : uint32_t { Failure = 1, JobStatus = 2 };

// One message fits in PIPE_BUF, so a write is atomic.
struct Message {
  Kind kind;
  int32_t wait_status;
  Failure failure;
};
static_assert(sizeof(Message) <= 4096, "report messages must be atomic pipe writes");

}  // namespace

bool send_index(int sock, int32_t index, int fd, Failure& f) {
  iovec iov{&index, sizeof index};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))];
  if (fd >= 0) {
    memset(control, 0, sizeof control);
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof fd);
  }
  if (sendmsg(sock, &msg, MSG_NOSIGNAL) != static_cast<ssize_t>(sizeof index))
    return fail(f, Step::Release, "sendmsg", "sandbox child", errno);
  return true;
}

bool open_channels(const table::List<uint32_t>& pass_fds, Channels& c, Failure& f) {
  int report[2], release[2];
  if (pipe2(report, O_CLOEXEC) != 0) return fail(f, Step::Channel, "pipe2", "report", errno);
  c.report_read.reset(report[0]);
  c.report_write.reset(clear_of_pass_fds(pass_fds, report[1]));
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, release) != 0)
    return fail(f, Step::Channel, "socketpair", "release", errno);
  c.release_parent.reset(release[0]);
  c.release_child.reset(clear_of_pass_fds(pass_fds, release[1]));
  int notify[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, notify) != 0)
    return fail(f, Step::Channel, "socketpair", "notify", errno);
  c.notify_parent.reset(notify[0]);
  c.notify_child.reset(clear_of_pass_fds(pass_fds, notify[1]));
  return true;
}

bool send_tree(int sock, int mount_index, int tree_fd, Failure& f) { return send_index(sock, mount_index, tree_fd, f); }

bool send_release(int sock, Failure& f) { return send_index(sock, kRelease, -1, f); }

ssize_t receive_index(int sock, int flags, int32_t& index, int& fd) {
  for (;;) {
    index = 0;
    fd = -1;
    iovec iov{&index, sizeof index};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))];
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC | flags);
    if (n < 0 && errno == EINTR) continue;
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); n > 0 && c != nullptr; c = CMSG_NXTHDR(&msg, c))
      if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) memcpy(&fd, CMSG_DATA(c), sizeof fd);
    return n;
  }
}

bool receive_release(int sock, int* prepared, int slots) {
  for (int i = 0; i < slots; ++i) prepared[i] = -1;
  for (;;) {
    int32_t index = 0;
    int fd = -1;
    ssize_t n = receive_index(sock, 0, index, fd);
    if (n != static_cast<ssize_t>(sizeof index)) return false;  // parent gone
    if (index == kRelease) return true;
    if (index < 0 || index >= slots) return false;
    // An index without a descriptor marks an optional source that is missing.
    prepared[index] = fd >= 0 ? fd : -2;
  }
}

void want_job_pid(int parent_sock) {
  int on = 1;
  setsockopt(parent_sock, SOL_SOCKET, SO_PASSCRED, &on, sizeof on);
}

void job_hello(int child_sock) {
  char byte = 'j';
  (void)send(child_sock, &byte, 1, MSG_NOSIGNAL | MSG_DONTWAIT);
}

pid_t job_pid(int parent_sock, int* roots, uint32_t* count, uint32_t cap) {
  for (;;) {
    // The hello is one byte, a tmpfs root a send_index message (4 bytes).
    int32_t index = 0;
    iovec iov{&index, sizeof index};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(ucred)) + CMSG_SPACE(sizeof(int))];
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n = recvmsg(parent_sock, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
    if (n <= 0) return 0;
    pid_t pid = 0;
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
      if (c->cmsg_level != SOL_SOCKET) continue;
      if (c->cmsg_type == SCM_CREDENTIALS) {
        ucred cred;
        memcpy(&cred, CMSG_DATA(c), sizeof cred);
        pid = cred.pid;
      } else if (c->cmsg_type == SCM_RIGHTS) {
        int fd;
        memcpy(&fd, CMSG_DATA(c), sizeof fd);
        if (roots != nullptr && *count < cap) roots[(*count)++] = fd;
        else close(fd);
      }
    }
    if (n == 1) return pid;
  }
}

void send_failure(int report_fd, const Failure& f) {
  Message m{Kind::Failure, 0, f};
  (void)write_all(report_fd, std::string_view(reinterpret_cast<const char*>(&m), sizeof m));
}

void send_job_status(int report_fd, int wait_status) {
  Message m{};
  m.kind = Kind::JobStatus;
  m.wait_status = wait_status;
  (void)write_all(report_fd, std::string_view(reinterpret_cast<const char*>(&m), sizeof m));
}

void drain_reports(int report_fd, Received& out) {
  for (;;) {
    Message m;
    ssize_t n = read(report_fd, &m, sizeof m);
    if (n < 0 && errno == EINTR) continue;
    if (n != static_cast<ssize_t>(sizeof m)) return;
    if (m.kind == Kind::Failure && !out.failed) {
      out.failed = true;
      out.failure = m.failure;
    } else if (m.kind == Kind::JobStatus) {
      out.has_status = true;
      out.wait_status = m.wait_status;
    }
  }
}

}  // namespace stockade
