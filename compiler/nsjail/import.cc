// SPDX-License-Identifier: Apache-2.0
#include "import.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include "draft.h"
#include "parse_config.h"
#include "translation.h"

namespace stockade::nsjail {
namespace {

namespace pb = google::protobuf;

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool is_identifier(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  return true;
}

// Walks every field the config sets; any not translated or reported is an
// importer bug, reported rather than dropped.
void walk(Translation& t, const pb::Message& msg, const std::string& prefix) {
  for_each_set_field(msg, prefix, [&](const pb::FieldDescriptor* f, int index, const std::string& key) {
    if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) walk(t, field_message(msg, f, index), key + ".");
    else if (!t.handled.count(key) && !t.handled.count(prefix + f->name()))
      t.sink.warning(t.cfg.at(key), "field " + key + " was neither translated nor reported (importer bug)");
  });
}

bool uses_optional_param(const Draft& d, const std::string& text) {
  for (const ParamDecl& p : d.params)
    if (p.optional && text.find("${" + p.name + "}") != std::string::npos) return true;
  return false;
}

// nsjail lets a later mount hide an earlier one on the same target; the
// language forbids two mounts on one target, so the hidden one is dropped.
void drop_hidden_mounts(Translation& t) {
  auto& mounts = t.draft.mounts;
  for (Line& l : mounts)
    l.conditional = l.conditional || uses_optional_param(t.draft, l.text) || l.text.find(" if ") != std::string::npos;
  for (size_t i = 0; i < mounts.size(); ++i) {
    if (mounts[i].text.empty() || mounts[i].conditional) continue;
    for (size_t j = i + 1; j < mounts.size(); ++j) {
      if (mounts[j].text.empty() || mounts[j].conditional || mounts[j].target != mounts[i].target) continue;
      std::string later = mounts[j].source_line == UINT32_MAX ? std::string("mount_proc")
                                                              : "line " + std::to_string(mounts[j].source_line);
      t.sink.warning(
          {t.cfg.file, mounts[i].source_line, 0, 1},
          "mount on " + mounts[i].target + " is hidden by the mount on the same target at " + later + ": dropped");
      mounts[i].comment = "hidden by the later mount on " + mounts[i].target + " (" + later + "): " + mounts[i].text;
      mounts[i].text.clear();
      break;
    }
  }
}

}  // namespace

std::string policy_name_from_path(const std::string& path) {
  std::string base = path.substr(path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/') + 1);
  for (const char* suffix : {".config.proto", ".proto", ".json", ".cfg"}) {
    if (ends_with(base, suffix)) {
      base.resize(base.size() - std::string(suffix).size());
      break;
    }
  }
  if (base.rfind("run.", 0) == 0 && base.size() > 4) base = base.substr(4);
  for (char& c : base)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') c = '_';
  if (base.empty() || std::isdigit(static_cast<unsigned char>(base[0]))) base = "p_" + base;
  return base;
}

bool import_config(const std::string& path, const std::string& text, const ImportOptions& opts, diag::Sink& sink,
                   std::string& policy_text) {
  size_t errors_before = sink.error_count();
  ParsedConfig cfg;
  if (!parse_config(path, text, sink, cfg)) return false;
  Translation t(cfg, sink);
  t.draft.name = opts.name.empty() ? policy_name_from_path(path) : opts.name;
  if (!is_identifier(t.draft.name)) {
    sink.error({path, 0, 0, 1}, "policy name '" + t.draft.name + "' is not an identifier; give one with --name");
    return false;
  }
  std::string base = path.substr(path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/') + 1);
  t.draft.header = {
      "Imported from " + base + " by `stockadec import-nsjail`.",
      "nsjail's silent defaults are written out and marked \"nsjail's default\".",
      "Differences by design: binds and tmpfs are nosuid,nodev here (nsjail set neither",
      "unless asked; device nodes use `dev`), and read-only binds are read-only recursively.",
  };
  translate_settings(t);
  translate_network_rules(t);  // after the network lines: its statement wins
  translate_mounts(t);
  translate_limits(t);
  translate_process(t);
  translate_fragments(t);
  declare_params(t);
  drop_hidden_mounts(t);
  walk(t, cfg.config, "");
  if (sink.error_count() > errors_before) return false;
  policy_text = render(t.draft);
  return true;
}

}  // namespace stockade::nsjail
