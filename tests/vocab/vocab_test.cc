// SPDX-License-Identifier: Apache-2.0
// The vocabulary library alone: numbers, units and their formatting,
// capabilities, device nodes, path and name rules.
#include <doctest/doctest.h>

#include <linux/capability.h>

#include "vocab/capabilities.h"
#include "vocab/devices.h"
#include "vocab/names.h"
#include "vocab/numbers.h"
#include "vocab/units.h"

namespace {

namespace vocab = stockade::vocab;

TEST_SUITE("vocab") {
  TEST_CASE("numbers: whole strings only, overflow is nullopt") {
    CHECK(vocab::parse_number("0") == 0u);
    CHECK(vocab::parse_number("4096") == 4096u);
    CHECK(vocab::parse_number("0x1000") == 4096u);
    CHECK(vocab::parse_number("0XfF") == 255u);
    CHECK(vocab::parse_number("18446744073709551615") == UINT64_MAX);
    CHECK_FALSE(vocab::parse_number("18446744073709551616"));
    CHECK_FALSE(vocab::parse_number(""));
    CHECK_FALSE(vocab::parse_number("0x"));
    CHECK_FALSE(vocab::parse_number("12a"));
    CHECK_FALSE(vocab::parse_number("-1"));
    CHECK_FALSE(vocab::parse_number("+1"));
    CHECK_FALSE(vocab::parse_number(" 1"));
    CHECK(vocab::parse_octal("1777") == 01777u);
    CHECK_FALSE(vocab::parse_octal("8"));
    CHECK(vocab::parse_id("4294967295") == 4294967295u);
    CHECK_FALSE(vocab::parse_id("4294967296"));
    CHECK_FALSE(vocab::parse_id("99999999999"));
    CHECK(vocab::checked_mul(0, UINT64_MAX) == 0u);
    CHECK_FALSE(vocab::checked_mul(1ULL << 32, 1ULL << 32));
    CHECK(vocab::checked_add(UINT64_MAX - 1, 1) == UINT64_MAX);
    CHECK_FALSE(vocab::checked_add(UINT64_MAX, 1));
  }

  TEST_CASE("units: one table, kinds, factors, names for messages") {
    CHECK(vocab::unit_kind("") == vocab::UnitKind::None);
    CHECK(vocab::unit_kind("MiB") == vocab::UnitKind::Size);
    CHECK(vocab::unit_kind("d") == vocab::UnitKind::Duration);
    CHECK(vocab::unit_factor("GiB") == 1ULL << 30);
    CHECK(vocab::unit_factor("d") == 86400000u);
    CHECK(vocab::unit_names(vocab::UnitKind::Size) == "B, KB, MB, GB, TB, KiB, MiB, GiB, TiB");
    CHECK(vocab::unit_names(vocab::UnitKind::Duration) == "ms, s, m, h, d");
    CHECK(vocab::scale(16, "TiB") == 16ULL << 40);
    CHECK_FALSE(vocab::scale(1ULL << 30, "TiB"));
  }

  TEST_CASE("quantities as the launcher reads them") {
    using vocab::UnitKind;
    CHECK(vocab::parse_quantity("500MB", UnitKind::Size, 1) == 500000000u);
    CHECK(vocab::parse_quantity("500 MB", UnitKind::Size, 1) == 500000000u);
    CHECK(vocab::parse_quantity("12", UnitKind::Size, 1) == 12u);
    CHECK(vocab::parse_quantity("30d", UnitKind::Duration, 1000) == 30ULL * 86400000);
    CHECK(vocab::parse_quantity("915", UnitKind::Duration, 1000) == 915000u);
    CHECK(vocab::parse_quantity("1500ms", UnitKind::Duration, 1000) == 1500u);
    CHECK_FALSE(vocab::parse_quantity("1s", UnitKind::Size, 1));
    CHECK_FALSE(vocab::parse_quantity("1 KiBs", UnitKind::Size, 1));
    CHECK_FALSE(vocab::parse_quantity("s", UnitKind::Duration, 1000));
    CHECK_FALSE(vocab::parse_quantity("20000000000 GB", UnitKind::Size, 1));
  }

  TEST_CASE("formatting: the exact unit that gives the smallest number") {
    CHECK(vocab::format_bytes(0) == "0 B");
    CHECK(vocab::format_bytes(999) == "999 B");
    CHECK(vocab::format_bytes(500000000) == "500 MB");
    CHECK(vocab::format_bytes(4ULL << 30) == "4 GiB");
    CHECK(vocab::format_bytes(1536) == "1536 B");
    CHECK(vocab::format_bytes(3072) == "3 KiB");
    CHECK(vocab::format_millis(0) == "0 ms");
    CHECK(vocab::format_millis(1500) == "1500 ms");
    CHECK(vocab::format_millis(90000) == "90 s");
    CHECK(vocab::format_millis(720ULL * 3600000) == "30 d");
  }

  TEST_CASE("capabilities come from the kernel header, in number order") {
    const auto& caps = vocab::capabilities();
    REQUIRE(caps.size() == CAP_LAST_CAP + 1);
    for (size_t i = 0; i < caps.size(); ++i) CHECK(caps[i].number == i);
    CHECK(vocab::capability_number("CAP_NET_BIND_SERVICE") == CAP_NET_BIND_SERVICE);
    CHECK(vocab::capability_number("CAP_NOPE") == -1);
    CHECK(vocab::capability_name(CAP_SYS_ADMIN) == "CAP_SYS_ADMIN");
    CHECK(vocab::capability_name(999) == "999");
  }

  TEST_CASE("device nodes, paths and names") {
    CHECK(vocab::is_device_node("/dev/null"));
    CHECK_FALSE(vocab::is_device_node("/dev/sda"));
    CHECK(vocab::device_node_list() == "/dev/null, /dev/zero, /dev/full, /dev/random, /dev/urandom or /dev/tty");
    CHECK(vocab::path_problem("/") == "");
    CHECK(vocab::path_problem("/a/b") == "");
    CHECK(vocab::path_problem("a") == "not an absolute path");
    CHECK(vocab::path_problem("/a/") == "trailing '/'");
    CHECK(vocab::path_problem("/a//b") == "empty component ('//')");
    CHECK(vocab::path_problem("/a/../b") == "'..' component");
    CHECK(vocab::valid_name("main.py"));
    CHECK_FALSE(vocab::valid_name(".."));
    CHECK_FALSE(vocab::valid_name("a/b"));
  }
}

}  // namespace
