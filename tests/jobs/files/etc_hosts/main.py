# SPDX-License-Identifier: Apache-2.0
# Reads /etc/hosts and tries to change it: on Kubernetes the kubelet binds
# its own file there, a separate mount under /etc that a non-recursive
# read-only bind of /etc would leave writable.
import errno


def main():
    with open("/etc/hosts") as f:
        content = f.read()
    try:
        with open("/etc/hosts", "a") as f:
            f.write("10.66.66.66 poisoned.example\n")
        write = "ok"
    except OSError as e:
        write = errno.errorcode.get(e.errno, str(e.errno))
    return {"hosts": content, "write": write}
