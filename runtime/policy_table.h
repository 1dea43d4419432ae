// SPDX-License-Identifier: Apache-2.0
// The types of the constant tables that stockadec emits into generated/*.cc
// and the launcher reads. This header is the whole interface between the
// compiler and the runtime: plain aggregates, no constructors, no library
// types, so the tables are constant-initialised data in .rodata and the
// launcher parses nothing at run time.
//
// Every type is packed (STOCKADE_TABLE_ROW: alignment 1, no padding): the
// launcher's size budget is mostly code, and aligned rows spent a quarter of
// the tables' bytes on padding. x86-64 loads unaligned fields at no cost in
// code size, and a packed type's members are only read, never bound to a
// reference of their own type's alignment (GCC would refuse it).
//
// Mirrors compiler/ir/policy_ir.proto; units and defaults are documented there.
#pragma once

#include <linux/bpf.h>     // struct bpf_insn
#include <linux/filter.h>  // struct sock_filter
#include <stddef.h>
#include <stdint.h>

#define STOCKADE_TABLE_ROW __attribute__((packed))

namespace stockade::table {

// A read-only array view; no table list is longer than 65535 (a seccomp
// program at most BPF_MAXINSNS, 4096).
template <class T>
struct STOCKADE_TABLE_ROW List {
  const T* items;
  uint16_t count;
  const T* begin() const { return items; }
  const T* end() const { return items + count; }
};

// RelPath: a relative path with folders (`u/admin/my_script`); Volume:
// `HOST_PATH:TARGET`, one caller-chosen read-write bind.
// Endpoint: an address, prefix and port (runtime/egress/endpoint.h), for `network filtered` rules.
enum class ParamType : uint8_t { Path, Name, String, Int, Size, Duration, Bool, RelPath, Volume, Endpoint };

struct STOCKADE_TABLE_ROW Param {
  const char* name;
  ParamType type;
  bool optional;
  bool has_range;
  bool list;                  // zero or more values, each of `type`; see Mount kMountEach
  const char* default_value;  // command-line text form; nullptr = no default
  int64_t min;                // inclusive, base unit (bytes, ms, plain)
  int64_t max;
  // Path: the roots a value must be or lie below (`within`); empty: anywhere.
  List<const char*> within = {nullptr, 0};
};

constexpr int32_t kLiteral = -1;

// One piece of a template: a literal, or (param >= 0) that param's value text.
struct STOCKADE_TABLE_ROW Segment {
  const char* literal;
  int16_t param;  // kLiteral, or a param index (< kMaxParams)
};
using Template = List<Segment>;

// A number: a constant, or (param >= 0) that numeric param's value in the same
// base unit; `infinity` means no limit (RLIM_INFINITY).
struct STOCKADE_TABLE_ROW Number {
  uint64_t constant;
  int16_t param;
  bool infinity;
};

enum class CondKind : uint8_t { IsTrue, IsFalse, IsSet, IsUnset };
struct STOCKADE_TABLE_ROW Cond {
  uint16_t param;
  CondKind kind;
};
using When = List<Cond>;  // all must hold; empty = always

// Scalar settings are lists in statement order: the last entry whose `when`
// holds wins; none applying means the documented default.
struct STOCKADE_TABLE_ROW TextSetting {
  Template value;
  When when;
};
struct STOCKADE_TABLE_ROW NumberSetting {
  Number value;
  When when;
};

enum class Namespace : uint8_t { User, Mount, Pid, Ipc, Uts, Net, Cgroup, Time };
struct STOCKADE_TABLE_ROW NamespaceSetting {
  Namespace ns;
  bool enabled;
  When when;
};

// Filtered: the host's network namespace, with the job's outbound TCP and
// UDP judged by cgroup eBPF programs built from `egress` (runtime/egress/).
enum class Network : uint8_t { None, Loopback, Host, Filtered };
// One rule of a `network filtered` block for one address family, compiled
// (compiler/egress): runtime/egress/layout.h has the registers and the
// template patch points.
struct STOCKADE_TABLE_ROW EgressBlock {
  uint8_t family;     // 4: the IPv4 rules (also run on IPv4-mapped IPv6); 6: IPv6
  int32_t param;      // kLiteral, or the endpoint param whose every value instantiates this block
  uint16_t patch_at;  // a param's block: the first patched instruction
  List<bpf_insn> code;
};
struct STOCKADE_TABLE_ROW Egress {
  List<EgressBlock> blocks;  // in rule order; first match wins, nothing matching is denied
};
struct STOCKADE_TABLE_ROW NetworkSetting {
  Network mode;
  When when;
  const Egress* egress = nullptr;  // Filtered
};

struct STOCKADE_TABLE_ROW IdMap {
  uint32_t inside;
  uint32_t outside;
  uint32_t count;
  When when;
};

enum class MountKind : uint8_t { Bind, Tmpfs, Proc, DevNode, Symlink, File, Mkdir, Overlay };

enum MountFlag : uint32_t {
  kMountReadWrite = 1u << 0,
  kMountNoSuid = 1u << 1,
  kMountNoDev = 1u << 2,
  kMountNoExec = 1u << 3,
  kMountOptional = 1u << 4,  // Bind: skip if the source does not exist
  // Bind: one bind per element of the list param in `source` (its only
  // segment). A path list binds each element at its own path, or at
  // target/<last component> when `target` is set; a volume list binds each
  // `HOST:TARGET` at TARGET, which must lie below one of `extra->within`.
  kMountEach = 1u << 5,
  // Bind: the source may be a symlink whose target resolves beneath
  // `extra->follow` (a worker's cache); it is bound in the link's place.
  kMountFollow = 1u << 6,
  kMountUpperTmpfs = 1u << 7,  // Overlay: writes land in a fresh tmpfs (MountExtra::size bytes)
  // Bind: a pathname unix socket the job connects to; while it is mounted,
  // the unix-socket guard (seccomp/unix_guard.h) is lifted (net.h).
  kMountUnixSocket = 1u << 8,
};

// An overlay is a group of consecutive Overlay rows, one per layer
// directory, with the same target, flags and `when`: the lowers (topmost
// first), then, for `upper DIR work DIR` (kMountReadWrite without
// kMountUpperTmpfs), the upper and the work directory. Each row's `source`
// is its directory, a host path resolved like a bind source. The group's
// last row has `mode` = the number of rows (0 in the others) and, with
// kMountUpperTmpfs, the tmpfs size in `extra`. So a layer costs one row and
// the overlay no new table type.

// What only some mounts have, kept out of the row: most have none of it.
struct STOCKADE_TABLE_ROW MountExtra {
  Number size;                           // Tmpfs: bytes, 0 = kernel default
  Template content;                      // File: bytes to write
  List<Template> within = {nullptr, 0};  // kMountEach: the directories targets must lie below
  Template follow = {nullptr, 0};        // kMountFollow: the root a source link may point into
};

struct STOCKADE_TABLE_ROW Mount {
  MountKind kind;
  uint16_t flags;           // MountFlag bits
  uint16_t mode;            // Tmpfs root / File / Mkdir permission bits; 0 = default
  Template source;          // Bind, DevNode: host path; Symlink: link content
  Template target;          // absolute path inside the sandbox
  const MountExtra* extra;  // nullptr: size 0 and no content
  When when;
};

// The one array of rows of type T that a table set's lists index
// (generated::kMountRows for Mount, kParamRows, kRlimitRows, kEnvRows: below).
template <class T>
const T* row_pool();

// A list of rows drawn from row_pool<T>(): 2-byte indices instead of 8-byte
// pointers, for the rows nearly every policy shares (the launcher's size
// budget). Iterates as `const T*`, like a List<const T*>.
template <class T>
struct STOCKADE_TABLE_ROW RowList {
  const uint16_t* items;  // indices into row_pool<T>()
  uint16_t count;
  struct Iter {
    const uint16_t* at;
    const T* operator*() const { return row_pool<T>() + *at; }
    Iter& operator++() {
      ++at;
      return *this;
    }
    bool operator!=(const Iter& o) const { return at != o.at; }
  };
  Iter begin() const { return {items}; }
  Iter end() const { return {items + count}; }
  const T* operator[](uint32_t i) const { return row_pool<T>() + items[i]; }
};

enum class Rlimit : uint8_t { As, Core, Cpu, Fsize, Nofile, Nproc, Stack, Memlock, Msgqueue, Rtprio };
struct STOCKADE_TABLE_ROW RlimitSetting {
  Rlimit resource;
  bool inherit;  // leave the launcher's value
  Number soft;
  Number hard;
  When when;
};

enum class CgroupLimit : uint8_t { Memory, MemorySwap, Pids, CpuMsPerSec };
struct STOCKADE_TABLE_ROW CgroupSetting {
  CgroupLimit limit;
  Number value;
  When when;
};

enum class EnvOp : uint8_t { Clear, Keep, Pass, Set, Unset };
struct STOCKADE_TABLE_ROW EnvRule {
  EnvOp op;
  const char* name;  // Pass, Set, Unset
  Template value;    // Set
  When when;
};

enum class Session : uint8_t { New, Keep };

// A piece of the policies' words: bytes [offset, offset + size) of the text
// that generated::kSummaries unpacks to. size 0 = none.
struct STOCKADE_TABLE_ROW TextRef {
  uint32_t offset;
  uint32_t size;
};

// Every policy's words, packed once (runtime/unpack.h has the format): the
// shipped policies extend one base, so their texts are nearly the same.
struct STOCKADE_TABLE_ROW PackedText {
  const char* bytes;  // a string literal: bytes of any value
  uint32_t size;
  uint32_t unpacked_size;
};

// One instruction where a policy's notify variant differs from its program:
// the return at `index` gives `k` (SECCOMP_RET_USER_NOTIF) there. The
// variant rewrites only return values (compiler/seccomp/notify_rewrite.h),
// so a few of these stand for a second copy of the program.
struct STOCKADE_TABLE_ROW NotifyPatch {
  uint16_t index;
  uint32_t k;
};

struct STOCKADE_TABLE_ROW Policy {
  const char* name;  // (the .policy file it came from is in the generated file's banner)
  TextRef summary;   // the policy in words, printed by `stockade show`
  // The seccomp rules in words; policies with the same filter share one
  // piece of text (and one program). size 0: none.
  TextRef seccomp_summary;
  RowList<Param> params;  // indices into generated::kParamRows
  List<TextSetting> hostname;
  List<TextSetting> cwd;
  List<NumberSetting> time_limit_ms;
  List<NamespaceSetting> namespaces;
  List<NetworkSetting> network;
  List<IdMap> uid_map;
  List<IdMap> gid_map;
  RowList<Mount> mounts;           // indices into generated::kMountRows
  RowList<RlimitSetting> rlimits;  // indices into generated::kRlimitRows
  List<CgroupSetting> cgroup;
  RowList<EnvRule> env;  // indices into generated::kEnvRows
  List<uint32_t> keep_caps;
  bool allow_new_privs;
  Session session;
  List<uint32_t> pass_fds;
  List<sock_filter> seccomp;  // installed last, right before execve; empty = none
  // The same program with every kill and LOG turned into USER_NOTIF, installed with
  // a listener so the launcher can name a killed call and its arguments, as
  // its differences from `seccomp` (write_notify_variant builds it);
  // empty = none (then `seccomp` is installed). Added after the fields above.
  List<NotifyPatch> seccomp_notify = {nullptr, 0};
};

// Writes `p`'s notify variant, seccomp.count instructions, to `out`.
inline void write_notify_variant(const Policy& p, sock_filter* out) {
  for (uint32_t i = 0; i < p.seccomp.count; ++i) out[i] = p.seccomp.items[i];
  for (const NotifyPatch& d : p.seccomp_notify)
    if (d.index < p.seccomp.count) out[d.index].k = d.k;
}

}  // namespace stockade::table

namespace stockade::generated {
// Defined in generated/rows.cc: every policy's mount, param, rlimit and env
// rows, each once.
extern const table::Mount kMountRows[];
extern const table::Param kParamRows[];
extern const table::RlimitSetting kRlimitRows[];
extern const table::EnvRule kEnvRows[];
// Defined in generated/registry.cc: every embedded policy, sorted by name.
extern const table::List<const table::Policy*> kPolicies;
// Also in registry.cc: the text every Policy's TextRefs point into.
extern const table::PackedText kSummaries;
}  // namespace stockade::generated

template <>
inline const stockade::table::Mount* stockade::table::row_pool<stockade::table::Mount>() {
  return stockade::generated::kMountRows;
}
template <>
inline const stockade::table::Param* stockade::table::row_pool<stockade::table::Param>() {
  return stockade::generated::kParamRows;
}
template <>
inline const stockade::table::RlimitSetting* stockade::table::row_pool<stockade::table::RlimitSetting>() {
  return stockade::generated::kRlimitRows;
}
template <>
inline const stockade::table::EnvRule* stockade::table::row_pool<stockade::table::EnvRule>() {
  return stockade::generated::kEnvRows;
}
