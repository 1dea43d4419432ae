// SPDX-License-Identifier: Apache-2.0
#include "net.h"

#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "io.h"
#include "seccomp/unix_guard.h"
#include "text.h"

namespace stockade {

bool setup_network(const Plan& plan, Failure& f) {
  if (plan.network != table::Network::Loopback) return true;
  Fd sock(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!sock.ok()) return fail(f, Step::Network, "socket(AF_INET)", "lo", errno);
  ifreq req{};
  strncpy(req.ifr_name, "lo", IFNAMSIZ - 1);
  if (ioctl(sock.get(), SIOCGIFFLAGS, &req) != 0) return fail(f, Step::Network, "ioctl(SIOCGIFFLAGS)", "lo", errno);
  req.ifr_flags = static_cast<short>(req.ifr_flags | IFF_UP);
  if (ioctl(sock.get(), SIOCSIFFLAGS, &req) != 0)
    return fail(f, Step::Network, "ioctl(SIOCSIFFLAGS, IFF_UP)", "lo", errno);
  return true;
}

// Filtered shares the host's namespace too (runtime/egress/).
bool shares_host_netns(table::Network mode) { return mode == table::Network::Host || mode == table::Network::Filtered; }

namespace {

// The first mounted bind that lifts the guard, or nullptr.
const char* lifting_socket_bind(const Plan& plan) {
  for (uint32_t i = 0; i < plan.mount_count; ++i) {
    const PlanMount& m = plan.mounts[i];
    if (m.kind == table::MountKind::Bind && (m.flags & table::kMountUnixSocket)) return m.target;
  }
  return nullptr;
}

}  // namespace

bool close_abstract_sockets(const Plan& plan, const LandlockScope& scope, Failure& f) {
  if (scope.abstract_sockets) return true;
  Text<512> note;
  note.add("landlock: abstract unix socket scoping unavailable (");
  if (scope.forced_off) note.add("forced off by the test switch");
  else note.add("ABI ").add_u64(static_cast<uint64_t>(scope.abi)).add(" < 6");
  note.add("): ");
  if (!shares_host_netns(plan.network)) {
    note.add("not needed: the job has its own network namespace");
    print_note(note.view());
    return true;
  }
  if (const char* lift = lifting_socket_bind(plan)) {
    note.add("unix sockets allowed for ").add(lift).add(": the host's abstract sockets are reachable");
    print_note(note.view());
    return true;
  }
  note.add("socket(AF_UNIX) refused instead");
  print_note(note.view());
  return install_unix_guard(f);
}

}  // namespace stockade
