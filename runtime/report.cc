// SPDX-License-Identifier: Apache-2.0
#include "report.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "params.h"
#include "text.h"

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)  // linux/fs.h, which clashes with sys/mount.h
#endif

namespace stockade {
namespace {

// The report in pieces: params alone may be megabytes, so the JSON is
// written to the fd whenever the buffer fills, never truncated.
class JsonOut {
 public:
  explicit JsonOut(int fd) : fd_(fd) {}
  // Room for `n` more bytes (flushes first if there is not).
  TextBuf& room(size_t n) {
    if (buf_.size() + n >= kCap - 1) flush();
    return buf_;
  }
  void string(std::string_view s) {
    room(8).add('"');
    while (!s.empty()) {
      size_t n = s.size() < kPiece ? s.size() : kPiece;
      // Cut between UTF-8 sequences, not inside one.
      for (int back = 0; back < 3 && n < s.size() && (static_cast<unsigned char>(s[n]) & 0xc0) == 0x80; ++back) --n;
      add_json_chars(room(6 * n + 8), s.substr(0, n));
      s.remove_prefix(n);
    }
    room(2).add('"');
  }
  void flush() {
    if (err_ == 0) err_ = write_all(fd_, buf_.view());
    buf_.clear();
  }
  int finish() {
    flush();
    return err_;
  }

 private:
  static constexpr size_t kCap = 16384;
  static constexpr size_t kPiece = 1024;
  int fd_;
  int err_ = 0;
  Text<kCap> buf_;
};

void add_failure(JsonOut& out, const Failure& f) {
  out.room(64).add(", \"step\": ");
  add_json_string(out.room(64), step_name(f.step));
  Text<2048> message;
  format_failure_message(f, message);
  out.room(16).add(", \"message\": ");
  out.string(message.view());
  if (f.subject == Subject::Path) {
    out.room(16).add(", \"path\": ");
    out.string(f.value);
  } else if (f.subject == Subject::Param) {
    out.room(16).add(", \"param\": ");
    out.string(failure_param(f));
  }
}

std::string_view arg_name(const ParamArg& a) {
  std::string_view t = a.text;
  size_t eq = t.find('=');
  return eq == std::string_view::npos ? t : t.substr(0, eq);
}

std::string_view arg_value(const ParamArg& a) {
  std::string_view t = a.text;
  size_t eq = t.find('=');
  return eq == std::string_view::npos ? std::string_view() : t.substr(eq + 1);
}

// The validated values: every declared param, defaults applied; a list is
// an array, an unset optional param null.
void add_validated(JsonOut& out, const table::Policy& p, const ParamValues& values) {
  for (uint32_t i = 0; i < p.params.count && i < values.count; ++i) {
    const ParamValue& v = values.v[i];
    out.room(8).add(i == 0 ? "" : ", ");
    out.string(p.params[i]->name);
    out.room(4).add(": ");
    if (p.params[i]->list) {
      out.room(2).add('[');
      for (uint32_t k = 0; k < v.item_count; ++k) {
        if (k != 0) out.room(2).add(", ");
        out.string(v.items[k]);
      }
      out.room(2).add(']');
    } else if (v.set && v.text != nullptr) {
      out.string(v.text);
    } else {
      out.room(8).add("null");
    }
  }
}

// Before validation: the --param arguments as given, by name in the order
// first seen; a name given more than once is an array. --param-file
// options not yet read are left out.
void add_given(JsonOut& out, const ParamArg* args, size_t count) {
  bool first = true;
  for (size_t i = 0; i < count; ++i) {
    if (args[i].source == ParamSource::FileOption || args[i].text == nullptr) continue;
    std::string_view name = arg_name(args[i]);
    bool seen = false;
    size_t times = 0;
    for (size_t k = 0; k < count; ++k) {
      if (args[k].source == ParamSource::FileOption || args[k].text == nullptr || arg_name(args[k]) != name) continue;
      if (k < i) seen = true;
      ++times;
    }
    if (seen) continue;
    out.room(8).add(first ? "" : ", ");
    first = false;
    out.string(name);
    out.room(4).add(": ");
    if (times == 1) {
      out.string(arg_value(args[i]));
      continue;
    }
    out.room(2).add('[');
    bool first_value = true;
    for (size_t k = i; k < count; ++k) {
      if (args[k].source == ParamSource::FileOption || args[k].text == nullptr || arg_name(args[k]) != name) continue;
      if (!first_value) out.room(2).add(", ");
      first_value = false;
      out.string(arg_value(args[k]));
    }
    out.room(2).add(']');
  }
}

bool check_fd(int fd, const table::List<uint32_t>* pass_fds, Failure& f) {
  Text<24> v;
  v.add("fd ").add_i64(fd);
  int flags = fcntl(fd, F_GETFL);
  if (flags < 0) return fail(f, Step::Report, "--report-fd", v.view(), errno);
  if ((flags & O_ACCMODE) == O_RDONLY)
    return fail_reason(f, Step::Report, "--report-fd", v.view(), "not open for writing");
  if (pass_fds != nullptr)
    for (uint32_t p : *pass_fds)
      if (static_cast<int>(p) == fd)
        return fail_reason(f, Step::Report, "--report-fd", v.view(), "the policy passes this fd to the job (pass_fd)");
  return true;
}

bool open_file(ReportSink& s, Failure& f) {
  std::string_view path = s.path;
  size_t slash = path.rfind('/');
  std::string_view dir = slash == std::string_view::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  if (name.empty() || name == "." || name == "..")
    return fail_reason(f, Step::Report, "--report", path, "names no file");
  if (name.size() >= sizeof s.name) return fail(f, Step::Report, "--report", path, ENAMETOOLONG);
  Text<4200> dir_z;
  dir_z.add(dir);
  if (dir_z.truncated()) return fail(f, Step::Report, "--report", path, ENAMETOOLONG);
  memcpy(s.name, name.data(), name.size());
  s.name[name.size()] = '\0';
  s.dir.reset(openat(AT_FDCWD, dir_z.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!s.dir.ok()) return fail(f, Step::Report, "open directory", dir_z.view(), errno);
  // O_NONBLOCK: a FIFO at the name must not hang the launcher (it is
  // refused below); O_NOFOLLOW: a symlink at the name is never followed.
  s.file.reset(openat(s.dir.get(), s.name, O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0644));
  if (!s.file.ok()) {
    int err = errno;
    // ENXIO: a FIFO nobody reads.
    if (err == ENXIO) return fail_reason(f, Step::Report, "open", path, "not a regular file");
    return fail(f, Step::Report, "open", path, err);
  }
  struct stat st;
  if (fstat(s.file.get(), &st) != 0) return fail(f, Step::Report, "fstat", path, errno);
  if (!S_ISREG(st.st_mode)) return fail_reason(f, Step::Report, "open", path, "not a regular file");
  // A second name would let the report rewrite another file's content.
  if (st.st_nlink != 1) return fail_reason(f, Step::Report, "open", path, "has other hard links");
  // Emptied now: a report left by an earlier run is never taken for this one.
  if (ftruncate(s.file.get(), 0) != 0) return fail(f, Step::Report, "ftruncate", path, errno);
  s.dev = st.st_dev;
  s.ino = st.st_ino;
  return true;
}

// The name no longer holds the file opened before the job: write a fresh
// one beside it and put it at the name, the job's entry moved aside.
bool replace_entry(ReportSink& s, const ReportContext& ctx, const JobResult& r, Failure& f) {
  unsigned char random[8];
  if (getrandom(random, sizeof random, 0) != static_cast<ssize_t>(sizeof random))
    return fail(f, Step::Report, "getrandom", s.path, errno);
  Text<320> tmp;
  tmp.add('.').add(s.name).add(".stockade-");
  for (unsigned char b : random) tmp.add("0123456789abcdef"[b >> 4]).add("0123456789abcdef"[b & 15]);
  if (tmp.truncated()) return fail(f, Step::Report, "--report", s.path, ENAMETOOLONG);
  Fd fresh(openat(s.dir.get(), tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC, 0644));
  if (!fresh.ok()) return fail(f, Step::Report, "open", tmp.view(), errno);
  int err = emit_report(fresh.get(), ctx, r);
  if (err == 0) {
    struct stat st;
    bool present = fstatat(s.dir.get(), s.name, &st, AT_SYMLINK_NOFOLLOW) == 0;
    long done = present ? syscall(SYS_renameat2, s.dir.get(), tmp.c_str(), s.dir.get(), s.name, RENAME_EXCHANGE) : -1;
    if (done == 0) {
      Text<600> note;
      note.add("report: the job replaced ").add(s.path).add("; what it left there is now ").add(tmp.view());
      print_note(note.view());
      return true;
    }
    // Nothing there, or a filesystem without RENAME_EXCHANGE: a plain
    // rename, which replaces a file or a symlink (never followed).
    if (renameat(s.dir.get(), tmp.c_str(), s.dir.get(), s.name) == 0) return true;
    err = errno;
  }
  unlinkat(s.dir.get(), tmp.c_str(), 0);
  return fail(f, Step::Report, "write", s.path, err);
}

bool write_file_report(ReportSink& s, const ReportContext& ctx, const JobResult& r, Failure& f) {
  int err = 0;
  if (ftruncate(s.file.get(), 0) != 0 || lseek(s.file.get(), 0, SEEK_SET) != 0) err = errno;
  if (err == 0) err = emit_report(s.file.get(), ctx, r);
  if (err != 0) {
    // No half report, and nothing the job wrote into the file, stays
    // (best effort: the write's own error is the one reported).
    (void)!ftruncate(s.file.get(), 0);
    return fail(f, Step::Report, "write", s.path, err);
  }
  struct stat st;
  if (fstatat(s.dir.get(), s.name, &st, AT_SYMLINK_NOFOLLOW) == 0 && st.st_dev == s.dev && st.st_ino == s.ino)
    return true;
  return replace_entry(s, ctx, r, f);
}

}  // namespace

int emit_report(int fd, const ReportContext& ctx, const JobResult& r) {
  JsonOut out(fd);
  TextBuf& head = out.room(512);
  head.add("{\"status\": ").add_i64(r.status);
  head.add(", \"reason\": \"").add(r.reason).add('"');
  head.add(", \"signal\": ");
  if (r.signal != 0) head.add_i64(r.signal);
  else head.add("null");
  head.add(", \"wall_ms\": ").add_u64(r.wall_ms);
  head.add(", \"user_ms\": ").add_u64(r.user_ms);
  head.add(", \"sys_ms\": ").add_u64(r.sys_ms);
  head.add(", \"peak_memory_bytes\": ").add_u64(r.peak_memory_bytes);
  if (r.memory_bound != nullptr) head.add(", \"memory_bound\": \"").add(r.memory_bound).add('"');
  add_seccomp_fields(
      r.seccomp, [](void* o, size_t n) -> TextBuf& { return static_cast<JsonOut*>(o)->room(n); }, &out);
  out.room(32).add(", \"policy\": ");
  if (ctx.policy != nullptr) out.string(ctx.policy);
  else out.room(8).add("null");
  out.room(32).add(", \"launcher_version\": ");
  out.string(ctx.version);
  out.room(32).add(", \"params\": {");
  if (ctx.table != nullptr && ctx.values != nullptr) add_validated(out, *ctx.table, *ctx.values);
  else add_given(out, ctx.args, ctx.arg_count);
  out.room(2).add('}');
  if (r.failure.step != Step::None) add_failure(out, r.failure);
  out.room(4).add("}\n");
  return out.finish();
}

bool open_report(ReportSink& s, const table::List<uint32_t>* pass_fds, Failure& f) {
  if (s.fd >= 0 && !check_fd(s.fd, pass_fds, f)) return false;
  if (s.path != nullptr && !s.opened) {
    if (!open_file(s, f)) {
      s.file.reset();
      s.dir.reset();
      return false;
    }
    s.opened = true;
  }
  return true;
}

bool write_report(ReportSink& s, const ReportContext& ctx, const JobResult& r, Failure& f) {
  bool ok = true;
  if (s.path != nullptr) {
    // Not opened yet: a failure before the job, which never ran.
    if (!s.opened && !open_report(s, nullptr, f)) ok = false;
    else ok = write_file_report(s, ctx, r, f);
  }
  if (s.fd >= 0) {
    if (int err = emit_report(s.fd, ctx, r)) {
      Text<24> v;
      v.add("fd ").add_i64(s.fd);
      if (ok) fail(f, Step::Report, "write", v.view(), err);
      ok = false;
    }
  }
  return ok;
}

}  // namespace stockade
