#include "test_tables.h"

namespace stockade::testing {
namespace {
using namespace stockade::table;

// 0 DIR path, 1 NAME name="main", 2 N int 1..100 = 5, 3 MEM size 1MiB..1GiB,
// 4 WAIT duration = 60s, 5 FLAG bool = false, 6 OPT path?, 7 TAG string = ""
constexpr Param kParams[] = {
    {"DIR", ParamType::Path, false, false, nullptr, 0, 0},
    {"NAME", ParamType::Name, false, false, "main", 0, 0},
    {"N", ParamType::Int, false, true, "5", 1, 100},
    {"MEM", ParamType::Size, false, true, "16MiB", 1 << 20, 1 << 30},
    {"WAIT", ParamType::Duration, false, false, "60s", 0, 0},
    {"FLAG", ParamType::Bool, false, false, "false", 0, 0},
    {"OPT", ParamType::Path, true, false, nullptr, 0, 0},
    {"TAG", ParamType::String, false, false, "", 0, 0},
};
constexpr Cond kIfFlag[] = {{5, CondKind::IsTrue}};
constexpr Segment kHostA[] = {{"alpha", kLiteral}};
constexpr Segment kHostB[] = {{"beta-", kLiteral}, {nullptr, 7}};
constexpr TextSetting kHostname[] = {{{kHostA, 1}, {nullptr, 0}}, {{kHostB, 2}, {kIfFlag, 1}}};
constexpr NumberSetting kTime[] = {{{0, 4, false}, {nullptr, 0}}};
constexpr Segment kSrc[] = {{nullptr, 0}, {"/", kLiteral}, {nullptr, 1}, {".py", kLiteral}};
constexpr Segment kDst[] = {{"/tmp/", kLiteral}, {nullptr, 1}, {"-", kLiteral}, {nullptr, 2}, {".py", kLiteral}};
constexpr Segment kOpt[] = {{nullptr, 6}};
constexpr Segment kOptDst[] = {{"/opt", kLiteral}};
constexpr Segment kTmp[] = {{"/tmp", kLiteral}};
constexpr MountExtra kTmpfsSizeParam = {{0, 3, false}, {nullptr, 0}};
constexpr Mount kMounts[] = {
    {MountKind::Tmpfs, kMountReadWrite, 01777, {nullptr, 0}, {kTmp, 1}, &kTmpfsSizeParam, {nullptr, 0}},
    {MountKind::Bind, 0, 0, {kSrc, 4}, {kDst, 5}, nullptr, {nullptr, 0}},
    {MountKind::Bind, 0, 0, {kOpt, 1}, {kOptDst, 1}, nullptr, {nullptr, 0}},
};
constexpr auto kMountRows = row_pointers(kMounts);
constexpr auto kParamRows = row_pointers(kParams);
constexpr RlimitSetting kRlimits[] = {
    {Rlimit::Nofile, false, {64, kLiteral, false}, {128, kLiteral, false}, {nullptr, 0}},
    {Rlimit::Stack, false, {0, kLiteral, true}, {0, kLiteral, true}, {nullptr, 0}},
    {Rlimit::Nofile, true, {0, kLiteral, false}, {0, kLiteral, false}, {kIfFlag, 1}},
};
constexpr CgroupSetting kCgroup[] = {{CgroupLimit::Memory, {0, 3, false}, {nullptr, 0}}};
constexpr Segment kHome[] = {{"/home/", kLiteral}, {nullptr, 1}};
constexpr EnvRule kEnv[] = {
    {EnvOp::Keep, nullptr, {nullptr, 0}, {nullptr, 0}},
    {EnvOp::Unset, "SECRET", {nullptr, 0}, {nullptr, 0}},
    {EnvOp::Set, "HOME", {kHome, 2}, {nullptr, 0}},
    {EnvOp::Clear, nullptr, {nullptr, 0}, {kIfFlag, 1}},
    {EnvOp::Pass, "PATH", {nullptr, 0}, {kIfFlag, 1}},
};
constexpr NetworkSetting kNet[] = {{Network::Host, {kIfFlag, 1}}};
constexpr auto kRlimitRows = row_pointers(kRlimits);
constexpr auto kEnvRows = row_pointers(kEnv);
}  // namespace

const Policy kTestPolicy = {
    "unit", {0, 0}, {0, 0},
    {kParamRows.items, 8}, {kHostname, 2}, {nullptr, 0}, {kTime, 1}, {nullptr, 0}, {kNet, 1},
    {nullptr, 0}, {nullptr, 0}, {kMountRows.items, 3}, {kRlimitRows.items, 3}, {kCgroup, 1}, {kEnvRows.items, 5},
    {nullptr, 0}, false, Session::New, {nullptr, 0}, {nullptr, 0},
};

}  // namespace stockade::testing
