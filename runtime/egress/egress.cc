// SPDX-License-Identifier: Apache-2.0
#include "egress/egress.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "egress/assemble.h"
#include "io.h"
#include "text.h"

namespace stockade {
namespace {

constexpr long kCgroup2Magic = 0x63677270;  // CGROUP2_SUPER_MAGIC
constexpr uint32_t kMaxInsns = 8192;        // both programs, every param value instantiated

long bpf(int cmd, bpf_attr& attr) { return syscall(SYS_bpf, cmd, &attr, sizeof attr); }

// The cgroup v2 mount: the whole /sys/fs/cgroup, or "unified" beside v1.
const char* v2_mount() {
  struct statfs s;
  if (statfs("/sys/fs/cgroup", &s) == 0 && s.f_type == kCgroup2Magic) return "/sys/fs/cgroup";
  if (statfs("/sys/fs/cgroup/unified", &s) == 0 && s.f_type == kCgroup2Magic) return "/sys/fs/cgroup/unified";
  return nullptr;
}

// Directly below the hierarchy's root: the programs need no controller,
// and only root gets here.
bool make_own_cgroup(const Cgroup& cg, pid_t launcher, EgressFilter& ef, Failure& f) {
  const char* mount = v2_mount();
  if (mount == nullptr) return fail_reason(f, Step::Network, "filtered", "/sys/fs/cgroup", "no cgroup v2 hierarchy");
  // A SIGKILLed launcher leaves its stockade-net-<pid> directory.
  sweep_stale_cgroups(mount, "stockade-net-");
  TextBuf path(ef.dir, sizeof ef.dir);
  path.add(mount).add("/stockade-net-").add_u64(static_cast<uint64_t>(launcher));
  cgroup_announce(cg, 2, path.view());  // the keeper removes it if we are SIGKILLed
  if (mkdir(ef.dir, 0755) != 0) {
    int err = errno;
    ef.dir[0] = '\0';
    return fail(f, Step::Network, "mkdir", path.view(), err);
  }
  ef.into_fd = openat(AT_FDCWD, ef.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  return ef.into_fd >= 0 || fail(f, Step::Network, "open", ef.dir, errno);
}

// Loads one program and attaches it to `cgroup_fd`; the attachment keeps
// the program, so its fd is closed at once.
bool load_and_attach(bpf_prog_type type, bpf_attach_type at, const char* name, egress::Code code, int cgroup_fd,
                     Failure& f) {
  bpf_attr load{};
  load.prog_type = type;
  load.expected_attach_type = at;
  load.insns = reinterpret_cast<uint64_t>(code.insns);
  load.insn_cnt = code.count;
  load.license = reinterpret_cast<uint64_t>("Apache-2.0");
  Fd prog(static_cast<int>(bpf(BPF_PROG_LOAD, load)));
  if (!prog.ok()) return fail(f, Step::Network, name, "bpf(BPF_PROG_LOAD)", errno);
  bpf_attr attach{};
  attach.target_fd = static_cast<uint32_t>(cgroup_fd);
  attach.attach_bpf_fd = static_cast<uint32_t>(prog.get());
  attach.attach_type = at;
  // BPF_F_ALLOW_MULTI, not the exclusive 0: an exclusive program is
  // detached by anyone holding an fd of the cgroup directory (the kernel
  // checks no capability there), while one of many can only be detached by
  // naming its program fd, which the job cannot get (BPF_PROG_GET_FD_BY_ID
  // needs CAP_SYS_ADMIN). Programs added below could only deny more, and
  // adding one needs CAP_BPF and CAP_NET_ADMIN to load it.
  attach.attach_flags = BPF_F_ALLOW_MULTI;
  if (bpf(BPF_PROG_ATTACH, attach) != 0) return fail(f, Step::Network, name, "bpf(BPF_PROG_ATTACH)", errno);
  return true;
}

bool attach_all(const Plan& plan, const ParamValues& values, int cgroup_fd, Failure& f) {
  size_t bytes = kMaxInsns * sizeof(bpf_insn);
  void* mem = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED) return fail(f, Step::Network, "mmap", "egress programs", errno);
  egress::Programs p{};
  bool ok = egress::assemble(*plan.egress, values, static_cast<bpf_insn*>(mem), kMaxInsns, p, f) &&
            load_and_attach(BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET_SOCK_CREATE, "sock_create",
                            egress::socket_kinds_program(), cgroup_fd, f) &&
            load_and_attach(BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_CONNECT, "connect4", p.v4, cgroup_fd, f) &&
            load_and_attach(BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UDP4_SENDMSG, "sendmsg4", p.v4, cgroup_fd, f) &&
            load_and_attach(BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_CONNECT, "connect6", p.v6, cgroup_fd, f) &&
            load_and_attach(BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UDP6_SENDMSG, "sendmsg6", p.v6, cgroup_fd, f);
  munmap(mem, bytes);
  return ok;
}

}  // namespace

bool egress_prepare(const Plan& plan, const ParamValues& values, const Cgroup& cg, pid_t launcher, bool rootless,
                    EgressFilter& ef, Failure& f) {
  if (plan.network != table::Network::Filtered) return true;
  if (rootless) return fail_reason(f, Step::Network, "filtered", "", "needs root (its rules are cgroup BPF programs)");
  int target = cg.version == 2 ? cg.into_fd : -1;
  if (target < 0) {
    if (!make_own_cgroup(cg, launcher, ef, f)) return egress_destroy(ef), false;
    target = ef.into_fd;
  }
  if (!attach_all(plan, values, target, f)) return egress_destroy(ef), false;
  return true;
}

void egress_destroy(EgressFilter& ef) {
  if (ef.into_fd >= 0) close(ef.into_fd);
  ef.into_fd = -1;
  if (ef.dir[0] == '\0') return;
  // Normally empty (the pid namespace died with init); bounded at ~2 s.
  for (int attempt = 0; attempt < 200; ++attempt) {
    if (rmdir(ef.dir) == 0 || errno != EBUSY) break;
    Text<600> knob;
    knob.add(ef.dir).add("/cgroup.kill");
    write_file(knob.c_str(), "1");
    timespec ts{0, 10 * 1000000};
    nanosleep(&ts, nullptr);
  }
  ef.dir[0] = '\0';
}

}  // namespace stockade
