#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""ctest man_pages: the three man pages render without a warning (groff -ww,
man --warnings), stockade.policy(5) carries every section of
docs/language.md, and the command pages name every command and option the
programs' own --help lists. Usage: check_pages.py MAN_DIR SOURCE_DIR STOCKADEC STOCKADE"""

import os
import re
import subprocess
import sys

PAGES = ["stockade.1", "stockadec.1", "stockade.policy.5"]
STOCKADEC_COMMANDS = ["check", "compile", "explain", "ir", "bpf", "import-nsjail", "learn"]
STOCKADE_COMMANDS = ["run", "show", "list", "help"]


def rendered_text(page):
    out = subprocess.run(["man", "-l", page], capture_output=True, text=True, env=dict(os.environ, MANWIDTH="200"))
    return re.sub(r".\x08", "", out.stdout)


def main():
    man_dir, source, stockadec, stockade = sys.argv[1:5]
    problems = []
    for name in PAGES:
        page = os.path.join(man_dir, name)
        groff = subprocess.run(["groff", "-ww", "-z", "-man", page], capture_output=True, text=True)
        if groff.returncode != 0 or groff.stderr:
            problems.append("%s: groff -ww: rc %d: %s" % (name, groff.returncode, groff.stderr.strip()))
        man = subprocess.run(["man", "--warnings", "-l", page], capture_output=True, text=True)
        if man.returncode != 0 or man.stderr:
            problems.append("%s: man --warnings: rc %d: %s" % (name, man.returncode, man.stderr.strip()))

    # stockade.policy(5) is made from docs/language.md: every heading is there.
    policy_text = rendered_text(os.path.join(man_dir, "stockade.policy.5"))
    with open(os.path.join(source, "docs", "language.md")) as f:
        headings = [re.sub(r"[`*]", "", m) for m in re.findall(r"^#{2,4}\s+(.*)$", f.read(), re.M)]
    for h in headings:
        if h.upper() not in policy_text and h not in policy_text:
            problems.append("stockade.policy(5): no section %r of docs/language.md" % h)

    # The command pages against the programs' own help.
    with open(os.path.join(source, "docs", "man", "stockadec.1.scd")) as f:
        stockadec_page = f.read().replace("\\", "")
    for cmd in STOCKADEC_COMMANDS:
        help_text = subprocess.run([stockadec, cmd, "--help"], capture_output=True, text=True).stdout
        if "*" + cmd + "*" not in stockadec_page:
            problems.append("stockadec(1): no command %s" % cmd)
        for opt in set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*|-[a-zA-Z])\b", help_text)):
            if "*" + opt + "*" not in stockadec_page:
                problems.append("stockadec(1): %s takes %s, the page does not say" % (cmd, opt))
    with open(os.path.join(source, "docs", "man", "stockade.1.scd")) as f:
        stockade_page = f.read().replace("\\", "")
    for cmd in STOCKADE_COMMANDS:
        help_text = subprocess.run([stockade, "help", cmd], capture_output=True, text=True).stdout
        if "*" + cmd + "*" not in stockade_page:
            problems.append("stockade(1): no command %s" % cmd)
        for opt in set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", help_text)):
            if "*" + opt + "*" not in stockade_page:
                problems.append("stockade(1): %s takes %s, the page does not say" % (cmd, opt))
    codes = set(re.findall(r"\b(12[0-7])\b", subprocess.run([stockade, "--help"], capture_output=True,
                                                             text=True).stdout))
    for c in sorted(codes):
        if "- " + c + ":" not in stockade_page:
            problems.append("stockade(1): exit code %s missing" % c)

    for p in problems:
        print("FAIL: " + p)
    print("%d pages rendered, %d headings of language.md, %d problems" % (len(PAGES), len(headings), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
