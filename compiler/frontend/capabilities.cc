#include "frontend/capabilities.h"

#include <linux/capability.h>

#include <array>
#include <utility>

namespace stockade::frontend {

namespace {

#define CAP(name) std::pair<const char*, int>{#name, name}
constexpr std::array kCaps = {
    CAP(CAP_CHOWN),           CAP(CAP_DAC_OVERRIDE),   CAP(CAP_DAC_READ_SEARCH), CAP(CAP_FOWNER),
    CAP(CAP_FSETID),          CAP(CAP_KILL),           CAP(CAP_SETGID),          CAP(CAP_SETUID),
    CAP(CAP_SETPCAP),         CAP(CAP_LINUX_IMMUTABLE), CAP(CAP_NET_BIND_SERVICE), CAP(CAP_NET_BROADCAST),
    CAP(CAP_NET_ADMIN),       CAP(CAP_NET_RAW),        CAP(CAP_IPC_LOCK),        CAP(CAP_IPC_OWNER),
    CAP(CAP_SYS_MODULE),      CAP(CAP_SYS_RAWIO),      CAP(CAP_SYS_CHROOT),      CAP(CAP_SYS_PTRACE),
    CAP(CAP_SYS_PACCT),       CAP(CAP_SYS_ADMIN),      CAP(CAP_SYS_BOOT),        CAP(CAP_SYS_NICE),
    CAP(CAP_SYS_RESOURCE),    CAP(CAP_SYS_TIME),       CAP(CAP_SYS_TTY_CONFIG),  CAP(CAP_MKNOD),
    CAP(CAP_LEASE),           CAP(CAP_AUDIT_WRITE),    CAP(CAP_AUDIT_CONTROL),   CAP(CAP_SETFCAP),
    CAP(CAP_MAC_OVERRIDE),    CAP(CAP_MAC_ADMIN),      CAP(CAP_SYSLOG),          CAP(CAP_WAKE_ALARM),
    CAP(CAP_BLOCK_SUSPEND),   CAP(CAP_AUDIT_READ),     CAP(CAP_PERFMON),         CAP(CAP_BPF),
    CAP(CAP_CHECKPOINT_RESTORE),
};
#undef CAP

}  // namespace

int capability_number(const std::string& name) {
  for (const auto& [n, v] : kCaps)
    if (name == n) return v;
  return -1;
}

std::string capability_name(unsigned number) {
  for (const auto& [n, v] : kCaps)
    if (static_cast<unsigned>(v) == number) return n;
  return std::to_string(number);
}

}  // namespace stockade::frontend
