# SPDX-License-Identifier: Apache-2.0
"""stockadec's command line (compiler/cli/): per-command --help, an option a
command does not take is an error, --opt=value forms, the documented exit
codes (0 ok, 1 input errors, 2 usage or I/O), -q / -v, and the include path
(-I, then the installed policy directory). Usage: test_stockadec.py STOCKADEC POLICY_DIR"""

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import unittest

STOCKADEC = POLICY_DIR = None
COMMANDS = ["check", "compile", "explain", "ir", "bpf", "import-nsjail", "learn"]

CHILD = 'include "base.policy"\npolicy mine extends base {\n  hostname "mine"\n}\n'


def run(*args, cwd=None):
    return subprocess.run([STOCKADEC] + list(args), capture_output=True, text=True, cwd=cwd)


class StockadecCliTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="stockadec-cli-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.child = os.path.join(self.dir, "mine.policy")
        with open(self.child, "w") as f:
            f.write(CHILD)
        self.python3 = os.path.join(POLICY_DIR, "python3.policy")

    def assertRc(self, out, rc):
        self.assertEqual(out.returncode, rc, "stdout: %s\nstderr: %s" % (out.stdout, out.stderr))

    def test_every_command_has_its_own_help(self):
        for cmd in COMMANDS:
            out = run(cmd, "--help")
            self.assertRc(out, 0)
            self.assertIn("Usage: stockadec " + cmd, out.stdout)
            self.assertIn("exit status: 0 success, 1 the input has errors, 2 usage or I/O error", out.stdout)
        top = run("--help")
        self.assertRc(top, 0)
        for cmd in COMMANDS:
            self.assertIn(cmd, top.stdout)

    def test_an_option_a_command_does_not_take_is_an_error(self):
        for args, opt in ((["explain", "-o", "x", self.python3], "-o"), (["check", "--disasm", self.python3], "--disasm"),
                          (["import-nsjail", "-I", "d", "c.cfg"], "-I"), (["ir", "--name", "x", self.python3], "--name")):
            out = run(*args)
            self.assertRc(out, 2)
            self.assertIn(opt, out.stderr)
            self.assertIn("stockadec %s --help" % args[0], out.stderr)

    def test_unknown_command_and_no_command(self):
        out = run("frobnicate")
        self.assertRc(out, 2)
        self.assertEqual(out.stderr, "stockadec: unknown command 'frobnicate' (stockadec --help)\n")
        self.assertRc(run(), 2)

    def test_unreadable_input_exits_2_not_1(self):
        out = run("check", os.path.join(self.dir, "missing.policy"))
        self.assertRc(out, 2)
        self.assertIn("cannot read", out.stderr)
        self.assertRc(run("check", self.dir), 2)  # a directory

    def test_input_errors_exit_1(self):
        bad = os.path.join(self.dir, "bad.policy")
        with open(bad, "w") as f:
            f.write("policy p { hostnme \"x\" }\n")
        out = run("check", bad)
        self.assertRc(out, 1)
        self.assertIn("bad.policy:1:", out.stderr)

    def test_a_log_the_launcher_cannot_report_is_an_error(self):
        # The launcher's hand-over of the listener reads once after the
        # filter is in: a filter that denies read cannot report its LOG.
        bad = os.path.join(self.dir, "log.policy")
        with open(bad, "w") as f:
            f.write("policy p {\n  seccomp {\n    ERRNO(1) { read }\n    DEFAULT LOG\n  }\n}\n")
        out = run("check", bad)
        self.assertRc(out, 1)
        self.assertIn("log.policy:2:12: error: policy p: its LOG cannot be reported", out.stderr)
        with open(bad, "w") as f:
            f.write("policy p {\n  seccomp {\n    KILL { syslog }\n    DEFAULT LOG\n  }\n}\n")
        out = run("check", bad)
        self.assertRc(out, 0)
        self.assertEqual(out.stdout, "1 policy ok\n")

    def test_learn_writes_kafel_from_a_report_and_refuses_what_it_cannot_use(self):
        report = os.path.join(self.dir, "r.json")
        entries = [
            {"name": "read", "abi": "x86_64", "nr": 0, "args": [3, 1, 2, 0, 0, 0], "count": 5},
            {"name": "ioctl", "abi": "x86_64", "nr": 16, "args": [1, 0x5401, 0, 0, 0, 0], "count": 2, "key_arg": 1},
            {"name": "ioctl", "abi": "x86_64", "nr": 16, "args": [1, 0x5421, 0, 0, 0, 0], "count": 1, "key_arg": 1},
            {"name": "uname", "abi": "i386", "nr": 122, "args": [0] * 6, "count": 1},
        ]
        with open(report, "w") as f:
            json.dump({"status": 0, "reason": "exited", "logged": entries, "logged_calls": 9}, f)
        kafel = os.path.join(self.dir, "learned.kafel")
        out = run("learn", report, "-o", kafel, "--name", "mine_learned")
        self.assertRc(out, 0)
        with open(kafel) as f:
            text = f.read()
        self.assertIn("// not learned (another ABI, or unknown): i386 uname\n", text)
        self.assertIn("POLICY mine_learned {\n  ALLOW {\n    ioctl(a0, a1) { a1 == 0x5401 || a1 == 0x5421 },\n"
                      "    read\n  }\n}\n", text)
        # It compiles as the seccomp block of a policy.
        policy = os.path.join(self.dir, "use.policy")
        with open(policy, "w") as f:
            f.write('policy u {\n  seccomp {\n    #include "learned.kafel"\n    USE mine_learned\n    DEFAULT KILL\n  }\n'
                    '  expect ioctl(1, 0x5401) -> ALLOW\n  expect ioctl(1, 0x5412) -> KILL\n  expect write -> KILL\n}\n')
        self.assertRc(run("check", policy), 0)
        # More calls counted than listed (--logged-max too small), no list, bad name.
        with open(report, "w") as f:
            json.dump({"logged": entries, "logged_calls": 10}, f)
        out = run("learn", report, "-o", kafel)
        self.assertRc(out, 1)
        self.assertIn("10 calls logged, 9 listed", out.stderr)
        with open(report, "w") as f:
            json.dump({"status": 0}, f)
        out = run("learn", report, "-o", kafel)
        self.assertRc(out, 1)
        self.assertIn("stockade run --learn", out.stderr)
        self.assertRc(run("learn", report, "-o", kafel, "--name", "9x"), 2)
        self.assertRc(run("learn", os.path.join(self.dir, "missing.json"), "-o", kafel), 1)

    def test_option_equals_value_and_separate_value(self):
        for form in (["--output=%s" % os.path.join(self.dir, "a")], ["-o", os.path.join(self.dir, "b")],
                     ["--output", os.path.join(self.dir, "c")]):
            out = run("compile", "--include-dir=" + POLICY_DIR, *form, self.child)
            self.assertRc(out, 0)
        for d in "abc":
            self.assertTrue(os.path.exists(os.path.join(self.dir, d, "mine.cc")))

    def test_quiet_and_verbose(self):
        out = run("check", self.python3)
        self.assertRc(out, 0)
        self.assertEqual(out.stdout, "1 policy ok\n")
        quiet = run("-q", "check", self.python3)
        self.assertRc(quiet, 0)
        self.assertEqual(quiet.stdout + quiet.stderr, "")
        self.assertEqual(run("check", "-q", self.python3).stdout, "")  # after the command too
        loud = run("check", "-v", self.python3)
        self.assertRc(loud, 0)
        self.assertIn("stockadec: 1 policy compiled", loud.stderr)
        self.assertRc(run("-q", "-v", "check", self.python3), 2)

    def test_include_path_first_dir_first_and_the_message_when_missing(self):
        out = run("check", self.child)
        self.assertRc(out, 1)  # this build's stockadec is not installed: no default directory
        self.assertIn("cannot read include 'base.policy'", out.stderr)
        self.assertIn("stockadec -I DIR", out.stderr)
        self.assertRc(run("check", "-I", POLICY_DIR, self.child), 0)
        self.assertRc(run("check", "-I" + POLICY_DIR, self.child), 0)
        # A decoy base earlier on the path wins over the shipped one.
        decoy = os.path.join(self.dir, "decoy")
        os.mkdir(decoy)
        with open(os.path.join(decoy, "base.policy"), "w") as f:
            f.write("abstract policy base { cwd /decoy }\n")  # the child sets only its hostname
        out = run("explain", "-I", decoy, "-I", POLICY_DIR, self.child)
        self.assertRc(out, 0)
        self.assertIn("cwd: /decoy", out.stdout)

    def test_compile_name_and_from_pick_a_subset(self):
        gen = os.path.join(self.dir, "gen")
        files = [os.path.join(POLICY_DIR, f) for f in ("python3.policy", "bash.policy", "go.policy")]
        out = run("compile", "-o", gen, "--name", "bash", "--name=go", *files)
        self.assertRc(out, 0)
        self.assertEqual(sorted(f for f in os.listdir(gen) if f not in ("registry.cc", "seccomp.cc", "rows.cc")),
                         ["bash.cc", "go.cc"])
        out = run("compile", "-I", POLICY_DIR, "-o", gen, "--from", self.child, self.child, files[0])
        self.assertRc(out, 0)
        self.assertEqual(sorted(f for f in os.listdir(gen) if f not in ("registry.cc", "seccomp.cc", "rows.cc")), ["mine.cc"])
        out = run("compile", "-o", gen, "--name", "nope", *files)
        self.assertRc(out, 2)
        self.assertIn("--name nope", out.stderr)


if __name__ == "__main__":
    STOCKADEC, POLICY_DIR = sys.argv[1], sys.argv[2]
    unittest.main(argv=sys.argv[:1], verbosity=2)
