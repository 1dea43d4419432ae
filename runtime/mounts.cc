// SPDX-License-Identifier: Apache-2.0
#include "mounts.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "io.h"
#include "mount_api.h"
#include "mount_points.h"
#include "overlay.h"
#include "params.h"
#include "text.h"

namespace stockade {
namespace {

using namespace mountapi;
using table::MountKind;

// Where the new root is assembled before pivot_root. Inside the sandbox's
// own mount namespace, so covering it hides nothing from the host; sources
// were opened before it was covered.
constexpr const char* kStaging = "/tmp";
constexpr Step kStep = Step::Mounts;

uint64_t attr_bits(uint32_t flags) {
  uint64_t a = 0;
  if (!(flags & table::kMountReadWrite)) a |= kAttrRdonly;
  if (flags & table::kMountNoSuid) a |= kAttrNosuid;
  if (flags & table::kMountNoDev) a |= kAttrNodev;
  if (flags & table::kMountNoExec) a |= kAttrNoexec;
  return a;
}

// Read-only is applied with AT_RECURSIVE so every submount of the source
// (e.g. a host mount on /etc/hosts under a `bind /etc`) is read-only too.
// Every tree is also made private: a clone of a shared host mount joins
// the host's peer group, and mount events would then flow between the
// sandbox and the host in both directions.
// The call as made, for the failure message: the bits really set.
void name_setattr(uint64_t attrs, TextBuf& out) {
  out.add("mount_setattr(");
  const struct {
    uint64_t bit;
    const char* name;
  } kNames[] = {{kAttrRdonly, "RDONLY|"}, {kAttrNosuid, "NOSUID|"}, {kAttrNodev, "NODEV|"}, {kAttrNoexec, "NOEXEC|"}};
  for (const auto& n : kNames)
    if (attrs & n.bit) out.add(n.name);
  out.add("MS_PRIVATE)");
}

bool set_tree_attrs(int tree, const PlanMount& m, Failure& f) {
  MountAttr attr{attr_bits(m.flags), 0, MS_PRIVATE, 0};
  if (mount_setattr(tree, "", kAtEmptyPath | kAtRecursive, &attr) != 0) {
    int err = errno;
    Text<64> call;
    name_setattr(attr.attr_set, call);
    return fail(f, kStep, call.view(), m.source, err);
  }
  return true;
}

enum class Leaf { Dir, File };

// Attaches the detached `tree` at `target`, creating the mount point (a
// directory, or an empty file for a file source). The final component is
// named relative to its parent's fd and not followed if it is a symlink.
bool attach(int tree, MountPoints& points, int root_fd, const char* target, Leaf leaf, Failure& f) {
  if (target[1] == '\0') {  // "/": over the new root itself
    if (move_mount(tree, "", root_fd, "", kMoveMountFEmptyPath | kMoveMountTEmptyPath) != 0)
      return fail(f, kStep, "move_mount", target, errno);
    return true;
  }
  const char* last = nullptr;
  int parent = points.parent(target, &last, f);
  if (parent < 0) return false;
  // An existing inode is the mount point as it is; one is created only
  // where nothing exists. Opening an existing file for writing would fail
  // inside a read-only or foreign-owned tree (a job's file bound into a
  // bound job directory, Windmill's /etc/resolv.conf re-binds), and O_EXCL
  // and mkdir report EEXIST before EROFS or EACCES.
  int made = leaf == Leaf::File
                 ? openat(parent, last, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0644)
                 : mkdirat(parent, last, 0755);
  if (made < 0 && errno != EEXIST)
    return fail(f, kStep, leaf == Leaf::File ? "create mount point" : "mkdir", target, errno);
  if (leaf == Leaf::File && made >= 0) close(made);
  if (made < 0) {
    // Never mount over a link: a link in a bound tree is the job's or the host's word, not the policy's.
    struct stat st;
    if (fstatat(parent, last, &st, AT_SYMLINK_NOFOLLOW) != 0) return fail(f, kStep, "stat mount point", target, errno);
    if (S_ISLNK(st.st_mode)) return fail(f, kStep, "mount point", target, ELOOP);
  }
  if (move_mount(tree, "", parent, last, kMoveMountFEmptyPath) != 0) return fail(f, kStep, "move_mount", target, errno);
  return true;
}

// A fresh filesystem (tmpfs, proc) as a detached mount.
int new_fs(const char* type, const PlanMount* m, uint64_t attrs, const char* what_path, Failure& f) {
  Fd ctx(fsopen(type, kFsopenCloexec));
  Text<48> what;
  what.add("fsopen(").add(type).add(')');
  if (!ctx.ok()) return fail(f, kStep, what.view(), what_path, errno), -1;
  if (m != nullptr && m->size != 0) {
    Text<32> size;
    size.add_u64(m->size);
    if (fsconfig(ctx.get(), kFsconfigSetString, "size", size.c_str()) != 0)
      return fail(f, kStep, "fsconfig(size)", size.view(), errno), -1;
  }
  if (m != nullptr && m->mode != 0) {
    char mode[8];
    int n = 0;
    for (int shift = 9; shift >= 0; shift -= 3) mode[n++] = static_cast<char>('0' + ((m->mode >> shift) & 7));
    mode[n] = '\0';
    if (fsconfig(ctx.get(), kFsconfigSetString, "mode", mode) != 0)
      return fail(f, kStep, "fsconfig(mode)", mode, errno), -1;
  }
  if (fsconfig(ctx.get(), kFsconfigCmdCreate, nullptr, nullptr) != 0)
    return fail(f, kStep, what.view(), what_path, errno), -1;
  int mnt = fsmount(ctx.get(), kFsmountCloexec, attrs);
  if (mnt < 0) return fail(f, kStep, "fsmount", what_path, errno), -1;
  return mnt;
}

bool mount_proc(MountPoints& points, int root_fd, const PlanMount& m, Failure& f) {
  // The policy's flags as written: `proc /proc ro` is a read-only proc
  // (no /proc/self/comm, oom_score_adj, attr/*, … writes).
  uint64_t attrs = attr_bits(m.flags);
  Fd proc(new_fs("proc", nullptr, attrs, m.target, f));
  // A step of its own, for its hint (fail.cc): a masked /proc refuses this.
  if (!proc.ok()) return (f.step = Step::Proc, false);
  if (!attach(proc.get(), points, root_fd, m.target, Leaf::Dir, f)) return false;
  if ((attrs & kAttrRdonly) != 0) return true;  // /proc/sys with it
  // /proc/sys is always read-only (sysctls are not the job's business).
  Text<4200> sys;
  sys.add(m.target).add("/sys");
  const char* last = nullptr;
  int parent = points.parent(sys.c_str(), &last, f);
  if (parent < 0) return false;
  Fd tree(open_tree(parent, last, kOpenTreeClone | kOpenTreeCloexec | kAtRecursive | kAtSymlinkNofollow));
  if (!tree.ok()) return fail(f, kStep, "open_tree", sys.c_str(), errno);
  MountAttr ro{kAttrRdonly | kAttrNosuid | kAttrNodev | kAttrNoexec, 0, 0, 0};
  if (mount_setattr(tree.get(), "", kAtEmptyPath | kAtRecursive, &ro) != 0)
    return fail(f, kStep, "mount_setattr(RDONLY)", sys.c_str(), errno);
  if (move_mount(tree.get(), "", parent, last, kMoveMountFEmptyPath) != 0)
    return fail(f, kStep, "move_mount", sys.c_str(), errno);
  return true;
}

bool make_symlink(MountPoints& points, const PlanMount& m, Failure& f) {
  const char* last = nullptr;
  int parent = points.parent(m.target, &last, f);
  if (parent < 0) return false;
  if (symlinkat(m.source, parent, last) != 0) return fail(f, kStep, "symlink", m.target, errno);
  return true;
}

bool make_file(MountPoints& points, const PlanMount& m, Failure& f) {
  const char* last = nullptr;
  int parent = points.parent(m.target, &last, f);
  if (parent < 0) return false;
  mode_t mode = m.mode != 0 ? m.mode : 0644;
  // O_EXCL: never overwrite an existing file (it could be a host file
  // inside a bind).
  Fd file(openat(parent, last, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, mode));
  if (!file.ok()) return fail(f, kStep, "create file", m.target, errno);
  if (int err = write_all(file.get(), std::string_view(m.content ? m.content : "", m.content_len)))
    return fail(f, kStep, "write", m.target, err);
  if (fchmod(file.get(), mode) != 0) return fail(f, kStep, "fchmod", m.target, errno);
  return true;
}

bool make_dir(MountPoints& points, const PlanMount& m, Failure& f) {
  const char* last = nullptr;
  int parent = points.parent(m.target, &last, f);
  if (parent < 0) return false;
  if (mkdirat(parent, last, 0755) != 0 && errno != EEXIST) return fail(f, kStep, "mkdir", m.target, errno);
  // fchmod needs a real fd, not O_PATH.
  Fd dir(openat(parent, last, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!dir.ok()) return fail(f, kStep, "open", m.target, errno);
  if (fchmod(dir.get(), m.mode != 0 ? m.mode : 0755) != 0) return fail(f, kStep, "fchmod", m.target, errno);
  return true;
}

// An overlay at its target, made at the group's last row (`m`, row i). A
// tmpfs upper is attached at the target first and the overlay over it:
// before 6.15 overlayfs takes a layer only from a mount in the caller's
// namespace, and a detached tmpfs is in none. The job's mount table shows
// both; the covered tmpfs is never reachable.
bool place_overlay(MountPoints& points, int root_fd, const PlanMount& m, MountSources& sources, uint32_t i,
                   Failure& f) {
  Fd fs;
  if (m.flags & table::kMountUpperTmpfs) {
    PlanMount tmpfs = m;
    tmpfs.mode = 0;  // the row count here, not a mode
    fs = Fd(new_fs("tmpfs", &tmpfs, kAttrNosuid | kAttrNodev, m.target, f));
    if (!fs.ok() || !attach(fs.get(), points, root_fd, m.target, Leaf::Dir, f)) return false;
  }
  // The rows of the group precede `m` in the plan (open_mount_sources checked).
  uint32_t first = i + 1 - m.mode;
  Fd tree(overlay_tree(&m - (m.mode - 1), m.mode, sources.fd + first, fs.get(), sources.userxattr, f));
  return tree.ok() && attach(tree.get(), points, root_fd, m.target, Leaf::Dir, f);
}

bool place(MountPoints& points, int root_fd, const PlanMount& m, MountSources& sources, uint32_t i, Failure& f) {
  switch (m.kind) {
    case MountKind::Bind:
    case MountKind::DevNode:
      if (sources.fd[i] == kSkipped) return true;
      return attach(sources.fd[i], points, root_fd, m.target, sources.is_dir[i] ? Leaf::Dir : Leaf::File, f);
    case MountKind::Tmpfs: {
      Fd fs(new_fs("tmpfs", &m, attr_bits(m.flags), m.target, f));
      return fs.ok() && attach(fs.get(), points, root_fd, m.target, Leaf::Dir, f);
    }
    case MountKind::Proc: return mount_proc(points, root_fd, m, f);
    case MountKind::Symlink: return make_symlink(points, m, f);
    case MountKind::File: return make_file(points, m, f);
    case MountKind::Mkdir: return make_dir(points, m, f);
    case MountKind::Overlay: return m.mode == 0 || place_overlay(points, root_fd, m, sources, i, f);
  }
  return fail_reason(f, kStep, "mount kind", m.target, "unknown");
}

void close_sources(MountSources& s, uint32_t count) {
  for (uint32_t i = 0; i < count; ++i) {
    if (s.fd[i] >= 0) close(s.fd[i]);
    s.fd[i] = -1;
  }
}

}  // namespace

TrustedDir::~TrustedDir() {
  if (fd >= 0) close(fd);
}

namespace {

// Opens the tree; see open_source_tree.
int open_tree_of(const PlanMount& m, unsigned clone, TrustedDir* dirs) {
  const char* rest = m.source + m.source_trusted_len;
  while (*rest == '/') ++rest;
  if (*rest == '\0') return open_tree(AT_FDCWD, m.source, clone);
  std::string_view prefix(m.source, m.source_trusted_len);
  TrustedDir local;
  TrustedDir& dir = dirs != nullptr ? *dirs : local;
  if (dir.fd < 0 || prefix.size() >= sizeof dir.path || prefix != dir.path) {
    if (prefix.size() >= sizeof dir.path) return errno = ENAMETOOLONG, -1;
    if (dir.fd >= 0) close(dir.fd);
    memcpy(dir.path, prefix.data(), prefix.size());
    dir.path[prefix.size()] = '\0';
    dir.fd = openat(AT_FDCWD, dir.path, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (dir.fd < 0) return -1;
  }
  std::string_view name(rest);
  if (name.find('/') == std::string_view::npos && name != "." && name != "..") {
    // One component (a job's file, one dependency folder): opened straight
    // below the trusted directory, not following it if it is a link (which
    // the caller then refuses, as openat2 would): one call less per bind.
    return open_tree(dir.fd, rest, clone | kAtSymlinkNofollow);
  }
  OpenHow how{O_PATH | O_CLOEXEC, 0, kResolveNoSymlinks | kResolveBeneath | kResolveNoMagiclinks};
  Fd leaf(openat2(dir.fd, rest, &how));
  if (!leaf.ok()) return -1;
  return open_tree(leaf.get(), "", clone | kAtEmptyPath);
}

}  // namespace

int open_source_tree(const PlanMount& m, bool recursive, TrustedDir* dirs, struct stat* st) {
  unsigned clone = kOpenTreeClone | kOpenTreeCloexec | (recursive ? kAtRecursive : 0);
  Fd tree(open_tree_of(m, clone, dirs));
  if (!tree.ok()) return -1;
  if (fstat(tree.get(), st) != 0) return -1;
  if (S_ISLNK(st->st_mode)) return errno = ELOOP, -1;
  return tree.release();
}

namespace {

// A bind source that is a symlink, with `follow`: the worker's link from a
// job directory into its cache (`<job>/main -> /tmp/windmill/cache/go/<hash>/main`,
// as Windmill makes them: absolute). The link's text must be a normalised
// absolute path below the follow root; the rest of it is then opened
// beneath the root (RESOLVE_BENEATH, no magic links), so neither `..`, a
// link inside the cache that leaves it, nor /proc/self/root gets out.
int open_followed(const PlanMount& m, unsigned clone, Failure& f) {
  const char* rest = m.source + m.source_trusted_len;
  while (*rest == '/') ++rest;
  Fd base(openat(AT_FDCWD, Text<4100>().add(std::string_view(m.source, m.source_trusted_len)).c_str(),
                 O_PATH | O_DIRECTORY | O_CLOEXEC));
  OpenHow link_how{O_PATH | O_NOFOLLOW | O_CLOEXEC, 0, kResolveNoSymlinks | kResolveBeneath | kResolveNoMagiclinks};
  Fd link(base.ok() ? openat2(base.get(), rest, &link_how) : -1);
  char text[4096];
  ssize_t n = link.ok() ? readlinkat(link.get(), "", text, sizeof text - 1) : -1;
  if (n < 0) return fail(f, kStep, "open_tree", m.source, errno), -1;
  text[n] = '\0';
  std::string_view root(m.follow), target(text, static_cast<size_t>(n));
  size_t skip = root.size() == 1 ? 1 : root.size() + 1;  // past "ROOT/"
  bool below = path_problem(target) == nullptr && target.size() > skip && target.substr(0, root.size()) == root &&
               (root.size() == 1 || target[root.size()] == '/');
  if (!below) {
    Text<4300> why;
    why.add("a link to ").add(target).add(", not a path below ").add(root);
    return fail_reason(f, kStep, "follow", m.source, why.view()), -1;
  }
  Fd root_fd(openat(AT_FDCWD, m.follow, O_PATH | O_DIRECTORY | O_CLOEXEC));
  OpenHow how{O_PATH | O_CLOEXEC, 0, kResolveBeneath | kResolveNoMagiclinks};
  Fd leaf(root_fd.ok() ? openat2(root_fd.get(), text + skip, &how) : -1);
  int tree = leaf.ok() ? open_tree(leaf.get(), "", clone | kAtEmptyPath) : -1;
  if (tree >= 0) return tree;
  if (errno == EXDEV || errno == ELOOP)
    return fail_reason(f, kStep, "follow", target, "resolves outside the follow directory (through a link inside it)"),
           -1;
  return fail(f, kStep, "open_tree(follow)", target, errno), -1;
}

// The rw binds the launcher may hand over as idmapped trees.
bool parent_may_prepare(const PlanMount& m) { return m.kind == MountKind::Bind && (m.flags & table::kMountReadWrite); }

// Opens (or takes, `tree` >= 0) mount i's source into `out`.
bool add_source(const PlanMount& m, uint32_t i, int tree, TrustedDir& dirs, MountSources& out, Failure& f) {
  if (tree == kSkipped) {
    out.fd[i] = kSkipped;
    return true;
  }
  struct stat st;
  if (tree < 0) {
    tree = open_source_tree(m, m.kind == MountKind::Bind, &dirs, &st);
    if (tree < 0 && errno == ELOOP && m.follow != nullptr) {
      tree = open_followed(m, kOpenTreeClone | kOpenTreeCloexec | kAtRecursive, f);
      if (tree < 0) return false;
      if (fstat(tree, &st) != 0) return close(tree), fail(f, kStep, "fstat", m.source, errno);
    }
    if (tree < 0) {
      int err = errno;
      if (err == ENOENT && (m.flags & table::kMountOptional)) {
        out.fd[i] = kSkipped;
        return true;
      }
      return fail(f, kStep, "open_tree", m.source, err);
    }
  } else if (fstat(tree, &st) != 0) {
    out.fd[i] = tree;
    return fail(f, kStep, "fstat", m.source, errno);
  }
  out.fd[i] = tree;
  out.is_dir[i] = S_ISDIR(st.st_mode);
  return set_tree_attrs(tree, m, f);
}

// Room for every source fd plus the launcher's own (stdio, channels, the
// trusted-directory cache, a margin).
bool raise_nofile(const Plan& plan, MountSources& out, Failure& f) {
  rlimit now{};
  if (getrlimit(RLIMIT_NOFILE, &now) != 0) return fail(f, kStep, "getrlimit(NOFILE)", "", errno);
  rlim_t need = plan.mount_count + 64;
  if (now.rlim_cur >= need) return true;
  if (now.rlim_max < need) {
    Text<96> v;
    v.add_u64(plan.mount_count).add(" mounts, hard limit ").add_u64(now.rlim_max);
    return fail_reason(f, kStep, "RLIMIT_NOFILE", v.view(), "too low to hold every bind source open");
  }
  out.nofile_soft = now.rlim_cur;
  now.rlim_cur = need;
  // prlimit on ourselves, not setrlimit: see rlimits.cc.
  if (prlimit(0, RLIMIT_NOFILE, &now, nullptr) != 0) return fail(f, kStep, "setrlimit(NOFILE)", "", errno);
  out.nofile_raised = true;
  return true;
}

void restore_nofile(const MountSources& s) {
  if (!s.nofile_raised) return;
  rlimit now{};
  if (getrlimit(RLIMIT_NOFILE, &now) != 0) return;
  now.rlim_cur = s.nofile_soft;
  prlimit(0, RLIMIT_NOFILE, &now, nullptr);  // only lowers a soft limit: cannot fail
}

}  // namespace

namespace {

// The layer directories of the overlay whose last row is `last` (see
// policy_table.h), each opened like a bind source but as a plain O_PATH fd
// (open_tree without a clone), and a directory.
bool open_overlay_layers(const Plan& plan, uint32_t last, TrustedDir& dirs, MountSources& out, Failure& f) {
  const PlanMount& m = plan.mounts[last];
  for (uint32_t k = 0; k < m.mode; ++k) {
    const PlanMount& row = plan.mounts[last + 1 - m.mode + k];
    // Re-checked at the boundary: the whole group is there, and fits overlay_tree.
    if (m.mode > last + 1 || m.mode > kMaxOverlayLowers + 2 || row.kind != MountKind::Overlay)
      return fail_reason(f, kStep, "overlay", m.target, "rows missing");
    int& fd = out.fd[last + 1 - m.mode + k];
    struct stat st;
    fd = open_tree_of(row, kOpenTreeCloexec, &dirs);
    int err = fd < 0 || fstat(fd, &st) != 0 ? errno : S_ISDIR(st.st_mode) ? 0 : S_ISLNK(st.st_mode) ? ELOOP : ENOTDIR;
    if (err != 0) return fail(f, kStep, overlay_layer_step(m, k), row.source, err);
  }
  return true;
}

}  // namespace

bool open_mount_sources(const Plan& plan, MountSources& out, Failure& f) {
  for (uint32_t i = 0; i < plan.mount_count; ++i) out.fd[i] = -1;
  if (!raise_nofile(plan, out, f)) return false;
  out.userxattr = ns_on(plan, table::Namespace::User);
  // Nothing done in this namespace may propagate back to the host.
  if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
    return fail(f, kStep, "mount(/, MS_REC|MS_PRIVATE)", "/", errno);
  TrustedDir dirs;
  for (uint32_t i = 0; i < plan.mount_count; ++i) {
    const PlanMount& m = plan.mounts[i];
    if (m.kind == MountKind::Overlay && m.mode != 0 && !open_overlay_layers(plan, i, dirs, out, f))
      return close_sources(out, plan.mount_count), false;
    if ((m.kind != MountKind::Bind && m.kind != MountKind::DevNode) || parent_may_prepare(m)) continue;
    if (!add_source(m, i, -1, dirs, out, f)) return close_sources(out, plan.mount_count), false;
  }
  return true;
}

bool add_prepared_sources(const Plan& plan, const int* prepared, MountSources& out, Failure& f) {
  TrustedDir dirs;
  for (uint32_t i = 0; i < plan.mount_count; ++i) {
    if (!parent_may_prepare(plan.mounts[i])) continue;
    if (!add_source(plan.mounts[i], i, prepared[i], dirs, out, f)) return close_sources(out, plan.mount_count), false;
  }
  return true;
}

bool assemble_root(const Plan& plan, MountSources& sources, Failure& f) {
  bool ok = [&] {
    Fd root(new_fs("tmpfs", nullptr, kAttrNosuid | kAttrNodev, "/", f));
    if (!root.ok()) return false;
    if (move_mount(root.get(), "", AT_FDCWD, kStaging, kMoveMountFEmptyPath) != 0)
      return fail(f, kStep, "move_mount(new root)", kStaging, errno);
    Fd root_dir(openat(AT_FDCWD, kStaging, O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!root_dir.ok()) return fail(f, kStep, "open(new root)", kStaging, errno);
    MountPoints points(root_dir.get());
    for (uint32_t i = 0; i < plan.mount_count; ++i)
      if (!place(points, root_dir.get(), plan.mounts[i], sources, i, f)) return false;
    // The root itself is read-only once populated (not recursive: /tmp and
    // the other tmpfs mounts stay writable).
    MountAttr ro{kAttrRdonly, 0, 0, 0};
    if (mount_setattr(root_dir.get(), "", kAtEmptyPath, &ro) != 0)
      return fail(f, kStep, "mount_setattr(RDONLY)", "/", errno);
    // pivot_root(".", ".") stacks the old root on top of the new one; the
    // umount2 then detaches it, leaving only the new root.
    if (fchdir(root_dir.get()) != 0) return fail(f, kStep, "fchdir(new root)", kStaging, errno);
    if (syscall(SYS_pivot_root, ".", ".") != 0) return fail(f, kStep, "pivot_root", kStaging, errno);
    if (umount2(".", MNT_DETACH) != 0) return fail(f, kStep, "umount2(old root, MNT_DETACH)", "/", errno);
    if (chdir("/") != 0) return fail(f, kStep, "chdir", "/", errno);
    return true;
  }();
  close_sources(sources, plan.mount_count);
  restore_nofile(sources);
  return ok;
}

}  // namespace stockade
