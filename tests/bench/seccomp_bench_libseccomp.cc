#include "seccomp_bench_libseccomp.h"

#include <seccomp.h>
#include <sys/mman.h>
#include <unistd.h>

std::vector<sock_filter> libseccomp_denylist(int optimize, bool force_getppid_check) {
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, static_cast<uint32_t>(optimize));
  const char* eperm[] = {"mount", "umount2", "fsopen", "fsconfig", "fsmount", "fspick", "move_mount", "open_tree",
                         "mount_setattr", "pivot_root", "chroot", "ptrace", "process_vm_readv", "process_vm_writev",
                         "bpf", "perf_event_open", "userfaultfd", "io_uring_setup", "io_uring_enter",
                         "io_uring_register", "keyctl", "add_key", "request_key", "lookup_dcookie", "kexec_load",
                         "kexec_file_load", "init_module", "finit_module", "delete_module", "create_module", "swapon",
                         "swapoff", "reboot", "syslog", "acct", "quotactl", "quotactl_fd", "open_by_handle_at",
                         "name_to_handle_at", "setns", "unshare"};
  for (const char* n : eperm) seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), seccomp_syscall_resolve_name(n), 0);
  // (clone_flags & namespaces) != 0, one rule per namespace bit.
  for (uint64_t bit : {0x80ull, 0x20000ull, 0x2000000ull, 0x4000000ull, 0x8000000ull, 0x10000000ull, 0x20000000ull,
                       0x40000000ull})
    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), SCMP_SYS(clone), 1, SCMP_A0_64(SCMP_CMP_MASKED_EQ, bit, bit));
  seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), SCMP_SYS(personality), 2, SCMP_A0_32(SCMP_CMP_NE, 0),
                   SCMP_A0_32(SCMP_CMP_NE, 0xffffffff));
  seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), SCMP_SYS(ioctl), 1, SCMP_A1_32(SCMP_CMP_EQ, 0x5412));
  seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), SCMP_SYS(ioctl), 1, SCMP_A1_32(SCMP_CMP_EQ, 0x541c));
  seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), SCMP_SYS(socket), 1, SCMP_A0_32(SCMP_CMP_EQ, 17));
  for (uint32_t family : {2u, 10u})
    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), SCMP_SYS(socket), 2, SCMP_A0_32(SCMP_CMP_EQ, family),
                     SCMP_A1_32(SCMP_CMP_MASKED_EQ, 0xf, 3));
  seccomp_rule_add(ctx, SCMP_ACT_ERRNO(38), SCMP_SYS(clone3), 0);
  if (force_getppid_check)
    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), SCMP_SYS(getppid), 1, SCMP_A0_64(SCMP_CMP_EQ, 12345));
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
