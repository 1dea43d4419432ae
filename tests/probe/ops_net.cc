// SPDX-License-Identifier: Apache-2.0
// Network operations: can the job reach a listener the test started on the
// host, over TCP on 127.0.0.1, over an abstract unix socket (by connect, by
// a datagram socketpair's sendto, or by binding its name) or over a
// pathname socket bound into the sandbox?
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <string>

#include "probe.h"

namespace probe {
namespace {

int connect_tcp(const char* host, long long port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return result(-1, errno);
  struct sockaddr_in addr = {};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
    close(fd);
    return result(-1, EINVAL);
  }
  int rc = connect(fd, reinterpret_cast<struct sockaddr*>(&addr), sizeof addr);
  int err = errno;
  close(fd);
  return result(rc, err);
}

// Abstract unix sockets belong to a network namespace, not to the file
// system: sun_path[0] == '\0', the name after it. `abstract` false: a path.
socklen_t unix_address(const char* name, bool abstract, struct sockaddr_un& addr) {
  addr = {};
  addr.sun_family = AF_UNIX;
  size_t skip = abstract ? 1 : 0;
  size_t len = std::strlen(name);
  if (len + skip + 1 > sizeof addr.sun_path) len = sizeof addr.sun_path - skip - 1;
  std::memcpy(addr.sun_path + skip, name, len);
  return static_cast<socklen_t>(offsetof(struct sockaddr_un, sun_path) + skip + len + (abstract ? 0 : 1));
}

int connect_unix(const char* name, bool abstract) {
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return result(-1, errno);
  struct sockaddr_un addr;
  socklen_t size = unix_address(name, abstract, addr);
  int rc = connect(fd, reinterpret_cast<struct sockaddr*>(&addr), size);
  int err = errno;
  close(fd);
  return result(rc, err);
}

// A socket made without socket(2): one end of a datagram socketpair, which
// can still sendto() any address.
int sendto_abstract_from_pair(const char* name) {
  int pair[2];
  if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, pair) != 0) return result(-1, errno);
  struct sockaddr_un addr;
  socklen_t size = unix_address(name, true, addr);
  long rc = sendto(pair[0], "x", 1, 0, reinterpret_cast<struct sockaddr*>(&addr), size);
  int err = errno;
  close(pair[0]);
  close(pair[1]);
  return result(rc < 0 ? -1 : 0, err);
}

// A stream socketpair: born connected, no address; the guard lets it be.
int stream_pair() {
  int pair[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) return result(-1, errno);
  long rc = write(pair[0], "x", 1);
  char byte = 0;
  if (rc == 1) rc = read(pair[1], &byte, 1);
  int err = errno;
  close(pair[0]);
  close(pair[1]);
  return result(rc == 1 && byte == 'x' ? 0 : -1, err);
}

}  // namespace

int net_ops(const std::string& op, const Args& args) {
  if (op == "unix-stream-pair") return stream_pair();
  const char* a0 = args.at(0);
  if (a0 == nullptr) return -1;
  if (op == "tcp") return connect_tcp(a0, number(args.at(1)));
  if (op == "unix-abstract") return connect_unix(a0, true);
  if (op == "unix-path") return connect_unix(a0, false);
  if (op == "unix-dgram-pair-abstract") return sendto_abstract_from_pair(a0);
  return -1;
}

}  // namespace probe
