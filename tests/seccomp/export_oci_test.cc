// SPDX-License-Identifier: Apache-2.0
// `stockadec bpf --oci`: the OCI profile decides as the rules do (on the
// profile's own semantics and on the filter libseccomp builds from it, as a
// container runtime would), its entries are disjoint, and what OCI cannot
// hold is an error at the rule.
#include <doctest/doctest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "export_oci.h"
#include "interpreter.h"
#include "oci_libseccomp.h"
#include "random_policy.h"
#include "support.h"

using namespace stockade::seccomp;
using namespace stockade::seccomp::test;

namespace {

struct Exported {
  bool ok = false;
  OciProfile profile;
  std::string diagnostics;
};

Exported export_text(const std::string& text) {
  Exported e;
  Compiled c = compile_text(text);
  REQUIRE_MESSAGE(c.ok, c.diagnostics);
  stockade::diag::Sink sink;
  stockade::diag::SourceMap sources;
  sources.add("test.policy", text);
  e.ok = oci_profile(c.rules, e.profile, sink);
  e.diagnostics = stockade::diag::render_all(sink, sources);
  return e;
}

Program libseccomp_of(const OciProfile& p) {
  std::vector<LsEntry> entries;
  for (const OciEntry& e : p.entries)
    for (const std::string& name : e.names) {
      LsEntry ls{*syscall_number(Abi::X86_64, name), e.action, {}};
      for (const OciArg& a : e.args) ls.args.push_back({a.index, a.mask, a.value});
      entries.push_back(std::move(ls));
    }
  std::vector<std::array<uint32_t, 4>> raw;
  std::string error;
  bool ok = libseccomp_program(p.default_action, entries, raw, error);
  CHECK_MESSAGE(ok, error);
  Program prog;
  for (const auto& i : raw)
    prog.push_back(Insn{static_cast<uint16_t>(i[0]), static_cast<uint8_t>(i[1]), static_cast<uint8_t>(i[2]), i[3]});
  return prog;
}

// How many different actions the entries matching a call give (disjoint: <= 1).
size_t matching_actions(const OciProfile& p, const std::string& name, const uint64_t args[6]) {
  std::set<Action> actions;
  for (const OciEntry& e : p.entries) {
    bool named = false;
    for (const std::string& n : e.names) named = named || n == name;
    if (!named) continue;
    bool all = true;
    for (const OciArg& a : e.args) all = all && (args[a.index] & a.mask) == a.value;
    if (all) actions.insert(e.action);
  }
  return actions.size();
}

}  // namespace

TEST_CASE("oci: int-sized comparisons mask the high half; != of two values is 62 blocks") {
  Exported e =
      export_text("ERRNO(1) { personality { personality != 0 && personality != 0xffffffff } }\nDEFAULT ALLOW\n");
  REQUIRE_MESSAGE(e.ok, e.diagnostics);
  CHECK(e.profile.entries.size() == 62);
  for (const OciEntry& x : e.profile.entries) {
    REQUIRE(x.args.size() == 1);
    CHECK((x.args[0].mask & 0xffffffff00000000u) == 0);
  }
  Program lib = libseccomp_of(e.profile);
  for (uint64_t v : {uint64_t{0}, uint64_t{0xffffffff}, uint64_t{1}, uint64_t{8}, uint64_t{0xfffffffe},
                     uint64_t{0x100000000}, uint64_t{0xdeadbeefffffffff}, uint64_t{0x80000000}}) {
    uint64_t args[6] = {v, 0, 0, 0, 0, 0};
    Action want = (v & 0xffffffff) == 0 || (v & 0xffffffff) == 0xffffffff ? kAllow : (kErrno | 1);
    CHECK_MESSAGE(oci_decide(e.profile, "personality", args) == want, v);
    SeccompData d;
    d.nr = 135;
    d.args[0] = v;
    CHECK_MESSAGE(run(lib, d).action == want, v);
  }
  std::string json = oci_json(e.profile);
  CHECK(json.find("\"defaultAction\": \"SCMP_ACT_ALLOW\"") != std::string::npos);
  CHECK(json.find("\"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 1") != std::string::npos);
  CHECK(json.find("\"op\": \"SCMP_CMP_MASKED_EQ\"") != std::string::npos);
}

TEST_CASE("oci: what the format cannot hold is an error at the rule") {
  Exported two = export_text("ERRNO(1) { write { fd == count } }\nDEFAULT ALLOW\n");
  CHECK_FALSE(two.ok);
  CHECK(two.diagnostics ==
        "test.policy:1:12: error: cannot be written as an OCI seccomp profile: it compares two arguments (an OCI "
        "comparison takes an argument and a constant)\n"
        "ERRNO(1) { write { fd == count } }\n"
        "           ^~~~~\n");
  Exported trap = export_text("TRAP(2) { uname }\nDEFAULT ALLOW\n");
  CHECK_FALSE(trap.ok);
  CHECK(trap.diagnostics.find("test.policy:1:11: error: cannot be written as an OCI seccomp profile: TRAP(2) (OCI "
                              "carries no trap data)") == 0);
  Exported tree = export_text("ERRNO(1) { read { (fd | count) == 1 } }\nDEFAULT ALLOW\n");
  CHECK_FALSE(tree.ok);
  CHECK(tree.diagnostics.find("an `&`/`|` expression over arguments") != std::string::npos);
}

TEST_CASE("oci: the shipped denylist exports, and libseccomp's filter of it decides as Stockade's program") {
  std::ifstream in(std::string(STOCKADE_SOURCE_DIR) + "/policies/base_denylist.kafel");
  std::stringstream text;
  text << in.rdbuf();
  std::string policy = text.str() + "\nUSE base_denylist DEFAULT ALLOW\n";
  Compiled c = compile_text(policy);
  REQUIRE_MESSAGE(c.ok, c.diagnostics);
  Exported e = export_text(policy);
  REQUIRE_MESSAGE(e.ok, e.diagnostics);
  Program lib = libseccomp_of(e.profile);
  std::mt19937_64 rng(5);
  std::vector<uint64_t> values = {
      0,          1,          2,          3,           10,          16,           17,      0x5412, 0x541c,
      0x7e020080, 0x10000000, 0xffffffff, 0x100000000, 0x100005412, ~uint64_t{0}, 0x80000, 0x800,  0x80000003};
  size_t compared = 0;
  for (const Rule& r : c.rules.rules) {
    std::optional<uint32_t> nr = syscall_number(Abi::X86_64, r.syscall);
    REQUIRE(nr);
    for (int i = 0; i < 200; ++i) {
      SeccompData d;
      d.nr = *nr;
      for (uint64_t& a : d.args) a = values[rng() % values.size()];
      Action want = run(c.program, d).action;
      CHECK(oci_decide(e.profile, r.syscall, d.args) == want);
      CHECK(run(lib, d).action == want);
      CHECK(matching_actions(e.profile, r.syscall, d.args) <= 1);
      ++compared;
    }
  }
  MESSAGE(e.profile.entries.size(), " entries; ", compared, " decisions compared");
}

TEST_CASE("oci: random policies decide as their rules, on the profile and on libseccomp's filter of it") {
  const std::vector<Action> actions = {kAllow, kLog, kKillThread, kKillProcess, kErrno | 1, kErrno | 200, kTrace | 4};
  size_t exported = 0, refused = 0, compared = 0;
  for (uint64_t seed = 1; seed <= 300; ++seed) {
    std::mt19937_64 rng(seed * 31);
    RandomPolicy policy = random_policy(rng, interpreter_pool(), actions);
    Compiled c = compile_text(policy.text);
    REQUIRE_MESSAGE(c.ok, c.diagnostics);
    stockade::diag::Sink sink;
    OciProfile profile;
    if (!oci_profile(c.rules, profile, sink)) {
      ++refused;  // two arguments compared, or over the entry limit: said at the rule
      CHECK(sink.error_count() > 0);
      continue;
    }
    ++exported;
    Program lib = libseccomp_of(profile);
    for (const SeccompData& d : probe_cases(rng, interpreter_pool(), boundary_values(policy.constants), 100)) {
      Action want = reference_decision(c.rules, d);
      const char* name = syscall_name(Abi::X86_64, d.nr);
      REQUIRE(name);
      Action got = oci_decide(profile, name, d.args), ls = run(lib, d).action;
      ++compared;
      if (got != want || ls != want || matching_actions(profile, name, d.args) > 1) {
        FAIL_CHECK("seed ", seed, " ", name, "(", d.args[0], ", ", d.args[1], ", ", d.args[2], "): profile ",
                   action_name(got), ", libseccomp ", action_name(ls), ", rules ", action_name(want), "\n",
                   policy.text);
        break;
      }
    }
  }
  MESSAGE(exported, " exported, ", refused, " refused; ", compared, " decisions compared");
  CHECK(exported >= 40);  // the rest compare two arguments somewhere
}
