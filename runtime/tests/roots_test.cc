// SPDX-License-Identifier: Apache-2.0
// `within` on path params (params.cc check_roots): a value must be one of
// the roots or lie below one, component by component; the refusal is one
// line naming the param, its value and the roots.
#include <doctest/doctest.h>

#include <string>

#include "params.h"
#include "text.h"

using namespace stockade;
using table::Param;
using table::ParamType;

namespace {

constexpr const char* kRoots[] = {"/tmp/windmill/cache", "/usr"};
constexpr Param kPy = {"PY_INSTALL_DIR", ParamType::Path, false, false, false, nullptr, 0, 0, {kRoots, 2}};
constexpr const char* kSlash[] = {"/"};
constexpr Param kAnywhere = {"ANY", ParamType::Path, false, false, false, nullptr, 0, 0, {kSlash, 1}};
constexpr Param kFree = {"FREE", ParamType::Path, false, false, false, nullptr, 0, 0};

std::string check(const Param& p, const char* value) {
  ParamValue out;
  Failure f{};
  if (check_param_value(p, value, out, f)) return "";
  Text<2048> line;
  format_failure(f, line);
  return std::string(line.view());
}

}  // namespace

TEST_CASE("within: values at or below a root pass") {
  CHECK(check(kPy, "/tmp/windmill/cache/py_runtime") == "");
  CHECK(check(kPy, "/tmp/windmill/cache/python_3_11/six==1.16.0") == "");
  CHECK(check(kPy, "/usr/lib/python3.11") == "");
  CHECK(check(kPy, "/usr") == "");
  CHECK(check(kPy, "/tmp/windmill/cache") == "");
  CHECK(check(kAnywhere, "/root") == "");
  CHECK(check(kFree, "/root") == "");
}

TEST_CASE("within: anything else is refused with one line") {
  CHECK(check(kPy, "/root") == "stockade: param: PY_INSTALL_DIR=/root: not within /tmp/windmill/cache or /usr\n");
  // Component-wise: a sibling that only shares the prefix is outside.
  CHECK(check(kPy, "/usrx/lib") ==
        "stockade: param: PY_INSTALL_DIR=/usrx/lib: not within /tmp/windmill/cache or /usr\n");
  CHECK(check(kPy, "/tmp/windmill/cachex") ==
        "stockade: param: PY_INSTALL_DIR=/tmp/windmill/cachex: not within /tmp/windmill/cache or /usr\n");
  CHECK(check(kPy, "/tmp/windmill") ==
        "stockade: param: PY_INSTALL_DIR=/tmp/windmill: not within /tmp/windmill/cache or /usr\n");
  CHECK(check(kPy, "/") == "stockade: param: PY_INSTALL_DIR=/: not within /tmp/windmill/cache or /usr\n");
  // `..` never gets that far: the path rules refuse it first.
  CHECK(check(kPy, "/usr/../root") == "stockade: param: PY_INSTALL_DIR=/usr/../root: '..' component\n");
}
