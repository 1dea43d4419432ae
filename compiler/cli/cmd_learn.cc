// SPDX-License-Identifier: Apache-2.0
// stockadec learn REPORT... -o OUT.kafel [--name NAME]: a Kafel allowlist
// from what jobs did under `stockade run --learn` (docs/learn.md). Each
// report's "logged" list holds every syscall the job made that its policy
// let through, one entry per syscall, or per value of the argument that
// says what the call does ("key_arg": socket's family, ioctl's command,
// clone's flags, prctl's option); those become argument rules. The output
// is a Kafel POLICY to `USE` in a policy's seccomp block.
#include <fmt/format.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "cli/common.h"

namespace stockade::cli {

namespace {

namespace pb = google::protobuf;

struct LearnOptions {
  std::vector<std::string> reports;
  std::string out;
  std::string name = "learned";
};

// What the reports say of one syscall: its calls, and the key argument's
// values where it has one (an empty set: every call allowed).
struct Learned {
  int key_arg = -1;
  std::set<uint64_t> values;
  uint64_t calls = 0;
};

struct Collected {
  std::map<std::string, Learned> native;  // x86_64 syscalls by name
  std::set<std::string> skipped;          // other ABIs, unknown numbers
  uint64_t calls = 0;
};

bool fail_on(const std::string& file, const std::string& why) {
  std::cerr << "stockadec learn: " << file << ": " << why << "\n";
  return false;
}

bool number(const pb::Value& v, uint64_t& out) {
  if (v.kind_case() != pb::Value::kNumberValue || v.number_value() < 0) return false;
  out = static_cast<uint64_t>(v.number_value());
  return true;
}

bool read_report(const std::string& file, Collected& c) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return fail_on(file, "cannot read it");
  std::stringstream text;
  text << in.rdbuf();
  pb::Struct report;
  if (!pb::util::JsonStringToMessage(text.str(), &report).ok()) return fail_on(file, "not a JSON report");
  const auto& f = report.fields();
  auto logged = f.find("logged");
  auto total = f.find("logged_calls");
  if (logged == f.end() || logged->second.kind_case() != pb::Value::kListValue || total == f.end())
    return fail_on(file, "no \"logged\" list: run the job with `stockade run --learn`");
  uint64_t listed = 0;
  for (const pb::Value& e : logged->second.list_value().values()) {
    const auto& ef = e.struct_value().fields();
    auto name = ef.find("name");
    auto abi = ef.find("abi");
    auto count = ef.find("count");
    auto args = ef.find("args");
    uint64_t n = 0;
    if (name == ef.end() || abi == ef.end() || count == ef.end() || args == ef.end() || !number(count->second, n))
      return fail_on(file, "a \"logged\" entry without name, abi, count or args");
    listed += n;
    const std::string& call = name->second.string_value();
    if (abi->second.string_value() != "x86_64" || call == "unknown") {
      c.skipped.insert(abi->second.string_value() + " " + call);
      continue;
    }
    Learned& l = c.native[call];
    l.calls += n;
    auto key = ef.find("key_arg");
    uint64_t k = 0;
    if (key == ef.end() || !number(key->second, k) || k > 5) continue;
    // Decimal in JSON, up to 2^64 - 1: a double loses the low bits above
    // 2^53, so the value is taken only where it is exact.
    const pb::Value& a = args->second.list_value().values(static_cast<int>(k));
    uint64_t v = 0;
    if (!number(a, v) || a.number_value() >= 9007199254740992.0)
      return fail_on(file, fmt::format("{}: argument {} is too large to read exactly", call, k));
    l.key_arg = static_cast<int>(k);
    l.values.insert(v);
  }
  uint64_t all = 0;
  if (!number(total->second, all)) return fail_on(file, "\"logged_calls\" is not a number");
  if (all != listed)
    return fail_on(file, fmt::format("{} calls logged, {} listed: more distinct syscalls than the list held "
                                     "(stockade run --logged-max)",
                                     all, listed));
  c.calls += all;
  return true;
}

std::string rule(const std::string& call, const Learned& l) {
  if (l.key_arg < 0) return call;
  std::string names, expr;
  for (int i = 0; i <= l.key_arg; ++i) names += fmt::format("{}a{}", i == 0 ? "" : ", ", i);
  for (uint64_t v : l.values) expr += fmt::format("{}a{} == {:#x}", expr.empty() ? "" : " || ", l.key_arg, v);
  return fmt::format("{}({}) {{ {} }}", call, names, expr);
}

std::string kafel(const LearnOptions& o, const Collected& c) {
  std::string out = fmt::format(
      "// Learned by `stockadec learn` from {} report{} ({} calls of {} syscalls).\n"
      "// Every syscall the job made that its policy let through, with the values\n"
      "// seen of the argument that says what a call does (socket's family, ioctl's\n"
      "// command, clone's flags, prctl's option). Review it: a run only shows the\n"
      "// paths it took. Use: `seccomp {{ #include \"FILE\" USE base_denylist USE {} DEFAULT KILL }}`.\n",
      o.reports.size(), o.reports.size() == 1 ? "" : "s", c.calls, c.native.size(), o.name);
  // fmt, not "literal" + std::string (GCC 12's -Wrestrict at -O3).
  for (const std::string& s : c.skipped) out += fmt::format("// not learned (another ABI, or unknown): {}\n", s);
  out += fmt::format("POLICY {} {{\n  ALLOW {{\n", o.name);
  size_t i = 0;
  for (const auto& [call, l] : c.native)
    out += fmt::format("    {}{}\n", rule(call, l), ++i == c.native.size() ? "" : ",");
  out += "  }\n}\n";
  return out;
}

int learn(const Global& g, const LearnOptions& o) {
  Collected c;
  for (const std::string& r : o.reports)
    if (!read_report(r, c)) return kExitInputError;
  if (c.native.empty()) {
    std::cerr << "stockadec learn: the reports list no x86_64 syscall\n";
    return kExitInputError;
  }
  std::ofstream out(o.out, std::ios::binary | std::ios::trunc);
  out << kafel(o, c);
  if (!out.flush()) {
    std::cerr << "stockadec learn: cannot write " << o.out << "\n";
    return kExitUsage;
  }
  verbose(g, fmt::format("wrote {}: {} syscalls", o.out, c.native.size()));
  return kExitOk;
}

}  // namespace

Action add_learn(CLI::App& app, const Global& g) {
  auto o = std::make_shared<LearnOptions>();
  CLI::App* cmd =
      app.add_subcommand("learn", "write a Kafel allowlist from the reports of learning runs (docs/learn.md)");
  cmd->add_option("REPORT", o->reports, "the reports of learning runs (their calls are merged)")->required();
  cmd->add_option("-o,--output", o->out, "the Kafel file to write")->required()->type_name("FILE");
  cmd->add_option("--name", o->name, "the Kafel POLICY's name (default: learned)")->type_name("NAME");
  return [&g, o] {
    bool ident = !o->name.empty() && !isdigit(static_cast<unsigned char>(o->name[0]));
    for (char ch : o->name) ident = ident && (isalnum(static_cast<unsigned char>(ch)) || ch == '_');
    if (!ident) {
      std::cerr << "stockadec learn: --name " << o->name << ": not a Kafel identifier\n";
      return kExitUsage;
    }
    return learn(g, *o);
  };
}

}  // namespace stockade::cli
