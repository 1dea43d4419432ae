// SPDX-License-Identifier: Apache-2.0
// A seccomp program for the bubblewrap baseline, so both sandboxes pay for
// loading a filter of about the same size: the shipped base denylist's
// syscalls as a flat list of compares (no argument checks), after the
// architecture and x32 checks.
#pragma once

namespace stockade::bench {

// A memfd holding the program as bubblewrap's --seccomp expects (raw
// struct sock_filter array), or -1 where the architecture is not x86-64.
// The caller owns the fd. `instructions` receives the program's length.
int make_bwrap_filter_fd(int& instructions);

}  // namespace stockade::bench
