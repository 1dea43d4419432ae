// SPDX-License-Identifier: Apache-2.0
#include "seccomp_bench_libseccomp.h"

#include <seccomp.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cstdio>
#include <cstring>

std::vector<sock_filter> libseccomp_denylist(int optimize, bool force_getppid_check) {
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, static_cast<uint32_t>(optimize));
  // Every rule must be taken: a refused rule would make libseccomp's filter
  // smaller than the policy (issue 11 found the personality rule refused).
  bool all_taken = true;
  auto add = [&](int rc, const char* what) {
    if (rc != 0) {
      std::fprintf(stderr, "libseccomp refused the %s rule: %d\n", what, rc);
      all_taken = false;
    }
  };
  const char* eperm[] = {"mount",
                         "umount2",
                         "fsopen",
                         "fsconfig",
                         "fsmount",
                         "fspick",
                         "move_mount",
                         "open_tree",
                         "mount_setattr",
                         "open_tree_attr",
                         "pivot_root",
                         "chroot",
                         "ptrace",
                         "process_vm_readv",
                         "process_vm_writev",
                         "process_madvise",
                         "pidfd_getfd",
                         "bpf",
                         "perf_event_open",
                         "userfaultfd",
                         "io_uring_setup",
                         "io_uring_enter",
                         "io_uring_register",
                         "keyctl",
                         "add_key",
                         "request_key",
                         "lookup_dcookie",
                         "kexec_load",
                         "kexec_file_load",
                         "init_module",
                         "finit_module",
                         "delete_module",
                         "create_module",
                         "swapon",
                         "swapoff",
                         "reboot",
                         "syslog",
                         "acct",
                         "quotactl",
                         "quotactl_fd",
                         "open_by_handle_at",
                         "name_to_handle_at",
                         "setns",
                         "unshare"};
  for (const char* n : eperm) {
    int nr = seccomp_syscall_resolve_name(n);
    // libseccomp 2.5.4 predates open_tree_attr (Linux 6.15): by number.
    if (nr == __NR_SCMP_ERROR && std::strcmp(n, "open_tree_attr") == 0) nr = 467;
    add(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), nr, 0), n);
  }
  // (clone_flags & namespaces) != 0, one rule per namespace bit.
  for (uint64_t bit :
       {0x80ull, 0x20000ull, 0x2000000ull, 0x4000000ull, 0x8000000ull, 0x10000000ull, 0x20000000ull, 0x40000000ull})
    add(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), SCMP_SYS(clone), 1, SCMP_A0_64(SCMP_CMP_MASKED_EQ, bit, bit)),
        "clone");
  // personality != 0 && != 0xffffffff: libseccomp refuses two comparisons of
  // one argument in a rule (-EINVAL), so this is the exact union its rules
  // can say: some bit i set with bit i+1 (cyclically) clear, which holds for
  // every value but all zeros and all ones. 32 rules.
  for (uint32_t i = 0; i < 32; ++i) {
    uint32_t set = 1u << i, clear = 1u << ((i + 1) % 32);
    add(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), SCMP_SYS(personality), 1,
                         SCMP_A0_32(SCMP_CMP_MASKED_EQ, set | clear, set)),
        "personality");
  }
  add(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), SCMP_SYS(ioctl), 1, SCMP_A1_32(SCMP_CMP_EQ, 0x5412)), "ioctl");
  add(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), SCMP_SYS(ioctl), 1, SCMP_A1_32(SCMP_CMP_EQ, 0x541c)), "ioctl");
  add(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), SCMP_SYS(socket), 1, SCMP_A0_32(SCMP_CMP_EQ, 17)), "socket");
  add(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), SCMP_SYS(socket), 1, SCMP_A1_32(SCMP_CMP_MASKED_EQ, 0xf, 10)), "socket");
  add(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), SCMP_SYS(socket), 2, SCMP_A0_32(SCMP_CMP_NE, 16),
                       SCMP_A1_32(SCMP_CMP_MASKED_EQ, 0xf, 3)),
      "socket");
  for (uint32_t type : {3u, 10u})
    add(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), SCMP_SYS(socketpair), 1, SCMP_A1_32(SCMP_CMP_MASKED_EQ, 0xf, type)),
        "socketpair");
  add(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(38), SCMP_SYS(clone3), 0), "clone3");
  for (int nr : {457, 458})  // statmount, listmount: newer than libseccomp 2.5.4
    add(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(38), nr, 0), "statmount/listmount");
  if (force_getppid_check)
    add(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), SCMP_SYS(getppid), 1, SCMP_A0_64(SCMP_CMP_EQ, 12345)), "getppid");
  if (!all_taken) {
    seccomp_release(ctx);
    return {};
  }
  std::vector<sock_filter> out;
  int fd = memfd_create("bpf", 0);
  if (fd >= 0 && seccomp_export_bpf(ctx, fd) == 0) {
    off_t size = lseek(fd, 0, SEEK_END);
    out.resize(static_cast<size_t>(size) / sizeof(sock_filter));
    if (pread(fd, out.data(), static_cast<size_t>(size), 0) != size) out.clear();
  }
  if (fd >= 0) close(fd);
  seccomp_release(ctx);
  return out;
}
