// SPDX-License-Identifier: Apache-2.0
#include "text.h"

#include <string.h>

namespace stockade {

TextBuf::TextBuf(char* buf, size_t cap) : buf_(buf), cap_(cap) { buf_[0] = '\0'; }

TextBuf& TextBuf::add(std::string_view s) {
  size_t room = cap_ - 1 - len_;
  size_t n = s.size();
  if (n > room) {
    n = room;
    truncated_ = true;
  }
  memcpy(buf_ + len_, s.data(), n);
  len_ += n;
  buf_[len_] = '\0';
  return *this;
}

TextBuf& TextBuf::add(const char* s) { return add(std::string_view(s)); }

TextBuf& TextBuf::add_u64(uint64_t v) {
  char digits[24];
  size_t i = sizeof digits;
  do {
    digits[--i] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  return add(std::string_view(digits + i, sizeof digits - i));
}

TextBuf& TextBuf::add_hex(uint64_t v) {
  char digits[16];
  size_t i = sizeof digits;
  do {
    digits[--i] = "0123456789abcdef"[v % 16];
    v /= 16;
  } while (v != 0);
  return add("0x").add(std::string_view(digits + i, sizeof digits - i));
}

TextBuf& TextBuf::add_i64(int64_t v) {
  if (v < 0) {
    add('-');
    // Negate in unsigned arithmetic so INT64_MIN does not overflow.
    return add_u64(0 - static_cast<uint64_t>(v));
  }
  return add_u64(static_cast<uint64_t>(v));
}

void* Arena::alloc(size_t n, size_t align) {
  size_t start = (used_ + align - 1) & ~(align - 1);
  if (start > cap_ || n > cap_ - start) return nullptr;
  used_ = start + n;
  return buf_ + start;
}

char* Arena::copy(std::string_view s) {
  char* p = static_cast<char*>(alloc(s.size() + 1, 1));
  if (p == nullptr) return nullptr;
  memcpy(p, s.data(), s.size());
  p[s.size()] = '\0';
  return p;
}

namespace {

// The length of the valid UTF-8 sequence at s[i], 0 if there is none
// (overlong forms, surrogates and values past U+10FFFF are invalid).
size_t utf8_length(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
  if (c >= 0xf5 || n == 0 || i + n > s.size()) return 0;
  unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
  if ((c == 0xe0 && c1 < 0xa0) || (c == 0xed && c1 > 0x9f) || (c == 0xf0 && c1 < 0x90) || (c == 0xf4 && c1 > 0x8f))
    return 0;
  for (size_t k = 1; k < n; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return 0;
  return n;
}

}  // namespace

void add_json_chars(TextBuf& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out.add('\\').add(static_cast<char>(c));
    } else if (c == '\n') {
      out.add("\\n");
    } else if (c < 0x20 || c == 0x7f) {
      out.add("\\u00").add(kHex[c >> 4]).add(kHex[c & 15]);
    } else if (c >= 0x80) {
      size_t n = utf8_length(s, i);
      if (n == 0) {
        out.add("\\ufffd");
        ++i;
        continue;
      }
      out.add(s.substr(i, n));
      i += n;
      continue;
    } else {
      out.add(static_cast<char>(c));
    }
    ++i;
  }
}

void add_json_string(TextBuf& out, std::string_view s) {
  out.add('"');
  add_json_chars(out, s);
  out.add('"');
}

bool equal(const char* a, std::string_view b) { return a != nullptr && std::string_view(a) == b; }

size_t cstr_len(const char* s) { return s == nullptr ? 0 : strlen(s); }

const char* find_text(const char* hay, const char* needle) {
  size_t n = strlen(needle);
  for (; *hay != '\0'; ++hay)
    if (strncmp(hay, needle, n) == 0) return hay;
  return n == 0 ? hay : nullptr;
}

uint64_t scan_unsigned(const char** p, unsigned base) {
  uint64_t v = 0;
  for (;; ++*p) {
    char c = **p;
    unsigned d = c >= '0' && c <= '9'                 ? static_cast<unsigned>(c - '0')
                 : base == 16 && c >= 'a' && c <= 'f' ? static_cast<unsigned>(c - 'a' + 10)
                 : base == 16 && c >= 'A' && c <= 'F' ? static_cast<unsigned>(c - 'A' + 10)
                                                      : base;
    if (d >= base) return v;
    v = v * base + d;
  }
}

}  // namespace stockade
