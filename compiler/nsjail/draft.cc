// SPDX-License-Identifier: Apache-2.0
#include "draft.h"

namespace stockade::nsjail {
namespace {

void put_line(std::string& out, const std::string& indent, const Line& l) {
  out += indent;
  if (l.text.empty()) {
    out += "# " + l.comment + "\n";
    return;
  }
  out += l.text;
  if (!l.comment.empty()) out += "  # " + l.comment;
  out += '\n';
}

void put_block(std::string& out, const char* keyword, const std::vector<Line>& lines) {
  if (lines.empty()) return;
  out += std::string("  ") + keyword + " {\n";
  for (const Line& l : lines) put_line(out, "    ", l);
  out += "  }\n";
}

}  // namespace

ParamDecl* Draft::find_param(const std::string& param_name) {
  for (ParamDecl& p : params)
    if (p.name == param_name) return &p;
  return nullptr;
}

std::string render(const Draft& d) {
  std::string out;
  for (const std::string& h : d.header) out += h.empty() ? "#\n" : "# " + h + "\n";
  out += "policy " + d.name + " {\n";
  for (const ParamDecl& p : d.params) {
    std::string decl = "param " + p.name + " : " + p.type + (p.optional ? "?" : "");
    if (!p.default_text.empty()) decl += " = " + p.default_text;
    put_line(out, "  ", {decl, p.comment, 0, {}, false});
  }
  if (!d.params.empty()) out += '\n';
  for (const Line& l : d.settings) put_line(out, "  ", l);
  put_block(out, "namespaces", d.namespaces);
  for (const Line& l : d.id_maps) put_line(out, "  ", l);
  put_block(out, "mount", d.mounts);
  put_block(out, "limits", d.limits);
  put_block(out, "cgroup", d.cgroup);
  put_block(out, "env", d.env);
  put_block(out, "capabilities", d.capabilities);
  for (const Line& l : d.process) put_line(out, "  ", l);
  if (!d.seccomp.empty()) {
    out += "  seccomp {\n" + d.seccomp;
    if (d.seccomp.back() != '\n') out += '\n';
    out += "  }\n";
  }
  for (const std::string& f : d.footer) out += "  # " + f + "\n";
  out += "}\n";
  return out;
}

}  // namespace stockade::nsjail
