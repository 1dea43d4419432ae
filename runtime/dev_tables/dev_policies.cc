// SPDX-License-Identifier: Apache-2.0
// Hand-written development tables (NOT generated, NOT in the real launcher):
// lets the runtime be built and exercised without stockadec. Mirrors what
// the emitter writes for a python3-like policy and a small test policy.
#include "policy_table.h"

namespace stockade::generated {
namespace {
using namespace stockade::table;

// ---- dev_python: like policies/python3.policy --------------------------
// params: 0 JOB_DIR path, 1 MAIN name, 2 PY_INSTALL_DIR path, 3 NEWUSER bool,
//         4 TIMEOUT duration, 5 SHARED bool
constexpr uint16_t kPyParams[] = {0, 1, 2, 3, 4, 5};  // rows of kParamRows (below)
constexpr Segment kSegTmp[] = {{"/tmp", kLiteral}};
constexpr Segment kSegPython[] = {{"python", kLiteral}};
constexpr Cond kIfNotNewuser[] = {{3, CondKind::IsFalse}};
constexpr Cond kIfShared[] = {{5, CondKind::IsTrue}};
constexpr TextSetting kPyHostname[] = {{{kSegPython, 1}, {nullptr, 0}}};
constexpr TextSetting kPyCwd[] = {{{kSegTmp, 1}, {nullptr, 0}}};
constexpr NumberSetting kPyTime[] = {{{0, 4, false}, {nullptr, 0}}};
constexpr NamespaceSetting kPyNs[] = {{Namespace::User, false, {kIfNotNewuser, 1}}};
constexpr NetworkSetting kPyNet[] = {{Network::Host, {nullptr, 0}}};

constexpr Segment kSrcBin[] = {{"/bin", kLiteral}};
constexpr Segment kSrcLib[] = {{"/lib", kLiteral}};
constexpr Segment kSrcLib64[] = {{"/lib64", kLiteral}};
constexpr Segment kSrcUsr[] = {{"/usr", kLiteral}};
constexpr Segment kSrcEtc[] = {{"/etc", kLiteral}};
constexpr Segment kDevNull[] = {{"/dev/null", kLiteral}};
constexpr Segment kDevUrandom[] = {{"/dev/urandom", kLiteral}};
constexpr Segment kMainSrc[] = {{nullptr, 0}, {"/", kLiteral}, {nullptr, 1}, {".py", kLiteral}};
constexpr Segment kMainDst[] = {{"/tmp/", kLiteral}, {nullptr, 1}, {".py", kLiteral}};
constexpr Segment kWrapSrc[] = {{nullptr, 0}, {"/wrapper.py", kLiteral}};
constexpr Segment kWrapDst[] = {{"/tmp/wrapper.py", kLiteral}};
constexpr Segment kLoaderSrc[] = {{nullptr, 0}, {"/loader.py", kLiteral}};
constexpr Segment kLoaderDst[] = {{"/tmp/loader.py", kLiteral}};
constexpr Segment kResultSrc[] = {{nullptr, 0}, {"/result.json", kLiteral}};
constexpr Segment kResultDst[] = {{"/tmp/result.json", kLiteral}};
constexpr Segment kSharedSrc[] = {{nullptr, 0}, {"/shared", kLiteral}};
constexpr Segment kSharedDst[] = {{"/tmp/shared", kLiteral}};
constexpr Segment kPyInstall[] = {{nullptr, 2}};
constexpr Segment kDevShm[] = {{"/dev/shm", kLiteral}};
constexpr Segment kProc[] = {{"/proc", kLiteral}};
constexpr Segment kDevFd[] = {{"/dev/fd", kLiteral}};
constexpr Segment kProcSelfFd[] = {{"/proc/self/fd", kLiteral}};
constexpr Segment kPasswd[] = {{"/etc-sandbox/passwd", kLiteral}};
constexpr Segment kPasswdText[] = {{"root:x:0:0::/tmp:/bin/sh\n", kLiteral}};
constexpr Segment kWork[] = {{"/tmp/work", kLiteral}};

constexpr uint32_t kRo = kMountNoSuid | kMountNoDev;
constexpr MountExtra kPyTmpfsSize = {{500000000, kLiteral, false}, {nullptr, 0}};
constexpr MountExtra kPasswdFile = {{0, kLiteral, false}, {kPasswdText, 1}};
constexpr MountExtra kProbeTmpfsSize = {{64ull << 20, kLiteral, false}, {nullptr, 0}};
constexpr uint16_t kPyMounts[] = {0,  1,  2,  3,  4,  5,  6,  7,  8, 9,
                                  10, 11, 12, 13, 14, 15, 16, 17, 18};  // rows of kMountRows (below)
constexpr uint16_t kPyRlimits[] = {0, 1, 2, 3, 4};                      // rows of kRlimitRows (below)
constexpr Segment kHome[] = {{"/tmp", kLiteral}};
constexpr uint16_t kPyEnv[] = {0, 1, 2};  // rows of kEnvRows (below)

// ---- dev_probe: a small root, cgroup limits, a seccomp filter -----------
// params: 0 MEM size, 1 PIDS int, 2 DATA path?, 3 RW path?, 4 WAIT duration
constexpr uint16_t kProbeParams[] = {6, 7, 8, 9, 10, 11};
constexpr Segment kProbeHost[] = {{"probe-", kLiteral}, {nullptr, 5}};
constexpr TextSetting kProbeHostname[] = {{{kSegPython, 1}, {nullptr, 0}}, {{kProbeHost, 2}, {nullptr, 0}}};
constexpr NumberSetting kProbeTime[] = {{{0, 4, false}, {nullptr, 0}}};
constexpr NetworkSetting kProbeNet[] = {{Network::Loopback, {nullptr, 0}}};
constexpr NamespaceSetting kProbeNs[] = {{Namespace::Time, true, {nullptr, 0}}};
constexpr Segment kData[] = {{nullptr, 2}};
constexpr Segment kDataDst[] = {{"/data", kLiteral}};
constexpr Segment kRwSrc[] = {{nullptr, 3}};
constexpr Segment kRwDst[] = {{"/rw", kLiteral}};
constexpr uint16_t kProbeMounts[] = {19, 20, 21, 22, 23, 24, 25, 26, 27};
constexpr CgroupSetting kProbeCgroup[] = {
    {CgroupLimit::Memory, {0, 0, false}, {nullptr, 0}},
    {CgroupLimit::MemorySwap, {0, 0, false}, {nullptr, 0}},
    {CgroupLimit::Pids, {0, 1, false}, {nullptr, 0}},
    {CgroupLimit::CpuMsPerSec, {1000, kLiteral, false}, {nullptr, 0}},
};
constexpr Segment kPath[] = {{"/usr/bin:/bin", kLiteral}};
constexpr Segment kTagVal[] = {{nullptr, 5}};
constexpr uint16_t kProbeEnv[] = {3, 4, 5, 6};  // rows of kEnvRows (below)
constexpr uint16_t kProbeRlimits[] = {5};       // rows of kRlimitRows (below)
// Hand-assembled: x86-64 only, x32 killed, ptrace -> ERRNO(1),
// reboot -> KILL_PROCESS, everything else allowed.
constexpr sock_filter kProbeSeccomp[] = {
    {0x20, 0, 0, 4},           // ld arch
    {0x15, 1, 0, 0xc000003e},  // jeq AUDIT_ARCH_X86_64
    {0x06, 0, 0, 0x80000000},  // ret KILL_PROCESS
    {0x20, 0, 0, 0},           // ld nr
    {0x35, 0, 1, 0x40000000},  // jge x32 bit
    {0x06, 0, 0, 0x80000000},  // ret KILL_PROCESS
    {0x15, 0, 1, 101},         // jeq ptrace
    {0x06, 0, 0, 0x00050001},  // ret ERRNO(1)
    {0x15, 0, 1, 169},         // jeq reboot
    {0x06, 0, 0, 0x80000000},  // ret KILL_PROCESS
    {0x06, 0, 0, 0x7fff0000},  // ret ALLOW
};

}  // namespace

const RlimitSetting kRlimitRows[] = {
    // 0..4: dev_python
    {Rlimit::Core, false, {0, kLiteral, false}, {0, kLiteral, false}, {nullptr, 0}},
    {Rlimit::As, false, {4096ull << 20, kLiteral, false}, {4096ull << 20, kLiteral, false}, {nullptr, 0}},
    {Rlimit::Cpu, false, {1000, kLiteral, false}, {1000, kLiteral, false}, {nullptr, 0}},
    {Rlimit::Fsize, false, {1000ull << 20, kLiteral, false}, {1000ull << 20, kLiteral, false}, {nullptr, 0}},
    {Rlimit::Nofile, false, {10000, kLiteral, false}, {10000, kLiteral, false}, {nullptr, 0}},
    // 5..5: dev_probe
    {Rlimit::Nofile, false, {64, kLiteral, false}, {128, kLiteral, false}, {nullptr, 0}},
};
const EnvRule kEnvRows[] = {
    // 0..2: dev_python
    {EnvOp::Keep, nullptr, {nullptr, 0}, {nullptr, 0}},
    {EnvOp::Set, "HOME", {kHome, 1}, {nullptr, 0}},
    {EnvOp::Unset, "LD_PRELOAD", {nullptr, 0}, {nullptr, 0}},
    // 3..6: dev_probe
    {EnvOp::Clear, nullptr, {nullptr, 0}, {nullptr, 0}},
    {EnvOp::Set, "PATH", {kPath, 1}, {nullptr, 0}},
    {EnvOp::Pass, "STOCKADE_TEST_PASSED", {nullptr, 0}, {nullptr, 0}},
    {EnvOp::Set, "TAG", {kTagVal, 1}, {nullptr, 0}},
};
const Param kParamRows[] = {
    // dev_python
    {"JOB_DIR", ParamType::Path, false, false, false, nullptr, 0, 0},
    {"MAIN", ParamType::Name, false, false, false, "main", 0, 0},
    {"PY_INSTALL_DIR", ParamType::Path, false, false, false, nullptr, 0, 0},
    {"NEWUSER", ParamType::Bool, false, false, false, "true", 0, 0},
    {"TIMEOUT", ParamType::Duration, false, true, false, "915s", 1000, 2592000000LL},
    {"SHARED", ParamType::Bool, false, false, false, "false", 0, 0},
    // dev_probe
    {"MEM", ParamType::Size, false, true, false, "256MiB", 1 << 20, 1LL << 40},
    {"PIDS", ParamType::Int, false, true, false, "64", 1, 4096},
    {"DATA", ParamType::Path, true, false, false, nullptr, 0, 0},
    {"RW", ParamType::Path, true, false, false, nullptr, 0, 0},
    {"WAIT", ParamType::Duration, false, true, false, "30s", 100, 3600000},
    {"TAG", ParamType::String, false, false, false, "", 0, 0},
};

const Mount kMountRows[] = {
    // dev_python
    {MountKind::Bind, kRo, 0, {kSrcBin, 1}, {kSrcBin, 1}, nullptr, {nullptr, 0}},
    {MountKind::Bind, kRo, 0, {kSrcLib, 1}, {kSrcLib, 1}, nullptr, {nullptr, 0}},
    {MountKind::Bind, kRo | kMountOptional, 0, {kSrcLib64, 1}, {kSrcLib64, 1}, nullptr, {nullptr, 0}},
    {MountKind::Bind, kRo, 0, {kSrcUsr, 1}, {kSrcUsr, 1}, nullptr, {nullptr, 0}},
    {MountKind::DevNode, kMountReadWrite | kMountNoSuid, 0, {kDevNull, 1}, {kDevNull, 1}, nullptr, {nullptr, 0}},
    {MountKind::DevNode, kMountReadWrite | kMountNoSuid, 0, {kDevUrandom, 1}, {kDevUrandom, 1}, nullptr, {nullptr, 0}},
    {MountKind::Tmpfs, kMountReadWrite | kRo, 01777, {nullptr, 0}, {kSegTmp, 1}, &kPyTmpfsSize, {nullptr, 0}},
    {MountKind::Bind, kMountReadWrite | kRo, 0, {kSharedSrc, 2}, {kSharedDst, 1}, nullptr, {kIfShared, 1}},
    {MountKind::Bind, kRo, 0, {kMainSrc, 4}, {kMainDst, 3}, nullptr, {nullptr, 0}},
    {MountKind::Bind, kRo | kMountOptional, 0, {kLoaderSrc, 2}, {kLoaderDst, 1}, nullptr, {nullptr, 0}},
    {MountKind::Bind, kRo, 0, {kWrapSrc, 2}, {kWrapDst, 1}, nullptr, {nullptr, 0}},
    {MountKind::Bind, kMountReadWrite | kRo, 0, {kResultSrc, 2}, {kResultDst, 1}, nullptr, {nullptr, 0}},
    {MountKind::Bind, kRo, 0, {kSrcEtc, 1}, {kSrcEtc, 1}, nullptr, {nullptr, 0}},
    {MountKind::Tmpfs, kMountReadWrite | kRo, 0, {nullptr, 0}, {kDevShm, 1}, nullptr, {nullptr, 0}},
    {MountKind::Proc, kMountReadWrite | kRo | kMountNoExec, 0, {nullptr, 0}, {kProc, 1}, nullptr, {nullptr, 0}},
    {MountKind::Bind, kRo, 0, {kPyInstall, 1}, {kPyInstall, 1}, nullptr, {nullptr, 0}},
    {MountKind::Symlink, 0, 0, {kProcSelfFd, 1}, {kDevFd, 1}, nullptr, {nullptr, 0}},
    {MountKind::File, 0, 0644, {nullptr, 0}, {kPasswd, 1}, &kPasswdFile, {nullptr, 0}},
    {MountKind::Mkdir, 0, 0700, {nullptr, 0}, {kWork, 1}, nullptr, {nullptr, 0}},
    // dev_probe
    {MountKind::Bind, kRo, 0, {kSrcBin, 1}, {kSrcBin, 1}, nullptr, {nullptr, 0}},
    {MountKind::Bind, kRo, 0, {kSrcLib, 1}, {kSrcLib, 1}, nullptr, {nullptr, 0}},
    {MountKind::Bind, kRo | kMountOptional, 0, {kSrcLib64, 1}, {kSrcLib64, 1}, nullptr, {nullptr, 0}},
    {MountKind::Bind, kRo, 0, {kSrcUsr, 1}, {kSrcUsr, 1}, nullptr, {nullptr, 0}},
    {MountKind::Tmpfs, kMountReadWrite | kRo, 01777, {nullptr, 0}, {kSegTmp, 1}, &kProbeTmpfsSize, {nullptr, 0}},
    {MountKind::Proc, kMountReadWrite | kRo | kMountNoExec, 0, {nullptr, 0}, {kProc, 1}, nullptr, {nullptr, 0}},
    {MountKind::DevNode, kMountReadWrite | kMountNoSuid, 0, {kDevNull, 1}, {kDevNull, 1}, nullptr, {nullptr, 0}},
    {MountKind::Bind, kRo, 0, {kData, 1}, {kDataDst, 1}, nullptr, {nullptr, 0}},
    {MountKind::Bind, kMountReadWrite | kRo, 0, {kRwSrc, 1}, {kRwDst, 1}, nullptr, {nullptr, 0}},
};

extern const Policy kPolicy_dev_python;
const Policy kPolicy_dev_python = {
    "dev_python",
    {0, 65},
    {0, 0},
    {kPyParams, 6},
    {kPyHostname, 1},
    {kPyCwd, 1},
    {kPyTime, 1},
    {kPyNs, 1},
    {kPyNet, 1},
    {nullptr, 0},
    {nullptr, 0},
    {kPyMounts, sizeof kPyMounts / sizeof kPyMounts[0]},
    {kPyRlimits, 5},
    {nullptr, 0},
    {kPyEnv, 3},
    {nullptr, 0},
    false,
    Session::Keep,
    {nullptr, 0},
    {nullptr, 0},
};

extern const Policy kPolicy_dev_probe;
const Policy kPolicy_dev_probe = {
    "dev_probe",
    {65, 66},
    {131, 31},
    {kProbeParams, 6},
    {kProbeHostname, 2},
    {kPyCwd, 1},
    {kProbeTime, 1},
    {kProbeNs, 1},
    {kProbeNet, 1},
    {nullptr, 0},
    {nullptr, 0},
    {kProbeMounts, sizeof kProbeMounts / sizeof kProbeMounts[0]},
    {kProbeRlimits, 1},
    {kProbeCgroup, 4},
    {kProbeEnv, 4},
    {nullptr, 0},
    false,
    Session::New,
    {nullptr, 0},
    {kProbeSeccomp, sizeof kProbeSeccomp / sizeof kProbeSeccomp[0]},
};

namespace {
constexpr const Policy* kAll[] = {&kPolicy_dev_probe, &kPolicy_dev_python};
}
const List<const Policy*> kPolicies = {kAll, 2};

// The words above as literal runs of runtime/unpack.h's format: a length-1
// byte, then the bytes.
const PackedText kSummaries = {
    "\100"
    "dev_python: hand-written development policy modelled on python3.\n"
    "\101"
    "dev_probe: small root, cgroup limits, loopback, a seccomp filter.\n"
    "\036"
    "seccomp: a hand-written filter\n",
    165, 162};

}  // namespace stockade::generated
