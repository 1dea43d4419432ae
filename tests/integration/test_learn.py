# SPDX-License-Identifier: Apache-2.0
"""Learn mode end to end (issue 14, docs/learn.md): a real python3 job runs
under the shipped `python3` policy with `stockade run --learn`; `stockadec
learn` turns its report into a Kafel allowlist; a policy extending python3
with that allowlist compiles, a launcher is built from it, the same job
passes under it, and jobs that make calls the first never made are killed
with the call named in the report."""

import json
import os
import re
import shutil
import subprocess

from harness import EXIT_SECCOMP, ProbeTest, need, run_launcher

# Imports a few stdlib modules, starts a thread and forks a child (both
# are followed: the filter and its listener are inherited), opens an
# AF_INET socket, and writes its result file. With an argument it then
# makes one call the learning run (no argument) never made.
JOB = r'''
import collections, hashlib, json, os, re, socket, sys, threading

out = []
t = threading.Thread(target=lambda: out.append(hashlib.sha256(b"stockade" * 1000).hexdigest()))
t.start()
t.join()
pid = os.fork()
if pid == 0:
    os._exit(len(re.findall(r"\d", "a1b2c3")))
_, status = os.waitpid(pid, 0)
socket.socket(socket.AF_INET, socket.SOCK_DGRAM).close()
with open("/tmp/result.json", "w") as f:
    json.dump({"hash": out[0], "child": os.waitstatus_to_exitcode(status),
               "counts": collections.Counter("mississippi")}, f)
if sys.argv[1:] == ["mknod"]:
    os.mknod("/tmp/node", 0o600 | 0o010000)  # a FIFO: mknodat
elif sys.argv[1:] == ["netlink"]:
    socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)  # socket, in a family not learned
print("done")
'''

# The argument, and the call it makes.
OTHERS = {"mknod": "mknodat", "netlink": "socket"}

LEARNED_POLICY = '''include "python3.policy"

policy python3_learned extends python3 {
  seccomp {
    #include "learned.kafel"
    USE base_denylist
    USE learned
    DEFAULT KILL
  }
%s}
'''


class LearnModeTest(ProbeTest):
    def setUp(self):
        super().setUp()
        self.shipped = os.environ.get("STOCKADE_SHIPPED_LAUNCHER")
        self.stockadec = os.environ.get("STOCKADE_STOCKADEC")
        self.build = os.environ.get("STOCKADE_BUILD_LAUNCHER")
        self.source = os.environ.get("STOCKADE_SOURCE_DIR")
        need(self, all((self.shipped, self.stockadec, self.build, self.source)),
             "run.py was not given the shipped launcher, stockadec, the launcher build script and the source dir")
        need(self, os.path.exists("/usr/bin/python3"), "no python3 on the host")
        self.work = self.make_tempdir()
        self.job = os.path.join(self.work, "job")
        os.mkdir(self.job)
        os.chmod(self.job, 0o755)
        for name in ("main.py", "wrapper.py", "args.json", "result.json"):
            with open(os.path.join(self.job, name), "w") as f:
                f.write(JOB if name == "wrapper.py" else "{}\n")
            os.chmod(os.path.join(self.job, name), 0o666)

    def run_job(self, launcher, policy, arg=None, options=(), report=None):
        args = [launcher, "run", policy, "--param", "JOB_DIR=" + self.job, "--param", "PY_INSTALL_DIR=/usr"]
        args += list(options)
        if report:
            args += ["--report", report]
        args += ["--", "/usr/bin/python3", "-u", "/tmp/wrapper.py"] + ([arg] if arg else [])
        return run_launcher(args, timeout=120, report=report)

    def tool(self, *args):
        out = subprocess.run(list(args), capture_output=True, text=True, timeout=600)
        return out

    def test_learned_policy_compiles_the_job_passes_and_other_calls_are_killed(self):
        # 1. The learning run, under the shipped python3 policy.
        report = os.path.join(self.work, "learn.json")
        learned = self.run_job(self.shipped, "python3", options=["--learn"], report=report)
        self.assertEqual(learned.returncode, 0, learned.describe())
        self.assertIn("done", learned.stdout)
        with open(os.path.join(self.job, "result.json")) as f:
            first = json.load(f)
        self.assertEqual(first["child"], 3)
        names = {e["name"] for e in learned.report["logged"]}
        for call in ("execve", "openat", "clone3" if "clone3" in names else "clone", "wait4", "socket"):
            self.assertIn(call, names, learned.report)

        # 2. The Kafel allowlist.
        kafel = os.path.join(self.work, "learned.kafel")
        out = self.tool(self.stockadec, "learn", report, "-o", kafel)
        self.assertEqual(out.returncode, 0, out.stderr)
        with open(kafel) as f:
            text = f.read()
        self.assertIn("POLICY learned {", text)
        self.assertRegex(text, r"socket\(a0\) \{ a0 == 0x2 \}")  # AF_INET only
        self.assertRegex(text, r"(?m)^    execve,$")

        # 3. The policy: python3 with the allowlist; the inherited `-> ALLOW`
        # expects this job never exercised are dropped, as the compiler says.
        policy = os.path.join(self.work, "learned.policy")
        drops = []
        for _ in range(2):
            with open(policy, "w") as f:
                f.write(LEARNED_POLICY % "".join("  expect drop %s\n" % d for d in drops))
            gen = os.path.join(self.work, "gen")
            out = self.tool(self.stockadec, "compile", "-I", os.path.join(self.source, "policies"), "-o", gen,
                            "--name", "python3_learned", policy)
            if out.returncode == 0:
                break
            drops = sorted(set(re.findall(r"or drop it \(`expect drop (.+?)`\)", out.stderr)))
            self.assertTrue(drops, out.stderr)
        self.assertEqual(out.returncode, 0, out.stderr)

        # 4. A launcher holding it.
        launcher = os.path.join(self.work, "stockade-learned")
        # The runtime's objects, kept beside the script in the build tree:
        # a second run only compiles the tables and links.
        objects = os.path.join(os.path.dirname(self.build), "learn-test.objects")
        out = self.tool("sh", self.build, gen, launcher, objects)
        self.assertEqual(out.returncode, 0, out.stdout[-3000:] + out.stderr[-3000:])

        # 5. The same job passes under it, with the same result.
        os.truncate(os.path.join(self.job, "result.json"), 0)
        again = self.run_job(launcher, "python3_learned", report=os.path.join(self.work, "again.json"))
        self.assertEqual(again.returncode, 0, again.describe())
        self.assertEqual(again.report["reason"], "exited", again.report)
        with open(os.path.join(self.job, "result.json")) as f:
            self.assertEqual(json.load(f), first)

        # 6. Other jobs are killed, the call named.
        for arg, call in OTHERS.items():
            other = self.run_job(launcher, "python3_learned", arg=arg, report=os.path.join(self.work, arg + ".json"))
            self.assertExit(other, EXIT_SECCOMP, call)
            self.assertEqual(other.report["syscall"]["name"], call, other.report)
            self.assertIn("seccomp: job killed by the filter: " + call, other.stderr)
            if call == "socket":
                self.assertEqual(other.report["syscall"]["args"][0], 16, other.report)  # AF_NETLINK
        shutil.rmtree(gen, ignore_errors=True)
