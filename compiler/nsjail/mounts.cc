// SPDX-License-Identifier: Apache-2.0
// nsjail `mount { … }` entries and mount_proc, as `mount { … }` statements.
#include <algorithm>
#include <optional>
#include <string>
#include <string_view>

#include <google/protobuf/descriptor.h>

#include "translation.h"
#include "vocab/devices.h"
#include "vocab/numbers.h"
#include "vocab/units.h"

namespace stockade::nsjail {
namespace {

using schema::MountPt;

enum class TmpfsSize { Ok, NotASize, TooLarge };

// tmpfs accepts a k/m/g suffix (powers of 1024) after the number.
TmpfsSize parse_tmpfs_size(const std::string& v, uint64_t& bytes) {
  size_t end = std::min(v.find_first_not_of("0123456789"), v.size());
  if (end == 0) return TmpfsSize::NotASize;
  std::string suffix = v.substr(end);
  uint64_t mult = 1;
  if (suffix == "k" || suffix == "K") mult = 1ULL << 10;
  else if (suffix == "m" || suffix == "M") mult = 1ULL << 20;
  else if (suffix == "g" || suffix == "G") mult = 1ULL << 30;
  else if (!suffix.empty()) return TmpfsSize::NotASize;
  std::optional<uint64_t> n = vocab::parse_unsigned(std::string_view(v).substr(0, end));
  std::optional<uint64_t> total = n ? vocab::checked_mul(*n, mult) : std::nullopt;
  if (!total) return TmpfsSize::TooLarge;
  bytes = *total;
  return TmpfsSize::Ok;
}

// "size=N,mode=1777" -> " size 500 MB mode 1777"; anything else is reported.
std::string tmpfs_options(Translation& t, const std::string& options, const std::string& key) {
  std::string out;
  size_t start = 0;
  while (start <= options.size()) {
    size_t comma = options.find(',', start);
    std::string opt = options.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    start = comma == std::string::npos ? options.size() + 1 : comma + 1;
    if (opt.empty()) continue;
    size_t eq = opt.find('=');
    std::string k = opt.substr(0, eq), v = eq == std::string::npos ? "" : opt.substr(eq + 1);
    std::vector<Piece> pieces = split_tokens(v, t.cfg.pre);
    uint64_t bytes = 0;
    TmpfsSize size = k == "size" ? parse_tmpfs_size(v, bytes) : TmpfsSize::NotASize;
    if (k == "size" && pieces.size() == 1 && pieces[0].is_param) {
      t.uses.push_back({pieces[0].text, Use::Size, false, {}});
      out += " size ${" + pieces[0].text + "}";
    } else if (size == TmpfsSize::Ok) {
      out += " size " + vocab::format_bytes(bytes);
    } else if (size == TmpfsSize::TooLarge) {
      t.sink.error(t.cfg.at(key), "tmpfs size '" + v + "' is too large: at most 18446744073709551615 bytes");
    } else if (k == "mode" && !v.empty() && v.find_first_not_of("01234567") == std::string::npos) {
      out += " mode " + v;
    } else {
      t.sink.warning(t.cfg.at(key), "field " + key + " is not supported: tmpfs option '" + opt +
                                        "' (only size=N[kmg] and mode=OCTAL translate)");
    }
  }
  return out;
}

// Marks the flags every kind handles the same way.
std::string common_flags(Translation& t, const MountPt& m, const std::string& key) {
  std::string out;
  for (const char* f : {"nosuid", "nodev", "noexec", "is_dir", "rw", "mandatory"}) t.done(key + "." + f);
  if (!bool_param(t, key + ".rw").empty() || !bool_param(t, key + ".mandatory").empty() ||
      !bool_param(t, key + ".noexec").empty())
    t.sink.error(t.cfg.at(key), "a placeholder as a mount flag cannot be imported; write the value");
  // nosuid and nodev are the language's defaults for binds and tmpfs.
  if (m.noexec()) out += " noexec";
  if (m.needs_mount_propagation()) t.unsupported(key + ".needs_mount_propagation", "the launcher's mounts are private");
  else if (m.has_needs_mount_propagation()) t.done(key + ".needs_mount_propagation");
  return out;
}

Line mount_line(Translation& t, const MountPt& m, const std::string& key, bool& skip) {
  skip = false;
  Line l;
  l.source_line = t.cfg.at(key).line;
  struct EnvPrefix {
    const char* field;
    bool has;
    const std::string& value;
  };
  for (const EnvPrefix& p : {EnvPrefix{"prefix_src_env", m.has_prefix_src_env(), m.prefix_src_env()},
                             EnvPrefix{"prefix_dst_env", m.has_prefix_dst_env(), m.prefix_dst_env()}}) {
    if (!p.has) continue;
    if (p.value.empty()) {
      t.done(key + "." + p.field);
      continue;
    }
    t.unsupported(key + "." + p.field,
                  "paths are fixed at build time or come from a param, not from the launcher's environment; "
                  "mount skipped");
    skip = true;
  }
  t.done(key);
  t.done(key + ".dst");
  if (skip) return l;
  bool optional = m.has_mandatory() && !m.mandatory();
  std::string dst = render_path(t, m.dst(), key + ".dst", optional && m.is_bind());
  l.target = dst;
  if (m.is_symlink()) {
    t.done(key + ".is_symlink");
    t.done(key + ".src");
    t.done(key + ".is_bind");
    std::string src =
        !m.src().empty() && m.src()[0] == '/' ? render_path(t, m.src(), key + ".src", false) : render_text(t, m.src());
    l.text = "symlink " + dst + " -> " + src;
    common_flags(t, m, key);
    if (optional) l.comment = "mandatory: false has no effect: a link is made whether its target exists or not";
    return l;
  }
  if (m.has_src_content()) {
    t.done(key + ".src_content");
    t.done(key + ".is_bind");
    l.text = "file " + dst + " " + render_text(t, m.src_content()) + common_flags(t, m, key);
    if (m.rw()) l.text += " rw";
    if (m.has_src()) t.unsupported(key + ".src", "src_content gives the file's bytes; src is ignored by nsjail too");
    return l;
  }
  if (m.is_bind()) {
    t.done(key + ".is_bind");
    t.done(key + ".src");
    if (m.has_fstype() && !m.fstype().empty()) t.unsupported(key + ".fstype", "a bind mount takes no filesystem type");
    else if (m.has_fstype()) t.done(key + ".fstype");
    if (m.has_options() && !m.options().empty())
      t.unsupported(key + ".options", "bind mounts take the language's flags, not mount(2) data");
    else if (m.has_options()) t.done(key + ".options");
    std::string src = render_path(t, m.src().empty() ? m.dst() : m.src(), key + ".src", optional);
    std::string flags = common_flags(t, m, key);
    if (src == dst && vocab::is_device_node(dst) && !optional) {
      l.text = "dev " + dst + (m.rw() ? "" : " ro") + flags;
      return l;
    }
    l.text = std::string(optional ? "bind? " : "bind ") + src + (src == dst ? "" : " -> " + dst) + flags;
    if (m.rw()) l.text += " rw";
    return l;
  }
  t.done(key + ".is_bind");
  t.done(key + ".fstype");
  t.done(key + ".options");
  if (m.fstype() == "tmpfs") {
    if (m.has_src()) t.done(key + ".src");  // the "source" of a tmpfs is only a label
    l.text = "tmpfs " + dst + tmpfs_options(t, m.options(), key + ".options") + common_flags(t, m, key);
    if (!m.rw()) l.text += " ro";
    if (optional) l.comment = "mandatory: false has no effect on a tmpfs";
    return l;
  }
  if (m.fstype() == "proc") {
    if (m.has_src()) t.done(key + ".src");
    if (!m.options().empty()) t.unsupported(key + ".options", "proc takes no options here");
    l.text = "proc " + dst + common_flags(t, m, key);
    if (!m.rw()) l.text += " ro";
    return l;
  }
  if (m.fstype().empty() && !m.has_src() && m.has_is_dir() && m.is_dir()) {
    l.text = "mkdir " + dst + common_flags(t, m, key);
    return l;
  }
  common_flags(t, m, key);
  if (m.fstype().empty())
    t.unsupported(key + ".fstype",
                  "a mount that is no bind, symlink, file or directory needs a filesystem type; "
                  "mount skipped");
  else
    t.unsupported(key + ".fstype", "only bind, tmpfs, proc, symlink, file and directory mounts exist (fstype '" +
                                       m.fstype() + "'); mount skipped");
  if (m.has_src()) t.done(key + ".src");
  skip = true;
  return l;
}

}  // namespace

void translate_mounts(Translation& t) {
  const schema::NsJailConfig& c = t.cfg.config;
  for (int i = 0; i < c.mount_size(); ++i) {
    std::string key = "mount[" + std::to_string(i) + "]";
    bool skip = false;
    Line l = mount_line(t, c.mount(i), key, skip);
    if (skip) {
      // Reported once; the mount's other fields go with it.
      const google::protobuf::Descriptor* d = schema::MountPt::descriptor();
      for (int f = 0; f < d->field_count(); ++f) t.done(key + "." + d->field(f)->name());
      t.draft.mounts.push_back({"", "skipped: nsjail " + key + " (see the warning)", l.source_line, {}, false});
      continue;
    }
    t.draft.mounts.push_back(l);
  }
  if (c.has_mount_proc()) t.done("mount_proc");
  if (c.mount_proc()) {
    // nsjail adds its /proc after the config's own mounts, read-only as its
    // config.proto documents.
    t.draft.mounts.push_back({"proc /proc ro", "mount_proc: true", UINT32_MAX, "/proc", false});
  }
}

}  // namespace stockade::nsjail
