# SPDX-License-Identifier: Apache-2.0
"""examples/my-launcher from an installed tree, and from a source tree.

1. `cmake --install` the build into a scratch prefix (the package alone:
   stockadec, the runtime sources, base.policy, the CMake package).
2. Configure and build examples/my-launcher against that prefix only, run
   its `hello` policy, and check the launcher holds exactly hello and bash.
3. The edit -> launcher -> run loop: change the policy, rebuild, run again;
   the figures are printed (never asserted: a slow machine is not a failure).
4. The same function from a source tree: a parent project that
   add_subdirectory()s Stockade configures with its own BUILD_TESTING on,
   registers none of Stockade's tests, and plans the launcher's build.

Usage: example_test.py BUILD_DIR SOURCE_DIR WORK_DIR"""

import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
import skips  # noqa: E402


def run(args, **kw):
    out = subprocess.run(args, capture_output=True, text=True, **kw)
    if out.returncode != 0:
        sys.stderr.write("$ %s\n%s%s" % (" ".join(args), out.stdout[-4000:], out.stderr[-4000:]))
        raise SystemExit("FAILED: %s exited %d" % (args[0], out.returncode))
    return out


def timed(args, **kw):
    start = time.monotonic()
    out = run(args, **kw)
    return out, time.monotonic() - start


def main():
    build, source, work = (os.path.abspath(a) for a in sys.argv[1:4])
    if os.geteuid() != 0:
        sys.exit(skips.skip_whole_run("running the example's launcher needs root (the integration suite's rule)"))
    shutil.rmtree(work, ignore_errors=True)
    prefix = os.path.join(work, "prefix")
    run(["cmake", "--install", build, "--prefix", prefix])
    for f in ("bin/stockadec", "share/stockade/policies/base.policy", "share/stockade/runtime/build_launcher.cmake",
              "lib/cmake/Stockade/StockadeConfig.cmake"):
        if not any(os.path.exists(os.path.join(prefix, f.replace("lib/", d + "/", 1))) for d in ("lib", "lib64")) \
                and not os.path.exists(os.path.join(prefix, f)):
            raise SystemExit("FAILED: not installed: " + f)

    # The example is copied, so the edit step below does not touch the tree.
    example = os.path.join(work, "my-launcher")
    shutil.copytree(os.path.join(source, "examples", "my-launcher"), example)
    ex_build = os.path.join(work, "my-launcher-build")
    # Only the scratch prefix: nothing of the source or build tree is visible.
    _, t_configure = timed(["cmake", "-S", example, "-B", ex_build, "-G", "Ninja", "-DCMAKE_PREFIX_PATH=" + prefix])
    _, t_build = timed(["cmake", "--build", ex_build])
    launcher = os.path.join(ex_build, "my-launcher")

    names = run([launcher, "list"]).stdout.split()
    if names != ["bash", "hello"]:
        raise SystemExit("FAILED: my-launcher holds %r, not exactly bash and hello" % names)

    job = os.path.join(work, "job")
    os.makedirs(job)
    job_cmd = 'echo "$GREETING from $(hostname)" > /job/out'

    def run_job():
        start = time.monotonic()
        out = subprocess.run([launcher, "run", "hello", "--param", "JOB_DIR=" + job, "--", "/bin/sh", "-c", job_cmd],
                             capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})
        took = time.monotonic() - start
        if out.returncode != 0:
            raise SystemExit("FAILED: my-launcher run hello exited %d: %s" % (out.returncode, out.stderr))
        with open(os.path.join(job, "out")) as f:
            return f.read().strip(), took

    said, t_run = run_job()
    if said != "hello from hello-box":
        raise SystemExit("FAILED: the job wrote %r" % said)

    # The loop a policy author lives in: edit the policy, rebuild, run.
    policy = os.path.join(example, "hello.policy")
    with open(policy) as f:
        text = f.read()
    with open(policy, "w") as f:
        f.write(text.replace('"hello-box"', '"edited-box"'))
    loop_start = time.monotonic()
    _, t_rebuild = timed(["cmake", "--build", ex_build])
    said, t_run2 = run_job()
    t_loop = time.monotonic() - loop_start
    if said != "hello from edited-box":
        raise SystemExit("FAILED: after the edit the job wrote %r" % said)

    print("installed-tree example: configure %.1f s, first build %.1f s, run %.3f s" % (t_configure, t_build, t_run))
    print("edit -> launcher -> run loop: %.1f s (rebuild %.1f s, run %.3f s)" % (t_loop, t_rebuild, t_run2))

    # From a source tree: add_subdirectory(), the parent's BUILD_TESTING on.
    parent = os.path.join(work, "parent")
    os.makedirs(parent)
    with open(os.path.join(parent, "CMakeLists.txt"), "w") as f:
        f.write("cmake_minimum_required(VERSION 3.25)\n"
                "project(parent LANGUAGES C CXX)\n"
                "include(CTest)\n"
                "add_subdirectory(%s stockade)\n"
                "stockade_add_launcher(my-launcher POLICIES %s SHIPPED bash)\n" % (source, policy))
    parent_build = os.path.join(work, "parent-build")
    run(["cmake", "-S", parent, "-B", parent_build, "-G", "Ninja"])
    tests = run(["ctest", "-N"], cwd=parent_build).stdout
    if "Total Tests: 0" not in tests:
        raise SystemExit("FAILED: add_subdirectory() registered Stockade's tests:\n" + tests)
    # Every command the target needs (ninja -n would stop at CMake's glob check).
    plan = run(["ninja", "-t", "commands", "my-launcher"], cwd=parent_build).stdout
    if "build_launcher.cmake" not in plan or "/my-launcher " not in plan or " compile " not in plan:
        raise SystemExit("FAILED: the parent cannot plan my-launcher:\n" + plan[-2000:])
    print("add_subdirectory(): configures, no Stockade tests registered, my-launcher planned")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
