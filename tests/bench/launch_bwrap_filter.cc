// SPDX-License-Identifier: Apache-2.0
#include "launch_bwrap_filter.h"

#include <asm/unistd.h>
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <vector>

namespace stockade::bench {

int make_bwrap_filter_fd(int& instructions) {
  instructions = 0;
#if defined(__x86_64__)
  // The syscalls policies/base_denylist.kafel answers with EPERM.
  static constexpr unsigned kEperm[] = {__NR_mount,
                                        __NR_umount2,
                                        __NR_fsopen,
                                        __NR_fsconfig,
                                        __NR_fsmount,
                                        __NR_fspick,
                                        __NR_move_mount,
                                        __NR_open_tree,
                                        __NR_mount_setattr,
                                        __NR_pivot_root,
                                        __NR_chroot,
                                        __NR_ptrace,
                                        __NR_process_vm_readv,
                                        __NR_process_vm_writev,
                                        __NR_bpf,
                                        __NR_perf_event_open,
                                        __NR_userfaultfd,
                                        __NR_io_uring_setup,
                                        __NR_io_uring_enter,
                                        __NR_io_uring_register,
                                        __NR_keyctl,
                                        __NR_add_key,
                                        __NR_request_key,
                                        __NR_lookup_dcookie,
                                        __NR_kexec_load,
                                        __NR_kexec_file_load,
                                        __NR_init_module,
                                        __NR_finit_module,
                                        __NR_delete_module,
                                        __NR_create_module,
                                        __NR_swapon,
                                        __NR_swapoff,
                                        __NR_reboot,
                                        __NR_syslog,
                                        __NR_acct,
                                        __NR_quotactl,
                                        __NR_quotactl_fd,
                                        __NR_open_by_handle_at,
                                        __NR_name_to_handle_at,
                                        __NR_setns,
                                        __NR_unshare};
  std::vector<sock_filter> prog;
  auto stmt = [&](unsigned short code, unsigned k) { prog.push_back(BPF_STMT(code, k)); };
  auto jump = [&](unsigned short code, unsigned k, unsigned char jt, unsigned char jf) {
    prog.push_back(BPF_JUMP(code, k, jt, jf));
  };
  stmt(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch));
  jump(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
  stmt(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
  stmt(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr));
  jump(BPF_JMP | BPF_JGE | BPF_K, __X32_SYSCALL_BIT, 0, 1);
  stmt(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
  // Compare i jumps over the compares after it, the clone3 compare and the
  // ALLOW and ENOSYS returns, landing on the EPERM return at the end.
  const size_t n = sizeof kEperm / sizeof kEperm[0];
  for (size_t i = 0; i < n; ++i) {
    jump(BPF_JMP | BPF_JEQ | BPF_K, kEperm[i], static_cast<unsigned char>(n - i + 2), 0);
  }
  jump(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone3, 1, 0);
  stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
  stmt(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
  stmt(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM);

  const int fd = memfd_create("bwrap-seccomp", MFD_CLOEXEC);
  if (fd < 0) return -1;
  const size_t bytes = prog.size() * sizeof(sock_filter);
  if (write(fd, prog.data(), bytes) != static_cast<ssize_t>(bytes)) {
    close(fd);
    return -1;
  }
  instructions = static_cast<int>(prog.size());
  return fd;
#else
  return -1;
#endif
}

}  // namespace stockade::bench
