#include "fail.h"

#include <errno.h>
#include <string.h>

#include "io.h"
#include "text.h"

namespace stockade {
namespace {

void copy_into(char* dst, size_t cap, std::string_view s) {
  size_t n = s.size() < cap - 1 ? s.size() : cap - 1;
  memcpy(dst, s.data(), n);
  dst[n] = '\0';
}

bool starts_with(const char* s, std::string_view prefix) { return std::string_view(s).substr(0, prefix.size()) == prefix; }

// Errnos that mislead on their own get a hint naming the likely cause.
const char* hint_for(const Failure& f) {
  bool userns_call = starts_with(f.what, "clone") || starts_with(f.what, "unshare");
  if (starts_with(f.what, "clone3") && f.err == EACCES && std::string_view(f.value).find("CLONE_INTO_CGROUP") != std::string_view::npos)
    return "to start a job in a delegated cgroup (--cgroup) the launcher must already run inside that cgroup's subtree";
  if (userns_call && (f.err == EPERM || f.err == ENOSPC || f.err == EACCES))
    return "user namespaces disabled? see sysctl user.max_user_namespaces, "
           "kernel.unprivileged_userns_clone and AppArmor's kernel.apparmor_restrict_unprivileged_userns";
  if (starts_with(f.what, "mount_setattr(MOUNT_ATTR_IDMAP)") && f.err == EINVAL)
    return "the filesystem does not support idmapped mounts";
  if (starts_with(f.what, "mount(proc)") && f.err == EPERM)
    return "procfs needs the pid namespace on and a host /proc without over-mounts";
  if (starts_with(f.step, "cgroup") && (f.err == EACCES || f.err == EROFS))
    return "the launcher needs write access to the cgroup hierarchy (run as root or use a delegated cgroup)";
  if (starts_with(f.what, "open_tree") && f.err == ELOOP)
    return "a symlink below the policy's or the parameter's directory is never followed";
  if (starts_with(f.what, "seccomp") && f.err == EACCES)
    return "a seccomp filter needs no_new_privs or CAP_SYS_ADMIN";
  return nullptr;
}

// Values come from the command line and may hold any byte: the message
// stays one printable line (\n, \t, \\ and \xHH escapes).
void add_escaped(TextBuf& out, const char* s) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (const unsigned char* p = reinterpret_cast<const unsigned char*>(s); *p != '\0'; ++p) {
    unsigned char c = *p;
    if (c == '\n') out.add("\\n");
    else if (c == '\t') out.add("\\t");
    else if (c == '\\') out.add("\\\\");
    else if (c < 0x20 || c == 0x7f) out.add("\\x").add(kHex[c >> 4]).add(kHex[c & 15]);
    else out.add(static_cast<char>(c));
  }
}

}  // namespace

bool fail(Failure& f, std::string_view step, std::string_view what, std::string_view value, int err) {
  copy_into(f.step, sizeof f.step, step);
  copy_into(f.what, sizeof f.what, what);
  copy_into(f.value, sizeof f.value, value);
  f.reason[0] = '\0';
  f.err = err;
  return false;
}

bool fail_reason(Failure& f, std::string_view step, std::string_view what, std::string_view value,
                 std::string_view reason) {
  fail(f, step, what, value, 0);
  copy_into(f.reason, sizeof f.reason, reason);
  return false;
}

void format_failure(const Failure& f, TextBuf& line) {
  line.add("stockade: ").add(f.step).add(": ");
  add_escaped(line, f.what);
  if (f.what[0] != '\0' && f.value[0] != '\0') line.add(' ');
  add_escaped(line, f.value);
  line.add(": ").add(f.err != 0 ? strerror(f.err) : f.reason);
  if (const char* hint = hint_for(f)) line.add("; hint: ").add(hint);
  line.add('\n');
}

void print_failure(const Failure& f) {
  Text<2048> line;
  format_failure(f, line);
  write_all(2, line.view());
}

void print_note(std::string_view text) {
  Text<1024> line;
  line.add("stockade: ").add(text).add('\n');
  write_all(2, line.view());
}

}  // namespace stockade
