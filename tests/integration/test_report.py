# SPDX-License-Identifier: Apache-2.0
"""The report (runtime/report.h, docs/report.schema.json): why a launch
failed, for every way the launcher ends; and a job that can write the
report's directory can neither lose nor forge it.

Every report read here goes through harness.check_report (the schema)."""

import json
import os
import re
import subprocess
import unittest

from harness import (EXIT_BAD_PARAM, EXIT_NOT_EXECUTABLE, EXIT_NOT_FOUND, EXIT_SETUP, EXIT_USAGE, ProbeTest,
                     check_report, launcher, launcher_args, probe_dir, run_launcher, run_with_fds, skips)


def version():
    out = subprocess.run([launcher(), "--version"], stdout=subprocess.PIPE, check=True)
    return out.stdout.decode().split()[-1]


class Reports(ProbeTest):
    def setUp(self):
        super().setUp()
        self.dir = self.make_tempdir()
        self.rw = os.path.join(self.dir, "rw")
        os.mkdir(self.rw)
        self.path = os.path.join(self.rw, "report.json")
        self.secret = os.path.join(self.dir, "secret.txt")
        with open(self.secret, "w") as f:
            f.write("host secret\n")

    def run_args(self, args):
        return run_launcher(args, report=self.path)

    def shell(self, script, report=True, params=None):
        """/bin/sh -c script inside `probe`, RW_DIR bound at /rw."""
        p = {"RW_DIR": self.rw}
        p.update(params or {})
        args = launcher_args("probe", ["-c", script], p, self.path if report else None, program="/bin/sh")
        return self.run_args(args)

    def read_report(self):
        with open(self.path) as f:
            text = f.read()
        data = json.loads(text)
        check_report(data)
        return data


class FailureReports(Reports):
    """On any failure before the job runs: step, message and the param or
    path concerned, the same line as on stderr, the documented exit code."""

    def assertFailure(self, out, code, step, **fields):
        self.assertExit(out, code)
        self.assertOneLineError(out, "stockade: %s: " % step)
        r = out.report
        self.assertIsNotNone(r, out.describe())
        self.assertEqual((r["status"], r["step"]), (code, step), out.describe())
        self.assertEqual("stockade: " + r["message"], out.stderr.strip(), "message and stderr line differ")
        for key, value in fields.items():
            self.assertEqual(r.get(key), value, out.describe())
        return r

    def test_unknown_option_gets_a_report(self):
        # The --report option after the mistake is found all the same.
        args = [launcher(), "run", "probe", "--bogus", "--report", self.path, "--", "/bin/true"]
        r = self.assertFailure(self.run_args(args), EXIT_USAGE, "usage")
        self.assertEqual((r["reason"], r["policy"], r["params"]), ("usage", "probe", {}))
        self.assertEqual(r["message"], "usage: option --bogus: unknown (stockade --help)")

    def test_missing_double_dash_names_the_program(self):
        args = [launcher(), "run", "probe", "--report=" + self.path, "/bin/true"]
        out = self.run_args(args)
        r = self.assertFailure(out, EXIT_USAGE, "usage")
        self.assertEqual(out.stderr, "stockade: usage: program /bin/true: needs -- before it "
                                     "(stockade run NAME [options] -- PROGRAM [ARGS...])\n")
        self.assertNotIn("option /bin/true", r["message"])

    def test_unknown_policy(self):
        args = [launcher(), "run", "nosuchpolicy", "--report", self.path, "--", "/bin/true"]
        r = self.assertFailure(self.run_args(args), EXIT_USAGE, "usage")
        self.assertEqual(r["policy"], "nosuchpolicy")

    def test_bad_param_names_the_param(self):
        out = self.run_args(launcher_args("probe", ["exit", "0"], {"NOPE": "1"}, self.path))
        r = self.assertFailure(out, EXIT_BAD_PARAM, "param", param="NOPE", reason="bad-param")
        self.assertEqual(r["params"]["NOPE"], "1")

    def test_missing_bind_source_names_the_path(self):
        missing = os.path.join(self.dir, "missing")
        out = self.run_args(launcher_args("probe", ["exit", "0"], {"DATA_DIR": missing}, self.path))
        r = self.assertFailure(out, EXIT_SETUP, "mounts", path=missing, reason="setup-failed")
        # Validated params: every declared one, defaults applied, unset ones null.
        self.assertEqual(r["params"], {"PROBE_DIR": probe_dir(), "DATA_DIR": missing, "RW_DIR": None})

    def test_program_not_found(self):
        out = self.run_args(launcher_args("probe", [], None, self.path, program="/nonexistent"))
        self.assertFailure(out, EXIT_NOT_FOUND, "execve", path="/nonexistent", reason="exec-failed")

    def test_program_not_executable(self):
        out = self.run_args(launcher_args("probe", [], None, self.path, program="/probe"))
        self.assertFailure(out, EXIT_NOT_EXECUTABLE, "execve", path="/probe", reason="exec-failed")

    def test_too_many_environment_variables_is_a_usage_error(self):
        env = {"V%d" % i: "x" for i in range(4100)}
        args = launcher_args("probe_keepenv", ["exit", "0"], None, self.path)
        out = run_launcher(args, env=env, report=self.path)
        r = self.assertFailure(out, EXIT_USAGE, "env", reason="usage")
        self.assertIn("more than 4096 variables", r["message"])

    def test_too_many_params_is_a_param_error(self):
        args = launcher_args("probe", ["exit", "0"], None, self.path)
        extra = []
        for i in range(2049):
            extra += ["--param", "DATA_DIR=/x%d" % i]
        args[args.index("--"):args.index("--")] = extra
        r = self.assertFailure(self.run_args(args), EXIT_BAD_PARAM, "param", reason="bad-param")
        self.assertIn("more than 2048 values in all", r["message"])


class SchemaTest(unittest.TestCase):
    def test_the_schema_names_every_step_of_the_launchers_table(self):
        root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
        with open(os.path.join(root, "runtime", "fail.cc")) as f:
            table = re.findall(r'\{Step::\w+, "([a-z_-]+)", Exit::', f.read())
        with open(os.path.join(root, "docs", "report.schema.json")) as f:
            schema = json.load(f)
        self.assertGreater(len(table), 20)
        self.assertEqual(sorted(schema["properties"]["step"]["enum"]), sorted(n for n in table if n != "none"))


class EveryReport(Reports):
    def test_policy_params_and_version_in_every_report(self):
        out = self.run_args(launcher_args("probe", ["exit", "3"], {"RW_DIR": self.rw}, self.path))
        self.assertExit(out, 3)
        r = out.report
        self.assertEqual((r["status"], r["reason"], r["policy"]), (3, "exited", "probe"), out.describe())
        self.assertEqual(r["launcher_version"], version())
        self.assertEqual(r["params"], {"PROBE_DIR": probe_dir(), "DATA_DIR": None, "RW_DIR": self.rw})
        self.assertNotIn("step", r)

    def test_report_fd_and_file_say_the_same(self):
        rfd, wfd = os.pipe()
        args = launcher_args("probe", ["exit", "4"], None, self.path)
        args[args.index("--"):args.index("--")] = ["--report-fd", "5"]
        out = run_with_fds(args, {5: wfd})
        os.close(wfd)
        with os.fdopen(rfd) as f:
            piped = json.loads(f.read())
        check_report(piped)
        self.assertExit(out, 4)
        self.assertEqual(piped, self.read_report())


class UnforgeableReport(Reports):
    """The worker asks for the report inside the job's read-write directory;
    the job does its worst there while it runs."""

    def assertLaunchersReport(self, out, status):
        self.assertExit(out, status)
        self.assertTrue(os.path.isfile(self.path) and not os.path.islink(self.path), out.describe())
        r = self.read_report()
        self.assertEqual((r["status"], r["reason"]), (status, "exited"), out.describe())
        self.assertNotIn("forged", r)
        return r

    def test_the_report_exists_before_the_job_runs(self):
        out = self.shell("test -f /rw/report.json && test ! -s /rw/report.json && exit 5; exit 6")
        self.assertLaunchersReport(out, 5)

    def test_a_forged_file_in_place_of_the_report_is_replaced(self):
        out = self.shell("rm /rw/report.json; echo '{\"status\": 0, \"reason\": \"exited\", \"forged\": 1}' "
                         "> /rw/report.json; exit 7")
        self.assertLaunchersReport(out, 7)
        self.assertIn("stockade: report: the job replaced %s" % self.path, out.stderr)

    def test_writing_into_the_report_changes_nothing(self):
        out = self.shell("echo '{\"status\": 0, \"reason\": \"exited\", \"forged\": 1}' > /rw/report.json; exit 7")
        self.assertLaunchersReport(out, 7)
        self.assertEqual(out.stderr, "", "the file was still the launcher's: nothing to say")

    def test_a_directory_in_place_of_the_report_is_moved_aside(self):
        out = self.shell("rm /rw/report.json; mkdir -p /rw/report.json/inside; exit 2")
        self.assertLaunchersReport(out, 2)
        aside = [n for n in os.listdir(self.rw) if n.startswith(".report.json.stockade-")]
        self.assertEqual(len(aside), 1, os.listdir(self.rw))
        self.assertTrue(os.path.isdir(os.path.join(self.rw, aside[0], "inside")))

    def test_a_symlink_in_place_of_the_report_is_not_followed(self):
        out = self.shell("rm /rw/report.json; ln -s %s /rw/report.json; exit 0" % self.secret)
        self.assertLaunchersReport(out, 0)
        with open(self.secret) as f:
            self.assertEqual(f.read(), "host secret\n")

    def test_the_temporary_names_cannot_be_guessed_and_taken(self):
        # Whatever the job pre-creates beside the report, the launcher's
        # fresh file takes a random name.
        script = ("rm /rw/report.json; for i in 1 2 3 4 5 6 7 8; do mkdir /rw/.report.json.stockade-$i; done; "
                  "mkdir /rw/report.json; exit 1")
        self.assertLaunchersReport(self.shell(script), 1)

    def test_a_symlink_planted_before_the_launch_is_refused_and_the_job_never_runs(self):
        os.symlink(self.secret, self.path)
        marker = os.path.join(self.rw, "ran")
        out = self.shell("touch /rw/ran")
        self.assertExit(out, EXIT_USAGE)
        self.assertOneLineError(out, "stockade: report: open %s: " % self.path, "symlink")
        self.assertFalse(os.path.exists(marker), "the job ran")
        with open(self.secret) as f:
            self.assertEqual(f.read(), "host secret\n")

    def test_a_stale_report_is_never_taken_for_this_one(self):
        with open(self.path, "w") as f:
            f.write('{"status": 0, "reason": "exited"}\n')
        out = self.shell("test -s /rw/report.json && exit 8; exit 0")
        self.assertExit(out, 0, "the job saw the earlier report")


class LostReport(Reports):
    """A report that cannot be written is one stderr line; the exit code stays
    the job's own (it never becomes 125)."""

    def test_a_full_filesystem_keeps_the_jobs_status(self):
        if os.geteuid() != 0:
            self.skipTest("mounting a small tmpfs needs root")
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "stockade-report-test", self.rw], check=True)
        self.addCleanup(subprocess.run, ["umount", "-l", self.rw])
        # The job fills the filesystem the report lives on.
        out = self.shell("yes xxxxxxxxxxxxxxxx > /rw/fill 2>/dev/null; exit 0")
        self.assertExit(out, 0)
        self.assertOneLineError(out, "stockade: report: write %s: No space left on device" % self.path)
        with open(self.path) as f:
            self.assertEqual(f.read(), "", "a half or forged report stayed")

    def test_a_report_pipe_nobody_reads_keeps_the_jobs_status(self):
        rfd, wfd = os.pipe()
        os.close(rfd)
        args = launcher_args("probe", ["exit", "9"])
        args[args.index("--"):args.index("--")] = ["--report-fd", "5"]
        out = run_with_fds(args, {5: wfd})
        os.close(wfd)
        self.assertExit(out, 9)
        self.assertOneLineError(out, "stockade: report: write fd 5: Broken pipe")

    def test_an_unwritable_report_directory_is_refused_before_the_job(self):
        missing = os.path.join(self.dir, "no", "report.json")
        args = launcher_args("probe", ["-c", "touch /rw/ran"], {"RW_DIR": self.rw}, missing, program="/bin/sh")
        out = run_launcher(args)
        self.assertExit(out, EXIT_USAGE)
        self.assertOneLineError(out, "stockade: report: open directory %s: No such file or directory"
                                % os.path.dirname(missing))
        self.assertFalse(os.path.exists(os.path.join(self.rw, "ran")), "the job ran")

