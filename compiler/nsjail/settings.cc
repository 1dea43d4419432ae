// SPDX-License-Identifier: Apache-2.0
// name, mode, hostname, cwd, time limit, network, namespaces, uid/gid maps.
#include <string>

#include "translation.h"
#include "vocab/numbers.h"

namespace stockade::nsjail {
namespace {

using schema::NsJailConfig;

// A bool field as a constant or a param, with nsjail's default when absent.
struct Flag {
  bool set = false;    // written in the config
  bool value = false;  // constant value (when param is empty)
  std::string param;   // the bool param it was given by
};

Flag flag(Translation& t, const std::string& key, bool has, bool value) {
  Flag f{has, value, {}};
  if (has) {
    f.param = bool_param(t, key);
    t.done(key);
  }
  return f;
}

const char* on_off(bool b) { return b ? "on" : "off"; }

void namespace_lines(Translation& t, const char* ns, const char* field, const Flag& f) {
  std::string why = f.set ? std::string(field) + (f.param.empty() ? std::string(": ") + (f.value ? "true" : "false")
                                                                  : ": {" + f.param + "}")
                          : std::string("nsjail's default (") + field + " absent)";
  if (!f.param.empty()) {
    t.draft.namespaces.push_back({std::string(ns) + " on if " + f.param, why, 0, {}, false});
    t.draft.namespaces.push_back({std::string(ns) + " off if !" + f.param, "", 0, {}, false});
  } else {
    t.draft.namespaces.push_back({std::string(ns) + " " + on_off(f.value), why, 0, {}, false});
  }
}

// nsjail's id strings: a number, or "" for the user running nsjail.
bool parse_id(Translation& t, const std::string& key, const std::string& id, uint32_t& out, bool& was_empty) {
  was_empty = id.empty();
  if (id.empty()) {
    out = 0;
    return true;
  }
  if (id.find_first_not_of("0123456789") != std::string::npos) {
    t.unsupported(key, "'" + id + "' is not a number; the launcher takes numeric ids only");
    return false;
  }
  std::optional<uint32_t> n = vocab::parse_id(id);
  if (!n) {
    t.sink.error(t.cfg.at(key), "id '" + id + "' is out of range: ids go up to 4294967295");
    return false;
  }
  out = *n;
  return true;
}

void id_maps(Translation& t, const char* keyword, const char* field,
             const google::protobuf::RepeatedPtrField<schema::IdMap>& maps, bool userns_possible) {
  for (int i = 0; i < maps.size(); ++i) {
    const schema::IdMap& m = maps[i];
    std::string key = std::string(field) + "[" + std::to_string(i) + "]";
    t.done(key);
    bool skip = false;
    if (m.use_newidmap()) {
      t.unsupported(key + ".use_newidmap", "the launcher writes the map itself, it never runs new[ug]idmap");
      skip = true;
    }
    uint32_t inside = 0, outside = 0;
    bool in_empty = false, out_empty = false;
    skip = !parse_id(t, key + ".inside_id", m.inside_id(), inside, in_empty) || skip;
    skip = !parse_id(t, key + ".outside_id", m.outside_id(), outside, out_empty) || skip;
    // Reported above when skipped; the map's other fields go with it.
    for (const char* f : {"inside_id", "outside_id", "count", "use_newidmap"}) t.done(key + "." + f);
    if (skip) {
      t.draft.id_maps.push_back({"", std::string("skipped: nsjail ") + key + " (see the warning)", 0, {}, false});
      continue;
    }
    std::string comment;
    if (in_empty || out_empty) comment = "\"\" is the id running nsjail: root (0) for Windmill's worker";
    t.draft.id_maps.push_back({std::string(keyword) + " " + std::to_string(inside) + " " + std::to_string(outside) +
                                   " " + std::to_string(m.count()),
                               comment,
                               0,
                               {},
                               false});
  }
  if (maps.empty() && userns_possible) {
    t.draft.id_maps.push_back({std::string(keyword) + " 0 0 1",
                               std::string("nsjail's default without ") + field +
                                   ": the id running nsjail (root for Windmill's worker) on both sides",
                               0,
                               {},
                               false});
  }
}

}  // namespace

void translate_settings(Translation& t) {
  const NsJailConfig& c = t.cfg.config;
  Draft& d = t.draft;

  if (c.has_name()) {
    d.header.push_back("nsjail config name: \"" + restore_placeholders(t, c.name()) + "\"");
    t.done("name");
  }
  for (int i = 0; i < c.description_size(); ++i) {
    d.header.push_back("nsjail description: " + restore_placeholders(t, c.description(i)));
    t.done("description[" + std::to_string(i) + "]");
  }
  if (c.has_mode()) {
    if (c.mode() == schema::ONCE) t.done("mode");
    else
      t.unsupported(
          "mode", "the launcher runs one job per start (ONCE); " + schema::Mode_Name(c.mode()) + " has no equivalent");
  }

  if (c.has_hostname()) {
    d.settings.push_back({"hostname " + render_text(t, c.hostname()), "", 0, {}, false});
    t.done("hostname");
  } else {
    d.settings.push_back({"hostname \"NSJAIL\"", "nsjail's default (hostname absent)", 0, {}, false});
  }
  if (c.has_cwd()) {
    d.settings.push_back({"cwd " + render_path(t, c.cwd(), "cwd", false), "", 0, {}, false});
    t.done("cwd");
  } else {
    d.settings.push_back({"cwd /", "nsjail's default (cwd absent)", 0, {}, false});
  }
  if (!c.has_time_limit()) {
    d.settings.push_back({"time_limit 600s", "nsjail's default (time_limit absent)", 0, {}, false});
  } else {
    t.done("time_limit");
    if (c.time_limit() == 0) d.settings.push_back({"time_limit none", "time_limit: 0", 0, {}, false});
    else d.settings.push_back({"time_limit " + render_seconds(t, c.time_limit()), "", 0, {}, false});
  }

  // Network: own namespace or not (clone_newnet), loopback up or down
  // (iface_no_lo). The last applicable line wins, so defaults come first.
  Flag newnet = flag(t, "clone_newnet", c.has_clone_newnet(), c.clone_newnet());
  Flag no_lo = flag(t, "iface_no_lo", c.has_iface_no_lo(), c.iface_no_lo());
  bool own_ns_possible = !newnet.param.empty() || newnet.value || !newnet.set;
  if (own_ns_possible) {
    if (!no_lo.param.empty()) {
      d.settings.push_back({"network loopback", "iface_no_lo: {" + no_lo.param + "}", 0, {}, false});
      d.settings.push_back({"network none if " + no_lo.param, "", 0, {}, false});
    } else if (no_lo.value) {
      d.settings.push_back({"network none", "own network namespace, iface_no_lo: true", 0, {}, false});
    } else {
      d.settings.push_back(
          {"network loopback", no_lo.set ? "iface_no_lo: false" : "nsjail brings lo up by default", 0, {}, false});
    }
  }
  if (!newnet.param.empty()) {
    d.settings.push_back({"network host if !" + newnet.param, "clone_newnet: {" + newnet.param + "}", 0, {}, false});
  } else if (newnet.set && !newnet.value) {
    d.settings.push_back(
        {"network host",
         std::string("clone_newnet: false") + (no_lo.set ? " (iface_no_lo has no effect without it)" : ""),
         0,
         {},
         false});
  }

  Flag user = flag(t, "clone_newuser", c.has_clone_newuser(), c.clone_newuser());
  if (!user.set) user.value = true;
  namespace_lines(t, "user", "clone_newuser", user);
  struct NsField {
    const char* ns;
    const char* field;
    bool has;
    bool value;
  };
  for (const NsField& n : {NsField{"mount", "clone_newns", c.has_clone_newns(), c.clone_newns()},
                           NsField{"pid", "clone_newpid", c.has_clone_newpid(), c.clone_newpid()},
                           NsField{"ipc", "clone_newipc", c.has_clone_newipc(), c.clone_newipc()},
                           NsField{"uts", "clone_newuts", c.has_clone_newuts(), c.clone_newuts()},
                           NsField{"cgroup", "clone_newcgroup", c.has_clone_newcgroup(), c.clone_newcgroup()},
                           NsField{"time", "clone_newtime", c.has_clone_newtime(), c.clone_newtime()}}) {
    Flag f = flag(t, n.field, n.has, n.value);  // absent: the schema default is nsjail's
    namespace_lines(t, n.ns, n.field, f);
  }

  bool userns_possible = !user.param.empty() || user.value;
  id_maps(t, "uid_map", "uidmap", c.uidmap(), userns_possible);
  id_maps(t, "gid_map", "gidmap", c.gidmap(), userns_possible);
}

}  // namespace stockade::nsjail
