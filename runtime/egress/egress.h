// SPDX-License-Identifier: Apache-2.0
// `network filtered`: the job shares the host's network namespace and every
// outbound TCP connect and UDP send it makes is judged by cgroup eBPF
// programs built from the policy's compiled rules (assemble.h): connect4,
// connect6, sendmsg4, sendmsg6 (the kernel runs these for connect(), for
// sendto/sendmsg/sendmmsg on an unconnected UDP socket, and for TCP fast
// open's sendto), and a socket-create program that allows only TCP and UDP
// sockets. They are attached with BPF_F_ALLOW_MULTI (egress.cc says why) to
// a cgroup v2 directory the job is cloned into (CLONE_INTO_CGROUP), so they
// judge the job from its first instruction and its children inherit them;
// the job cannot get the program fds a detach needs, and has no write
// access to any cgroup.procs to leave.
//
// The directory is the job's own v2 cgroup when cgroup.cc made one, else
// stockade-net-<pid> at the root of the v2 hierarchy (/sys/fs/cgroup, or
// /sys/fs/cgroup/unified beside v1 controllers). Loading
// and attaching need CAP_BPF and CAP_NET_ADMIN: without root the launch is
// refused (exit 122), never run on the host network unfiltered.
#pragma once

#include <sys/types.h>

#include "cgroup.h"
#include "fail.h"
#include "params.h"
#include "plan.h"

namespace stockade {

struct EgressFilter {
  int into_fd = -1;    // our own cgroup's directory, for clone3; -1: none (the job's cgroup has them)
  char dir[512] = {};  // our own cgroup, removed at the end ("" = none)
};

// Does nothing unless the plan's network is Filtered. Otherwise loads the
// programs and attaches them before anything of the job exists.
bool egress_prepare(const Plan& plan, const ParamValues& values, const Cgroup& cg, pid_t launcher, bool rootless,
                    EgressFilter& ef, Failure& f);
// The cgroup fd clone3 puts the sandbox into.
inline int egress_clone_fd(const EgressFilter& ef, int cgroup_fd) { return ef.into_fd >= 0 ? ef.into_fd : cgroup_fd; }
// Kills what is left in our own cgroup and removes it.
void egress_destroy(EgressFilter& ef);

}  // namespace stockade
