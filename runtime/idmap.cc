#include "idmap.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io.h"
#include "mount_api.h"
#include "mounts.h"
#include "text.h"

namespace stockade {
namespace {

using table::Namespace;

bool write_map(pid_t child, const char* file, const PlanIdMap* maps, uint32_t count, bool rootless, uint32_t self,
               Failure& f) {
  Text<64> path;
  path.add("/proc/").add_u64(static_cast<uint64_t>(child)).add('/').add(file);
  Text<512> text;
  if (rootless) {
    text.add_u64(maps[0].inside).add(' ').add_u64(self).add(" 1\n");
  } else {
    for (uint32_t i = 0; i < count; ++i)
      text.add_u64(maps[i].inside).add(' ').add_u64(maps[i].outside).add(' ').add_u64(maps[i].count).add('\n');
  }
  if (int err = write_file(path.c_str(), text.view())) {
    Text<600> value;
    value.add(path.view()).add(" \"");
    value.add(text.view().substr(0, text.size() - 1)).add('"');
    return fail(f, Step::Idmap, "write", value.view(), err);
  }
  return true;
}

}  // namespace

bool write_id_maps(pid_t child, const Plan& plan, bool rootless, Failure& f) {
  Text<64> setgroups;
  setgroups.add("/proc/").add_u64(static_cast<uint64_t>(child)).add("/setgroups");
  // "deny": the job can never drop a group to gain access (and an
  // unprivileged writer of gid_map must deny it anyway).
  if (int err = write_file(setgroups.c_str(), "deny")) return fail(f, Step::Idmap, "write", setgroups.view(), err);
  if (!write_map(child, "uid_map", plan.uid_map, plan.uid_map_count, rootless, getuid(), f)) return false;
  return write_map(child, "gid_map", plan.gid_map, plan.gid_map_count, rootless, getgid(), f);
}

// An idmapped mount translates on-disk ids through the given user
// namespace: with the job's own namespace (inside 0 -> outside 65534), files
// owned by uid 0 on disk (the launching root) appear as the job's inside uid
// 0 and the job's writes land on disk as uid 0. Without it the job, which is
// 65534 outside, could not write a root-owned job directory.
int open_mapping_userns(pid_t child, const Plan& plan, Failure& f) {
  pid_t holder = child;
  Fd gate_read, gate_write;
  if (!ns_on(plan, Namespace::User)) {
    // A process born in a new user namespace that only waits for the gate
    // to close; its namespace outlives it through the fd we open.
    int gate[2];
    if (pipe2(gate, O_CLOEXEC) != 0) return fail(f, Step::Idmap, "pipe2", "mapping namespace", errno), -1;
    gate_read.reset(gate[0]);
    gate_write.reset(gate[1]);
    struct {
      uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
    } args{CLONE_NEWUSER, 0, 0, 0, SIGCHLD, 0, 0, 0};
    long pid = syscall(SYS_clone3, &args, sizeof args);
    if (pid < 0) return fail(f, Step::Idmap, "clone3", "CLONE_NEWUSER (mapping namespace)", errno), -1;
    if (pid == 0) {
      char byte;
      gate_write.reset();
      (void)!read(gate_read.get(), &byte, 1);
      _exit(0);
    }
    holder = static_cast<pid_t>(pid);
  }
  Fd userns;
  bool ok = holder == child || write_id_maps(holder, plan, false, f);
  if (ok) {
    Text<64> ns_path;
    ns_path.add("/proc/").add_u64(static_cast<uint64_t>(holder)).add("/ns/user");
    userns.reset(openat(AT_FDCWD, ns_path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!userns.ok()) ok = fail(f, Step::Idmap, "open", ns_path.view(), errno);
  }
  if (holder != child) {
    gate_write.reset();
    while (waitpid(holder, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
  return ok ? userns.release() : -1;
}

bool prepare_idmapped_binds(int userns_fd, const Plan& plan, int* prepared, Failure& f) {
  using namespace mountapi;
  TrustedDir dirs;
  for (uint32_t i = 0; i < plan.mount_count; ++i) {
    prepared[i] = -1;
    const PlanMount& m = plan.mounts[i];
    if (m.kind != table::MountKind::Bind || !(m.flags & table::kMountReadWrite)) continue;
    struct stat st;
    Fd tree(open_source_tree(m, true, &dirs, &st));
    if (!tree.ok()) {
      int err = errno;
      if (err == ENOENT && (m.flags & table::kMountOptional)) {
        prepared[i] = kSkipped;
        continue;
      }
      return fail(f, Step::Mounts, "open_tree", m.source, err);
    }
    // Private first (see set_tree_attrs in mounts.cc): this clone is made
    // in the host's mount namespace and would otherwise share its events.
    MountAttr priv{0, 0, MS_PRIVATE, 0};
    if (mount_setattr(tree.get(), "", kAtEmptyPath | kAtRecursive, &priv) != 0)
      return fail(f, Step::Mounts, "mount_setattr(MS_PRIVATE)", m.source, errno);
    MountAttr attr{kAttrIdmap, 0, 0, static_cast<uint64_t>(userns_fd)};
    // Recursive first; a tree holding a submount whose filesystem cannot be
    // idmapped then falls back to idmapping the top mount alone.
    if (mount_setattr(tree.get(), "", kAtEmptyPath | kAtRecursive, &attr) != 0 &&
        mount_setattr(tree.get(), "", kAtEmptyPath, &attr) != 0) {
      // Fallback (documented in main.cc): a plain bind; the job then writes
      // only where the host permissions let uid 65534 write.
      Text<256> note;
      note.add("idmap: ").add(m.source).add(": not idmapped (").add(strerror(errno)).add("), plain rw bind");
      print_note(note.view());
      continue;
    }
    prepared[i] = tree.release();
  }
  return true;
}

// The id calls as raw syscalls: libc's wrappers change the ids of every
// thread (musl: __synccall, with semaphores and cancellation, ~2 KB of the
// static launcher); the launcher and its children have one thread each.
namespace {
int set_res_gid(gid_t g) { return static_cast<int>(syscall(SYS_setresgid, g, g, g)); }
int set_res_uid(uid_t u) { return static_cast<int>(syscall(SYS_setresuid, u, u, u)); }
}  // namespace

bool become_inside_ids(const Plan& plan, Failure& f) {
  if (!ns_on(plan, Namespace::User)) return true;
  gid_t g = plan.gid_map[0].inside;
  uid_t u = plan.uid_map[0].inside;
  if (set_res_gid(g) != 0) return fail(f, Step::Idmap, "setresgid", "inside id", errno);
  if (set_res_uid(u) != 0) return fail(f, Step::Idmap, "setresuid", "inside id", errno);
  return true;
}

bool set_job_ids(const Plan& plan, Failure& f) {
  bool userns = ns_on(plan, Namespace::User);
  gid_t g = userns ? plan.gid_map[0].inside : plan.gid_map[0].outside;
  uid_t u = userns ? plan.uid_map[0].inside : plan.uid_map[0].outside;
  if (!userns && syscall(SYS_setgroups, 0, nullptr) != 0) return fail(f, Step::Ids, "setgroups", "[]", errno);
  Text<24> gv, uv;
  gv.add_u64(g);
  uv.add_u64(u);
  if (set_res_gid(g) != 0) return fail(f, Step::Ids, "setresgid", gv.view(), errno);
  if (set_res_uid(u) != 0) return fail(f, Step::Ids, "setresuid", uv.view(), errno);
  return true;
}

}  // namespace stockade
