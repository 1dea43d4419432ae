// Windmill's whole-statement placeholders (`{SHARED_MOUNT}` on a line of its
// own) become the statements they stand for, gated by params. List-valued
// fragments get a fixed number of optional params (SHARED_DEP_1..8, …): a
// statement that uses an unset optional param is skipped, so the worker
// fills as many as it needs. The mapping: docs/migrating-from-nsjail.md.
#include <algorithm>
#include <functional>
#include <map>

#include "translation.h"

namespace stockade::nsjail {
namespace {

constexpr int kSharedDeps = 8;
constexpr int kExtraMounts = 4;
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

void shared_dependencies(Out& o) {
  for (int i = 1; i <= kSharedDeps; ++i) {
    std::string p = "SHARED_DEP_" + n(i);
    o.param(p, "path", true, "", i == 1 ? "{SHARED_DEPENDENCIES}: extra Python paths, bound read-only" : "");
    o.mount("bind ${" + p + "}", "${" + p + "}", i == 1 ? "{SHARED_DEPENDENCIES}" : "");
  }
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
  o.param("ENVARS", "bool", false, "true",
          "{ENVARS}: the job's variables come from the launcher's environment");
  // The launcher is static, so LD_PRELOAD and friends in its environment
  // cannot act on it; only the job sees them.
  o.env("keep if ENVARS", "{ENVARS}: the worker sets them in the launcher's environment");
}

void extra_mounts(Out& o) {
  for (int i = 1; i <= kExtraMounts; ++i) {
    std::string p = "EXTRA_MOUNT_" + n(i);
    o.param(p, "path", true, "", i == 1 ? "{EXTRA_MOUNTS}: host paths bound read-only at the same place" : "");
    o.mount("bind ${" + p + "}", "${" + p + "}", i == 1 ? "{EXTRA_MOUNTS}" : "");
  }
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
    o.mount("bind ${JOB_DIR}/${" + p + "} -> /tmp/${" + p + "}", "/tmp/${" + p + "}",
            i == 1 ? "{FILE_RESOURCES}" : "");
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
