# SPDX-License-Identifier: Apache-2.0
"""`stockade show NAME --param K=V ...`: the policy resolved for those values
(mounts with their real sources, limits, env), printed without running or
creating anything; bad values refused like `run` refuses them. And the
per-command help and `--option=value` forms of the command line."""

import os

from harness import EXIT_BAD_PARAM, EXIT_USAGE, ProbeTest, launcher, need, probe_dir, run_launcher


class ShowResolvedTest(ProbeTest):
    def show(self, *params, env=None):
        args = [launcher(), "show", "probe_params"]
        for p in params:
            args += ["--param", p]
        return run_launcher(args, env=env)

    def test_mounts_carry_the_given_sources_and_limits_follow_params(self):
        data = self.make_tempdir()
        out = self.show("PROBE_DIR=" + probe_dir(), "DATA_DIR=" + data, "COUNT=7", "WAIT=90s", "SCRATCH=2MiB")
        self.assertExit(out, 0)
        lines = out.stdout.splitlines()
        self.assertIn("  bind %s -> /probe ro" % probe_dir(), lines)
        self.assertIn("  bind %s -> /data ro" % data, lines)
        self.assertIn("  mkdir /tmp/count-7", lines)
        self.assertIn("  tmpfs /scratch size 2097152 rw", lines)
        self.assertIn("time limit: 90000 ms", lines)
        self.assertIn("  COUNT = 7", lines)
        # The optional bind whose param is unset is left out, as run leaves it out.
        self.assertFalse(any(ln.endswith("-> /extra ro") for ln in lines), out.stdout)

    def test_each_setting_once_as_it_applies(self):
        # probe_params overrides probe_base's time limit: one line, the child's.
        out = self.show("PROBE_DIR=" + probe_dir())
        self.assertExit(out, 0)
        for key in ("hostname:", "cwd:", "time limit:", "network:", "namespaces:"):
            self.assertEqual(sum(1 for ln in out.stdout.splitlines() if ln.startswith(key)), 1, key + "\n" + out.stdout)

    def test_env_is_the_jobs_env_from_this_environment(self):
        out = self.show("PROBE_DIR=" + probe_dir(), "LABEL=blue", "FLAG=true")
        self.assertExit(out, 0)
        lines = out.stdout.splitlines()
        self.assertIn("  PROBE_LABEL=blue", lines)
        self.assertIn("  PROBE_FLAG=on", lines)

    def test_nothing_is_run_or_created(self):
        # A data dir that does not exist: run would fail at the bind; show only resolves.
        missing = os.path.join(self.make_tempdir(), "not-there")
        out = self.show("PROBE_DIR=" + probe_dir(), "DATA_DIR=" + missing)
        self.assertExit(out, 0)
        self.assertIn("  bind %s -> /data ro" % missing, out.stdout.splitlines())
        self.assertFalse(os.path.exists(missing))
        self.assertEqual(out.stderr, "")

    def test_bad_params_are_refused_with_121(self):
        for params in (["COUNT=7"], ["PROBE_DIR=" + probe_dir(), "COUNT=1000"],
                       ["PROBE_DIR=" + probe_dir(), "NOPE=1"]):
            out = self.show(*params)
            self.assertExit(out, EXIT_BAD_PARAM, repr(params))
            self.assertOneLineError(out, "param")
            self.assertEqual(out.stdout, "")

    def test_show_refuses_run_options(self):
        out = run_launcher([launcher(), "show", "probe_params", "--report", "/tmp/r.json"])
        self.assertExit(out, EXIT_USAGE)
        self.assertOneLineError(out, "--report", "not taken by show")


class HelpTest(ProbeTest):
    def test_every_command_has_its_own_help(self):
        for args, first in ((["--help"], "usage: stockade run"), (["help"], "usage: stockade run"),
                            (["run", "--help"], "usage: stockade run NAME"),
                            (["run", "probe", "--param", "X=1", "--help"], "usage: stockade run NAME"),
                            (["help", "run"], "usage: stockade run NAME"),
                            (["show", "--help"], "usage: stockade show"), (["help", "show"], "usage: stockade show"),
                            (["list", "--help"], "usage: stockade list"), (["help", "help"], "usage: stockade help")):
            out = run_launcher([launcher()] + args)
            self.assertExit(out, 0, repr(args))
            self.assertTrue(out.stdout.startswith(first), repr(args) + "\n" + out.stdout)
        self.assertIn("120 usage", run_launcher([launcher(), "run", "--help"]).stdout)

    def test_option_equals_value(self):
        out = run_launcher([launcher(), "show", "probe_params", "--param=PROBE_DIR=" + probe_dir(), "--param=COUNT=9"])
        self.assertExit(out, 0)
        self.assertIn("  mkdir /tmp/count-9", out.stdout.splitlines())


class ShowPlainTest(ProbeTest):
    """`stockade show NAME` without params: a child's setting replaces its
    base's, so each is said once, as it applies (issue 14)."""

    def shipped(self):
        path = os.environ.get("STOCKADE_SHIPPED_LAUNCHER")
        need(self, path is not None, "no shipped launcher given (--shipped-launcher)")
        return path

    def test_each_setting_once_in_every_shipped_policy(self):
        shipped = self.shipped()
        names = run_launcher([shipped, "list"]).stdout.split()
        self.assertIn("python3", names)
        for name in names:
            out = run_launcher([shipped, "show", name])
            self.assertExit(out, 0, name)
            lines = out.stdout.splitlines()
            for key in ("hostname:", "cwd:", "time limit:", "network:"):
                unconditional = [ln for ln in lines if ln.startswith(key) and "[if " not in ln]
                self.assertEqual(len(unconditional), 1, "%s: %s\n%s" % (name, key, out.stdout))

    def test_the_childs_value_not_the_bases(self):
        # base says `cwd /tmp` and `time_limit 600s`; python3 sets time_limit ${TIMEOUT}.
        out = run_launcher([self.shipped(), "show", "python3"])
        self.assertExit(out, 0)
        lines = out.stdout.splitlines()
        self.assertIn("time limit: ${TIMEOUT}", lines)
        self.assertNotIn("time limit: 600000 ms", lines)
        self.assertEqual([ln for ln in lines if ln.startswith("cwd:")], ["cwd: /tmp"])
