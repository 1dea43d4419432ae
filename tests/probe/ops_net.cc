// Network operations: can the job reach a listener the test started on the
// host, over TCP on 127.0.0.1 or over an abstract unix socket?
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

// Abstract unix sockets belong to a network namespace, not to the file system.
int connect_abstract(const char* name) {
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return result(-1, errno);
  struct sockaddr_un addr = {};
  addr.sun_family = AF_UNIX;
  size_t len = std::strlen(name);
  if (len + 1 > sizeof addr.sun_path) len = sizeof addr.sun_path - 1;
  std::memcpy(addr.sun_path + 1, name, len);  // sun_path[0] == '\0': abstract
  socklen_t size = static_cast<socklen_t>(offsetof(struct sockaddr_un, sun_path) + 1 + len);
  int rc = connect(fd, reinterpret_cast<struct sockaddr*>(&addr), size);
  int err = errno;
  close(fd);
  return result(rc, err);
}

}  // namespace

int net_ops(const std::string& op, const Args& args) {
  const char* a0 = args.at(0);
  if (a0 == nullptr) return -1;
  if (op == "tcp") return connect_tcp(a0, number(args.at(1)));
  if (op == "unix-abstract") return connect_abstract(a0);
  return -1;
}

}  // namespace probe
