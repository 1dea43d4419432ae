#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes stockade.policy(5) in scdoc syntax from docs/language.md, so the
language reference has one source and the man page follows it.

Handles the Markdown that language.md uses: headings, paragraphs, `-` lists,
fenced code, inline code, links, tables (as lists) and HTML comments.
Usage: md_to_scdoc.py LANGUAGE_MD OUT_SCD"""

import re
import sys

HEADER = """stockade.policy(5)

# NAME

stockade.policy - the policy language of the Stockade sandbox

# SYNOPSIS

*include* "base.policy"++
*policy* _name_ [*extends* _parent_] { _statements_ }

# DESCRIPTION

"""

FOOTER = """
# SEE ALSO

*stockade*(1), *stockadec*(1)
"""


def escape(text):
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_")


def inline(text):
    """Markdown inline -> scdoc: links to their text, `code` in bold."""
    text = re.sub(r"\[((?:[^\[\]]|\[[^\]]*\])*)\]\(#[^)]*\)", r"\1", text)  # in-page links: text only
    text = re.sub(r"\[([^\]]*)\]\(([^)]*)\)", r"\1 (\2)", text)       # other links: text (where)
    text = text.replace("**", "")
    out = []
    for i, part in enumerate(re.split(r"`([^`]*)`", text)):
        if i % 2 == 0:
            out.append(escape(part))
        elif part.strip():
            out.append("*" + escape(part) + "*")
    line = "".join(out)
    # roff treats a leading . or ' as a request; scdoc passes it through.
    if line.startswith((".", "'")):
        line = "\\&" + line
    return line


def table_rows(lines):
    cells = [[c.strip() for c in ln.strip().strip("|").split("|")] for ln in lines]
    head, rows = cells[0], [r for r in cells[1:] if not all(re.fullmatch(r":?-+:?", c) for c in r)]
    out = []
    for r in rows:
        pairs = ["%s: %s" % (h, c) for h, c in zip(head[1:], r[1:]) if c]
        out.append("- " + inline(r[0] + " - " + "; ".join(pairs)))
    return out


# roff input is ASCII: the few non-ASCII characters language.md uses, and
# an error for any other, so a new one is noticed here, not as a warning.
ASCII = {"\u2026": "...", "\u2014": "--", "\u2013": "-", "\u2192": "->", "\u2190": "<-", "\u201c": '"',
         "\u201d": '"', "\u2018": "'", "\u2019": "'", "\u2264": "<=", "\u2265": ">=", "\u00d7": "x",
         "\u00a0": " ", "\u2260": "!="}


def to_ascii(md):
    out = []
    for ch in md:
        if ord(ch) < 128:
            out.append(ch)
        elif ch in ASCII:
            out.append(ASCII[ch])
        else:
            raise SystemExit("md_to_scdoc.py: no ASCII form for %r (U+%04X): add it to ASCII" % (ch, ord(ch)))
    return "".join(out)


def convert(md):
    md = to_ascii(re.sub(r"<!--.*?-->", "", md, flags=re.S))
    lines = md.splitlines()
    out = []
    para = []
    i = 0

    def flush():
        if para:
            out.append(inline(" ".join(s.strip() for s in para)))
            out.append("")
            para.clear()

    while i < len(lines):
        ln = lines[i]
        if ln.startswith("```"):
            flush()
            block = []
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                block.append(lines[i])
                i += 1
            out.append("```")
            out.extend(block)
            out.append("```")
            out.append("")
            i += 1
            continue
        m = re.match(r"^(#+)\s+(.*)$", ln)
        if m:
            flush()
            level = len(m.group(1))
            if level > 1:  # the page title is the man page's NAME
                # scdoc does not format headings: no bold, the words as they are.
                text = inline(m.group(2).replace("`", ""))
                out.append(("# " + text.upper()) if level == 2 else ("## " + text))
                out.append("")
            i += 1
            continue
        if ln.startswith("|"):
            flush()
            rows = []
            while i < len(lines) and lines[i].startswith("|"):
                rows.append(lines[i])
                i += 1
            out.extend(table_rows(rows))
            out.append("")
            continue
        m = re.match(r"^(\s*)[-*]\s+(.*)$", ln)
        if m:
            flush()
            item = [m.group(2)]
            i += 1
            # Continuation lines: indented, not a new item, not blank.
            while i < len(lines) and lines[i].startswith("  ") and not re.match(r"^\s*[-*]\s", lines[i]) \
                    and lines[i].strip():
                item.append(lines[i].strip())
                i += 1
            out.append("- " + inline(" ".join(item)))
            if i >= len(lines) or not re.match(r"^\s*[-*]\s", lines[i]):
                out.append("")
            continue
        if not ln.strip():
            flush()
        else:
            para.append(ln)
        i += 1
    flush()
    # The introduction's own table of contents adds nothing to a man page.
    text = "\n".join(out)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def main():
    with open(sys.argv[1]) as f:
        body = convert(f.read())
    with open(sys.argv[2], "w") as f:
        f.write(HEADER + body + FOOTER)


if __name__ == "__main__":
    main()
