// SPDX-License-Identifier: Apache-2.0
#include "idmap.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "io.h"
#include "mount_api.h"
#include "mounts.h"
#include "test_switch.h"
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

namespace {

// An idmapped mount reads each on-disk id as an inside id of the mount's
// user namespace and shows it as that namespace's outside id. For a rw
// bind the namespace maps exactly one id each way: the source's owner
// (on disk) to the job's host id. So the owner's files are the job's, and
// what the job creates lands on disk as the owner's: a job directory the
// worker prepared as uid 1000 gets files of uid 1000, a root-owned one
// files of root. Every other on-disk id stays unmapped (the overflow id,
// not writable by the job).
struct Owner {
  uid_t uid;
  gid_t gid;
  int userns;  // the mapping namespace's fd
};

// A process born in a new user namespace with the one-id maps, which only
// waits for the gate to close; the namespace outlives it through the fd.
int open_owner_userns(const Plan& plan, uid_t uid, gid_t gid, Failure& f) {
  int gate[2];
  if (pipe2(gate, O_CLOEXEC) != 0) return fail(f, Step::Idmap, "pipe2", "mapping namespace", errno), -1;
  Fd gate_read(gate[0]), gate_write(gate[1]);
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
  pid_t holder = static_cast<pid_t>(pid);
  // The job's host ids: the first map's outside ids (with or without a
  // user namespace of its own, that is who the job is on the host).
  PlanIdMap umap{uid, plan.uid_map[0].outside, 1};
  PlanIdMap gmap{gid, plan.gid_map[0].outside, 1};
  Text<64> setgroups;
  setgroups.add("/proc/").add_u64(static_cast<uint64_t>(holder)).add("/setgroups");
  bool ok = true;
  if (int err = write_file(setgroups.c_str(), "deny")) ok = fail(f, Step::Idmap, "write", setgroups.view(), err);
  ok = ok && write_map(holder, "uid_map", &umap, 1, false, 0, f) && write_map(holder, "gid_map", &gmap, 1, false, 0, f);
  Fd userns;
  if (ok) {
    Text<64> ns_path;
    ns_path.add("/proc/").add_u64(static_cast<uint64_t>(holder)).add("/ns/user");
    userns.reset(openat(AT_FDCWD, ns_path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!userns.ok()) ok = fail(f, Step::Idmap, "open", ns_path.view(), errno);
  }
  gate_write.reset();
  while (waitpid(holder, nullptr, 0) < 0 && errno == EINTR) {}
  return ok ? userns.release() : -1;
}

// Whether the sandbox's own user namespace is already the one-id mapping
// open_owner_userns would make for this owner: its maps are exactly one
// line each, the owner's ids inside to the job's host ids outside. That is
// the common case (a root-owned job directory, the job uid 0 inside), and
// opening the namespace then saves a process and four writes. The mapping
// is the same, so the mount means the same; the job holds no capability
// in that namespace once it runs (caps.cc), as in any container whose
// idmapped mounts use its own namespace.
bool sandbox_maps_owner(const Plan& plan, uid_t uid, gid_t gid) {
  return ns_on(plan, Namespace::User) && plan.uid_map_count == 1 && plan.gid_map_count == 1 &&
         plan.uid_map[0].inside == uid && plan.uid_map[0].count == 1 && plan.gid_map[0].inside == gid &&
         plan.gid_map[0].count == 1;
}

int open_sandbox_userns(pid_t child, Failure& f) {
  Text<64> ns_path;
  ns_path.add("/proc/").add_u64(static_cast<uint64_t>(child)).add("/ns/user");
  int fd = openat(AT_FDCWD, ns_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail(f, Step::Idmap, "open", ns_path.view(), errno);
  return fd;
}

// The mapping namespace for one owner, made on first use. `owners` holds
// the ones made so far (their fds closed by the caller).
int owner_userns(const Plan& plan, pid_t child, const struct stat& st, Owner* owners, uint32_t* count, Failure& f) {
  for (uint32_t i = 0; i < *count; ++i)
    if (owners[i].uid == st.st_uid && owners[i].gid == st.st_gid) return owners[i].userns;
  int fd = sandbox_maps_owner(plan, st.st_uid, st.st_gid) ? open_sandbox_userns(child, f)
                                                          : open_owner_userns(plan, st.st_uid, st.st_gid, f);
  if (fd >= 0) owners[(*count)++] = {st.st_uid, st.st_gid, fd};
  return fd;
}

// The fallback (idmap.h): a plain bind, where the job writes as its own
// host id, only where the host permissions let that id write; one note.
void not_idmapped(const PlanMount& m, const char* why) {
  Text<256> note;
  note.add("idmap: ").add(m.source).add(": not idmapped (").add(why).add("), plain rw bind");
  print_note(note.view());
}

bool idmap_binds(const Plan& plan, pid_t child, int* prepared, Owner* owners, uint32_t* owner_count, Failure& f) {
  using namespace mountapi;
  TrustedDir dirs;
  bool forced_off = test_switch(kTestNoIdmap);
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
    if (forced_off) {
      not_idmapped(m, "forced off by the test switch");
      continue;
    }
    int userns = owner_userns(plan, child, st, owners, owner_count, f);
    if (userns < 0) return false;
    MountAttr attr{kAttrIdmap, 0, 0, static_cast<uint64_t>(userns)};
    // Recursive first; a tree holding a submount whose filesystem cannot be
    // idmapped then falls back to idmapping the top mount alone.
    if (mount_setattr(tree.get(), "", kAtEmptyPath | kAtRecursive, &attr) != 0 &&
        mount_setattr(tree.get(), "", kAtEmptyPath, &attr) != 0) {
      not_idmapped(m, strerror(errno));
      continue;
    }
    prepared[i] = tree.release();
  }
  return true;
}

}  // namespace

bool prepare_idmapped_binds(const Plan& plan, pid_t child, int* prepared, Failure& f) {
  // One mapping namespace per distinct owner of a rw bind source; at most
  // one per mount.
  Owner owners[kMaxMounts];
  uint32_t owner_count = 0;
  for (uint32_t i = 0; i < plan.mount_count; ++i) prepared[i] = -1;
  bool ok = idmap_binds(plan, child, prepared, owners, &owner_count, f);
  for (uint32_t i = 0; i < owner_count; ++i) close(owners[i].userns);
  if (!ok)
    for (uint32_t i = 0; i < plan.mount_count; ++i)
      if (prepared[i] >= 0) close(prepared[i]);
  return ok;
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
