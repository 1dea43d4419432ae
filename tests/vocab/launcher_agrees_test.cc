// SPDX-License-Identifier: Apache-2.0
// The launcher keeps its own tiny tables (it links nothing of the
// compiler), so this test holds them to the compiler's: every value the
// compiler accepts or prints for a param type goes through the launcher's
// parser (runtime/params.cc check_param_value) and must get the same
// verdict and the same number. The shipped policies are compiled here and
// every default and every range bound that `stockadec explain` and
// `stockade show` print is fed to the launcher as a worker would pass it.
#include <doctest/doctest.h>

#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "explain/explain.h"
#include "frontend/frontend.h"
#include "frontend/keywords.h"
#include "params.h"
#include "vocab/names.h"
#include "vocab/system_dirs.h"
#include "vocab/units.h"

// params.cc reads a policy's params from a table set's kParamRows
// (policy_table.h); this test checks single values and links no policies.
namespace stockade::generated {
const table::Param kParamRows[1] = {};
}  // namespace stockade::generated

namespace {

using stockade::Failure;
using stockade::ParamValue;
using stockade::frontend::ParamType;
namespace table = stockade::table;
namespace vocab = stockade::vocab;

table::ParamType launcher_type(ParamType t) {
  switch (t) {
    case ParamType::Path: return table::ParamType::Path;
    case ParamType::Name: return table::ParamType::Name;
    case ParamType::String: return table::ParamType::String;
    case ParamType::Int: return table::ParamType::Int;
    case ParamType::Size: return table::ParamType::Size;
    case ParamType::Duration: return table::ParamType::Duration;
    case ParamType::Bool: return table::ParamType::Bool;
    case ParamType::RelPath: return table::ParamType::RelPath;
    case ParamType::Volume: return table::ParamType::Volume;
    case ParamType::Endpoint: return table::ParamType::Endpoint;
  }
  return table::ParamType::String;
}

ParamType front_type(stockade::ir::ParamType t) {
  switch (t) {
    case stockade::ir::PARAM_PATH: return ParamType::Path;
    case stockade::ir::PARAM_NAME: return ParamType::Name;
    case stockade::ir::PARAM_STRING: return ParamType::String;
    case stockade::ir::PARAM_INT: return ParamType::Int;
    case stockade::ir::PARAM_SIZE: return ParamType::Size;
    case stockade::ir::PARAM_DURATION: return ParamType::Duration;
    case stockade::ir::PARAM_BOOL: return ParamType::Bool;
    case stockade::ir::PARAM_RELPATH: return ParamType::RelPath;
    case stockade::ir::PARAM_VOLUME: return ParamType::Volume;
    case stockade::ir::PARAM_ENDPOINT: return ParamType::Endpoint;
    case stockade::ir::ParamType_INT_MIN_SENTINEL_DO_NOT_USE_:
    case stockade::ir::ParamType_INT_MAX_SENTINEL_DO_NOT_USE_: break;
  }
  return ParamType::String;
}

// The launcher's verdict: the number it read (0 for the non-numeric
// types), or nullopt when it refused.
std::optional<int64_t> launcher(ParamType type, const std::string& value, const table::Param* decl = nullptr) {
  table::Param p{"X", launcher_type(type), false, false, false, nullptr, 0, 0};
  ParamValue out;
  Failure f{};
  if (!stockade::check_param_value(decl ? *decl : p, value.c_str(), out, f)) return std::nullopt;
  return out.number;
}

// The compiler's verdict on a size or duration as a worker writes it.
std::optional<int64_t> compiler_quantity(ParamType type, const std::string& value) {
  std::optional<uint64_t> v = type == ParamType::Size ? vocab::parse_quantity(value, vocab::UnitKind::Size, 1)
                                                      : vocab::parse_quantity(value, vocab::UnitKind::Duration, 1000);
  if (!v || *v > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
  return static_cast<int64_t>(*v);
}

TEST_SUITE("launcher") {
  TEST_CASE("the launcher refuses the system directories the compiler refuses") {
    CHECK(stockade::is_system_dir("/"));
    for (std::string_view sys : vocab::kSystemDirs) {
      const std::string dir(sys);
      CHECK(stockade::is_system_dir(dir));
      CHECK(stockade::is_system_dir(dir + "/x"));
      CHECK_FALSE(stockade::is_system_dir(dir + "x"));
      CHECK(vocab::is_system_dir(dir + "/x"));
    }
    for (const char* other : {"/tmp", "/mnt", "/tmp/volumes", "/workspace", "/procx", "/opt"})
      CHECK(stockade::is_system_dir(other) == vocab::is_system_dir(other));
  }

  TEST_CASE("every unit of the compiler is a unit of the launcher, with the same factor") {
    for (const vocab::Unit& u : vocab::kUnits) {
      const ParamType type = u.kind == vocab::UnitKind::Size ? ParamType::Size : ParamType::Duration;
      const ParamType other = type == ParamType::Size ? ParamType::Duration : ParamType::Size;
      // append: GCC 12 -O3 -Wrestrict misfires on "lit" + string
      for (const std::string& v :
           {std::string("1").append(u.name), std::string("7 ").append(u.name), std::string("0").append(u.name)}) {
        CAPTURE(v);
        CHECK(compiler_quantity(type, v).has_value());
        CHECK(launcher(type, v) == compiler_quantity(type, v));
        // A unit of the other kind is refused by both.
        CHECK_FALSE(compiler_quantity(other, v).has_value());
        CHECK_FALSE(launcher(other, v).has_value());
      }
    }
    for (const std::string v : {"12", "0", "12 ", "12x", "MB", "", "1.5s", "-1s", "1  s", "18446744073709551616"}) {
      CAPTURE(v);
      CHECK(launcher(ParamType::Size, v) == compiler_quantity(ParamType::Size, v));
      CHECK(launcher(ParamType::Duration, v) == compiler_quantity(ParamType::Duration, v));
    }
  }

  TEST_CASE("every size and duration the compiler prints is read back by the launcher as the same number") {
    const uint64_t values[] = {0,
                               1,
                               999,
                               1000,
                               1024,
                               1536,
                               500000000,
                               4ULL << 30,
                               1ULL << 40,
                               16ULL << 40,
                               1000000000000ULL,
                               3ULL * 1000000000000ULL};
    for (uint64_t v : values) {
      CAPTURE(v);
      CHECK(launcher(ParamType::Size, vocab::format_bytes(v)) == static_cast<int64_t>(v));
    }
    const uint64_t ms[] = {0, 1, 999, 1000, 1500, 60000, 90000, 3600000, 86400000, 30ULL * 86400000, 720ULL * 3600000};
    for (uint64_t v : ms) {
      CAPTURE(v);
      CHECK(launcher(ParamType::Duration, vocab::format_millis(v)) == static_cast<int64_t>(v));
    }
  }

  TEST_CASE("paths, relative paths, names and bools: the same verdict") {
    const std::string long_path = "/" + std::string(4094, 'a');
    for (const std::string& v :
         {std::string("/"), std::string("/a"), std::string("/a/b.c"), std::string("a"), std::string(""),
          std::string("/a/"), std::string("/a//b"), std::string("/a/./b"), std::string("/a/../b"), std::string("/.."),
          std::string("/..."), long_path, long_path + "a"}) {
      CAPTURE(v);
      CHECK(vocab::path_problem(v).empty() == launcher(ParamType::Path, v).has_value());
    }
    const std::string long_rel = std::string(4095, 'r');
    for (const std::string& v :
         {std::string("main"), std::string("u/admin/my_script"), std::string("a"), std::string(""), std::string("/a"),
          std::string("a/"), std::string("a//b"), std::string("./a"), std::string("a/../b"), std::string(".."),
          std::string("..."), long_rel, long_rel + "r"}) {
      CAPTURE(v);
      CHECK(vocab::relpath_problem(v).empty() == launcher(ParamType::RelPath, v).has_value());
    }
    for (const std::string& v :
         {std::string("main"), std::string("a.b-c_D9"), std::string("."), std::string(".."), std::string("..."),
          std::string(""), std::string("a/b"), std::string("a b"), std::string(255, 'n'), std::string(256, 'n')}) {
      CAPTURE(v);
      CHECK(vocab::valid_name(v) == launcher(ParamType::Name, v).has_value());
    }
    CHECK(launcher(ParamType::Bool, "true").has_value());
    CHECK(launcher(ParamType::Bool, "false").has_value());
    CHECK_FALSE(launcher(ParamType::Bool, "yes").has_value());
  }

  TEST_CASE("the shipped policies: every default and every printed range bound passes the launcher") {
    std::vector<std::string> files;
    std::istringstream list(STOCKADE_POLICY_FILES);
    for (std::string f; list >> f;) files.push_back(f);
    REQUIRE_FALSE(files.empty());
    stockade::diag::SourceMap sources;
    stockade::diag::Sink sink;
    stockade::ir::PolicySet set;
    stockade::frontend::Options opts;
    opts.root = STOCKADE_SOURCE_DIR;
    REQUIRE(stockade::frontend::compile(files, opts, sources, sink, set));
    size_t bounds = 0;
    for (const stockade::ir::PolicyIr& policy : set.policies()) {
      const std::string text = stockade::explain::explain(policy, stockade::explain::ExplainSeccomp::Omitted);
      for (const stockade::ir::Param& q : policy.params()) {
        CAPTURE(policy.name());
        CAPTURE(q.name());
        const ParamType type = front_type(q.type());
        table::Param decl{"X", launcher_type(type), q.optional(), q.has_range(), q.list(), nullptr, q.min(), q.max()};
        if (q.has_default()) CHECK(launcher(type, q.default_value(), &decl).has_value());
        if (!q.has_range()) continue;
        // "  NAME: type in LO..HI, ..." as explain (and so `stockade show`) prints it.
        const std::string head = "  " + q.name() + ": " + std::string(stockade::frontend::spelling(type)) + " in ";
        size_t at = text.find(head);
        REQUIRE(at != std::string::npos);
        at += head.size();
        size_t dots = text.find("..", at);
        size_t end = text.find_first_of(",\n", dots);
        const std::string lo = text.substr(at, dots - at), hi = text.substr(dots + 2, end - dots - 2);
        CAPTURE(lo);
        CAPTURE(hi);
        CHECK(launcher(type, lo, &decl) == q.min());
        CHECK(launcher(type, hi, &decl) == q.max());
        ++bounds;
      }
    }
    CHECK(bounds > 0);
  }
}

}  // namespace
