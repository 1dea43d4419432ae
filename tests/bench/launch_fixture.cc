// SPDX-License-Identifier: Apache-2.0
#include "launch_fixture.h"

#include "launch_commands.h"

#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <vector>

namespace fs = std::filesystem;

namespace stockade::bench {

namespace {

bool write_file(const fs::path& p, const char* text, fs::perms perms, std::string& error) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) {
    error = "cannot write " + p.string();
    return false;
  }
  out.close();
  std::error_code ec;
  fs::permissions(p, perms, ec);
  if (ec) error = "chmod " + p.string() + ": " + ec.message();
  return !ec;
}

}  // namespace

Fixture::Fixture(int extra_binds, int deps, const std::string& noop_path) {
  // Below Windmill's cache root, as its interpreters are: the python3
  // policy's PY_INSTALL_DIR is `within /tmp/windmill/cache /usr`.
  std::error_code made;
  fs::create_directories("/tmp/windmill/cache", made);
  char tmpl[] = "/tmp/windmill/cache/stockade-launch-bench-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) {
    error_ = "mkdtemp failed";
    return;
  }
  root_ = tmpl;
  // The sandbox's root maps to an unprivileged id outside, so every folder
  // on the way to a bind source must be searchable by others (mkdtemp: 0700).
  const fs::perms dir_perms = fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                              fs::perms::others_read | fs::perms::others_exec;
  const fs::perms ro = fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read;
  const fs::perms rw = ro | fs::perms::group_write | fs::perms::others_write;
  std::error_code ec;
  for (const std::string& d : {root_, job_dir(), job_dir() + "/shared", py_install_dir(), bind_dir()}) {
    fs::create_directories(d, ec);
    if (!ec) fs::permissions(d, dir_perms, ec);
    if (ec) {
      error_ = "mkdir " + d + ": " + ec.message();
      return;
    }
  }
  for (int i = 0; i < extra_binds; ++i) {
    fs::create_directory(bind_path(i), ec);
    if (!ec) fs::permissions(bind_path(i), dir_perms, ec);
    if (ec) {
      error_ = "mkdir " + bind_path(i) + ": " + ec.message();
      return;
    }
  }
  // Windmill's per-dependency folders: the python3 policy's DEPS is
  // `within /tmp/windmill/cache`, as this fixture is.
  std::vector<std::string> dep_paths;
  for (int i = 0; i < deps; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "/deps/pkg%03d==1.0", i);
    dep_paths.push_back(root_ + name);
    fs::create_directories(dep_paths.back(), ec);
    if (!ec) fs::permissions(dep_paths.back(), dir_perms, ec);
    if (!ec) fs::permissions(root_ + "/deps", dir_perms, ec);
    if (ec) {
      error_ = "mkdir " + dep_paths.back() + ": " + ec.message();
      return;
    }
  }
  for (int n : kDepCounts) {
    if (n == 0 || n > deps) continue;
    std::ofstream list(deps_list(n), std::ios::trunc);
    for (int i = 0; i < n; ++i) list << dep_paths[static_cast<size_t>(i)] << '\n';
    if (!list) {
      error_ = "cannot write " + deps_list(n);
      return;
    }
  }
  const fs::path job = job_dir();
  if (!write_file(job / "main.py", "def main():\n    return 0\n", ro, error_) ||
      !write_file(job / "wrapper.py", "import main\n", ro, error_) ||
      !write_file(job / "args.json", "{}\n", rw, error_) || !write_file(job / "result.json", "", rw, error_) ||
      !write_file(fs::path(py_install_dir()) / "README", "stand-in for PY_INSTALL_DIR\n", ro, error_)) {
    return;
  }
  if (!noop_path.empty()) {
    fs::copy_file(noop_path, job / "main.py", fs::copy_options::overwrite_existing, ec);
    if (!ec) fs::permissions(job / "main.py", dir_perms, ec);
    if (ec) {
      error_ = "copy " + noop_path + ": " + ec.message();
      return;
    }
    has_noop_ = true;
  }
}

Fixture::~Fixture() {
  if (root_.empty()) return;
  std::error_code ec;
  fs::remove_all(root_, ec);
  if (ec) std::fprintf(stderr, "launch-bench: could not remove %s: %s\n", root_.c_str(), ec.message().c_str());
}

std::string Fixture::bind_path(int i) const {
  char name[16];
  std::snprintf(name, sizeof name, "/b%02d", i);
  return bind_dir() + name;
}

}  // namespace stockade::bench
