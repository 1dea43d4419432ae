// SPDX-License-Identifier: Apache-2.0
// Fixed-capacity text building and a bump arena: the launcher has no heap
// strings (no libstdc++), so every string it assembles lives in one of these.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <string_view>

namespace stockade {

// Appends into a caller-owned buffer; truncates (and remembers it) instead of
// overflowing. Always NUL-terminated.
class TextBuf {
 public:
  // Out of line: ~80 Text<N> in the launcher, each an inline store of four
  // members otherwise (the size budget).
  TextBuf(char* buf, size_t cap);
  TextBuf(const TextBuf&) = delete;
  TextBuf& operator=(const TextBuf&) = delete;

  TextBuf& add(std::string_view s);
  // A NUL-terminated string (a literal, a c_str()): the length is counted
  // here, not at each of the ~300 call sites (the launcher's size budget).
  TextBuf& add(const char* s);
  TextBuf& add(char c) { return add(std::string_view(&c, 1)); }
  TextBuf& add_u64(uint64_t v);
  TextBuf& add_i64(int64_t v);
  TextBuf& add_hex(uint64_t v);  // "0x1ed"
  void clear() {
    len_ = 0;
    buf_[0] = '\0';
    truncated_ = false;
  }

  const char* c_str() const { return buf_; }
  std::string_view view() const { return {buf_, len_}; }
  size_t size() const { return len_; }
  bool truncated() const { return truncated_; }

 private:
  char* buf_;
  size_t cap_;
  size_t len_ = 0;
  bool truncated_ = false;
};

template <size_t N>
class Text : public TextBuf {
 public:
  Text() : TextBuf(storage_, N) {}

 private:
  char storage_[N];
};

// A bump allocator over a caller-owned buffer. Allocation failure returns
// nullptr; callers turn that into a clear "too large" error.
class Arena {
 public:
  Arena(char* buf, size_t cap) : buf_(buf), cap_(cap) {}
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  void* alloc(size_t n, size_t align);
  template <class T>
  T* alloc_array(size_t n) {
    return static_cast<T*>(alloc(n * sizeof(T), alignof(T)));
  }
  // A NUL-terminated copy, or nullptr when the arena is full.
  char* copy(std::string_view s);

 private:
  char* buf_;
  size_t cap_;
  size_t used_ = 0;
};

// Appends `s` as a JSON string, quotes included: ", \\ and control
// characters escaped; bytes that are not valid UTF-8 become U+FFFD, so any
// command-line value makes a valid document.
void add_json_string(TextBuf& out, std::string_view s);
// The same without the quotes, for a string written in pieces (cut a long
// one between UTF-8 sequences).
void add_json_chars(TextBuf& out, std::string_view s);

bool equal(const char* a, std::string_view b);
size_t cstr_len(const char* s);

// Reads an unsigned number in `base` (10 or 16) at *p, advancing *p past its
// digits; 0 when there are none; wraps silently on overflow. For the
// kernel's own files (cgroup counters, pids, audit records), where libc's
// strtoul would pull a 1.5 KB general parser into the launcher.
uint64_t scan_unsigned(const char** p, unsigned base);

// The first `needle` in `hay`, or nullptr: strstr for the short texts the
// launcher searches (a /proc status file, one audit record), where musl's
// two-way strstr would add 1.3 KB to the launcher.
const char* find_text(const char* hay, const char* needle);

}  // namespace stockade
