// SPDX-License-Identifier: Apache-2.0
// The `overlay` mount: parse, checks (exact diagnostics), lowering, words.
#include <doctest/doctest.h>

#include <string>

#include "../../runtime/capacity.h"
#include "explain/explain.h"
#include "frontend/overlays.h"
#include "frontend/parse.h"
#include "helpers.h"

namespace stockade::frontend {
namespace {

using explain::explain;
using stockade::explain::explain;
using test::compile_snippet;
using test::errors_of;

std::string spelled(const ir::PolicyIr& p, const ir::Template& t) {
  std::string out;
  for (const ir::Segment& s : t.segments())
    out += s.has_param() ? "${" + p.params(static_cast<int>(s.param())).name() + "}" : s.literal();
  return out;
}

// The policy with `mounts` in its mount block and SNAP, UPPER, WORK params.
std::string with_mounts(const std::string& mounts) {
  return "policy p {\n  param SNAP : path\n  param UPPER : path\n  param WORK : path?\n  mount {\n" + mounts +
         "  }\n}\n";
}

const ir::PolicyIr& only(const test::Compiled& c) {
  INFO(c.diagnostics);
  REQUIRE(c.ok);
  REQUIRE(c.set.policies_size() == 1);
  return c.set.policies(0);
}

TEST_SUITE("overlay") {
  TEST_CASE("the launcher and the compiler agree on the bound of lower directories") {
    CHECK(kMaxOverlayLowers == stockade::kMaxOverlayLowers);
  }

  TEST_CASE("parse: lower lists, repeated lower, upper dir and work, upper tmpfs") {
    ast::File file;
    diag::Sink sink;
    bool ok = parse_text("t.policy", "dir",
                         "policy p { mount {\n"
                         "  overlay /usr lower ${SNAP}/usr : /srv/base/usr lower /srv/extra\n"
                         "  overlay /etc lower ${SNAP}/etc upper tmpfs size 64MiB\n"
                         "  overlay /data lower /srv/base upper ${UPPER} work ${WORK} noexec\n"
                         "} }\n",
                         sink, file);
    REQUIRE(ok);
    REQUIRE(file.policies.size() == 1);
    const auto& body = file.policies[0].body;
    REQUIRE(body.size() == 3);
    const auto& usr = std::get<ast::MountStmt>(body[0].body);
    CHECK(usr.kind == ast::MountKind::Overlay);
    REQUIRE(usr.lower.size() == 3);
    CHECK(usr.lower[0].pieces[0].is_param);
    CHECK(usr.lower[1].pieces[0].text == "/srv/base/usr");
    CHECK(usr.lower[2].pieces[0].text == "/srv/extra");
    CHECK_FALSE(usr.upper);
    CHECK_FALSE(usr.upper_tmpfs);
    const auto& etc = std::get<ast::MountStmt>(body[1].body);
    CHECK(etc.upper_tmpfs);
    CHECK(etc.upper_tmpfs->column == 40);  // of `tmpfs`
    REQUIRE(etc.opts.size() == 1);
    CHECK(etc.opts[0].kind == ast::MountOptKind::Size);
    const auto& data = std::get<ast::MountStmt>(body[2].body);
    REQUIRE(data.upper);
    REQUIRE(data.work);
    CHECK(data.upper->pieces[0].text == "UPPER");
    CHECK(data.work->pieces[0].text == "WORK");
    CHECK(data.opts[0].kind == ast::MountOptKind::Noexec);
  }

  TEST_CASE("the new words stay usable as names") {
    CHECK(errors_of("policy p { param lower : path\n  param work : bool = true\n  hostname \"h\" if work }\n") == "");
  }

  TEST_CASE("lower: a read-only overlay of two layers, topmost first") {
    auto c = compile_snippet(with_mounts("    overlay /usr lower ${SNAP}/usr : /srv/base/usr\n"));
    const ir::PolicyIr& p = only(c);
    REQUIRE(p.mounts_size() == 1);
    const ir::Mount& m = p.mounts(0);
    CHECK(m.kind() == ir::MOUNT_OVERLAY);
    CHECK_FALSE(m.read_write());
    CHECK(m.nosuid());
    CHECK(m.nodev());
    CHECK_FALSE(m.noexec());
    CHECK(spelled(p, m.target()) == "/usr");
    REQUIRE(m.overlay().lower_size() == 2);
    CHECK(spelled(p, m.overlay().lower(0)) == "${SNAP}/usr");
    CHECK(spelled(p, m.overlay().lower(1)) == "/srv/base/usr");
    CHECK(m.overlay().upper().segments_size() == 0);
    CHECK_FALSE(m.overlay().upper_tmpfs());
  }

  TEST_CASE("lower: one layer without an upper is a read-only bind") {
    auto c = compile_snippet(with_mounts("    overlay /usr lower ${SNAP}/usr\n"));
    const ir::Mount& m = only(c).mounts(0);
    CHECK(m.kind() == ir::MOUNT_BIND);
    CHECK(spelled(only(c), m.source()) == "${SNAP}/usr");
    CHECK(spelled(only(c), m.target()) == "/usr");
    CHECK_FALSE(m.read_write());
    CHECK(m.nosuid());
    CHECK(m.nodev());
    CHECK_FALSE(m.has_overlay());
  }

  TEST_CASE("lower: a tmpfs upper is read-write with its size") {
    auto c = compile_snippet(with_mounts("    overlay /etc lower ${SNAP}/etc upper tmpfs size 64MiB\n"));
    const ir::Mount& m = only(c).mounts(0);
    CHECK(m.kind() == ir::MOUNT_OVERLAY);
    CHECK(m.read_write());
    CHECK(m.overlay().upper_tmpfs());
    CHECK(m.size().constant() == 64u << 20);
    CHECK(m.overlay().lower_size() == 1);
  }

  TEST_CASE("lower: upper and work from params; an optional one makes the mount conditional") {
    auto c = compile_snippet(with_mounts("    overlay /data lower /srv/base upper ${UPPER} work ${WORK}\n"));
    const ir::PolicyIr& p = only(c);
    const ir::Mount& m = p.mounts(0);
    CHECK(m.read_write());
    CHECK(spelled(p, m.overlay().upper()) == "${UPPER}");
    CHECK(spelled(p, m.overlay().work()) == "${WORK}");
    REQUIRE(m.when().all_size() == 1);
    CHECK(m.when().all(0).param() == 2);
    CHECK(m.when().all(0).kind() == ir::COND_SET);
  }

  TEST_CASE("explain: the layers in words") {
    auto c =
        compile_snippet(with_mounts("    overlay /usr lower ${SNAP}/usr : /srv/base\n"
                                    "    overlay /etc lower ${SNAP}/etc : /srv/etc upper tmpfs size 64MiB\n"
                                    "    overlay /data lower /srv/base upper ${UPPER} work ${WORK} noexec\n"));
    std::string text = explain(only(c));
    CHECK(text.find("  1. overlay /usr of lower ${SNAP}/usr : /srv/base, read-only, nosuid, nodev\n") !=
          std::string::npos);
    CHECK(text.find("  2. overlay /etc of lower ${SNAP}/etc : /srv/etc, writes in a fresh tmpfs, read-write, "
                    "nosuid, nodev, size 64 MiB\n") != std::string::npos);
    CHECK(text.find("  3. overlay /data of lower /srv/base, writes in ${UPPER} (work ${WORK}), read-write, nosuid, "
                    "nodev, noexec [if WORK is set]\n") != std::string::npos);
    INFO(text);
  }

  TEST_CASE("check: an overlay needs a lower directory") {
    CHECK(errors_of(with_mounts("    overlay /usr upper tmpfs\n")) ==
          "test.policy:6:13: error: overlay '/usr' needs at least one 'lower' directory\n"
          "    overlay /usr upper tmpfs\n"
          "            ^~~~\n");
  }

  TEST_CASE("check: upper and work come together") {
    CHECK(errors_of(with_mounts("    overlay /a lower /l : /m upper ${UPPER}\n"
                                "    overlay /b lower /l : /m work ${WORK}\n"
                                "    overlay /c lower /l upper tmpfs work ${WORK}\n")) ==
          "test.policy:6:30: error: overlay upper needs a 'work' directory on the same filesystem\n"
          "    overlay /a lower /l : /m upper ${UPPER}\n"
          "                             ^~~~~\n"
          "test.policy:7:30: error: overlay work needs an 'upper' directory\n"
          "    overlay /b lower /l : /m work ${WORK}\n"
          "                             ^~~~\n"
          "test.policy:8:37: error: 'upper tmpfs' makes its own work directory; drop 'work'\n"
          "    overlay /c lower /l upper tmpfs work ${WORK}\n"
          "                                    ^~~~\n");
  }

  TEST_CASE("check: work is not inside upper, nor upper inside work") {
    CHECK(errors_of(with_mounts("    overlay /a lower /l upper ${UPPER} work ${UPPER}/work\n"
                                "    overlay /b lower /l upper /srv/w/up work /srv/w\n")) ==
          "test.policy:6:45: error: overlay work '${UPPER}/work' and upper '${UPPER}' must be separate "
          "directories, neither inside the other\n"
          "    overlay /a lower /l upper ${UPPER} work ${UPPER}/work\n"
          "                                            ^~~~~~~~~~~~~\n"
          "test.policy:7:46: error: overlay work '/srv/w' and upper '/srv/w/up' must be separate "
          "directories, neither inside the other\n"
          "    overlay /b lower /l upper /srv/w/up work /srv/w\n"
          "                                             ^~~~~~\n");
  }

  TEST_CASE("check: layers are absolute host paths, and ':' is spelled apart") {
    CHECK(errors_of(with_mounts("    overlay /a lower \"rel\" : /x:/y upper tmpfs\n")) ==
          "test.policy:6:22: error: overlay lower 'rel' is not an absolute path\n"
          "    overlay /a lower \"rel\" : /x:/y upper tmpfs\n"
          "                     ^~~~~\n"
          "test.policy:6:30: error: overlay lower '/x:/y' holds ':'; write 'lower A : B' for two layers\n"
          "    overlay /a lower \"rel\" : /x:/y upper tmpfs\n"
          "                             ^~~~~\n");
  }

  TEST_CASE("check: options an overlay cannot honour") {
    CHECK(errors_of(with_mounts("    overlay /a lower /l : /m rw suid size 1MiB\n")) ==
          "test.policy:6:30: error: an overlay is read-only without 'upper' and read-write with one; drop 'rw'\n"
          "    overlay /a lower /l : /m rw suid size 1MiB\n"
          "                             ^~\n"
          "test.policy:6:33: error: an overlay is always nosuid and nodev; drop 'suid'\n"
          "    overlay /a lower /l : /m rw suid size 1MiB\n"
          "                                ^~~~\n"
          "test.policy:6:38: error: option 'size' on an overlay needs 'upper tmpfs'\n"
          "    overlay /a lower /l : /m rw suid size 1MiB\n"
          "                                     ^~~~\n");
  }

  TEST_CASE("check: layer words on another mount, a second upper, the root as target") {
    CHECK(errors_of(with_mounts("    bind /usr lower /l\n"
                                "    overlay /b lower /l upper tmpfs upper tmpfs\n"
                                "    overlay / lower /l : /m\n")) ==
          "test.policy:6:15: error: 'lower' only applies to overlay\n"
          "    bind /usr lower /l\n"
          "              ^~~~~\n"
          "test.policy:7:37: error: overlay has a second 'upper'\n"
          "    overlay /b lower /l upper tmpfs upper tmpfs\n"
          "                                    ^~~~~\n"
          "test.policy:8:13: error: overlay cannot be the root '/': overlay each directory below it instead\n"
          "    overlay / lower /l : /m\n"
          "            ^\n");
  }

  TEST_CASE("check: two mounts on one target, an overlay among them") {
    CHECK(errors_of(with_mounts("    tmpfs /etc\n    overlay /etc lower /l upper tmpfs\n")) ==
          "test.policy:7:13: error: two mounts on target '/etc' in policy 'p'\n"
          "    overlay /etc lower /l upper tmpfs\n"
          "            ^~~~\n"
          "test.policy:6:11: note: the first is here\n"
          "    tmpfs /etc\n"
          "          ^~~~\n");
  }

  TEST_CASE("check: more lower directories than the launcher takes") {
    std::string lowers = "/l0";
    for (int i = 1; i <= 16; ++i) lowers += " : /l" + std::to_string(i);
    std::string diags = errors_of(with_mounts("    overlay /a lower " + lowers + "\n"));
    CHECK(diags.find("error: overlay '/a' has more than 16 lower directories (the launcher's limit)\n") !=
          std::string::npos);
  }
}

}  // namespace
}  // namespace stockade::frontend
