// SPDX-License-Identifier: Apache-2.0
// The Kafel front end and the seccomp stage behind it (resolution, BPF
// generation, verifier, `expect` checks) on arbitrary text, compiled after
// the shipped denylist's definitions as a policy's own block would be.
#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>

#include "entry_points.h"
#include "seccomp/seccomp.h"

namespace stockade::fuzz {
namespace {

std::string read_denylist() {
  std::ifstream in(STOCKADE_FUZZ_DENYLIST, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

ir::Location at(uint32_t line) {
  ir::Location l;
  l.set_file("fuzz.policy");
  l.set_line(line);
  l.set_column(1);
  return l;
}

}  // namespace

void kafel_frontend(const uint8_t* data, size_t size) {
  static const std::string denylist = read_denylist();
  std::string text(reinterpret_cast<const char*>(data), size);
  std::string expects;
  uint32_t expect_line = 0;
  size_t split = text.find("\n%%\n");
  if (split != std::string::npos) {
    expects = text.substr(split + 4);
    text.resize(split);
    expect_line = 3 + static_cast<uint32_t>(std::count(text.begin(), text.end(), '\n'));
  }
  ir::PolicyIr p;
  p.set_name("fuzz");
  ir::SeccompFragment* shared = p.mutable_seccomp()->add_fragments();
  shared->set_text(denylist);
  ir::Location denylist_at;
  denylist_at.set_file("base_denylist.kafel");
  denylist_at.set_line(1);
  denylist_at.set_column(1);
  *shared->mutable_location() = denylist_at;
  ir::SeccompFragment* own = p.mutable_seccomp()->add_fragments();
  own->set_text(text);
  *own->mutable_location() = at(1);
  size_t start = 0;
  while (start < expects.size()) {
    size_t nl = expects.find('\n', start);
    std::string line = expects.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    if (!line.empty()) {
      ir::Expect* e = p.mutable_seccomp()->add_expects();
      e->set_text(line);
      *e->mutable_location() = at(expect_line);
    }
    ++expect_line;
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  diag::Sink sink;
  if (seccomp::compile_policy(p, sink)) (void)seccomp::disassemble(p.seccomp());
  diag::SourceMap sources;
  sources.add("fuzz.policy", std::string(reinterpret_cast<const char*>(data), size));
  sources.add("base_denylist.kafel", denylist);
  (void)diag::render_all(sink, sources);
}

}  // namespace stockade::fuzz
