# SPDX-License-Identifier: Apache-2.0
"""Every shipped policy sets up on this machine with the files and params a
worker gives it, and the job sees the hostname and working directory of its
Windmill config. The program is the host's /bin/sh, so this needs none of
the language runtimes. A policy's mandatory toolchain directory that Debian
does not ship (.NET's /usr/share/dotnet, PowerShell's /opt/microsoft) gets
an empty stand-in where the machine lacks it, in a private mount namespace
of the launcher's (stand_in): the policy's set-up is what is under test,
not the toolchain."""

import os
import shutil
import subprocess
import tempfile
import unittest

import jobkit
import test_python3


def scratch_dir(test, *subdirs):
    # Below Windmill's cache root, where its caches live: the shipped
    # policies' cache params are `within /tmp/windmill/cache`.
    os.makedirs("/tmp/windmill/cache", exist_ok=True)
    path = os.path.realpath(tempfile.mkdtemp(prefix="stockade-policy-", dir="/tmp/windmill/cache"))
    test.addCleanup(subprocess.run, ["rm", "-rf", path])
    os.chmod(path, 0o755)   # as a worker's directories are: the job must traverse them
    for sub in subdirs:
        os.makedirs(os.path.join(path, sub))
    return path


def image_root(test):
    """A stand-in for an extracted container image, made of copies (the
    policy binds the image read-write, so it must never lead to the host's
    own directories): dash and the two libraries it needs."""
    root = scratch_dir(test)
    for path in ("/bin/dash", "/lib/x86_64-linux-gnu/libc.so.6", "/lib64/ld-linux-x86-64.so.2"):
        if not os.path.exists(path):
            test.skipTest("docker: no %s on this machine to build a test image from" % path)
        os.makedirs(os.path.dirname(root + path), exist_ok=True)
        shutil.copy(path, root + path)
    os.symlink("dash", root + "/bin/sh")
    os.makedirs(root + "/app")
    # A hostile image: a top-level symlink to a host directory. It must be
    # resolved inside the sandbox (where it leads nowhere), not on the host.
    host_dir = scratch_dir(test)
    with open(os.path.join(host_dir, "host-secret"), "w") as f:
        f.write("host\n")
    os.symlink(host_dir, root + "/opt")
    return root


# What the job prints: its hostname and its cwd. The image has no uname, so
# the docker cases use the shell's builtins and the job's /proc, and also
# say if the host's /usr leaked into the image's root (the image has none).
REPORT = ["/bin/sh", "-c", "uname -n; pwd"]
REPORT_BUILTIN = ["/bin/sh", "-c",
                  "read h < /proc/sys/kernel/hostname; echo \"$h\"; pwd; [ ! -e /usr ] || echo host /usr visible; "
                  "for f in /opt/*; do [ ! -e \"$f\" ] || echo host dir visible via image symlink: $f; done"]


# policy -> (hostname, cwd ({JOB}: the job directory), files in JOB_DIR, directories in JOB_DIR, params(test, job), host needs)
def cases():
    run_files = ["args.json", "result.json"]
    return {
        "python3": ("python", "/tmp", run_files + ["main.py", "wrapper.py"], [],
                    lambda t, j: {"PY_INSTALL_DIR": test_python3.debian_stdlib_dir()}, []),
        "bash": ("bash", "/tmp", ["result.json", "result.out", "result2.out", "wrapper.sh"], [], None, []),
        "deno": ("deno", "{JOB}", run_files + ["wrapper.ts", "main.ts", "import_map.json"], [], None, []),
        "bun": ("bun", "/tmp/bun", run_files, [], None, []),
        "go": ("go", "/tmp/go", run_files, [], None, []),
        "rust": ("rust", "/tmp", run_files, [], None, []),
        "java": ("java", "/tmp", run_files, [], None, []),
        "csharp": ("csharp", "/tmp", run_files, [], None, ["/usr/share/dotnet"]),
        "r": ("r", "/tmp", run_files, [], None, []),
        "ansible": ("ansible", "/tmp", run_files + ["main.yml", "wrapper.sh", "ansible.cfg"],
                    ["ansible_collections"],
                    lambda t, j: {"PY_INSTALL_DIR": test_python3.debian_stdlib_dir(),
                                  "ANSIBLE_DIR": scratch_dir(t)}, []),
        "dbt": ("dbt", "{JOB}/project", [], ["project"],
                lambda t, j: {"PROJECT_DIR": j + "/project", "ENGINE_DIR": scratch_dir(t)}, []),
        "powershell": ("powershell", "/tmp", ["result.json", "result.out", "result2.out"], [], None,
                       ["/opt/microsoft"]),
        "install_powershell": ("powershell", "/tmp", [], [], None, ["/opt/microsoft"]),
        "ruby": ("ruby", "/tmp", run_files + ["main.rb"], [], None, []),
        "php": ("php", "/tmp", run_files + ["main.php", "wrapper.php"], [], None, []),
        "nu": ("nu", "/tmp", run_files + ["main.nu"], [], lambda t, j: {"NU_PATH": os.path.realpath("/bin/sh")}, []),
        "lock_ruby": ("ruby", "/tmp", [], [], None, []),
        "download_ruby": ("ruby", "/tmp", [], [], lambda t, j: {"TARGET": scratch_dir(t)}, []),
        "docker": ("container", "/", ["result.json"], [], lambda t, j: {"ROOTFS": image_root(t)}, []),
        # Paths in the image are /.image/... (policies/docker.policy).
        "docker_workdir": ("container", "/.image/app", ["result.json"], [],
                           lambda t, j: {"ROOTFS": image_root(t), "WORKDIR": "/.image/app",
                                         "RESULT_AT": "/.image/app/result.json"}, []),
        "sandbox": ("sandbox", "/workspace", [], [], lambda t, j: {"SANDBOX_DIR": scratch_dir(t)}, []),
        "build_csharp": ("csharp", "{JOB}", [], [],
                         lambda t, j: {"DOTNET_ROOT": scratch_dir(t), "CSHARP_CACHE_DIR": scratch_dir(t)}, []),
        "download_py": ("python", "/tmp", [], [],
                        lambda t, j: {"WORKER_DIR": worker_dir(t, "download_deps.py.sh"),
                                      "TARGET_DIR": scratch_dir(t),
                                      "PY_INSTALL_DIR": test_python3.debian_stdlib_dir()}, []),
        "download_py_pip": ("python", "/tmp", [], [],
                            lambda t, j: {"WORKER_DIR": worker_dir(t, "download_deps.py.pip.sh")}, []),
        "download_rust": ("rust", "/tmp", [], [],
                          lambda t, j: {"BUILD": scratch_dir(t, "registry", "git"),
                                        "CARGO_HOME": scratch_dir(t, "registry", "git")}, []),
        "install_r": ("r", "/tmp", [], [], lambda t, j: {"PKG_DIR": scratch_dir(t)}, []),
        "lock_php": ("php", "{JOB}", [], [], lambda t, j: {"COMPOSER_CACHE_DIR": scratch_dir(t)}, []),
        "lock_py": ("python", "{JOB}", [], [],
                    lambda t, j: {"UV_CACHE_DIR": scratch_dir(t),
                                  "PY_INSTALL_DIR": test_python3.debian_stdlib_dir()}, []),
        "resolve_r": ("r", "/tmp", [], [], None, []),
    }


def stand_in(test, paths):
    """A wrapper for the launcher's argv under which each directory of PATHS
    exists, empty: `unshare -m` overlays its parent with an upper layer (a
    tmpfs) holding it, so the host's own /usr and /opt are never written and
    the stand-in ends with the launcher."""
    top = tempfile.mkdtemp(prefix="stockade-stand-in-")
    test.addCleanup(os.rmdir, top)
    script = ["set -e", 'mount -t tmpfs -o mode=755 stand-in "%s"' % top]
    for i, path in enumerate(paths):
        parent, name = os.path.split(path)
        upper, work = "%s/%d/upper" % (top, i), "%s/%d/work" % (top, i)
        script += ['mkdir -p "%s/%s" "%s"' % (upper, name, work),
                   'mount -t overlay stand-in -o "lowerdir=%s,upperdir=%s,workdir=%s" "%s"'
                   % (parent, upper, work, parent)]
    script.append('exec "$@"')
    return lambda argv: ["unshare", "--mount", "--propagation", "private", "--", "sh", "-c",
                         "; ".join(script), "sh"] + list(argv)


def worker_dir(test, script):
    path = scratch_dir(test)
    with open(os.path.join(path, script), "w") as f:
        f.write("echo downloading\n")
    return path


class EveryPolicy(jobkit.JobTest):
    def check_policy(self, policy):
        hostname, cwd, files, dirs, params, needs = cases()[policy]
        policy = policy.split("_workdir")[0]
        missing = [path for path in needs if not os.path.exists(path)]
        if missing:
            jobkit.need_unshare(self)
        job = jobkit.Job(self, None)
        for name in files:
            job.write(name, "{}" if name.endswith(".json") else "")
        for name in dirs:
            os.makedirs(job.path(name))
        run = job.run(policy, REPORT_BUILTIN if policy == "docker" else REPORT,
                      params=params(self, job.dir) if params else None, timeout=60,
                      wrap=stand_in(self, missing) if missing else None)
        self.assertSucceeded(run)
        self.assertEqual(run.stdout.splitlines(), [hostname, cwd.format(JOB=job.dir)], run.describe())


def add_policy_tests():
    for name in cases():
        def test(self, policy=name):
            self.check_policy(policy)
        test.__name__ = "test_" + name
        test.__doc__ = "%s sets up; hostname and cwd as in its Windmill config" % name
        setattr(EveryPolicy, test.__name__, test)


add_policy_tests()

if __name__ == "__main__":
    unittest.main()
