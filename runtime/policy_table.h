// The types of the constant tables that stockadec emits into generated/*.cc
// and the launcher reads. This header is the whole interface between the
// compiler and the runtime: plain aggregates, no constructors, no library
// types, so the tables are constant-initialised data in .rodata and the
// launcher parses nothing at run time.
//
// Mirrors compiler/ir/policy_ir.proto; units and defaults are documented there.
#pragma once

#include <linux/bpf.h>     // struct bpf_insn
#include <linux/filter.h>  // struct sock_filter
#include <stddef.h>
#include <stdint.h>

namespace stockade::table {

// A read-only array view.
template <class T>
struct List {
  const T* items;
  uint32_t count;
  const T* begin() const { return items; }
  const T* end() const { return items + count; }
};

// RelPath: a relative path with folders (`u/admin/my_script`); Volume:
// `HOST_PATH:TARGET`, one caller-chosen read-write bind.
// Endpoint: an address, prefix and port (runtime/egress/endpoint.h), for `network filtered` rules.
enum class ParamType : uint8_t { Path, Name, String, Int, Size, Duration, Bool, RelPath, Volume, Endpoint };

// Field order keeps the small fields together (56 bytes, not 64).
struct Param {
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
struct Segment {
  const char* literal;
  int32_t param;
};
using Template = List<Segment>;

// A number: a constant, or (param >= 0) that numeric param's value in the same
// base unit; `infinity` means no limit (RLIM_INFINITY).
struct Number {
  uint64_t constant;
  int32_t param;
  bool infinity;
};

enum class CondKind : uint8_t { IsTrue, IsFalse, IsSet, IsUnset };
struct Cond {
  uint32_t param;
  CondKind kind;
};
using When = List<Cond>;  // all must hold; empty = always

// Scalar settings are lists in statement order: the last entry whose `when`
// holds wins; none applying means the documented default.
struct TextSetting {
  Template value;
  When when;
};
struct NumberSetting {
  Number value;
  When when;
};

enum class Namespace : uint8_t { User, Mount, Pid, Ipc, Uts, Net, Cgroup, Time };
struct NamespaceSetting {
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
struct EgressBlock {
  uint8_t family;      // 4: the IPv4 rules (also run on IPv4-mapped IPv6); 6: IPv6
  int32_t param;       // kLiteral, or the endpoint param whose every value instantiates this block
  uint16_t patch_at;   // a param's block: the first patched instruction
  List<bpf_insn> code;
};
struct Egress {
  List<EgressBlock> blocks;  // in rule order; first match wins, nothing matching is denied
};
struct NetworkSetting {
  Network mode;
  When when;
  const Egress* egress = nullptr;  // Filtered
};

struct IdMap {
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
struct MountExtra {
  Number size;       // Tmpfs: bytes, 0 = kernel default
  Template content;  // File: bytes to write
  List<Template> within = {nullptr, 0};  // kMountEach: the directories targets must lie below
  Template follow = {nullptr, 0};        // kMountFollow: the root a source link may point into
};

// Field order keeps the small fields together: 64 bytes a row.
struct Mount {
  MountKind kind;
  uint16_t flags;      // MountFlag bits
  uint32_t mode;       // Tmpfs root / File / Mkdir permission bits; 0 = default
  Template source;     // Bind, DevNode: host path; Symlink: link content
  Template target;     // absolute path inside the sandbox
  const MountExtra* extra;  // nullptr: size 0 and no content
  When when;
};

// For hand-written tables: pointers to each row of an array, as
// Policy::mounts, ::params, ::rlimits and ::env want them (`constexpr auto kRows = row_pointers(kMounts);`
// then `{kRows.items, N}`).
template <class T, uint32_t N>
struct RowPointers {
  const T* items[N];
};
template <class T, uint32_t N>
constexpr RowPointers<T, N> row_pointers(const T (&rows)[N]) {
  RowPointers<T, N> out{};
  for (uint32_t i = 0; i < N; ++i) out.items[i] = &rows[i];
  return out;
}

enum class Rlimit : uint8_t { As, Core, Cpu, Fsize, Nofile, Nproc, Stack, Memlock, Msgqueue, Rtprio };
struct RlimitSetting {
  Rlimit resource;
  bool inherit;  // leave the launcher's value
  Number soft;
  Number hard;
  When when;
};

enum class CgroupLimit : uint8_t { Memory, MemorySwap, Pids, CpuMsPerSec };
struct CgroupSetting {
  CgroupLimit limit;
  Number value;
  When when;
};

enum class EnvOp : uint8_t { Clear, Keep, Pass, Set, Unset };
struct EnvRule {
  EnvOp op;
  const char* name;  // Pass, Set, Unset
  Template value;    // Set
  When when;
};

enum class Session : uint8_t { New, Keep };

// A piece of the policies' words: bytes [offset, offset + size) of the text
// that generated::kSummaries unpacks to. size 0 = none.
struct TextRef {
  uint32_t offset;
  uint32_t size;
};

// Every policy's words, packed once (runtime/unpack.h has the format): the
// shipped policies extend one base, so their texts are nearly the same.
struct PackedText {
  const char* bytes;  // a string literal: bytes of any value
  uint32_t size;
  uint32_t unpacked_size;
};

struct Policy {
  const char* name;  // (the .policy file it came from is in the generated file's banner)
  TextRef summary;  // the policy in words, printed by `stockade show`
  // The seccomp rules in words; policies with the same filter share one
  // piece of text (and one program). size 0: none.
  TextRef seccomp_summary;
  List<const Param*> params;  // rows shared between policies
  List<TextSetting> hostname;
  List<TextSetting> cwd;
  List<NumberSetting> time_limit_ms;
  List<NamespaceSetting> namespaces;
  List<NetworkSetting> network;
  List<IdMap> uid_map;
  List<IdMap> gid_map;
  List<const Mount*> mounts;  // rows shared between policies
  List<const RlimitSetting*> rlimits;  // rows shared between policies
  List<CgroupSetting> cgroup;
  List<const EnvRule*> env;  // rows shared between policies
  List<uint32_t> keep_caps;
  bool allow_new_privs;
  Session session;
  List<uint32_t> pass_fds;
  List<sock_filter> seccomp;  // installed last, right before execve; empty = none
  // The same program with every kill and LOG turned into USER_NOTIF, installed with
  // a listener so the launcher can name a killed call and its arguments;
  // empty = none (then `seccomp` is installed). Added after the fields above.
  List<sock_filter> seccomp_notify = {nullptr, 0};
};

}  // namespace stockade::table

namespace stockade::generated {
// Defined in generated/registry.cc: every embedded policy, sorted by name.
extern const table::List<const table::Policy*> kPolicies;
// Also in registry.cc: the text every Policy's TextRefs point into.
extern const table::PackedText kSummaries;
}  // namespace stockade::generated
