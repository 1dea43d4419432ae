// SPDX-License-Identifier: Apache-2.0
// rlimit_* (with nsjail's defaults made explicit), disable_rl and cgroup_*.
#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include "translation.h"
#include "vocab/numbers.h"
#include "vocab/units.h"

namespace stockade::nsjail {
namespace {

namespace pb = google::protobuf;

enum class Kind { Size, Seconds, Count };

struct Rlimit {
  const char* language;  // name in `limits { }`
  const char* field;     // nsjail field, without "rlimit_"
  Kind kind;
  uint64_t unit;  // bytes per nsjail unit, for sizes
  const char* unit_name;
};

// nsjail's units per field (config.proto): MiB for as/core/fsize/stack, KiB
// for memlock, bytes for msgqueue.
constexpr Rlimit kRlimits[] = {
    {"as", "as", Kind::Size, 1ULL << 20, "MiB"},
    {"core", "core", Kind::Size, 1ULL << 20, "MiB"},
    {"cpu", "cpu", Kind::Seconds, 1, "s"},
    {"fsize", "fsize", Kind::Size, 1ULL << 20, "MiB"},
    {"nofile", "nofile", Kind::Count, 1, ""},
    {"nproc", "nproc", Kind::Count, 1, ""},
    {"stack", "stack", Kind::Size, 1ULL << 20, "MiB"},
    {"memlock", "memlock", Kind::Size, 1ULL << 10, "KiB"},
    {"rtprio", "rtprio", Kind::Count, 1, ""},
    {"msgqueue", "msgqueue", Kind::Size, 1, "B"},
};

struct Field {
  bool has = false;
  uint64_t value = 0;
  int enum_value = 0;
};

Field get(const pb::Message& m, const std::string& name) {
  const pb::FieldDescriptor* f = m.GetDescriptor()->FindFieldByName(name);
  const pb::Reflection* r = m.GetReflection();
  Field out;
  out.has = r->HasField(m, f);
  switch (f->cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_UINT64: out.value = r->GetUInt64(m, f); break;
    case pb::FieldDescriptor::CPPTYPE_UINT32: out.value = r->GetUInt32(m, f); break;
    case pb::FieldDescriptor::CPPTYPE_INT64: out.value = static_cast<uint64_t>(r->GetInt64(m, f)); break;
    case pb::FieldDescriptor::CPPTYPE_ENUM: out.enum_value = r->GetEnumValue(m, f); break;
    case pb::FieldDescriptor::CPPTYPE_INT32:
    case pb::FieldDescriptor::CPPTYPE_BOOL:
    case pb::FieldDescriptor::CPPTYPE_STRING:
    case pb::FieldDescriptor::CPPTYPE_MESSAGE:
    case pb::FieldDescriptor::CPPTYPE_FLOAT:
    case pb::FieldDescriptor::CPPTYPE_DOUBLE: break;
  }
  return out;
}

std::string value_text(Translation& t, const Rlimit& r, uint64_t v) {
  switch (r.kind) {
    case Kind::Size: return render_size(t, v, r.unit, r.unit_name);
    case Kind::Seconds: return render_seconds(t, v);
    case Kind::Count: return render_count(t, v);
  }
  return {};
}

void rlimits(Translation& t) {
  const schema::NsJailConfig& c = t.cfg.config;
  if (c.has_disable_rl()) t.done("disable_rl");
  for (const Rlimit& r : kRlimits) {
    std::string vkey = std::string("rlimit_") + r.field, tkey = vkey + "_type";
    Field v = get(c, vkey), ty = get(c, tkey);
    if (c.disable_rl()) {
      for (const std::string& k : {vkey, tkey}) {
        if (!get(c, k).has) continue;
        t.sink.warning(t.cfg.at(k), "field " + k + " has no effect: disable_rl keeps the inherited limits");
        t.done(k);
      }
      continue;
    }
    if (v.has) t.done(vkey);
    if (ty.has) t.done(tkey);
    auto type = static_cast<schema::RLimit>(ty.enum_value);
    std::string origin = ty.has ? tkey + ": " + schema::RLimit_Name(type)
                                : (v.has ? std::string() : "nsjail's default (" + vkey + " absent)");
    switch (type) {
      case schema::VALUE:
        t.draft.limits.push_back({std::string(r.language) + " " + value_text(t, r, v.value), origin, 0, {}, false});
        break;
      case schema::INF: t.draft.limits.push_back({std::string(r.language) + " inf", origin, 0, {}, false}); break;
      case schema::SOFT:
      case schema::HARD:
        // nsjail copies the caller's soft (or hard) limit into both; the
        // launcher leaves the inherited pair as it is.
        t.draft.limits.push_back({std::string("inherit ") + r.language,
                                  origin + ": the caller's " + (type == schema::SOFT ? "soft" : "hard") + " limit" +
                                      (v.has ? " (" + vkey + " is unused)" : ""),
                                  0,
                                  {},
                                  false});
        break;
    }
  }
  if (c.disable_rl()) t.draft.limits.push_back({"inherit all", "disable_rl: true", 0, {}, false});
}

void cgroups(Translation& t) {
  const schema::NsJailConfig& c = t.cfg.config;
  struct Limit {
    const char* field;
    const char* language;
    bool bytes;
  };
  for (const Limit& l :
       {Limit{"cgroup_mem_max", "memory", true}, Limit{"cgroup_mem_memsw_max", "memory_swap", true},
        Limit{"cgroup_pids_max", "pids", false}, Limit{"cgroup_cpu_ms_per_sec", "cpu_ms_per_sec", false}}) {
    Field f = get(c, l.field);
    if (!f.has) continue;
    t.done(l.field);
    if (f.value == 0) continue;  // nsjail: 0 = no limit
    std::string v = l.bytes ? render_size(t, f.value, 1, "B") : render_count(t, f.value);
    t.draft.cgroup.push_back({std::string(l.language) + " " + v, l.field, 0, {}, false});
  }
  if (c.has_cgroup_mem_swap_max()) {
    if (c.cgroup_mem_swap_max() < 0) {
      t.done("cgroup_mem_swap_max");
    } else if (c.cgroup_mem_max() > 0 && !integer_token_id(c.cgroup_mem_max(), t.cfg.pre) &&
               !c.has_cgroup_mem_memsw_max()) {
      t.done("cgroup_mem_swap_max");
      std::optional<uint64_t> total =
          vocab::checked_add(c.cgroup_mem_max(), static_cast<uint64_t>(c.cgroup_mem_swap_max()));
      if (total)
        t.draft.cgroup.push_back(
            {"memory_swap " + vocab::format_bytes(*total), "cgroup_mem_max + cgroup_mem_swap_max", 0, {}, false});
      else
        t.sink.error(t.cfg.at("cgroup_mem_swap_max"),
                     "cgroup_mem_max + cgroup_mem_swap_max is too large: at most 18446744073709551615 bytes");
    } else {
      t.unsupported("cgroup_mem_swap_max",
                    "swap is limited as memory + swap; give cgroup_mem_max as a number "
                    "and no cgroup_mem_memsw_max");
    }
  }
  if (c.has_cgroup_net_cls_classid()) {
    if (c.cgroup_net_cls_classid() == 0) t.done("cgroup_net_cls_classid");
    else t.unsupported("cgroup_net_cls_classid", "the launcher does not tag network packets");
  }
  for (const char* f : {"cgroup_mem_mount", "cgroup_mem_parent", "cgroup_pids_mount", "cgroup_pids_parent",
                        "cgroup_net_cls_mount", "cgroup_net_cls_parent", "cgroup_cpu_mount", "cgroup_cpu_parent",
                        "cgroupv2_mount", "use_cgroupv2", "detect_cgroupv2"}) {
    const pb::FieldDescriptor* fd = c.GetDescriptor()->FindFieldByName(f);
    if (c.GetReflection()->HasField(c, fd))
      t.unsupported(f, "the launcher detects cgroup v1 or v2 and makes the job's cgroup under its own");
  }
}

}  // namespace

void translate_limits(Translation& t) {
  rlimits(t);
  cgroups(t);
}

}  // namespace stockade::nsjail
