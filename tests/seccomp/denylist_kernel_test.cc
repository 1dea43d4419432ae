// The shipped base_denylist under the real kernel: compiled as the shipped
// policies use it (`USE base_denylist DEFAULT ALLOW`), installed in a forked
// child, and every denied syscall attempted natively, with the x32 bit, and
// via int 0x80. Arguments are chosen so that a syscall the filter wrongly let
// through fails harmlessly with a different errno (EFAULT, EBADF, EINVAL).
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "interpreter.h"
#include "support.h"
#include "syscalls.h"

using namespace stockade::seccomp;
using namespace stockade::seccomp::test;

namespace {

struct Probe {
  const char* name;
  std::vector<uint64_t> args;
  Observed expected;
};

const Observed kEperm{Outcome::Errno, 1};
const Observed kEnosys{Outcome::Errno, 38};
const Observed kAllowed{Outcome::Allowed, 0};
const Observed kKilled{Outcome::Killed, 0};
constexpr uint64_t kBad = ~uint64_t{0};  // -1: a bad fd, request or flag set

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
      {"ioctl", {kBad, 0x5401, 0}, kAllowed},  // TCGETS: EBADF from the kernel
      {"socket", {17, 3, 0}, kEperm},          // AF_PACKET
      {"socket", {2, 3 | 0x80000, 1}, kEperm}, // AF_INET, SOCK_RAW|SOCK_CLOEXEC
      {"socket", {10, 3, 58}, kEperm},         // AF_INET6 raw
      {"socket", {1, 1, 0}, kAllowed},         // AF_UNIX stream
      {"getppid", {}, kAllowed},
  };
  return list;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Compiled denylist() {
  std::string base = read_file(STOCKADE_SOURCE_DIR "/compiler/seccomp/base_denylist.kafel");
  return compile_text(base + "\nUSE base_denylist DEFAULT ALLOW\n");
}

}  // namespace

TEST_CASE("base_denylist: denied syscalls fail as specified in the kernel and the interpreter") {
  Compiled c = denylist();
  REQUIRE_MESSAGE(c.ok, c.diagnostics);
  for (const Probe& p : probes()) {
    uint64_t args[6] = {0, 0, 0, 0, 0, 0};
    for (size_t i = 0; i < p.args.size(); ++i) args[i] = p.args[i];
    std::optional<uint32_t> nr = syscall_number(Abi::X86_64, p.name);
    REQUIRE(nr.has_value());
    SeccompData d;
    d.nr = *nr;
    for (int i = 0; i < 6; ++i) d.args[i] = args[i];
    std::string what = std::string(p.name) + "(" + std::to_string(args[0]) + ", " + std::to_string(args[1]) + ")";
    Observed interpreted = expected_observation(run(c.program, d).action);
    Observed kernel = run_in_kernel(c.program, Via::Native, *nr, args);
    std::string said = what + ": interpreter " + to_string(interpreted) + ", kernel " + to_string(kernel) +
                       ", wanted " + to_string(p.expected);
    CHECK_MESSAGE(interpreted == p.expected, said);
    CHECK_MESSAGE(kernel == p.expected, said);
  }
}

TEST_CASE("base_denylist: the same syscalls with the x32 bit are killed") {
  Compiled c = denylist();
  REQUIRE(c.ok);
  uint64_t none[6] = {0, 0, 0, 0, 0, 0};
  for (const char* name : {"ptrace", "mount", "unshare", "bpf", "getppid", "personality"}) {
    std::optional<uint32_t> x32 = syscall_number(Abi::X32, name);
    REQUIRE(x32.has_value());
    SeccompData d;
    d.nr = *x32;
    CHECK(run(c.program, d).action == kKillProcess);
    CHECK_MESSAGE((run_in_kernel(c.program, Via::X32Bit, *x32 & ~kX32Bit, none) == kKilled), name);
  }
  // x32-only numbers (512+) too, e.g. the x32 ptrace.
  CHECK(run_in_kernel(c.program, Via::X32Bit, 521, none) == kKilled);
}

TEST_CASE("base_denylist: the same syscalls via int 0x80 are killed") {
  if (!int80_available()) {
    MESSAGE("skipped: int 0x80 does not reach the kernel here (IA32 emulation disabled)");
    return;
  }
  Compiled c = denylist();
  REQUIRE(c.ok);
  uint64_t none[6] = {0, 0, 0, 0, 0, 0};
  for (const char* name : {"ptrace", "mount", "unshare", "bpf", "getppid", "socketcall", "chroot"}) {
    std::optional<uint32_t> nr = syscall_number(Abi::I386, name);
    REQUIRE(nr.has_value());
    CHECK_MESSAGE((run_in_kernel(c.program, Via::Int80, *nr, none) == kKilled), name);
  }
}

TEST_CASE("base_denylist: the probes would notice a leak (without the filter they fail differently)") {
  size_t distinguishable = 0, total = 0;
  std::string same;
  for (const Probe& p : probes()) {
    if (p.expected == kAllowed) continue;
    uint64_t args[6] = {0, 0, 0, 0, 0, 0};
    for (size_t i = 0; i < p.args.size(); ++i) args[i] = p.args[i];
    Observed unfiltered = run_in_kernel({}, Via::Native, *syscall_number(Abi::X86_64, p.name), args);
    ++total;
    if (unfiltered == p.expected) same += std::string(" ") + p.name;
    else ++distinguishable;
  }
  MESSAGE(distinguishable, " of ", total, " probes fail differently without the filter; same errno here:", same);
  // Unprivileged containers make some of them EPERM by themselves; most must
  // still tell a leak apart.
  CHECK(distinguishable * 2 > total);
}
