# SPDX-License-Identifier: Apache-2.0
"""The stand-in for a runtime this machine does not have (R, PowerShell, nu,
dbt, ansible, the lock/download/install tools, …): a POSIX sh script that
runs where the interpreter would, checks what the job should see, and writes
the result file the worker reads.

It checks paths that must exist, paths that must be writable, paths that
must not be, variables that must be set, and reports hostname, cwd and uid.
Only shell builtins are needed for the checks, so it also runs inside an
image that has nothing but a shell (docker)."""

import shlex


def script(see=(), write=(), readonly=(), env=(), result=None, produce=(), shebang=True):
    """`produce` are (path, text) files the tool would make (a lock file, a
    downloaded package); `result` is where the worker's result file is
    inside the sandbox, or None."""
    q = lambda items: " ".join(shlex.quote(x) for x in items)
    lines = ["#!/bin/sh"] if shebang else []
    lines += [
        "fail=",
        "for p in %s; do [ -e \"$p\" ] || fail=\"$fail missing:$p\"; done" % q(see),
        # A directory is writable when a file can be made in it; a file when
        # the kernel says so (a read-only mount answers EROFS to access()).
        # `true`, not `:`: a failed redirection of a special builtin would
        # end the shell.
        "for p in %s; do" % q(write),
        "  if [ -d \"$p\" ]; then t=\"$p/.standin.$$\"; if { true > \"$t\"; } 2>/dev/null; then rm -f \"$t\" 2>/dev/null || :; "
        "else fail=\"$fail notwritable:$p\"; fi",
        "  else [ -w \"$p\" ] || fail=\"$fail notwritable:$p\"; fi",
        "done",
        "for p in %s; do" % q(readonly),
        "  if [ -d \"$p\" ]; then t=\"$p/.standin.$$\"; if { true > \"$t\"; } 2>/dev/null; then fail=\"$fail writable:$p\"; fi",
        "  elif [ -w \"$p\" ]; then fail=\"$fail writable:$p\"; fi",
        "done",
        "for v in %s; do eval \"[ -n \\\"\\${$v+x}\\\" ]\" || fail=\"$fail noenv:$v\"; done" % q(env),
    ]
    for path, text in produce:
        lines.append("{ printf '%%s\\n' %s > %s; } 2>/dev/null || fail=\"$fail cannotmake:%s\"" % (
            shlex.quote(text), shlex.quote(path), path))
    lines += [
        "h=; { read -r h < /proc/sys/kernel/hostname; } 2>/dev/null || h=$(uname -n 2>/dev/null)",
        "u=$(id -u 2>/dev/null) || u=null; [ -n \"$u\" ] || u=null",
        "echo 'standin: checked'",
        "out=$(printf '{\"standin\": true, \"hostname\": \"%s\", \"cwd\": \"%s\", \"uid\": %s, \"fail\": \"%s\"}' "
        "\"$h\" \"$PWD\" \"$u\" \"${fail# }\")",
        "echo \"$out\"",
    ]
    if result:
        lines.append("printf '%%s' \"$out\" > %s" % shlex.quote(result))
    lines.append("[ -z \"$fail\" ]")
    return "\n".join(lines) + "\n"


def argv(text):
    """The stand-in as a command line: sh -c TEXT."""
    return ["/bin/sh", "-c", script_body(text)]


def script_body(text):
    return text[len("#!/bin/sh\n"):] if text.startswith("#!/bin/sh\n") else text
