// SPDX-License-Identifier: Apache-2.0
#include "vocab/capabilities.h"

#include <linux/capability.h>

namespace stockade::vocab {

const std::vector<Capability>& capabilities() {
#define CAP(name) \
  Capability { #name, name }
  static const std::vector<Capability> kCaps = {
      CAP(CAP_CHOWN),
      CAP(CAP_DAC_OVERRIDE),
      CAP(CAP_DAC_READ_SEARCH),
      CAP(CAP_FOWNER),
      CAP(CAP_FSETID),
      CAP(CAP_KILL),
      CAP(CAP_SETGID),
      CAP(CAP_SETUID),
      CAP(CAP_SETPCAP),
      CAP(CAP_LINUX_IMMUTABLE),
      CAP(CAP_NET_BIND_SERVICE),
      CAP(CAP_NET_BROADCAST),
      CAP(CAP_NET_ADMIN),
      CAP(CAP_NET_RAW),
      CAP(CAP_IPC_LOCK),
      CAP(CAP_IPC_OWNER),
      CAP(CAP_SYS_MODULE),
      CAP(CAP_SYS_RAWIO),
      CAP(CAP_SYS_CHROOT),
      CAP(CAP_SYS_PTRACE),
      CAP(CAP_SYS_PACCT),
      CAP(CAP_SYS_ADMIN),
      CAP(CAP_SYS_BOOT),
      CAP(CAP_SYS_NICE),
      CAP(CAP_SYS_RESOURCE),
      CAP(CAP_SYS_TIME),
      CAP(CAP_SYS_TTY_CONFIG),
      CAP(CAP_MKNOD),
      CAP(CAP_LEASE),
      CAP(CAP_AUDIT_WRITE),
      CAP(CAP_AUDIT_CONTROL),
      CAP(CAP_SETFCAP),
      CAP(CAP_MAC_OVERRIDE),
      CAP(CAP_MAC_ADMIN),
      CAP(CAP_SYSLOG),
      CAP(CAP_WAKE_ALARM),
      CAP(CAP_BLOCK_SUSPEND),
      CAP(CAP_AUDIT_READ),
      CAP(CAP_PERFMON),
      CAP(CAP_BPF),
      CAP(CAP_CHECKPOINT_RESTORE),
  };
#undef CAP
  return kCaps;
}

int capability_number(std::string_view name) {
  for (const Capability& c : capabilities())
    if (c.name == name) return static_cast<int>(c.number);
  return -1;
}

std::string capability_name(unsigned number) {
  for (const Capability& c : capabilities())
    if (c.number == number) return std::string(c.name);
  return std::to_string(number);
}

}  // namespace stockade::vocab
