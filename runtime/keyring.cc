// SPDX-License-Identifier: Apache-2.0
#include "keyring.h"

#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace stockade {

constexpr long kKeyctlJoinSessionKeyring = 1;  // KEYCTL_JOIN_SESSION_KEYRING, <linux/keyctl.h>

bool new_session_keyring(Failure& f) {
  if (syscall(SYS_keyctl, kKeyctlJoinSessionKeyring, nullptr) < 0 && errno != ENOSYS)
    return fail(f, Step::Keyring, "keyctl(KEYCTL_JOIN_SESSION_KEYRING)", "anonymous", errno);
  return true;
}

}  // namespace stockade
