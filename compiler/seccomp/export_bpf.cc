// SPDX-License-Identifier: Apache-2.0
#include "export_bpf.h"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "codegen.h"
#include "diag/diagnostics.h"
#include "export_oci.h"
#include "interpreter.h"
#include "kafel_parse.h"
#include "resolve.h"
#include "seccomp.h"

namespace stockade::seccomp {
namespace {

namespace fs = std::filesystem;

constexpr int kExitInputError = 1;
constexpr int kExitUsage = 2;

int usage(const std::string& what) {
  std::cerr << "stockadec: bpf: " << what << "\n"
            << "usage: stockadec bpf [--oci] --kafel FILE [-I DIR]... -o OUT\n"
            << "       stockadec bpf [--oci] POLICY_FILE [NAME] -o OUT\n";
  return kExitUsage;
}

// Raw struct sock_filter: u16 code, u8 jt, u8 jf, u32 k, in host order.
std::string to_bytes(const Program& program) {
  std::string out;
  for (const Insn& i : program) {
    char b[8];
    std::memcpy(b, &i.code, 2);
    std::memcpy(b + 2, &i.jt, 1);
    std::memcpy(b + 3, &i.jf, 1);
    std::memcpy(b + 4, &i.k, 4);
    out.append(b, sizeof b);
  }
  return out;
}

// Writes through a temporary beside OUT, so a failed export leaves nothing.
int write_out(const std::string& path, const std::string& bytes) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!f) {
      std::error_code ignored;
      fs::remove(tmp, ignored);
      std::cerr << "stockadec: bpf: cannot write " << path << "\n";
      return kExitUsage;
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    std::cerr << "stockadec: bpf: cannot write " << path << "\n";
    return kExitUsage;
  }
  return 0;
}

// The rules as an OCI profile (export_oci.h), or an error rendered.
int write_oci(const RuleSet& rules, diag::Sink& sink, const diag::SourceMap& sources, const std::string& out) {
  OciProfile profile;
  bool ok = oci_profile(rules, profile, sink);
  std::cerr << diag::render_all(sink, sources);
  if (!ok) return kExitInputError;
  return write_out(out, oci_json(profile));
}

int export_kafel(const std::string& file, std::vector<std::string> dirs, const std::string& out, bool oci) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::cerr << "stockadec: bpf: cannot read " << file << "\n";
    return kExitUsage;
  }
  std::stringstream text;
  text << in.rdbuf();
  // Kafel finds includes only in registered directories; without -I the
  // file's own directory is the search path (as for seccomp blocks).
  if (dirs.empty()) {
    fs::path dir = fs::path(file).parent_path();
    dirs.push_back(dir.empty() ? fs::path(".").string() : dir.string());
  }
  diag::Sink sink;
  diag::SourceMap sources;
  sources.add(file, text.str());
  std::vector<ast::Unit> units(1);
  RuleSet rules;
  Constants constants;
  Program program;
  bool ok = parse_fragment(text.str(), FragmentOrigin{file, 1, 1}, units[0], sink, dirs) &&
            resolve(units, Abi::X86_64, rules, constants, sink);
  if (ok && oci) return write_oci(rules, sink, sources, out);
  std::string error;
  if (ok && !generate(rules, CodegenOptions{}, program, error)) {
    sink.error(diag::Location{file, 0, 0, 1}, error);
    ok = false;
  }
  if (ok) {
    if (std::string why = verify(program); !why.empty()) {
      sink.error(diag::Location{file, 0, 0, 1}, "internal error: generated seccomp program rejected: " + why);
      ok = false;
    }
  }
  std::cerr << diag::render_all(sink, sources);
  if (!ok) return kExitInputError;
  return write_out(out, to_bytes(program));
}

int export_policy(const std::string& file, const std::string& name, const std::string& out,
                  const CompilePolicyFiles& compile, bool oci) {
  ir::PolicySet set;
  if (!compile({file}, set)) return kExitInputError;
  const ir::PolicyIr* chosen = nullptr;
  size_t count = 0;
  for (const ir::PolicyIr& p : set.policies()) {
    if (!name.empty() && p.name() != name) continue;
    chosen = &p;
    ++count;
  }
  if (count == 0) {
    std::cerr << "stockadec: bpf: " << file << " defines no policy " << (name.empty() ? "" : "`" + name + "'") << "\n";
    return kExitInputError;
  }
  if (count > 1) {
    std::cerr << "stockadec: bpf: " << file << " defines " << count << " policies; name one\n";
    return kExitUsage;
  }
  if (chosen->seccomp().program().empty()) {
    std::cerr << "stockadec: bpf: policy `" << chosen->name() << "' has no seccomp filter\n";
    return kExitInputError;
  }
  if (oci) {
    diag::Sink sink;
    diag::SourceMap sources;
    std::set<std::string> read;
    for (const ir::SeccompFragment& f : chosen->seccomp().fragments()) {
      if (!read.insert(f.location().file()).second) continue;
      std::ifstream in(f.location().file(), std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      sources.add(f.location().file(), text.str());
    }
    RuleSet rules;
    Constants constants;
    if (!policy_rules(chosen->seccomp(), sink, "", rules, constants)) {
      std::cerr << diag::render_all(sink, sources);
      return kExitInputError;
    }
    return write_oci(rules, sink, sources, out);
  }
  Program program;
  for (const ir::BpfInsn& i : chosen->seccomp().program())
    program.push_back(
        Insn{static_cast<uint16_t>(i.code()), static_cast<uint8_t>(i.jt()), static_cast<uint8_t>(i.jf()), i.k()});
  return write_out(out, to_bytes(program));
}

}  // namespace

bool is_bpf_export(const std::vector<std::string>& args) {
  for (const std::string& a : args)
    if (a == "--disasm") return false;
  return true;
}

int export_bpf_command(const std::vector<std::string>& args, const CompilePolicyFiles& compile) {
  std::string kafel, out;
  bool oci = false;
  std::vector<std::string> dirs, positional;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& s = args[i];
    auto value = [&](std::string& into) {
      if (i + 1 >= args.size()) return false;
      into = args[++i];
      return true;
    };
    std::string v;
    if (s == "--oci") {
      oci = true;
    } else if (s == "--kafel") {
      if (!value(kafel)) return usage("--kafel needs a file");
    } else if (s == "-I") {
      if (!value(v)) return usage("-I needs a directory");
      dirs.push_back(v);
    } else if (s == "-o" || s == "--output") {
      if (!value(out)) return usage(s + " needs a file");
    } else if (!s.empty() && s[0] == '-') {
      return usage("unknown option '" + s + "'");
    } else {
      positional.push_back(s);
    }
  }
  if (out.empty()) return usage("-o OUT is required (or --disasm to print the program)");
  if (!kafel.empty()) {
    if (!positional.empty()) return usage("--kafel takes one file and no policy name");
    return export_kafel(kafel, dirs, out, oci);
  }
  if (!dirs.empty()) return usage("-I applies to --kafel only");
  if (positional.empty() || positional.size() > 2) return usage("expected POLICY_FILE [NAME]");
  return export_policy(positional[0], positional.size() == 2 ? positional[1] : "", out, compile, oci);
}

}  // namespace stockade::seccomp
