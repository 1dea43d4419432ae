#include "net.h"

#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "io.h"

namespace stockade {

bool setup_network(const Plan& plan, Failure& f) {
  if (plan.network != table::Network::Loopback) return true;
  Fd sock(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!sock.ok()) return fail(f, Step::Network, "socket(AF_INET)", "lo", errno);
  ifreq req{};
  strncpy(req.ifr_name, "lo", IFNAMSIZ - 1);
  if (ioctl(sock.get(), SIOCGIFFLAGS, &req) != 0) return fail(f, Step::Network, "ioctl(SIOCGIFFLAGS)", "lo", errno);
  req.ifr_flags = static_cast<short>(req.ifr_flags | IFF_UP);
  if (ioctl(sock.get(), SIOCSIFFLAGS, &req) != 0) return fail(f, Step::Network, "ioctl(SIOCSIFFLAGS, IFF_UP)", "lo", errno);
  return true;
}

}  // namespace stockade
