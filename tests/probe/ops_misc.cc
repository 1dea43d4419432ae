// SPDX-License-Identifier: Apache-2.0
// Kernel interfaces that cross the sandbox boundary without a path or a pid:
// the worker's keyrings, the terminal input queue, kernel modules.
#include <linux/keyctl.h>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "probe.h"

namespace probe {
namespace {

long keyctl(long cmd, long a2, long a3 = 0, long a4 = 0, long a5 = 0) {
  return syscall(SYS_keyctl, cmd, a2, a3, a4, a5);
}

long search_key(long keyring, const char* description) {
  return keyctl(KEYCTL_SEARCH, keyring, reinterpret_cast<long>("user"), reinterpret_cast<long>(description), 0);
}

// Looks for a "user" key in every keyring the job can name.
int find_key(const char* description) {
  struct Ring {
    const char* name;
    long id;
  };
  const Ring rings[] = {{"session", KEY_SPEC_SESSION_KEYRING},
                        {"user", KEY_SPEC_USER_KEYRING},
                        {"user-session", KEY_SPEC_USER_SESSION_KEYRING},
                        {"process", KEY_SPEC_PROCESS_KEYRING}};
  long found = -1;
  int first_err = 0;
  for (const Ring& ring : rings) {
    long id = search_key(ring.id, description);
    int err = errno;
    line(ring.name, id >= 0 ? "found" : errno_name(err));
    if (id >= 0) found = id;
    if (id < 0 && first_err == 0) first_err = err;
  }
  return result(found >= 0 ? 0 : -1, first_err);
}

// Host side only: joins a fresh session keyring, puts a secret key in it,
// checks it can be found from here, and runs `argv` (the launcher) with it.
int exec_with_key(const char* description, const char* data, char** argv) {
  if (keyctl(KEYCTL_JOIN_SESSION_KEYRING, reinterpret_cast<long>("stockade-test")) < 0) {
    std::perror("probe: join session keyring");
    return 3;
  }
  if (syscall(SYS_add_key, "user", description, data, std::strlen(data), KEY_SPEC_SESSION_KEYRING) < 0) {
    std::perror("probe: add_key");
    return 3;
  }
  if (search_key(KEY_SPEC_SESSION_KEYRING, description) < 0) {
    std::perror("probe: the key just added is not found");
    return 3;
  }
  execvp(argv[0], argv);
  std::perror("probe: execvp");
  return 3;
}

}  // namespace

int misc_ops(const std::string& op, const Args& args) {
  if (op == "tiocsti") {
    char c = 'x';
    return check(ioctl(0, TIOCSTI, &c));
  }
  if (op == "module") {
    // The capability check comes before the descriptor is looked at.
    return check(syscall(SYS_finit_module, 0, "", 0));
  }
  const char* a0 = args.at(0);
  if (a0 == nullptr) return -1;
  if (op == "keyring") return find_key(a0);
  // System V shared memory lives in the IPC namespace: a segment the host
  // made under a key must not be found from the sandbox.
  if (op == "shm-find") return check(shmget(static_cast<key_t>(number(a0)), 0, 0));
  if (op == "shm-make") {
    int id = shmget(static_cast<key_t>(number(a0)), 4096, IPC_CREAT | IPC_EXCL | 0666);
    int err = errno;
    if (id >= 0) line("id", std::to_string(id));
    return result(id, err);
  }
  if (op == "shm-rm") return check(shmctl(static_cast<int>(number(a0)), IPC_RMID, nullptr));
  if (op == "host-key") {
    if (args.count < 3) return -1;
    return exec_with_key(a0, args.items[1], args.items + 2);
  }
  return -1;
}

}  // namespace probe
