# SPDX-License-Identifier: Apache-2.0
"""ctest deb_lintian: CPack's .deb holds what a distribution ships, its
launcher runs a python3 job from the unpacked package, and lintian reports
no tag that packaging/lintian-explained.txt does not explain. Prints the
package's size and contents.

ctest deb_apt_install (--apt): the .deb installed as a user installs it,
`apt-get install -y ./stockade_*.deb`; the installed `stockade run python3`
runs a job, `stockadec` starts (its Depends are right), `man stockade.policy`
renders, and `apt-get purge -y stockade` leaves no file of the package and
no package it pulled in. It changes the machine's /usr, so it runs only as
root with STOCKADE_CI=1 (.ci/run) or STOCKADE_DEB_APT=1, and not where a
stockade package is installed already; otherwise one visible skip.

Usage: deb_check.py [--apt] BUILD_DIR SOURCE_DIR WORK_DIR"""

import fcntl
import glob
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
import skips  # noqa: E402

WANT = ["usr/bin/stockade", "usr/bin/stockadec", "usr/share/stockade/policies/base.policy",
        "usr/share/stockade/policies/python3.policy", "usr/share/stockade/runtime/build_launcher.cmake",
        "usr/lib/cmake/Stockade/StockadeConfig.cmake", "usr/share/man/man1/stockade.1.gz",
        "usr/share/man/man1/stockadec.1.gz", "usr/share/man/man5/stockade.policy.5.gz",
        "usr/share/bash-completion/completions/stockade", "usr/share/zsh/vendor-completions/_stockade",
        "usr/share/doc/stockade/copyright",
        "usr/share/doc/stockade/changelog.gz", "usr/share/lintian/overrides/stockade"]


def run(args, **kw):
    out = subprocess.run(args, capture_output=True, text=True, **kw)
    if out.returncode != 0:
        raise SystemExit("FAILED: %s: exit %d\n%s%s" % (" ".join(args), out.returncode, out.stdout[-3000:],
                                                        out.stderr[-3000:]))
    return out


def make_deb(build, work):
    """CPack's .deb in a fresh WORK, its path and its file list."""
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    run(["cpack", "-G", "DEB", "-B", work, "--config", os.path.join(build, "CPackConfig.cmake")])
    debs = glob.glob(os.path.join(work, "stockade_*.deb"))
    if len(debs) != 1:
        raise SystemExit("FAILED: cpack made %r" % debs)
    listing = run(["dpkg-deb", "-c", debs[0]]).stdout
    files = [ln.split()[-1].lstrip("./") for ln in listing.splitlines() if not ln.startswith("d")]
    return debs[0], files


def run_python3_job(stockade, work):
    """A python3 job under the python3 policy, as README's first command runs
    one: the worker's job directory, the job's result file."""
    job = os.path.join(work, "job")
    os.makedirs(job)
    with open(os.path.join(job, "wrapper.py"), "w") as f:
        f.write("import json, socket\n"
                "primes = [n for n in range(2, 100) if all(n % d for d in range(2, n))]\n"
                "json.dump({'primes': len(primes), 'host': socket.gethostname()}, open('/tmp/result.json', 'w'))\n")
    for name, text in (("main.py", ""), ("args.json", "{}"), ("result.json", "")):
        with open(os.path.join(job, name), "w") as f:
            f.write(text)
    run([stockade, "run", "python3", "--param", "JOB_DIR=" + job,
         "--param", "PY_INSTALL_DIR=/usr/lib/python3", "--", "/usr/bin/python3", "/tmp/wrapper.py"],
        env={"PATH": "/usr/bin:/bin"})
    with open(os.path.join(job, "result.json")) as f:
        got = f.read()
    if got != '{"primes": 25, "host": "python"}':
        raise SystemExit("FAILED: %s's python3 job wrote %r to result.json" % (stockade, got))


def check_deb(build, source, work):
    deb, files = make_deb(build, work)
    missing = [w for w in WANT if w not in files]
    if missing:
        raise SystemExit("FAILED: not in the .deb: %s" % ", ".join(missing))
    depends = run(["dpkg-deb", "-f", deb, "Depends"]).stdout.strip()
    print("%s: %d bytes, %d files; Depends: %s" % (os.path.basename(deb), os.path.getsize(deb), len(files), depends))

    # The packaged launcher runs a job (unpacked, not installed: this test
    # does not change the machine's /usr; deb_apt_install does).
    root = os.path.join(work, "root")
    run(["dpkg-deb", "-x", deb, root])
    if os.geteuid() == 0:
        run_python3_job(os.path.join(root, "usr/bin/stockade"), work)
        print("the packaged stockade ran a python3 job")
    else:
        print("skipped: running the packaged launcher needs root")

    explained = {}
    with open(os.path.join(source, "packaging", "lintian-explained.txt")) as f:
        for ln in f:
            if ln.strip() and not ln.startswith("#"):
                tag, _, why = ln.strip().partition(" ")
                explained[tag] = why.strip()
    out = subprocess.run(["lintian", "--no-tag-display-limit", deb], capture_output=True, text=True)
    tags = [ln for ln in out.stdout.splitlines() if ln[:2] in ("E:", "W:", "I:", "X:")]
    unexplained = [t for t in tags if t.split()[2] not in explained]
    for t in tags:
        print("lintian: " + t + ("" if t in unexplained else "  (explained: packaging/lintian-explained.txt)"))
    if unexplained:
        raise SystemExit("FAILED: lintian tags with no explanation in packaging/lintian-explained.txt")
    print("lintian: %d tags, all explained" % len(tags))
    shutil.rmtree(work, ignore_errors=True)


def installed_packages():
    out = run(["dpkg-query", "-W", "-f", "${db:Status-Abbrev} ${Package}\n"]).stdout
    return {ln.split()[1] for ln in out.splitlines() if ln.startswith("ii")}


def new_packages(apt_output):
    """The packages apt-get install says it installs besides stockade."""
    names, on = [], False
    for ln in apt_output.splitlines():
        if ln.startswith("The following NEW packages will be installed"):
            on = True
        elif on and ln.startswith(" "):
            names += ln.split()
        else:
            on = False
    return sorted(n for n in names if n != "stockade")


def apt_get(*args, cwd=None):
    # Another apt run on the machine holds the lock for a while: wait for it.
    return run(["apt-get", "-y", "-q", "-o", "DPkg::Lock::Timeout=300"] + list(args),
               env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"), cwd=cwd)


def apt_install(build, work):
    if os.geteuid() != 0:
        return skips.skip_whole_run("installing the .deb with apt-get needs root")
    if os.environ.get("STOCKADE_CI") != "1" and os.environ.get("STOCKADE_DEB_APT") != "1":
        return skips.skip_whole_run("installing the .deb changes this machine's /usr: opt in with "
                                    "STOCKADE_DEB_APT=1 (STOCKADE_CI=1 does)")
    if not shutil.which("apt-get") or not shutil.which("man"):
        return skips.skip_whole_run("apt-get or man missing (apt-get install man-db)")
    # One install at a time on this machine (two build trees' ctest runs):
    # a flock on dpkg's directory, which leaves no file behind (apt's own
    # locks are fcntl locks on files inside it, apart from this one).
    lock = os.open("/var/lib/dpkg", os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(lock, fcntl.LOCK_EX)
    before = installed_packages()
    if "stockade" in before:
        return skips.skip_whole_run("a stockade package is installed here already; not replacing it")
    deb, files = make_deb(build, work)
    pulled = []
    try:
        out = apt_get("install", "./" + os.path.basename(deb), cwd=work).stdout
        pulled = new_packages(out)
        print("apt-get install ./%s: installed; pulled in: %s" % (os.path.basename(deb), " ".join(pulled) or "nothing"))
        owner = run(["dpkg-query", "-S", "/usr/bin/stockade"]).stdout.strip()
        if not owner.startswith("stockade:"):
            raise SystemExit("FAILED: /usr/bin/stockade belongs to %r" % owner)
        run_python3_job("/usr/bin/stockade", work)
        print("the installed stockade ran a python3 job")
        version = run(["/usr/bin/stockadec", "--version"]).stdout.strip()
        print("the installed stockadec starts: " + version)
        page = run(["man", "-w", "stockade.policy"]).stdout.strip()
        if page != "/usr/share/man/man5/stockade.policy.5.gz":
            raise SystemExit("FAILED: man -w stockade.policy finds %r" % page)
        shown = subprocess.run(["man", "--warnings", "stockade.policy"], capture_output=True, text=True,
                               env=dict(os.environ, MANPAGER="cat", MANWIDTH="80", LC_ALL="C.UTF-8"))
        if shown.returncode != 0 or shown.stderr.strip() or "LEXICAL RULES" not in shown.stdout:
            raise SystemExit("FAILED: man stockade.policy: exit %d, stderr %r, %d lines"
                             % (shown.returncode, shown.stderr[-2000:], len(shown.stdout.splitlines())))
        print("man stockade.policy renders: %d lines, no warning" % len(shown.stdout.splitlines()))
    finally:
        apt_get("purge", "stockade")
        if pulled:
            apt_get("purge", *pulled)  # what the install pulled in, so the machine is as it was
    if "stockade" in installed_packages():
        raise SystemExit("FAILED: stockade is still installed after apt-get purge")
    kept = [f for f in files if os.path.lexists("/" + f)]
    if kept:
        raise SystemExit("FAILED: apt-get purge left files of the package: %s" % ", ".join(kept[:10]))
    for d in ("/usr/share/stockade", "/usr/lib/cmake/Stockade", "/usr/share/doc/stockade"):
        if os.path.lexists(d):
            raise SystemExit("FAILED: apt-get purge left %s" % d)
    print("apt-get purge -y stockade: no file of its %d left, no package it pulled in" % len(files))
    shutil.rmtree(work, ignore_errors=True)
    return 0


def main():
    args = sys.argv[1:]
    apt = args[:1] == ["--apt"]
    if apt:
        args = args[1:]
    build, source, work = (os.path.abspath(a) for a in args[:3])
    if not shutil.which("dpkg-deb") or (not apt and not shutil.which("lintian")):
        sys.exit(skips.skip_whole_run("lintian or dpkg-deb missing (apt-get install lintian)"))
    if apt:
        sys.exit(apt_install(build, work))
    check_deb(build, source, work)


if __name__ == "__main__":
    main()
