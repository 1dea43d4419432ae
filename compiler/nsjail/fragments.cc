// SPDX-License-Identifier: Apache-2.0
// Windmill's whole-statement placeholders (`{SHARED_MOUNT}` on a line of its
// own) become the statements they stand for, gated by params. A fragment
// that stands for one bind per host path (`{SHARED_DEPENDENCIES}`,
// `{EXTRA_MOUNTS}`) becomes a list param and one `bind each`; one that
// joins names to a directory (ROOTFS_ENTRY_1..16, FILE_RESOURCE_1..4) keeps
// a fixed number of optional params: a statement that uses an unset one is
// skipped, so the worker fills as many as it needs. The mapping:
// docs/migrating-from-nsjail.md.
#include <algorithm>
#include <functional>
#include <map>
#include <vector>

#include "translation.h"
#include "vocab/system_dirs.h"

namespace stockade::nsjail {
namespace {

constexpr int kRootfsEntries = 16;
constexpr int kFileResources = 4;

struct Out {
  Translation& t;
  const Placeholder& at;

  void param(const std::string& name, const std::string& type, bool optional, const std::string& def,
             const std::string& comment) {
    if (t.draft.find_param(name)) return;
    t.draft.params.push_back({name, type, optional, def, comment});
  }
  void job_dir() { t.uses.push_back({"JOB_DIR", Use::PathStart, false, {}}); }
  // Inserted before the first config mount that comes later in the file.
  void mount(const std::string& text, const std::string& target, const std::string& comment = {}) {
    auto& v = t.draft.mounts;
    auto pos = std::find_if(v.begin(), v.end(), [&](const Line& l) { return l.source_line > at.line; });
    v.insert(pos, Line{text, comment, at.line, target, true});
  }
  void env(const std::string& text, const std::string& comment) {
    auto& v = t.draft.env;
    auto pos = std::find_if(v.begin(), v.end(), [&](const Line& l) { return l.source_line > at.line; });
    v.insert(pos, Line{text, comment, at.line, {}, true});
  }
};

std::string n(int i) { return std::to_string(i); }

void shared_mount(Out& o) {
  o.param("SHARED_MOUNT", "bool", false, "false", "{SHARED_MOUNT}: bind <job dir>/shared at /tmp/shared");
  o.job_dir();
  o.mount("bind ${JOB_DIR}/shared -> /tmp/shared rw if SHARED_MOUNT", "/tmp/shared", "{SHARED_MOUNT}");
}

// Windmill writes one read-only bind per resolved package directory
// (Python, Ansible) or gem directory (Ruby), each at its own path: zero to
// a few hundred, so a list (repeated --param or --param-file).
void shared_dependencies(Out& o) {
  o.param("SHARED_DEPENDENCIES", "path[]", false, "",
          "{SHARED_DEPENDENCIES}: one package or gem directory a value, bound read-only at its own path");
  o.mount("bind each ${SHARED_DEPENDENCIES}", "each ${SHARED_DEPENDENCIES}", "{SHARED_DEPENDENCIES}");
}

void tmp_mount_block(Out& o) {
  o.param("TMP_ON_DISK", "bool", false, "false", "{TMP_MOUNT_BLOCK}: /tmp on disk (<job dir>/jail_tmp) or a tmpfs");
  o.param("TMP_SIZE", "size", false, "500MB", "{TMP_MOUNT_BLOCK}: size of the /tmp tmpfs");
  o.job_dir();
  o.mount("tmpfs /tmp size ${TMP_SIZE} if !TMP_ON_DISK", "/tmp", "{TMP_MOUNT_BLOCK}");
  o.mount("bind ${JOB_DIR}/jail_tmp -> /tmp rw if TMP_ON_DISK", "/tmp");
}

void dev(Out& o) {
  o.param("DEV", "bool", false, "false", "#{DEV}: development builds bind the Nix store");
  o.mount("bind /nix/store if DEV", "/nix/store", "#{DEV}");
}

void envars(Out& o) {
  o.param("ENVARS", "bool", false, "true", "{ENVARS}: the job's variables come from the launcher's environment");
  // The launcher is static, so LD_PRELOAD and friends in its environment
  // cannot act on it; only the job sees them.
  o.env("keep if ENVARS", "{ENVARS}: the worker sets them in the launcher's environment");
}

// The directories no caller-chosen target may lie in (compiler/vocab):
// the front end's `within` check refuses the same.
using vocab::is_system_dir;

// The directories the config itself makes writable: rw tmpfs mounts, and
// rw binds of a directory (a source that is one placeholder alone, such as
// `{SANDBOX_DIR}`, or `is_dir: true`), at a constant target outside the
// system directories. Nested ones are covered by their parent.
std::vector<std::string> writable_dirs(const Translation& t) {
  std::vector<std::string> dirs;
  const schema::NsJailConfig& c = t.cfg.config;
  for (const schema::MountPt& m : c.mount()) {
    if (!m.rw() || m.is_symlink() || m.has_src_content()) continue;
    std::vector<Piece> src = split_tokens(m.src(), t.cfg.pre), dst = split_tokens(m.dst(), t.cfg.pre);
    bool dir = m.is_bind() ? (src.size() == 1 && src[0].is_param) || m.is_dir() : m.fstype() == "tmpfs";
    if (!dir || dst.size() != 1 || dst[0].is_param) continue;
    std::string d = dst[0].text;
    while (d.size() > 1 && d.back() == '/') d.pop_back();
    bool plain = d.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-+@%,=~/") ==
                 std::string::npos;
    if (!plain || d[0] != '/' || is_system_dir(d) || d.find("//") != std::string::npos) continue;
    if (std::find(dirs.begin(), dirs.end(), d) == dirs.end()) dirs.push_back(d);
  }
  std::vector<std::string> top;
  for (const std::string& d : dirs) {
    bool nested = false;
    for (const std::string& p : dirs) nested = nested || d.rfind(p + "/", 0) == 0;
    if (!nested) top.push_back(d);
  }
  return top;
}

// Windmill's sandbox fills {EXTRA_MOUNTS} with binds the caller chooses,
// each with its own source, target and rw flag. Read-only at their own
// path: a path list. Read-write at a target the caller picks: a volume
// list, its targets only below the directories the config already makes
// writable, so a volume never lands on the system or on a read-only tree.
void extra_mounts(Out& o) {
  o.param("EXTRA_MOUNTS", "path[]", false, "", "{EXTRA_MOUNTS}: host paths bound read-only at their own path");
  o.mount("bind each ${EXTRA_MOUNTS}", "each ${EXTRA_MOUNTS}", "{EXTRA_MOUNTS}");
  std::vector<std::string> dirs = writable_dirs(o.t);
  if (dirs.empty()) {
    o.t.draft.footer.push_back(
        "{EXTRA_MOUNTS}: no writable directory in the config to place caller-chosen "
        "rw binds below; only read-only binds at their own path are imported");
    return;
  }
  std::string within;
  for (const std::string& d : dirs) within += " " + d;
  o.param("EXTRA_VOLUMES", "volume[]", false, "",
          "{EXTRA_MOUNTS}: HOST:TARGET binds the caller chooses, read-write, TARGET below" + within);
  o.mount("bind each ${EXTRA_VOLUMES} rw within" + within, "each ${EXTRA_VOLUMES}");
}

void rlimit_as(Out& o) {
  o.param("RLIMIT_AS", "size", true, "", "{RLIMIT_AS}: address-space limit; unset keeps nsjail's default above");
  o.t.draft.limits.push_back({"as ${RLIMIT_AS}", "{RLIMIT_AS}", o.at.line, {}, true});
}

void path_mount(Out& o, const std::string& name, const std::string& what) {
  o.param(name, "path", true, "", "{" + name + "}: " + what + ", bound read-only at the same path");
  o.mount("bind ${" + name + "}", "${" + name + "}", "{" + name + "}");
}

void rootfs_mounts(Out& o) {
  o.param("ROOTFS", "path", true, "", "{ROOTFS_MOUNTS}: the extracted image root");
  for (int i = 1; i <= kRootfsEntries; ++i) {
    std::string p = "ROOTFS_ENTRY_" + n(i);
    o.param(p, "name", true, "", i == 1 ? "{ROOTFS_MOUNTS}: top-level entries of ROOTFS, each bound rw at /NAME" : "");
    o.mount("bind ${ROOTFS}/${" + p + "} -> /${" + p + "} rw", "/${" + p + "}", i == 1 ? "{ROOTFS_MOUNTS}" : "");
  }
}

void result_mount(Out& o) {
  o.param("RESULT_MOUNT", "bool", false, "true", "{RESULT_MOUNT}: <job dir>/result.json at <cwd>/result.json");
  o.job_dir();
  const schema::NsJailConfig& c = o.t.cfg.config;
  std::string cwd = render_path(o.t, c.has_cwd() ? c.cwd() : "/", "cwd", false);
  std::string target = cwd == "/" ? "/result.json" : cwd + "/result.json";
  o.mount("bind ${JOB_DIR}/result.json -> " + target + " rw if RESULT_MOUNT", target, "{RESULT_MOUNT}");
}

void file_resources(Out& o) {
  o.job_dir();
  for (int i = 1; i <= kFileResources; ++i) {
    std::string p = "FILE_RESOURCE_" + n(i);
    o.param(p, "name", true, "", i == 1 ? "{FILE_RESOURCES}: files in the job dir, bound at /tmp/NAME" : "");
    o.mount("bind ${JOB_DIR}/${" + p + "} -> /tmp/${" + p + "}", "/tmp/${" + p + "}", i == 1 ? "{FILE_RESOURCES}" : "");
  }
}

void uidgidmap(Out& o) {
  o.t.sink.warning({o.t.cfg.file, o.at.line, o.at.column, static_cast<uint32_t>(o.at.name.size() + 2)},
                   "fragment {UIDGIDMAP} cannot be imported: uid_map and gid_map take fixed numbers; write "
                   "them by hand");
  o.t.draft.footer.push_back("{UIDGIDMAP}: write uid_map / gid_map lines by hand");
}

using Mapper = std::function<void(Out&)>;

const std::map<std::string, Mapper>& mappers() {
  static const std::map<std::string, Mapper> table = {
      {"SHARED_MOUNT", shared_mount},
      {"SHARED_DEPENDENCIES", shared_dependencies},
      {"TMP_MOUNT_BLOCK", tmp_mount_block},
      {"DEV", dev},
      {"ENVARS", envars},
      {"EXTRA_MOUNTS", extra_mounts},
      {"UIDGIDMAP", uidgidmap},
      {"RLIMIT_AS", rlimit_as},
      {"CA_MOUNT", [](Out& o) { path_mount(o, "CA_MOUNT", "a CA bundle"); }},
      {"INDEX_CERT_MOUNT", [](Out& o) { path_mount(o, "INDEX_CERT_MOUNT", "the package index's certificate"); }},
      {"ROOTFS_MOUNTS", rootfs_mounts},
      {"RESULT_MOUNT", result_mount},
      {"FILE_RESOURCES", file_resources},
  };
  return table;
}

}  // namespace

void translate_fragments(Translation& t) {
  for (const Placeholder& p : t.cfg.pre.placeholders) {
    if (p.slot != Slot::Fragment) continue;
    Out o{t, p};
    auto it = mappers().find(p.name);
    if (it == mappers().end()) {
      t.sink.warning({t.cfg.file, p.line, p.column, static_cast<uint32_t>(p.name.size() + 2)},
                     "unknown fragment placeholder {" + p.name +
                         "}: the statements it stands for are not known; nothing imported for it");
      t.draft.footer.push_back("{" + p.name + "}: unknown fragment, not imported");
      continue;
    }
    it->second(o);
  }
}

}  // namespace stockade::nsjail
