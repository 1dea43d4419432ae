// SPDX-License-Identifier: Apache-2.0
#include "oci_libseccomp.h"

#include <seccomp.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/filter.h>

namespace stockade::seccomp::test {

bool libseccomp_program(uint32_t default_action, const std::vector<LsEntry>& entries,
                        std::vector<std::array<uint32_t, 4>>& out, std::string& error, int optimize) {
  out.clear();
  scmp_filter_ctx ctx = seccomp_init(default_action);
  if (!ctx) {
    error = "seccomp_init refused the default action";
    return false;
  }
  bool ok = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, static_cast<uint32_t>(optimize)) == 0;
  if (!ok) error = "libseccomp refused SCMP_FLTATR_CTL_OPTIMIZE";
  for (const LsEntry& e : entries) {
    if (!ok) break;
    std::vector<scmp_arg_cmp> cmps;
    for (const LsArg& a : e.args)
      cmps.push_back(a.mask == ~uint64_t{0} ? scmp_arg_cmp{a.index, SCMP_CMP_EQ, a.value, 0}
                                            : scmp_arg_cmp{a.index, SCMP_CMP_MASKED_EQ, a.mask, a.value});
    int rc =
        seccomp_rule_add_array(ctx, e.action, static_cast<int>(e.nr), static_cast<unsigned>(cmps.size()), cmps.data());
    if (rc != 0) {
      error = std::string("libseccomp refused an entry for syscall ")
                  .append(std::to_string(e.nr))
                  .append(": ")
                  .append(std::to_string(rc));
      ok = false;
      break;
    }
  }
  int fd = ok ? memfd_create("oci-bpf", 0) : -1;
  if (ok && (fd < 0 || seccomp_export_bpf(ctx, fd) != 0)) {
    error = "seccomp_export_bpf failed";
    ok = false;
  }
  if (ok) {
    off_t size = lseek(fd, 0, SEEK_END);
    std::vector<sock_filter> raw(static_cast<size_t>(size) / sizeof(sock_filter));
    if (pread(fd, raw.data(), static_cast<size_t>(size), 0) != size) {
      error = "cannot read libseccomp's program back";
      ok = false;
    }
    for (const sock_filter& f : raw) out.push_back({f.code, f.jt, f.jf, f.k});
  }
  if (fd >= 0) close(fd);
  seccomp_release(ctx);
  return ok;
}

}  // namespace stockade::seccomp::test
