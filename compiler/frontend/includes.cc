// SPDX-License-Identifier: Apache-2.0
#include "frontend/includes.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "frontend/parse.h"

namespace stockade::frontend {

namespace fs = std::filesystem;

std::optional<std::string> read_file_from_disk(const std::string& path, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = std::strerror(errno);
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

namespace {

// One compile's include walk: no state outlives it.
class Loader {
 public:
  Loader(const ReadFile& read, const std::vector<std::string>& search, diag::SourceMap& sources, diag::Sink& sink,
         ast::Program& out)
      : read_(read), search_(search), sources_(sources), sink_(sink), out_(out) {}

  // Loads the file and its includes depth first; returns its index in
  // out_.files, or -1 if it could not be read.
  long visit(const std::string& path, const std::string& name, const std::string& text) {
    ast::File file;
    sources_.add(name, text);
    parse_text(name, fs::path(path).parent_path().string(), text, sink_, file);
    std::string key = identity(path, name);
    on_stack_.push_back({key, name});
    file.resolved.assign(file.includes.size(), -1);
    for (size_t i = 0; i < file.includes.size(); ++i) file.resolved[i] = include(file.includes[i], path, name);
    on_stack_.pop_back();
    out_.files.push_back(std::move(file));
    long index = static_cast<long>(out_.files.size() - 1);
    done_[key] = index;
    return index;
  }

  // A root that an earlier root already included is not read again.
  void root(const std::string& path, const std::string& name, const std::string& text) {
    if (done_.count(identity(path, name)) == 0) visit(path, name, text);
  }

 private:
  long include(const ast::Include& inc, const std::string& from_path, const std::string& from_name) {
    std::string path = (fs::path(from_path).parent_path() / inc.path).lexically_normal().string();
    std::string name = (fs::path(from_name).parent_path() / inc.path).lexically_normal().string();
    // Not next to the including file: the search path, first hit wins; the
    // file is then named by where it was found.
    std::error_code exists_ec;
    if (!fs::exists(path, exists_ec) && fs::path(inc.path).is_relative()) {
      for (const std::string& dir : search_) {
        std::string candidate = (fs::path(dir) / inc.path).lexically_normal().string();
        if (fs::exists(candidate, exists_ec)) {
          path = name = candidate;
          break;
        }
      }
    }
    std::string key = identity(path, name);
    for (size_t i = 0; i < on_stack_.size(); ++i) {
      if (on_stack_[i].first != key) continue;
      std::string chain;
      for (size_t j = i; j < on_stack_.size(); ++j) chain += on_stack_[j].second + " -> ";
      sink_.error(inc.loc, "include cycle: " + chain + name);
      return -1;
    }
    if (auto it = done_.find(key); it != done_.end()) return it->second;  // read once
    std::string error;
    std::optional<std::string> text = read_(path, error);
    if (!text) {
      std::string looked;
      if (fs::path(inc.path).is_relative()) {
        looked = " (looked next to " + from_name;
        for (const std::string& dir : search_) looked += ", in " + dir;
        looked += search_.empty() ? "; stockadec -I DIR adds a directory)" : ")";
      }
      sink_.error(inc.loc, "cannot read include '" + inc.path + "': " + error + looked);
      return -1;
    }
    return visit(path, name, *text);
  }

  // The same file reached by two spellings must be read once.
  static std::string identity(const std::string& path, const std::string& name) {
    if (path.empty()) return "mem:" + name;
    std::error_code ec;
    fs::path canonical = fs::weakly_canonical(path, ec);
    return ec ? fs::path(path).lexically_normal().string() : canonical.string();
  }

  const ReadFile& read_;
  const std::vector<std::string>& search_;
  diag::SourceMap& sources_;
  diag::Sink& sink_;
  ast::Program& out_;
  std::vector<std::pair<std::string, std::string>> on_stack_;  // key, name
  std::map<std::string, long> done_;
};

}  // namespace

bool load_program(const std::vector<RootFile>& roots, const ReadFile& read, diag::SourceMap& sources, diag::Sink& sink,
                  ast::Program& out, const std::vector<std::string>& search) {
  size_t errors_before = sink.error_count();
  Loader loader(read, search, sources, sink, out);
  for (const RootFile& root : roots) {
    std::string text;
    if (root.text) {
      text = *root.text;
    } else {
      std::string error;
      std::optional<std::string> got = read(root.path, error);
      if (!got) {
        sink.error({root.name, 0, 0, 1}, "cannot read: " + error);
        continue;
      }
      text = *got;
    }
    loader.root(root.path, root.name, text);
  }
  return sink.error_count() == errors_before;
}

}  // namespace stockade::frontend
