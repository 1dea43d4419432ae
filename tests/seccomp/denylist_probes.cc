// SPDX-License-Identifier: Apache-2.0
#include "denylist_probes.h"

namespace stockade::seccomp::test {

const std::vector<Probe>& probes() {
  static const std::vector<Probe> list = {
      {"mount", {0, 0, 0, 0, 0}, kEperm},
      {"umount2", {0, 0}, kEperm},
      {"fsopen", {0, 0}, kEperm},
      {"fsconfig", {kBad, 0, 0, 0, 0}, kEperm},
      {"fsmount", {kBad, 0, 0}, kEperm},
      {"fspick", {kBad, 0, 0}, kEperm},
      {"move_mount", {kBad, 0, kBad, 0, 0}, kEperm},
      {"open_tree", {kBad, 0, 0}, kEperm},
      {"mount_setattr", {kBad, 0, 0, 0, 0}, kEperm},
      {"pivot_root", {0, 0}, kEperm},
      {"chroot", {0}, kEperm},
      {"ptrace", {kBad, 0, 0, 0}, kEperm},
      {"process_vm_readv", {0, 0, 0, 0, 0, 0}, kEperm},
      {"process_vm_writev", {0, 0, 0, 0, 0, 0}, kEperm},
      {"bpf", {kBad, 0, 0}, kEperm},
      {"perf_event_open", {0, 0, 0, kBad, 0}, kEperm},
      {"userfaultfd", {kBad}, kEperm},
      {"io_uring_setup", {0, 0}, kEperm},
      {"io_uring_enter", {kBad, 0, 0, 0, 0, 0}, kEperm},
      {"io_uring_register", {kBad, 0, 0, 0}, kEperm},
      {"keyctl", {kBad, 0, 0, 0, 0}, kEperm},
      {"add_key", {0, 0, 0, 0, 0}, kEperm},
      {"request_key", {0, 0, 0, 0}, kEperm},
      {"lookup_dcookie", {0, 0, 0}, kEperm},
      {"kexec_load", {0, 0, 0, kBad}, kEperm},
      {"kexec_file_load", {kBad, kBad, 0, 0, kBad}, kEperm},
      {"init_module", {0, 0, 0}, kEperm},
      {"finit_module", {kBad, 0, 0}, kEperm},
      {"delete_module", {0, 0}, kEperm},
      {"swapon", {0, 0}, kEperm},
      {"swapoff", {0}, kEperm},
      {"reboot", {0, 0, 0, 0}, kEperm},
      {"syslog", {kBad, 0, 0}, kEperm},
      {"acct", {1}, kEperm},
      {"quotactl", {0, 0, 0, 0}, kEperm},
      {"open_by_handle_at", {kBad, 0, 0}, kEperm},
      {"name_to_handle_at", {kBad, 0, 0, 0, 0}, kEperm},
      {"setns", {kBad, 0}, kEperm},
      {"unshare", {0}, kEperm},
      // Invalid flag sets, so a leak would fail with EINVAL: CLONE_NEWUSER
      // with CLONE_FS, and CLONE_THREAD without CLONE_SIGHAND.
      {"clone", {0x10000000 | 0x200, 0, 0, 0, 0}, kEperm},
      {"clone", {0x20000000 | 0x10000 | (uint64_t{1} << 40), 0, 0, 0, 0}, kEperm},
      {"clone3", {0, 0}, kEnosys},
      {"personality", {0x0008}, kEperm},
      {"personality", {0xffffffff}, kAllowed},
      {"ioctl", {kBad, 0x5412, 0}, kEperm},
      {"ioctl", {kBad, 0x5412 | (uint64_t{1} << 32), 0}, kEperm},  // high half cannot dodge the rule
      {"ioctl", {kBad, 0x541c, 0}, kEperm},
      {"ioctl", {kBad, 0x5401, 0}, kAllowed},   // TCGETS: EBADF from the kernel
      {"socket", {17, 3, 0}, kEperm},           // AF_PACKET
      {"socket", {2, 3 | 0x80000, 1}, kEperm},  // AF_INET, SOCK_RAW|SOCK_CLOEXEC
      {"socket", {10, 3, 58}, kEperm},          // AF_INET6 raw
      {"socket", {1, 1, 0}, kAllowed},          // AF_UNIX stream
      // Newer than the 6.1 headers; named from the committed table.
      {"open_tree_attr", {kBad, 0, 0, 0, 0}, kEperm},
      {"pidfd_getfd", {kBad, 0, 0}, kEperm},
      {"process_madvise", {kBad, 0, 0, 0, 0}, kEperm},
      {"listmount", {0, 0, 0, 0}, kEnosys},
      {"statmount", {0, 0, 0, 0}, kEnosys},
      // Issue 17: the legacy packet route and raw sockets of other families.
      {"socket", {2, 10, 0x300}, kEperm},         // AF_INET, SOCK_PACKET (ETH_P_ALL): a packet socket
      {"socket", {10, 10 | 0x80000, 0}, kEperm},  // AF_INET6, SOCK_PACKET|SOCK_CLOEXEC
      {"socket", {17, 2, 0}, kEperm},             // AF_PACKET, SOCK_DGRAM
      {"socket", {29, 3, 1}, kEperm},             // AF_CAN raw
      {"socketpair", {1, 10, 0, 0}, kEperm},      // SOCK_PACKET in a pair
      {"socket", {16, 3, 0}, kAllowed},           // AF_NETLINK, NETLINK_ROUTE: opened as SOCK_RAW
      {"getppid", {}, kAllowed},
  };
  return list;
}

}  // namespace stockade::seccomp::test
