# SPDX-License-Identifier: Apache-2.0
"""network filtered (docs/language.md): the job's outbound TCP and UDP go
where the policy's rules allow and nowhere else. The launcher runs in a
network namespace this test makes (egress_net.py), so the "host network"
the job shares is the test's own, with stand-in public, private, link-local
and loopback hosts; nothing leaves the machine.

Each case runs egress_job.py inside the sandbox: one line per op, the
answer or the errno. The rules (tests/policies/egress.policy) allow the
internet but 198.51.100.66, DNS only to RESOLVER, TCP to EXTRA; the kernel
refuses a denied connect() or send with EPERM."""

import os
import pwd
import shutil
import subprocess
import unittest

from egress_net import (LINKLOCAL6, METADATA4, PRIVATE4, PRIVATE6, PUBLIC4, PUBLIC4_DENIED, PUBLIC6, RESOLVER4,
                        TestNet)
from harness import LAUNCHED, ProbeTest, base_env, launcher, need, probe_dir

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "egress_job.py")) as _f:
    JOB = _f.read()

PARAMS = {"RESOLVER": RESOLVER4, "EXTRA": PRIVATE4 + ":8080"}


def cgroup2_present():
    return any(os.path.exists(p) for p in ("/sys/fs/cgroup/cgroup.controllers", "/sys/fs/cgroup/unified/cgroup.procs"))


class NetFixture(ProbeTest):
    """The test network, made once per class."""
    net = None

    @classmethod
    def setUpClass(cls):
        if shutil.which("ip") is None or shutil.which("nsenter") is None:
            raise unittest.SkipTest("needs ip(8) and nsenter(1) to build the test network")
        if not cgroup2_present():
            raise unittest.SkipTest("no cgroup v2 hierarchy: network filtered needs one")
        cls.net = TestNet()

    @classmethod
    def tearDownClass(cls):
        if cls.net is not None:
            cls.net.close()


class EgressTest(NetFixture):
    def launch(self, policy, ops, params=None, user=None, extra=()):
        ids = [] if user is None else ["--setuid", str(pwd.getpwnam(user).pw_uid), "--setgid", str(pwd.getpwnam(user).pw_gid)]
        args = self.net.in_ns("sbx", *ids) + [launcher(), "run", policy, "--param", "PROBE_DIR=" + probe_dir()]
        for k, v in (PARAMS if params is None else params).items():
            for value in v if isinstance(v, list) else [v]:
                args += ["--param", "%s=%s" % (k, value)]
        args += list(extra) + ["--", "/usr/bin/python3", "-c", JOB] + list(ops)
        proc = subprocess.Popen(args, env=base_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                stdin=subprocess.DEVNULL)
        LAUNCHED.add(proc.pid)
        out, err = proc.communicate(timeout=60)
        return proc.returncode, out.decode(errors="replace"), err.decode(errors="replace")

    def results(self, policy, ops, params=None):
        code, out, err = self.launch(policy, ops, params)
        self.assertEqual(code, 0, "exit %d\nstdout:\n%s\nstderr:\n%s" % (code, out, err))
        got = {}
        for ln in out.splitlines():
            op, _, rest = ln.partition(" ")
            got[op] = rest
        self.assertEqual(sorted(got), sorted(ops), out + err)
        return got

    def check(self, policy, cases, params=None):
        """cases: {op: "ok" | "EPERM" | ...}; an "ok" answer must also name the host."""
        got = self.results(policy, list(cases), params)
        for op, want in cases.items():
            if want == "ok":
                self.assertTrue(got[op].startswith("ok "), "%s: %s (all: %s)" % (op, got[op], got))
            else:
                self.assertEqual(got[op], want, "%s (all: %s)" % (op, got))
        return got

    def test_positive_control_host_network_reaches_everything(self):
        # Without the filter every stand-in host answers: the denials below
        # are the filter's doing, not the test network's.
        self.check("probe_hostnet", {
            "tcp:%s,80" % PRIVATE4: "ok", "tcp:%s,80" % METADATA4: "ok", "tcp:127.0.0.1,8080": "ok",
            "tcp:%s,80" % PUBLIC4_DENIED: "ok", "udp_sendto:%s,9999" % PRIVATE4: "ok",
            "tcp:%s,80" % LINKLOCAL6: "ok", "tcp:%s,80" % PRIVATE6: "ok",
        }, params={})

    def test_tcp_connect_by_v4_v6_and_mapped(self):
        self.check("probe_filtered", {
            "tcp:%s,80" % PUBLIC4: "ok",
            "tcp:%s,80" % PUBLIC6: "ok",
            "tcp6:::ffff:%s,80" % PUBLIC4: "ok",
            "tcp:%s,80" % PRIVATE4: "EPERM",
            "tcp6:::ffff:%s,80" % PRIVATE4: "EPERM",
            "tcp:%s,80" % PUBLIC4_DENIED: "EPERM",
            "tcp:%s,80" % METADATA4: "EPERM",
            "tcp6:::ffff:%s,80" % METADATA4: "EPERM",
            "tcp:%s,80" % LINKLOCAL6: "EPERM",
            "tcp:%s,80" % PRIVATE6: "EPERM",
        })

    def test_host_loopback_listener_unreachable(self):
        self.check("probe_filtered", {
            "tcp:127.0.0.1,8080": "EPERM", "tcp:::1,8080": "EPERM", "tcp6:::ffff:127.0.0.1,8080": "EPERM",
            "udp_sendto:127.0.0.1,9999": "EPERM", "tcp:127.0.0.2,8080": "EPERM", "tcp:0.0.0.0,8080": "EPERM",
        })

    def test_udp_every_send_path(self):
        self.check("probe_filtered", {
            "udp_connect:%s,9999" % PUBLIC4: "ok", "udp_connect:%s,9999" % PRIVATE4: "EPERM",
            "udp_sendto:%s,9999" % PUBLIC4: "ok", "udp_sendto:%s,9999" % PRIVATE4: "EPERM",
            "udp_sendto:%s,9999" % PUBLIC6: "ok", "udp_sendto:%s,9999" % PRIVATE6: "EPERM",
            "udp6_sendto:::ffff:%s,9999" % PUBLIC4: "ok", "udp6_sendto:::ffff:%s,9999" % PRIVATE4: "EPERM",
            "udp_sendmsg:%s,9999" % PUBLIC4: "ok", "udp_sendmsg:%s,9999" % METADATA4: "EPERM",
            "udp_sendmmsg:%s,9999" % PUBLIC4: "ok", "udp_sendmmsg:%s,9999" % PRIVATE4: "EPERM",
        })

    def test_tcp_fast_open_goes_through_the_connect_rules(self):
        self.check("probe_filtered", {"tfo:%s,80" % PUBLIC4: "ok", "tfo:%s,80" % PRIVATE4: "EPERM",
                                      "tfo:%s,80" % PRIVATE6: "EPERM"})

    def test_dns_only_to_the_resolver(self):
        self.check("probe_filtered", {
            "udp_sendto:%s,53" % RESOLVER4: "ok", "tcp:%s,53" % RESOLVER4: "ok",
            "udp_sendto:%s,53" % PUBLIC4: "EPERM", "udp_connect:%s,53" % PUBLIC6: "EPERM",
            # The resolver is reachable only at port 53.
            "tcp:%s,80" % RESOLVER4: "EPERM",
        })

    def test_endpoint_param_with_a_port(self):
        self.check("probe_filtered", {"tcp:%s,8080" % PRIVATE4: "ok", "tcp:%s,80" % PRIVATE4: "EPERM",
                                      "udp_sendto:%s,9999" % PRIVATE4: "EPERM"})
        # EXTRA unset: the private host is denied at every port.
        self.check("probe_filtered", {"tcp:%s,8080" % PRIVATE4: "EPERM"}, params={"RESOLVER": RESOLVER4})
        # Two resolvers, one of them IPv6, both reachable.
        self.check("probe_filtered", {"udp_sendto:%s,53" % RESOLVER4: "ok", "udp_sendto:%s,53" % PUBLIC6: "ok",
                                      "udp_sendto:%s,53" % PUBLIC4: "EPERM"},
                   params={"RESOLVER": [RESOLVER4, "[%s]:53" % PUBLIC6]})

    def test_narrow_rules(self):
        self.check("probe_filtered_narrow", {"tcp:%s,8080" % PUBLIC4: "ok", "tcp:%s,80" % PUBLIC4: "EPERM",
                                             "udp_sendto:%s,9999" % PUBLIC4: "EPERM", "tcp:%s,8080" % PUBLIC6: "EPERM"},
                   params={})

    def test_fork_inherits_the_filter(self):
        self.check("probe_filtered", {"fork_tcp:%s,80" % PUBLIC4: "ok", "fork_tcp:%s,80" % PRIVATE4: "EPERM",
                                      "fork_tcp:127.0.0.1,8080": "EPERM"})

    def test_other_sockets_refused(self):
        # Raw and packet sockets need CAP_NET_RAW, which the job lacks; ping
        # sockets (the test network's sysctl allows them) and UDP-Lite
        # sockets are refused by the socket-create program.
        self.check("probe_filtered", {"raw": "EPERM", "packet": "EPERM", "ping": "EPERM", "udplite": "EPERM"})
        self.check("probe_hostnet", {"ping": "ok", "udplite": "ok"}, params={})

    def test_cannot_detach_mount_or_move(self):
        # The host's cgroup hierarchy is bound in: the job finds its own
        # cgroup's directory there and still cannot detach the programs (the
        # kernel wants the program fd for a BPF_F_ALLOW_MULTI one: EINVAL
        # without it; an exclusive one it would have detached), get that fd
        # (no CAP_SYS_ADMIN), mount a cgroupfs of its own (no CAP_SYS_ADMIN)
        # or write itself into the root cgroup (not its files); the filter
        # still holds afterwards.
        self.check("probe_filtered_cgroupfs", {"bpf_detach": "EINVAL", "bpf_get_fd": "EPERM", "mount_cgroup": "EPERM",
                                               "move_cgroup": "EACCES", "tcp:%s,80" % PRIVATE4: "EPERM"})

    def test_bad_endpoint_param_refused_before_anything(self):
        code, out, err = self.launch("probe_filtered", ["tcp:%s,80" % PUBLIC4], params={"RESOLVER": "resolver.local"})
        self.assertEqual(code, 121, err)
        self.assertEqual(len(err.splitlines()), 1, err)
        self.assertIn("RESOLVER=resolver.local", err)
        self.assertEqual(out, "")
        # A port outside the rule's range (the rule says port 53).
        code, out, err = self.launch("probe_filtered", ["tcp:%s,80" % PUBLIC4], params={"RESOLVER": RESOLVER4 + ":80"})
        self.assertEqual(code, 121, err)
        self.assertEqual(len(err.splitlines()), 1, err)
        self.assertEqual(out, "")

    def test_ordinary_user_refused_with_one_line(self):
        # Never a silent fallback to the unfiltered host network.
        need(self, os.access(launcher(), os.X_OK), "launcher not runnable")
        code, out, err = self.launch("probe_filtered", ["tcp:%s,80" % PRIVATE4], user="nobody")
        if "Permission denied" in err and "exec" in err:
            self.skipTest("the build tree is not reachable for nobody (never forced)")
        self.assertEqual(code, 122, err)
        lines = [ln for ln in err.splitlines() if not ln.startswith("stockade: not root")]
        self.assertEqual(len(lines), 1, err)
        self.assertIn("network: filtered", lines[0])
        self.assertIn("needs root", lines[0])
        self.assertEqual(out, "")


class ShippedPython3FilteredTest(NetFixture):
    """Acceptance: the shipped python3 policy with NET_FILTER=true, as a
    Windmill worker would run it (WM_SERVER, RESOLVER), in the real
    `stockade` launcher; the job's main.py is egress_job.py."""

    def setUp(self):
        super().setUp()
        self.shipped = os.environ.get("STOCKADE_SHIPPED_LAUNCHER")
        need(self, self.shipped and os.path.exists(self.shipped), "the shipped launcher was not given")
        self.job = self.make_tempdir()
        os.chmod(self.job, 0o755)
        for name, text in (("main.py", JOB), ("wrapper.py", ""), ("args.json", "{}"), ("result.json", "")):
            with open(os.path.join(self.job, name), "w") as f:
                f.write(text)

    def run_main(self, ops, params):
        # Debian's interpreter's stdlib (the one the job runs), not this test's.
        stdlib = subprocess.run(["/usr/bin/python3", "-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"],
                                stdout=subprocess.PIPE, check=True).stdout.decode().strip()
        args = self.net.in_ns("sbx") + [self.shipped, "run", "python3", "--param", "JOB_DIR=" + self.job,
                                        "--param", "PY_INSTALL_DIR=" + stdlib]
        for k, v in params.items():
            args += ["--param", "%s=%s" % (k, v)]
        args += ["--", "/usr/bin/python3", "-u", "/tmp/main.py"] + list(ops)
        proc = subprocess.run(args, env=base_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              stdin=subprocess.DEVNULL, timeout=60)
        out, err = proc.stdout.decode(errors="replace"), proc.stderr.decode(errors="replace")
        self.assertEqual(proc.returncode, 0, out + err)
        return dict(ln.split(" ", 1) for ln in out.splitlines())

    def test_downloads_from_allowed_host_only(self):
        got_io_uring_refusal = None  # checked below
        cases = {
            "http:%s,80" % PUBLIC4: "ok hello from %s:80" % PUBLIC4,
            "http:%s,80" % PUBLIC6: "ok hello from %s:80" % PUBLIC6,
            "http:%s,8080" % PRIVATE4: "ok hello from %s:8080" % PRIVATE4,  # the Windmill server
            "udp_sendto:%s,53" % RESOLVER4: "ok ping",
            "http:%s,80" % PRIVATE4: "EPERM",
            "http:127.0.0.1,8080": "EPERM",
            "http:%s,80" % METADATA4: "EPERM",
            "tcp:%s,80" % LINKLOCAL6: "EPERM",
            "tcp6:::ffff:%s,80" % PRIVATE4: "EPERM",
            "udp_sendto:%s,53" % PUBLIC4: "EPERM",
            "udp_sendmmsg:%s,9999" % PRIVATE4: "EPERM",
            "tfo:127.0.0.1,8080": "EPERM",
            "fork_tcp:%s,80" % PRIVATE4: "EPERM",
            "ping": "EPERM", "raw": "EPERM", "packet": "EPERM",
            # io_uring: the base denylist's answer, or the kernel's when it has none.
            "io_uring": got_io_uring_refusal,
            "bpf_detach": "EPERM",  # the base denylist: bpf() itself
        }
        got = self.run_main(list(cases), {"NET_FILTER": "true", "WM_SERVER": PRIVATE4 + ":8080",
                                          "RESOLVER": RESOLVER4})
        self.maxDiff = None
        self.assertIn(got.get("io_uring"), ("EPERM", "ENOSYS"), got)
        cases["io_uring"] = got["io_uring"]
        self.assertEqual(got, cases)

    def test_default_is_the_host_network(self):
        # Windmill's behaviour, unchanged: the same private host answers.
        got = self.run_main(["http:%s,80" % PRIVATE4], {})
        self.assertEqual(got, {"http:%s,80" % PRIVATE4: "ok hello from %s:80" % PRIVATE4})


if __name__ == "__main__":
    unittest.main()
