# SPDX-License-Identifier: Apache-2.0
"""The launcher's command line: list, show, usage errors, and every kind of
bad parameter, each refused with one line and exit 121 before any set-up."""

import os
import subprocess

from harness import (EXIT_BAD_PARAM, EXIT_USAGE, ProbeTest, Snapshot, base_env, launcher, probe_dir,
                     probe_in_sandbox, run_launcher, run_probe)

TEST_POLICIES = ["probe", "probe_cgroup", "probe_cpu", "probe_hostnet", "probe_jobfiles", "probe_keepenv",
                 "probe_keepsession", "probe_loopback", "probe_params", "probe_passfd", "probe_rlimits",
                 "probe_seccomp", "probe_timeout"]


def params_args(*params):
    args = [launcher(), "run", "probe_params"]
    for p in params:
        args += ["--param", p]
    return args + ["--", probe_in_sandbox(), "env"]


class ListShowTest(ProbeTest):
    def test_list_names_every_test_policy_and_no_abstract_one(self):
        out = run_launcher([launcher(), "list"])
        self.assertExit(out, 0)
        names = out.stdout.split()
        for name in TEST_POLICIES:
            self.assertIn(name, names)
        self.assertNotIn("probe_base", names)

    def test_show_names_the_params(self):
        out = run_launcher([launcher(), "show", "probe_params"])
        self.assertExit(out, 0)
        for param in ("PROBE_DIR", "COUNT", "LABEL", "TAG", "SCRATCH", "WAIT", "FLAG", "EXTRA"):
            self.assertIn(param, out.stdout)

    def test_usage_errors_exit_120(self):
        for args in ([], ["frobnicate"], ["run"], ["run", "probe", "--param", "PROBE_DIR=" + probe_dir()],
                     ["run", "probe", "--bogus", "--", "/x"], ["run", "no_such_policy", "--", "/x"],
                     ["show", "no_such_policy"]):
            out = run_launcher([launcher()] + args)
            self.assertExit(out, EXIT_USAGE, repr(args))
            self.assertOneLineError(out)


class BadParamTest(ProbeTest):
    def assertBadParam(self, name, *params):
        snapshot = Snapshot()
        out = run_launcher(params_args("PROBE_DIR=" + probe_dir(), *params))
        self.assertExit(out, EXIT_BAD_PARAM, repr(params))
        self.assertOneLineError(out, name)
        self.assertEqual(out.stdout, "", "the job ran")
        self.assertEqual(snapshot.new_mounts(), [])

    def test_unknown_param(self):
        self.assertBadParam("NO_SUCH", "NO_SUCH=1")

    def test_missing_required_param(self):
        out = run_launcher([launcher(), "run", "probe_params", "--", probe_in_sandbox(), "env"])
        self.assertExit(out, EXIT_BAD_PARAM)
        self.assertOneLineError(out, "PROBE_DIR")

    def test_wrong_types(self):
        self.assertBadParam("COUNT", "COUNT=abc")
        self.assertBadParam("COUNT", "COUNT=5x")
        self.assertBadParam("COUNT", "COUNT=")
        self.assertBadParam("FLAG", "FLAG=yes")
        self.assertBadParam("SCRATCH", "SCRATCH=lots")
        self.assertBadParam("WAIT", "WAIT=10x")

    def test_out_of_range(self):
        self.assertBadParam("COUNT", "COUNT=0")
        self.assertBadParam("COUNT", "COUNT=101")
        self.assertBadParam("COUNT", "COUNT=-1")
        self.assertBadParam("COUNT", "COUNT=99999999999999999999999")
        self.assertBadParam("SCRATCH", "SCRATCH=2GiB")
        self.assertBadParam("WAIT", "WAIT=2h")

    def test_bad_paths(self):
        self.assertBadParam("EXTRA", "EXTRA=relative/dir")
        self.assertBadParam("EXTRA", "EXTRA=")
        self.assertBadParam("EXTRA", "EXTRA=/tmp/../etc")
        self.assertBadParam("EXTRA", "EXTRA=/tmp/./x")
        self.assertBadParam("EXTRA", "EXTRA=/tmp//x")
        self.assertBadParam("EXTRA", "EXTRA=/tmp/x/")
        self.assertBadParam("EXTRA", "EXTRA=/" + "a" * 4100)

    def test_bad_names(self):
        self.assertBadParam("LABEL", "LABEL=a/b")
        self.assertBadParam("LABEL", "LABEL=..")
        self.assertBadParam("LABEL", "LABEL=.")
        self.assertBadParam("LABEL", "LABEL=sp ace")
        self.assertBadParam("LABEL", "LABEL=new\nline")
        self.assertBadParam("LABEL", "LABEL=")
        self.assertBadParam("LABEL", "LABEL=" + "n" * 256)

    def test_over_long_string(self):
        self.assertBadParam("TAG", "TAG=" + "s" * 4097)


class GoodParamTest(ProbeTest):
    def test_defaults(self):
        out = run_probe("probe_params", "env")
        self.assertResult(out, "ok")
        env = dict(e.split("=", 1) for e in out.values("env"))
        self.assertEqual(env.get("PROBE_LABEL"), "plain")
        self.assertEqual(env.get("PROBE_TAG"), "")
        self.assertNotIn("PROBE_FLAG", env)
        ls = run_probe("probe_params", "ls", "/tmp")
        self.assertEqual(sorted(ls.values("entry")), ["count-5", "label-plain"])

    def test_values_reach_the_job_and_cannot_inject(self):
        tag = 'x" ; network host ; env { keep } ${PROBE_DIR} k=v \\n'
        out = run_probe("probe_params", "env",
                        params={"LABEL": "lab.el-1", "COUNT": "100", "TAG": tag, "FLAG": "true"})
        self.assertResult(out, "ok")
        env = dict(e.split("=", 1) for e in out.values("env"))
        self.assertEqual(env.get("PROBE_LABEL"), "lab.el-1")
        self.assertEqual(env.get("PROBE_TAG"), tag)
        self.assertEqual(env.get("PROBE_FLAG"), "on")
        ls = run_probe("probe_params", "ls", "/tmp", params={"LABEL": "lab.el-1", "COUNT": "100"})
        self.assertEqual(sorted(ls.values("entry")), ["count-100", "label-lab.el-1"])

    def test_size_param_sets_tmpfs_size(self):
        out = run_probe("probe_params", "fsize", str(3 << 20), "/scratch/f", params={"SCRATCH": "2MiB"})
        self.assertResult(out, "ENOSPC")
        self.assertEqual(out.value("written"), str(2 << 20))

    def test_optional_path_param(self):
        top = self.make_tempdir()
        os.chmod(top, 0o755)
        self.assertResult(run_probe("probe_params", "stat", "/extra"), "ENOENT")
        self.assertResult(run_probe("probe_params", "stat", "/extra", params={"EXTRA": top}), "ok")
