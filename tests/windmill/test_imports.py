# SPDX-License-Identifier: Apache-2.0
"""Every Windmill config in ../shared/windmill-nsjail goes through
`stockadec import-nsjail`, compiles into a launcher of its own, and launches:
the imported policy runs a stand-in job (`/bin/sh -c 'exit 0'`) with rc 0.
An import that compiles but cannot start is a failure.

The params each imported policy declares are filled the way a worker fills
the placeholders: required paths become folders (or, when a mandatory bind
names a file below them, that file), the job directory gets the files the
mandatory binds name, other required values get a plain value of their type.
Needs STOCKADE_STOCKADEC and STOCKADE_LAUNCHER_BUILD (run_replay.py)."""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import worker

HERE = os.path.dirname(os.path.abspath(__file__))
# <source>/../shared/windmill-nsjail, as tests/nsjail reads it; run_replay.py
# may name another place.
SHARED = os.environ.get("STOCKADE_WINDMILL_DIR") or os.path.normpath(
    os.path.join(HERE, "..", "..", "..", "shared", "windmill-nsjail"))


def configs():
    if not os.path.isdir(SHARED):
        return []
    return sorted(f for f in os.listdir(SHARED) if f.endswith(".config.proto"))


def policy_name(config):
    return "imp_" + config[:-len(".config.proto")].replace(".", "_")


PARAM = re.compile(r"^\s*param (\w+) : (\w+)(\[\])?(\?)?(?: in \S+)?(?: = (\S+))?")
BIND = re.compile(r"^\s*bind (\S+)(?: -> (\S+))?(.*)$")
REF = re.compile(r"\$\{(\w+)\}")


class Built:
    launcher = None
    policies = {}
    error = None


def build_once(test):
    """Imports every config, compiles them, builds one launcher."""
    if Built.launcher or Built.error:
        return
    stockadec = os.environ.get("STOCKADE_STOCKADEC")
    defines = os.environ.get("STOCKADE_LAUNCHER_BUILD")
    if not stockadec or not defines:
        Built.error = "run_replay.py was not given --stockadec and --launcher-build"
        return
    work = tempfile.mkdtemp(prefix="stockade-imports-")
    import atexit
    atexit.register(shutil.rmtree, work, True)
    files = []
    for config in configs():
        out = os.path.join(work, policy_name(config) + ".policy")
        proc = subprocess.run([stockadec, "import-nsjail", os.path.join(SHARED, config), "--name", policy_name(config),
                               "-o", out], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if proc.returncode != 0:
            Built.error = "import-nsjail %s failed: %s" % (config, proc.stderr.decode()[-800:])
            return
        with open(out) as f:
            Built.policies[config] = f.read()
        files.append(out)
    gen = os.path.join(work, "generated")
    proc = subprocess.run([stockadec, "compile", "--root", work, "-o", gen] + files,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if proc.returncode != 0:
        Built.error = "the imported policies do not compile: " + proc.stdout.decode()[-2000:]
        return
    launcher = os.path.join(work, "stockade-imported")
    args = ["cmake"] + ["-D" + d for d in defines.split("\n") if d] + \
        ["-DGENERATED_DIR=" + gen, "-DOUT=" + launcher, "-DWARNINGS=", "-P",
         os.path.join(HERE, "..", "..", "runtime", "build_launcher.cmake")]
    proc = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if proc.returncode != 0:
        Built.error = "the launcher with the imported policies does not build: " + proc.stdout.decode()[-2000:]
        return
    Built.launcher = launcher


CWD = re.compile(r"^\s*cwd \$\{(\w+)\}")


def fill(test, text, job):
    """--param values for an imported policy, the files its mandatory binds
    need, and the host directories it binds that this machine lacks."""
    params = {}
    types = {}
    for line in text.splitlines():
        m = PARAM.match(line)
        if m:
            name, typ, is_list, optional, default = m.groups()
            types[name] = typ
            if optional or default is not None or is_list:
                continue
            params[name] = {"path": None, "name": "main", "relpath": "main", "string": "x", "bool": "false",
                            "int": "1000", "size": "100MB", "duration": "60"}[typ]
    if "JOB_DIR" in types:
        params["JOB_DIR"] = job.dir
    if "ROOTFS" in types:   # {ROOTFS_MOUNTS}: an image with a shell, its top-level entries bound
        sys.path.insert(0, os.path.join(HERE, "..", "jobs"))
        import test_every_policy
        params["ROOTFS"] = test_every_policy.image_root(test)
        for i, entry in enumerate(("bin", "lib", "lib64"), 1):
            params["ROOTFS_ENTRY_%d" % i] = entry
    scratch = worker.Cache(test)
    cwd_params = {m.group(1) for m in map(CWD.match, text.splitlines()) if m}
    for name, typ in types.items():
        if typ == "path" and name in params and params[name] is None:
            if name in cwd_params and "JOB_DIR" in params:   # a working directory inside the job (dbt, docker)
                params[name] = job.path(name.lower())
                os.makedirs(params[name])
            else:
                params[name] = scratch.folder(worker.unique(name.lower() + "-"))
    bools = {}
    for line in text.splitlines():
        m = PARAM.match(line)
        if m and m.group(2) == "bool":
            bools[m.group(1)] = (params.get(m.group(1)) or m.group(5)) == "true"
    missing_host = []
    for line in text.splitlines():
        m = BIND.match(line)
        if not m or line.strip().startswith("bind?") or m.group(1) == "each":
            continue   # optional, or a list (`bind each`): left empty, it binds nothing
        guard = re.search(r" if (!?)(\w+)", line)
        if guard and bools.get(guard.group(2), False) == (guard.group(1) == "!"):
            continue   # the statement does not apply with these params
        for i, path in enumerate((m.group(1), m.group(2))):
            if path is None:
                continue
            refs = REF.findall(path)
            if any(r not in params for r in refs):
                continue
            if not refs:
                if i == 0 and not os.path.exists(path):
                    missing_host.append(path)
                continue
            if i == 1 and not path.startswith("${"):
                continue   # a target inside the sandbox: the launcher makes it
            path = REF.sub(lambda r: params[r.group(1)], path)
            if os.path.exists(path):
                continue
            if "." in os.path.basename(path):
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w") as f:
                    f.write("{}" if path.endswith(".json") else "")
            else:
                os.makedirs(path, exist_ok=True)
    return params, missing_host


class ImportedConfigs(unittest.TestCase):
    def setUp(self):
        if not configs():
            if os.environ.get("STOCKADE_CI") == "1":
                self.fail("../shared/windmill-nsjail not present (required under STOCKADE_CI=1)")
            self.skipTest("../shared/windmill-nsjail not present")
        build_once(self)
        if Built.error:
            self.fail(Built.error)

    def check(self, config):
        text = Built.policies[config]
        job = worker.WorkerJob(self)
        params, missing_host = fill(self, text, job)
        argv = [Built.launcher, "run", policy_name(config)]
        for key, value in params.items():
            argv += ["--param", "%s=%s" % (key, value)]
        argv += ["--", "/bin/sh", "-c", "exit 0"]
        if missing_host:   # /opt/microsoft, /usr/share/dotnet, uv's ansible: empty, in a mount namespace of the test
            argv = worker.in_private_mount_ns(missing_host, argv)
        proc = subprocess.run(argv, cwd=job.dir, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120,
                              env=job.env())
        self.assertEqual(proc.returncode, 0, "%s: %s\n%s" % (config, " ".join(argv), proc.stderr.decode()[-2000:]))


def add_config_tests():
    names = configs()
    if not names:
        print("skipped: ../shared/windmill-nsjail not present")
        names = ["none"]
    for config in names:
        def test(self, config=config):
            self.check(config)
        test.__name__ = "test_import_" + config.replace(".config.proto", "").replace(".", "_")
        test.__doc__ = "%s: imported, compiled, launched" % config
        setattr(ImportedConfigs, test.__name__, test)


add_config_tests()

if __name__ == "__main__":
    unittest.main()
