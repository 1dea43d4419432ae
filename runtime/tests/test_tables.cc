// SPDX-License-Identifier: Apache-2.0
#include "test_tables.h"

namespace stockade::testing {
namespace {
using namespace stockade::table;

// 0 DIR path, 1 NAME name="main", 2 N int 1..100 = 5, 3 MEM size 1MiB..1GiB,
// 4 WAIT duration = 60s, 5 FLAG bool = false, 6 OPT path?, 7 TAG string = ""
constexpr uint16_t kParams[] = {0, 1, 2, 3, 4, 5, 6, 7};  // rows of generated::kParamRows
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
constexpr uint16_t kMounts[] = {0, 1, 2};   // rows of generated::kMountRows (the end of this file)
constexpr uint16_t kRlimits[] = {0, 1, 2};  // rows of generated::kRlimitRows
constexpr CgroupSetting kCgroup[] = {{CgroupLimit::Memory, {0, 3, false}, {nullptr, 0}}};
constexpr Segment kHome[] = {{"/home/", kLiteral}, {nullptr, 1}};
constexpr uint16_t kEnv[] = {0, 1, 2, 3, 4};  // rows of generated::kEnvRows
constexpr NetworkSetting kNet[] = {{Network::Host, {kIfFlag, 1}}};
}  // namespace

const Policy kTestPolicy = {
    "unit",       {0, 0},       {0, 0},       {kParams, 8}, {kHostname, 2}, {nullptr, 0},  {kTime, 1},
    {nullptr, 0}, {kNet, 1},    {nullptr, 0}, {nullptr, 0}, {kMounts, 3},   {kRlimits, 3}, {kCgroup, 1},
    {kEnv, 5},    {nullptr, 0}, false,        Session::New, {nullptr, 0},   {nullptr, 0},
};

// The layouts of real job runners: 0 CACHE path, 1 DEPS path[], 2 VOLS
// volume[], 3 MAIN relpath = "main", 4 JOB path.
namespace {
constexpr uint16_t kLayoutParams[] = {8, 9, 10, 11, 12};
constexpr Segment kLTmp[] = {{"/tmp", kLiteral}};
constexpr Segment kLDeps[] = {{nullptr, 1}};
constexpr Segment kLVols[] = {{nullptr, 2}};
constexpr Segment kLDepDir[] = {{"/deps", kLiteral}};
constexpr Segment kLVolRoot[] = {{"/tmp/volumes", kLiteral}};
constexpr Segment kLMnt[] = {{"/mnt", kLiteral}};
constexpr Template kLWithin[] = {{kLVolRoot, 1}, {kLMnt, 1}};
constexpr Segment kLMainSrc[] = {{nullptr, 4}, {"/", kLiteral}, {nullptr, 3}, {".py", kLiteral}};
constexpr Segment kLMainDst[] = {{"/tmp/", kLiteral}, {nullptr, 3}, {".py", kLiteral}};
constexpr Segment kLBin[] = {{nullptr, 4}, {"/main", kLiteral}};
constexpr Segment kLBinDst[] = {{"/tmp/main", kLiteral}};
constexpr Segment kLCache[] = {{nullptr, 0}};
constexpr MountExtra kLVolExtra = {{0, kLiteral, false}, {nullptr, 0}, {kLWithin, 2}, {nullptr, 0}};
constexpr MountExtra kLFollow = {{0, kLiteral, false}, {nullptr, 0}, {nullptr, 0}, {kLCache, 1}};
constexpr uint16_t kLayoutMounts[] = {3, 4, 5, 6, 7, 8};
}  // namespace

const Policy kLayoutPolicy = {
    "layout",     {0, 0},       {0, 0},       {kLayoutParams, 5}, {nullptr, 0},       {nullptr, 0}, {nullptr, 0},
    {nullptr, 0}, {nullptr, 0}, {nullptr, 0}, {nullptr, 0},       {kLayoutMounts, 6}, {nullptr, 0}, {nullptr, 0},
    {nullptr, 0}, {nullptr, 0}, false,        Session::New,       {nullptr, 0},       {nullptr, 0},
};

}  // namespace stockade::testing

namespace stockade::generated {
using namespace stockade::table;
using namespace stockade::testing;

// Both policies' rlimit, env, param and mount rows, which their lists
// index (policy_table.h, RowList).
const RlimitSetting kRlimitRows[] = {
    // 0..2: kTestPolicy
    {Rlimit::Nofile, false, {64, kLiteral, false}, {128, kLiteral, false}, {nullptr, 0}},
    {Rlimit::Stack, false, {0, kLiteral, true}, {0, kLiteral, true}, {nullptr, 0}},
    {Rlimit::Nofile, true, {0, kLiteral, false}, {0, kLiteral, false}, {kIfFlag, 1}},
};
const EnvRule kEnvRows[] = {
    // 0..4: kTestPolicy
    {EnvOp::Keep, nullptr, {nullptr, 0}, {nullptr, 0}}, {EnvOp::Unset, "SECRET", {nullptr, 0}, {nullptr, 0}},
    {EnvOp::Set, "HOME", {kHome, 2}, {nullptr, 0}},     {EnvOp::Clear, nullptr, {nullptr, 0}, {kIfFlag, 1}},
    {EnvOp::Pass, "PATH", {nullptr, 0}, {kIfFlag, 1}},
};
const Param kParamRows[] = {
    // 0..7: kTestPolicy
    {"DIR", ParamType::Path, false, false, false, nullptr, 0, 0},
    {"NAME", ParamType::Name, false, false, false, "main", 0, 0},
    {"N", ParamType::Int, false, true, false, "5", 1, 100},
    {"MEM", ParamType::Size, false, true, false, "16MiB", 1 << 20, 1 << 30},
    {"WAIT", ParamType::Duration, false, false, false, "60s", 0, 0},
    {"FLAG", ParamType::Bool, false, false, false, "false", 0, 0},
    {"OPT", ParamType::Path, true, false, false, nullptr, 0, 0},
    {"TAG", ParamType::String, false, false, false, "", 0, 0},
    // 8..12: kLayoutPolicy
    {"CACHE", ParamType::Path, false, false, false, nullptr, 0, 0},
    {"DEPS", ParamType::Path, false, false, true, nullptr, 0, 0},
    {"VOLS", ParamType::Volume, false, false, true, nullptr, 0, 0},
    {"MAIN", ParamType::RelPath, false, false, false, "main", 0, 0},
    {"JOB", ParamType::Path, false, false, false, "/jobs/1", 0, 0},
    // 13: layout_test.cc's kCapPolicy
    {"NEWUSER", ParamType::Bool, false, false, false, "true", 0, 0},
};

const Mount kMountRows[] = {
    // 0..2: kTestPolicy
    {MountKind::Tmpfs, kMountReadWrite, 01777, {nullptr, 0}, {kTmp, 1}, &kTmpfsSizeParam, {nullptr, 0}},
    {MountKind::Bind, 0, 0, {kSrc, 4}, {kDst, 5}, nullptr, {nullptr, 0}},
    {MountKind::Bind, 0, 0, {kOpt, 1}, {kOptDst, 1}, nullptr, {nullptr, 0}},
    // 3..8: kLayoutPolicy
    {MountKind::Tmpfs, kMountReadWrite, 01777, {nullptr, 0}, {kLTmp, 1}, nullptr, {nullptr, 0}},
    {MountKind::Bind, 0, 0, {kLMainSrc, 4}, {kLMainDst, 3}, nullptr, {nullptr, 0}},
    {MountKind::Bind, kMountFollow, 0, {kLBin, 2}, {kLBinDst, 1}, &kLFollow, {nullptr, 0}},
    {MountKind::Bind, kMountEach, 0, {kLDeps, 1}, {nullptr, 0}, nullptr, {nullptr, 0}},
    {MountKind::Bind, kMountEach, 0, {kLDeps, 1}, {kLDepDir, 1}, nullptr, {nullptr, 0}},
    {MountKind::Bind, kMountEach | kMountReadWrite, 0, {kLVols, 1}, {nullptr, 0}, &kLVolExtra, {nullptr, 0}},
};

}  // namespace stockade::generated
