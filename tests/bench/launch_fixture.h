// SPDX-License-Identifier: Apache-2.0
// The host side of a benchmark run: a scratch folder holding the job
// directory the python3 policy binds (main.py, wrapper.py, args.json,
// result.json), a stand-in interpreter folder (PY_INSTALL_DIR) and the
// folders the extra-bind policies bind. Removed again on destruction.
#pragma once

#include <string>

namespace stockade::bench {

class Fixture {
 public:
  // `deps`: that many dependency folders (deps/pkgNNN) and, for each count
  // of kDepCounts, a list file naming the first ones (deps_list).
  // `noop_path`, if not empty, is copied to job/main.py (executable), so a
  // launch can run a static do-nothing job at /tmp/main.py; this keeps the
  // job's own memory out of the launcher's peak RSS.
  Fixture(int extra_binds, int deps, const std::string& noop_path);
  ~Fixture();
  Fixture(const Fixture&) = delete;
  Fixture& operator=(const Fixture&) = delete;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  bool has_noop() const { return has_noop_; }

  std::string job_dir() const { return root_ + "/job"; }
  std::string py_install_dir() const { return root_ + "/py"; }
  std::string bind_dir() const { return root_ + "/binds"; }
  // Extra bind i, bound at its own path: "<bind_dir>/b07".
  std::string bind_path(int i) const;
  // A --param-file list of the first `n` dependency folders, one a line.
  std::string deps_list(int n) const { return root_ + "/deps-" + std::to_string(n) + ".txt"; }

 private:
  std::string root_;
  std::string error_;
  bool has_noop_ = false;
};

}  // namespace stockade::bench
