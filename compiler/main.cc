// stockadec: the policy compiler's command line. It only wires the stages
// together: front end -> seccomp -> back ends. Each stage lives in its own
// folder and reports into one diagnostic sink; this file renders them.
#include <fmt/format.h>
#include <google/protobuf/text_format.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "diag/diagnostics.h"
#include "emit/emit_cpp.h"
#include "explain/explain.h"
#include "frontend/frontend.h"
#include "nsjail/import.h"
#include "seccomp/export_bpf.h"
#include "seccomp/notify_rewrite.h"
#include "seccomp/seccomp.h"

namespace fs = std::filesystem;
using namespace stockade;

namespace {

constexpr const char* kUsage =
    "usage: stockadec COMMAND [OPTIONS] FILE...\n"
    "\n"
    "commands:\n"
    "  check FILE...                      parse, check and compile; print diagnostics only\n"
    "  compile [--root DIR] -o DIR FILE... write one C++ table file per policy and registry.cc\n"
    "  explain FILE [NAME]                print policies in words\n"
    "  ir FILE [NAME]                     print the lowered IR (protobuf text)\n"
    "  bpf --disasm FILE [NAME]           print each policy's seccomp program\n"
    "  bpf FILE [NAME] -o OUT             write a policy's program as raw sock_filter bytes\n"
    "  bpf --kafel FILE [-I DIR] -o OUT   the same for a bare Kafel file (nsjail's seccomp_policy_file)\n"
    "  import-nsjail CONFIG [--name NAME] [-o FILE]\n"
    "                                     translate an nsjail config into a .policy\n"
    "\n"
    "exit status: 0 success, 1 the input has errors, 2 usage or I/O error\n";

constexpr int kExitInputError = 1;
constexpr int kExitUsage = 2;

struct Args {
  std::string command;
  std::vector<std::string> files;
  std::string out;
  std::string root;
  std::string name;
  bool disasm = false;
};

int usage_error(const std::string& what) {
  std::cerr << "stockadec: " << what << "\n" << kUsage;
  return kExitUsage;
}

// Everything one compile produced, with its diagnostics.
struct Compilation {
  diag::SourceMap sources;
  diag::Sink sink;
  ir::PolicySet set;
};

// Front end, then seccomp for every policy. Diagnostics go to stderr.
bool compile_all(const Args& a, Compilation& c) {
  frontend::Options opts;
  opts.root = a.root;
  bool ok = frontend::compile(a.files, opts, c.sources, c.sink, c.set);
  if (ok) {
    for (ir::PolicyIr& p : *c.set.mutable_policies()) ok = seccomp::compile_policy(p, c.sink, a.root) && ok;
  }
  std::cerr << diag::render_all(c.sink, c.sources);
  if (c.sink.has_errors()) {
    std::cerr << fmt::format("stockadec: {} error{}\n", c.sink.error_count(), c.sink.error_count() == 1 ? "" : "s");
    return false;
  }
  return ok;
}

// The policies a command that takes [NAME] should act on.
std::vector<const ir::PolicyIr*> select(const ir::PolicySet& set, const std::string& name, bool& found) {
  std::vector<const ir::PolicyIr*> out;
  for (const ir::PolicyIr& p : set.policies())
    if (name.empty() || p.name() == name) out.push_back(&p);
  found = name.empty() || !out.empty();
  return out;
}

// Writes `text` to `path` only if it differs, so unchanged tables keep their
// timestamps and the launcher is not rebuilt for nothing.
bool write_if_changed(const fs::path& path, const std::string& text) {
  std::ifstream in(path, std::ios::binary);
  if (in) {
    std::stringstream old;
    old << in.rdbuf();
    if (old.str() == text) return true;
  }
  std::ofstream outf(path, std::ios::binary | std::ios::trunc);
  outf << text;
  return static_cast<bool>(outf);
}

int cmd_compile(const Args& a) {
  if (a.out.empty()) return usage_error("compile needs -o DIR");
  Compilation c;
  if (!compile_all(a, c)) return kExitInputError;
  std::map<std::string, emit::PolicyExtras> extras;
  for (const ir::PolicyIr& p : c.set.policies())
    extras[p.name()] = {explain::explain(p, explain::ExplainSeccomp::Omitted), p.seccomp().explain(),
                        p.seccomp().program().empty() ? "" : seccomp::disassemble(p.seccomp()),
                        seccomp::notify_seccomp(p.seccomp())};
  auto files = emit::emit_cpp(c.set, extras);
  std::error_code ec;
  fs::create_directories(a.out, ec);
  if (ec) {
    std::cerr << "stockadec: compile: cannot create " << a.out << ": " << ec.message() << "\n";
    return kExitUsage;
  }
  for (const auto& [file, text] : files) {
    if (!write_if_changed(fs::path(a.out) / file, text)) {
      std::cerr << "stockadec: compile: cannot write " << (fs::path(a.out) / file).string() << "\n";
      return kExitUsage;
    }
  }
  // Remove tables of policies that no longer exist.
  for (const auto& entry : fs::directory_iterator(a.out)) {
    if (entry.path().extension() == ".cc" && !files.count(entry.path().filename().string()))
      fs::remove(entry.path(), ec);
  }
  return 0;
}

int cmd_check(const Args& a) {
  Compilation c;
  if (!compile_all(a, c)) return kExitInputError;
  std::cout << fmt::format("{} polic{} ok\n", c.set.policies().size(), c.set.policies().size() == 1 ? "y" : "ies");
  return 0;
}

template <class F>
int for_selected(const Args& a, F print) {
  Compilation c;
  if (!compile_all(a, c)) return kExitInputError;
  bool found = false;
  auto chosen = select(c.set, a.name, found);
  if (!found) {
    std::cerr << "stockadec: no policy named '" << a.name << "'\n";
    return kExitInputError;
  }
  bool first = true;
  for (const ir::PolicyIr* p : chosen) {
    if (!first) std::cout << "\n";
    first = false;
    print(*p);
  }
  return 0;
}

int cmd_import(const Args& a) {
  if (a.files.size() != 1) return usage_error("import-nsjail takes exactly one CONFIG");
  const std::string& path = a.files[0];
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "stockadec: import-nsjail: cannot read " << path << "\n";
    return kExitUsage;
  }
  std::stringstream text;
  text << in.rdbuf();
  diag::SourceMap sources;
  sources.add(path, text.str());
  diag::Sink sink;
  nsjail::ImportOptions opts;
  opts.name = a.name;
  std::string policy;
  bool ok = nsjail::import_config(path, text.str(), opts, sink, policy);
  std::cerr << diag::render_all(sink, sources);
  if (!ok || sink.has_errors()) return kExitInputError;
  if (a.out.empty()) {
    std::cout << policy;
  } else if (!write_if_changed(a.out, policy)) {
    std::cerr << "stockadec: import-nsjail: cannot write " << a.out << "\n";
    return kExitUsage;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  GOOGLE_PROTOBUF_VERIFY_VERSION;
  Args a;
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return usage_error("no command given");
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << kUsage;
    return 0;
  }
  if (args[0] == "--version") {
    std::cout << "stockadec 0.1.0\n";
    return 0;
  }
  a.command = args[0];
  // `bpf … -o OUT` writes raw sock_filter bytes (compiler/seccomp/export_bpf.cc).
  if (a.command == "bpf" && seccomp::is_bpf_export({args.begin() + 1, args.end()})) {
    return seccomp::export_bpf_command({args.begin() + 1, args.end()},
                                       [&](const std::vector<std::string>& files, ir::PolicySet& out) {
                                         Args one = a;
                                         one.files = files;
                                         Compilation c;
                                         bool ok = compile_all(one, c);
                                         out = c.set;
                                         return ok;
                                       });
  }
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& s = args[i];
    auto value = [&](std::string& into) {
      if (i + 1 >= args.size()) return false;
      into = args[++i];
      return true;
    };
    if (s == "-o" || s == "--output") {
      if (!value(a.out)) return usage_error(s + " needs a value");
    } else if (s == "--root") {
      if (!value(a.root)) return usage_error("--root needs a directory");
    } else if (s == "--name") {
      if (!value(a.name)) return usage_error("--name needs a value");
    } else if (s == "--disasm") {
      a.disasm = true;
    } else if (!s.empty() && s[0] == '-') {
      return usage_error("unknown option '" + s + "'");
    } else {
      a.files.push_back(s);
    }
  }

  if (a.command == "import-nsjail") return cmd_import(a);
  if (a.files.empty()) return usage_error(a.command + " needs at least one .policy file");
  if (a.command == "compile") return cmd_compile(a);
  if (a.command == "check") return cmd_check(a);

  // explain / ir / bpf take FILE [NAME].
  if (a.command == "explain" || a.command == "ir" || a.command == "bpf") {
    if (a.files.size() > 2) return usage_error(a.command + " takes FILE [NAME]");
    if (a.files.size() == 2) {
      a.name = a.files[1];
      a.files.pop_back();
    }
  }
  if (a.command == "explain") return for_selected(a, [](const ir::PolicyIr& p) { std::cout << explain::explain(p); });
  if (a.command == "ir") {
    return for_selected(a, [](const ir::PolicyIr& p) {
      std::string text;
      google::protobuf::TextFormat::PrintToString(p, &text);
      std::cout << text;
    });
  }
  if (a.command == "bpf") {
    if (!a.disasm) return usage_error("bpf needs --disasm");
    return for_selected(a, [](const ir::PolicyIr& p) {
      std::cout << "# " << p.name() << "\n";
      if (p.seccomp().program().empty())
        std::cout << "(no seccomp filter)\n";
      else
        std::cout << seccomp::disassemble(p.seccomp());
    });
  }
  return usage_error("unknown command '" + a.command + "'");
}
