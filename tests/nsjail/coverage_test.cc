// SPDX-License-Identifier: Apache-2.0
// "Nothing is dropped silently", checked for every field of the schema: a
// config that sets one field to a non-default value must either change the
// policy or get a warning naming that field.
#include <doctest/doctest.h>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/text_format.h>

#include <set>
#include <string>

#include "diag/diagnostics.h"
#include "import.h"
#include "nsjail_config.pb.h"

namespace {

namespace pb = google::protobuf;
using stockade::nsjail::schema::MountPt;
using stockade::nsjail::schema::NsJailConfig;

struct Outcome {
  bool ok = false;
  std::string policy;
  std::string messages;  // every diagnostic message, one per line
};

Outcome import_message(const pb::Message& m) {
  std::string text;
  pb::TextFormat::PrintToString(m, &text);
  stockade::diag::Sink sink;
  Outcome o;
  o.ok = stockade::nsjail::import_config("f.cfg", text, {}, sink, o.policy);
  for (const auto& d : sink.all()) o.messages += d.message + "\n";
  return o;
}

// A value unlike the field's default that still makes a valid config.
void set_unusual(pb::Message& m, const pb::FieldDescriptor* f) {
  const pb::Reflection* r = m.GetReflection();
  const std::string& name = f->name();
  switch (f->cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_BOOL:
      if (f->is_repeated()) r->AddBool(&m, f, true);
      else r->SetBool(&m, f, !r->GetBool(m, f));  // the opposite of what is there
      break;
    case pb::FieldDescriptor::CPPTYPE_INT32:
      if (f->is_repeated()) r->AddInt32(&m, f, 7);
      else r->SetInt32(&m, f, f->default_value_int32() + 7);
      break;
    case pb::FieldDescriptor::CPPTYPE_INT64: r->SetInt64(&m, f, 1 << 20); break;
    case pb::FieldDescriptor::CPPTYPE_UINT32: r->SetUInt32(&m, f, f->default_value_uint32() + 7); break;
    case pb::FieldDescriptor::CPPTYPE_UINT64: r->SetUInt64(&m, f, f->default_value_uint64() + 7); break;
    case pb::FieldDescriptor::CPPTYPE_ENUM: {
      const pb::EnumDescriptor* e = f->enum_type();
      int pick = e->value(0)->number() == f->default_value_enum()->number() ? 1 : 0;
      r->SetEnumValue(&m, f, e->value(pick)->number());
      break;
    }
    case pb::FieldDescriptor::CPPTYPE_STRING: {
      std::string v = name == "envar"                               ? "A=b"
                      : name == "cap"                               ? "CAP_CHOWN"
                      : name == "hostname"                          ? "h"
                      : name == "inside_id" || name == "outside_id" ? "5"
                      : name == "options"                           ? "size=4096"
                      : name == "fstype"                            ? "tmpfs"
                                                                    : "/x";
      if (f->is_repeated()) r->AddString(&m, f, v);
      else r->SetString(&m, f, v);
      break;
    }
    case pb::FieldDescriptor::CPPTYPE_MESSAGE:
    case pb::FieldDescriptor::CPPTYPE_FLOAT:
    case pb::FieldDescriptor::CPPTYPE_DOUBLE: break;
  }
}

bool mentions(const Outcome& o, const std::string& field) {
  return o.messages.find("field " + field + " ") != std::string::npos ||
         o.messages.find("field " + field + "[") != std::string::npos;
}

}  // namespace

TEST_CASE("every top-level field changes the policy or is reported") {
  Outcome base = import_message(NsJailConfig());
  REQUIRE(base.ok);
  const pb::Descriptor* d = NsJailConfig::descriptor();
  int checked = 0;
  for (int i = 0; i < d->field_count(); ++i) {
    const pb::FieldDescriptor* f = d->field(i);
    NsJailConfig c;
    if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
      // mount, uidmap, gidmap, exec_bin, traffic_rule, user_net: one entry with its required fields.
      if (f->name() == "mount") c.add_mount()->set_dst("/m");
      else if (f->name() == "exec_bin") c.mutable_exec_bin()->set_path("/bin/true");
      else if (f->name() == "uidmap") c.add_uidmap()->set_outside_id("5");
      else if (f->name() == "traffic_rule") c.add_traffic_rule()->set_dst_ip("10.0.0.0/8");
      else if (f->name() == "user_net") c.mutable_user_net()->add_rule4()->set_dst_ip("10.0.0.0/8");
      else c.add_gidmap()->set_outside_id("5");
    } else {
      set_unusual(c, f);
    }
    Outcome o = import_message(c);
    CAPTURE(f->name());
    CAPTURE(o.messages);
    CHECK(o.messages.find("importer bug") == std::string::npos);
    CHECK((o.policy != base.policy || mentions(o, f->name())));
    ++checked;
  }
  CHECK(checked == 97);  // every field of nsjail's NsJailConfig, numbers 1..97
}

TEST_CASE("every mount field changes the policy or is reported") {
  NsJailConfig base_cfg;
  MountPt* bm = base_cfg.add_mount();
  bm->set_src("/s");
  bm->set_dst("/m");
  bm->set_is_bind(true);
  Outcome base = import_message(base_cfg);
  REQUIRE(base.ok);
  // No-ops by design: nosuid and nodev are already the language's defaults,
  // and the launcher tells a directory from a file by looking at the source.
  const std::set<std::string> same_as_default = {"nosuid", "nodev", "is_dir"};
  const pb::Descriptor* d = MountPt::descriptor();
  for (int i = 0; i < d->field_count(); ++i) {
    const pb::FieldDescriptor* f = d->field(i);
    if (same_as_default.count(f->name())) continue;
    NsJailConfig c = base_cfg;
    set_unusual(*c.mutable_mount(0), f);
    Outcome o = import_message(c);
    CAPTURE(f->name());
    CAPTURE(o.messages);
    CHECK(o.messages.find("importer bug") == std::string::npos);
    CHECK((o.policy != base.policy || mentions(o, "mount[0]." + f->name())));
  }
}

TEST_CASE("every id map field changes the policy or is reported") {
  NsJailConfig base_cfg;
  base_cfg.add_uidmap()->set_outside_id("1000");
  Outcome base = import_message(base_cfg);
  REQUIRE(base.ok);
  const pb::Descriptor* d = stockade::nsjail::schema::IdMap::descriptor();
  for (int i = 0; i < d->field_count(); ++i) {
    const pb::FieldDescriptor* f = d->field(i);
    NsJailConfig c = base_cfg;
    set_unusual(*c.mutable_uidmap(0), f);
    Outcome o = import_message(c);
    CAPTURE(f->name());
    CHECK(o.messages.find("importer bug") == std::string::npos);
    CHECK((o.policy != base.policy || mentions(o, "uidmap[0]." + f->name())));
  }
}

TEST_CASE("the schema keeps nsjail's field names and numbers") {
  // Facts from nsjail's config.proto; a renumbering would break binary configs
  // and a rename would break text ones.
  struct Field {
    const char* name;
    int number;
  };
  const pb::Descriptor* c = NsJailConfig::descriptor();
  for (const Field& f : {Field{"name", 1},
                         Field{"mode", 3},
                         Field{"hostname", 4},
                         Field{"cwd", 5},
                         Field{"time_limit", 11},
                         Field{"nice_level", 14},
                         Field{"keep_env", 18},
                         Field{"envar", 19},
                         Field{"keep_caps", 20},
                         Field{"cap", 21},
                         Field{"skip_setsid", 23},
                         Field{"pass_fd", 25},
                         Field{"disable_no_new_privs", 26},
                         Field{"rlimit_as", 29},
                         Field{"rlimit_msgqueue_type", 48},
                         Field{"disable_rl", 49},
                         Field{"clone_newnet", 55},
                         Field{"clone_newuser", 56},
                         Field{"clone_newtime", 62},
                         Field{"uidmap", 63},
                         Field{"gidmap", 64},
                         Field{"mount_proc", 65},
                         Field{"mount", 66},
                         Field{"seccomp_string", 68},
                         Field{"cgroup_mem_max", 70},
                         Field{"cgroup_pids_max", 75},
                         Field{"cgroup_cpu_ms_per_sec", 81},
                         Field{"use_cgroupv2", 85},
                         Field{"iface_no_lo", 87},
                         Field{"exec_bin", 95}}) {
    CAPTURE(f.name);
    const pb::FieldDescriptor* fd = c->FindFieldByName(f.name);
    REQUIRE(fd != nullptr);
    CHECK(fd->number() == f.number);
  }
  const pb::Descriptor* m = MountPt::descriptor();
  for (const Field& f : {Field{"src", 1}, Field{"src_content", 3}, Field{"dst", 4}, Field{"fstype", 6},
                         Field{"options", 7}, Field{"is_bind", 8}, Field{"rw", 9}, Field{"is_dir", 10},
                         Field{"mandatory", 11}, Field{"is_symlink", 12}, Field{"noexec", 15}}) {
    CAPTURE(f.name);
    const pb::FieldDescriptor* fd = m->FindFieldByName(f.name);
    REQUIRE(fd != nullptr);
    CHECK(fd->number() == f.number);
  }
  // A binary config (what nsjail's own tools serialise) reads back.
  NsJailConfig cfg;
  cfg.set_hostname("wire");
  cfg.add_mount()->set_dst("/tmp");
  std::string bytes = cfg.SerializeAsString();
  CHECK(bytes.substr(0, 6) == std::string("\x22\x04wire", 6));  // field 4, length-delimited
  NsJailConfig back;
  REQUIRE(back.ParseFromString(bytes));
  CHECK(back.mount(0).dst() == "/tmp");
}
