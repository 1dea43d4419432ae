// SPDX-License-Identifier: Apache-2.0
#include "caps.h"

#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "text.h"

namespace stockade {
namespace {

// <linux/securebits.h> bit numbers.
constexpr unsigned long kNoRoot = 1ul << 0, kNoRootLocked = 1ul << 1;
constexpr unsigned long kNoSetuidFixup = 1ul << 2, kNoSetuidFixupLocked = 1ul << 3;
constexpr unsigned long kKeepCapsLocked = 1ul << 5;
constexpr unsigned long kNoCapAmbientRaise = 1ul << 6, kNoCapAmbientRaiseLocked = 1ul << 7;

bool kept(const table::List<uint32_t>& keep, uint32_t cap) {
  for (uint32_t c : keep)
    if (c == cap) return true;
  return false;
}

// "cap N" for messages.
struct CapText : Text<16> {
  explicit CapText(uint32_t cap) { add("cap ").add_u64(cap); }
};

}  // namespace

bool lock_securebits(const table::List<uint32_t>& keep, Failure& f) {
  unsigned long bits = kNoRoot | kNoRootLocked | kNoSetuidFixup | kNoSetuidFixupLocked | kKeepCapsLocked;
  if (keep.count == 0) bits |= kNoCapAmbientRaise | kNoCapAmbientRaiseLocked;
  if (prctl(PR_SET_SECUREBITS, bits, 0, 0, 0) != 0)
    return fail(f, Step::Capabilities, "prctl(PR_SET_SECUREBITS)", "NOROOT|NO_SETUID_FIXUP|KEEP_CAPS (locked)", errno);
  return true;
}

bool drop_bounding_set(const table::List<uint32_t>& keep, Failure& f) {
  // Up to the running kernel's last capability, where the call fails with
  // EINVAL (one prctl per capability: no read-then-drop pairs).
  for (uint32_t cap = 0;; ++cap) {
    if (kept(keep, cap)) {
      if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) < 0) return true;
      continue;
    }
    if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == 0) continue;
    if (errno == EINVAL && cap > 0) return true;
    return fail(f, Step::Capabilities, "prctl(PR_CAPBSET_DROP)", CapText(cap).view(), errno);
  }
}

bool set_capabilities(const table::List<uint32_t>& keep, Failure& f) {
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0)
    return fail(f, Step::Capabilities, "prctl(PR_CAP_AMBIENT_CLEAR_ALL)", "", errno);
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2] = {};
  for (uint32_t cap : keep) {
    if (cap >= 64) return fail_reason(f, Step::Capabilities, "keep", CapText(cap).view(), "no such capability");
    uint32_t bit = 1u << (cap % 32);
    data[cap / 32].effective |= bit;
    data[cap / 32].permitted |= bit;
    data[cap / 32].inheritable |= bit;
  }
  if (syscall(SYS_capset, &header, data) != 0) return fail(f, Step::Capabilities, "capset", "", errno);
  // With SECBIT_NOROOT, kept capabilities survive execve only as ambient ones.
  for (uint32_t cap : keep)
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) != 0)
      return fail(f, Step::Capabilities, "prctl(PR_CAP_AMBIENT_RAISE)", CapText(cap).view(), errno);
  return true;
}

bool set_no_new_privs(bool allow_new_privs, Failure& f) {
  if (allow_new_privs) return true;
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
    return fail(f, Step::NoNewPrivs, "prctl(PR_SET_NO_NEW_PRIVS)", "1", errno);
  return true;
}

bool drop_init_capabilities(bool host_ids, Failure& f) {
  // The raw syscall: libc's setgroups changes every thread's groups (musl:
  // __synccall, ~2 KB of the launcher); init has one thread.
  if (host_ids && syscall(SYS_setgroups, 0, nullptr) != 0) return fail(f, Step::Init, "setgroups", "[]", errno);
  const uint32_t kill_only[] = {CAP_KILL};
  const table::List<uint32_t> keep{kill_only, 1};
  // Bounding set first: dropping from it needs CAP_SETPCAP, which goes next.
  if (!drop_bounding_set(keep, f)) return false;
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0)
    return fail(f, Step::Init, "prctl(PR_CAP_AMBIENT_CLEAR_ALL)", "", errno);
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2] = {};
  data[0].effective = data[0].permitted = 1u << CAP_KILL;
  if (syscall(SYS_capset, &header, data) != 0) return fail(f, Step::Init, "capset", "CAP_KILL only", errno);
  return true;
}

}  // namespace stockade
