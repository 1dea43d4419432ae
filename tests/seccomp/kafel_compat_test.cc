// SPDX-License-Identifier: Apache-2.0
// Kafel compatibility table: policy text, a syscall with arguments, and the
// decision Kafel's documented semantics give (google/kafel README: actions,
// numbers, constants, USE, first match wins, no DEFAULT = KILL, argument
// names, comparisons, masks, comma as lowest-precedence or). Where Stockade
// deliberately differs (foreign ABIs) the case says so. Cases are our own, run on the interpreter.
#include <doctest/doctest.h>

#include "expect.h"
#include "interpreter.h"
#include "support.h"

using namespace stockade::seccomp;

namespace {

struct Group {
  const char* what;
  const char* policy;
  std::vector<const char*> cases;  // `expect` syntax: "call -> ACTION"
};

const std::vector<Group>& table() {
  static const std::vector<Group> groups = {
      {"nsjail-style policy, DEFAULT KILL",
       "POLICY a { ALLOW { write, execve, brk, newfstat, close, read, exit_group } } USE a DEFAULT KILL",
       {"write -> ALLOW", "read -> ALLOW", "fstat -> ALLOW", "exit_group -> ALLOW", "open -> KILL", "ptrace -> KILL",
        "getpid -> KILL", "SYSCALL[5] -> ALLOW"}},
      {"no DEFAULT means KILL",
       "ALLOW { read }",
       {"read -> ALLOW", "write -> KILL", "getpid -> KILL", "SYSCALL[0] -> ALLOW", "SYSCALL[400] -> KILL"}},
      {"every action",
       "ALLOW { read } LOG { write } KILL { open } KILL_THREAD { close } DENY { stat }\n"
       "KILL_PROCESS { fstat } USER_NOTIF { lstat } ERRNO(5) { poll } TRAP(6) { lseek } TRACE(7) { mmap }\n"
       "DEFAULT ERRNO(99)",
       {"read -> ALLOW", "write -> LOG", "open -> KILL", "close -> KILL_THREAD", "stat -> DENY",
        "fstat -> KILL_PROCESS", "lstat -> USER_NOTIF", "poll -> ERRNO(5)", "lseek -> TRAP(6)", "mmap -> TRACE(7)",
        "mprotect -> ERRNO(99)", "close -> KILL", "stat -> KILL_THREAD"}},
      {"action data at the limits",
       "ERRNO(0) { read } ERRNO(65535) { write } TRAP(0) { open } TRACE(65535) { close }",
       {"read -> ERRNO(0)", "write -> ERRNO(65535)", "open -> TRAP(0)", "close -> TRACE(65535)", "stat -> KILL"}},
      {"first matching rule wins, in text order",
       "ERRNO(1) { read } ALLOW { read, write } ERRNO(2) { write } DEFAULT ALLOW",
       {"read -> ERRNO(1)", "write -> ALLOW", "open -> ALLOW"}},
      {"USE pastes in place",
       "POLICY a { ERRNO(1) { read } }\nPOLICY b { ALLOW { read, write } }\n"
       "POLICY c { USE a, USE b, ERRNO(3) { write, open } }\nUSE c DEFAULT ERRNO(4)",
       {"read -> ERRNO(1)", "write -> ALLOW", "open -> ERRNO(3)", "close -> ERRNO(4)"}},
      {"USE order decides",
       "POLICY a { ERRNO(1) { read } }\nPOLICY b { ALLOW { read, write } }\nPOLICY c { USE b, USE a }\n"
       "USE c DEFAULT KILL",
       {"read -> ALLOW", "write -> ALLOW", "open -> KILL"}},
      {"nested USE and top-level blocks after it",
       "POLICY inner { ERRNO(11) { getpid } }\nPOLICY mid { USE inner, ALLOW { getppid } }\n"
       "USE mid\nERRNO(12) { getpid, getuid }\nDEFAULT ALLOW",
       {"getpid -> ERRNO(11)", "getppid -> ALLOW", "getuid -> ERRNO(12)", "getgid -> ALLOW"}},
      {"empty policies and blocks",
       "POLICY e { }\nPOLICY f { ALLOW { } }\nUSE e, USE f DEFAULT ERRNO(3)",
       {"read -> ERRNO(3)", "write -> ERRNO(3)", "ptrace -> ERRNO(3)"}},
      {"numbers: decimal, hex, octal, binary",
       "ERRNO(10) { SYSCALL[10] } ERRNO(0xb) { SYSCALL[0xb] } ERRNO(014) { SYSCALL[014] } "
       "ERRNO(0b1101) { SYSCALL[0b1101] } DEFAULT ALLOW",
       {"mprotect -> ERRNO(10)", "munmap -> ERRNO(11)", "brk -> ERRNO(12)", "rt_sigaction -> ERRNO(13)",
        "SYSCALL[14] -> ALLOW", "SYSCALL[0] -> ALLOW"}},
      {"constants",
       "#define MYERR 42\n#define RD 0\nERRNO(MYERR) { SYSCALL[RD] } DEFAULT ALLOW",
       {"read -> ERRNO(42)", "write -> ALLOW", "SYSCALL[0] -> ERRNO(42)"}},
      {"a constant as a custom syscall",
       "#define mysyscall 333\nALLOW { mysyscall } DEFAULT ERRNO(1)",
       {"SYSCALL[333] -> ALLOW", "SYSCALL[334] -> ERRNO(1)", "read -> ERRNO(1)"}},
      {"SYSCALL[n] with declared arguments",
       "ERRNO(1) { SYSCALL[400](a, b) { b == 9 } } DEFAULT ALLOW",
       {"SYSCALL[400](0, 9) -> ERRNO(1)", "SYSCALL[400](9, 0) -> ALLOW", "SYSCALL[400](0, 9 | 1 << 32) -> ALLOW"}},
      {"kernel names and aliases",
       "ERRNO(1) { newstat, newlstat, newuname, umount } DEFAULT ALLOW",
       {"stat -> ERRNO(1)", "lstat -> ERRNO(1)", "uname -> ERRNO(1)", "umount2 -> ERRNO(1)", "fstat -> ALLOW"}},
      {"comments",
       "// line\n/* block\n ALLOW { ptrace } */ ERRNO(1) { ptrace } // tail\nDEFAULT ALLOW",
       {"ptrace -> ERRNO(1)", "read -> ALLOW"}},
      {"builtin argument names",
       "ALLOW { write { fd == 1 } } DEFAULT KILL",
       {"write(1) -> ALLOW", "write(2) -> KILL", "write(1, 100, 100) -> ALLOW", "write(0) -> KILL", "read(1) -> KILL"}},
      {"declared argument names",
       "ALLOW { write(myfd, mybuf, mycount) { myfd == 1 && mycount < 10 } } DEFAULT KILL",
       {"write(1, 0, 9) -> ALLOW", "write(1, 0, 10) -> KILL", "write(2, 0, 1) -> KILL", "write(1, 999, 0) -> ALLOW"}},
      {"== and !=",
       "ERRNO(1) { read { fd == 3 } } ERRNO(2) { write { fd != 3 } } DEFAULT ALLOW",
       {"read(3) -> ERRNO(1)", "read(4) -> ALLOW", "write(3) -> ALLOW", "write(4) -> ERRNO(2)",
        "write(0) -> ERRNO(2)"}},
      {"< <= > >= are unsigned",
       "ERRNO(1) { mmap { len < 100 } } ERRNO(2) { munmap { len <= 100 } }\n"
       "ERRNO(3) { mprotect { len > 100 } } ERRNO(4) { madvise { len_in >= 100 } } DEFAULT ALLOW",
       {"mmap(0, 99) -> ERRNO(1)", "mmap(0, 100) -> ALLOW", "mmap(0, -1) -> ALLOW", "munmap(0, 100) -> ERRNO(2)",
        "munmap(0, 101) -> ALLOW", "mprotect(0, 101) -> ERRNO(3)", "mprotect(0, 100) -> ALLOW",
        "mprotect(0, -1) -> ERRNO(3)", "madvise(0, 100) -> ERRNO(4)", "madvise(0, 99) -> ALLOW"}},
      {"constant on the left",
       "ERRNO(1) { mmap { 100 > len } } ERRNO(2) { munmap { 5 == len } } DEFAULT ALLOW",
       {"mmap(0, 99) -> ERRNO(1)", "mmap(0, 100) -> ALLOW", "munmap(0, 5) -> ERRNO(2)", "munmap(0, 6) -> ALLOW"}},
      {"argument against argument",
       "ERRNO(1) { mremap { old_len == new_len } } ERRNO(2) { mmap { addr > len } } DEFAULT ALLOW",
       {"mremap(0, 7, 7) -> ERRNO(1)", "mremap(0, 7, 8) -> ALLOW", "mremap(0, 1 << 33, 1 << 33) -> ERRNO(1)",
        "mmap(5, 4) -> ERRNO(2)", "mmap(4, 5) -> ALLOW", "mmap(1 << 32, 5) -> ERRNO(2)"}},
      {"masks with &",
       "#define PROT_EXEC 4\nERRNO(1) { mprotect { (prot & PROT_EXEC) != 0 } } DEFAULT ALLOW",
       {"mprotect(0, 0, 4) -> ERRNO(1)", "mprotect(0, 0, 7) -> ERRNO(1)", "mprotect(0, 0, 3) -> ALLOW",
        "mprotect(0, 0, 0) -> ALLOW", "mprotect(0, 0, 1 << 32) -> ALLOW"}},
      {"flags combined with |",
       "#define O_RDONLY 0\n#define O_CLOEXEC 0x80000\nALLOW { open { flags == O_RDONLY|O_CLOEXEC } } DEFAULT "
       "ERRNO(13)",
       {"open(0, 0x80000) -> ALLOW", "open(0, 0) -> ERRNO(13)", "open(0, 0x80001) -> ERRNO(13)"}},
      {"mask with a combined constant",
       "#define A 1\n#define B 2\nERRNO(1) { mmap { (flags & (A|B)) == A|B } } DEFAULT ALLOW",
       {"mmap(0, 0, 0, 3) -> ERRNO(1)", "mmap(0, 0, 0, 7) -> ERRNO(1)", "mmap(0, 0, 0, 1) -> ALLOW",
        "mmap(0, 0, 0, 2) -> ALLOW"}},
      {"&& binds tighter than ||",
       "ERRNO(1) { read { fd == 1 || fd == 2 && count == 3 } } DEFAULT ALLOW",
       {"read(1) -> ERRNO(1)", "read(1, 0, 9) -> ERRNO(1)", "read(2, 0, 3) -> ERRNO(1)", "read(2, 0, 4) -> ALLOW",
        "read(3, 0, 3) -> ALLOW"}},
      {"comma is the lowest-precedence or",
       "ERRNO(1) { read { fd == 1 && count == 2, fd == 3 } } DEFAULT ALLOW",
       {"read(1, 0, 2) -> ERRNO(1)", "read(1, 0, 3) -> ALLOW", "read(3) -> ERRNO(1)", "read(3, 0, 99) -> ERRNO(1)",
        "read(2, 0, 2) -> ALLOW"}},
      {"comma vs || and parentheses",
       "ERRNO(1) { read { (fd == 1, fd == 2) && count == 5 } } DEFAULT ALLOW",
       {"read(1, 0, 5) -> ERRNO(1)", "read(2, 0, 5) -> ERRNO(1)", "read(1, 0, 4) -> ALLOW", "read(3, 0, 5) -> ALLOW"}},
      {"negation",
       "ERRNO(1) { read { !(fd == 1) } } ERRNO(2) { write { !(fd == 1 || fd == 2) } } DEFAULT ALLOW",
       {"read(1) -> ALLOW", "read(0) -> ERRNO(1)", "write(1) -> ALLOW", "write(2) -> ALLOW", "write(3) -> ERRNO(2)"}},
      {"double negation",
       "ERRNO(1) { read { !!(fd == 1) } } DEFAULT ALLOW",
       {"read(1) -> ERRNO(1)", "read(2) -> ALLOW"}},
      {"a failed condition falls through to later rules",
       "ERRNO(1) { read { fd == 1 } } ERRNO(2) { read { fd == 2 } } ERRNO(3) { read } DEFAULT ALLOW",
       {"read(1) -> ERRNO(1)", "read(2) -> ERRNO(2)", "read(3) -> ERRNO(3)", "write(1) -> ALLOW"}},
      {"conditions from several USEd policies chain",
       "POLICY a { ALLOW { ioctl { cmd == 1 } } }\nPOLICY b { ERRNO(5) { ioctl { cmd == 2 } } }\n"
       "USE a, USE b DEFAULT KILL_PROCESS",
       {"ioctl(0, 1) -> ALLOW", "ioctl(0, 2) -> ERRNO(5)", "ioctl(0, 3) -> KILL_PROCESS"}},
      {"32-bit argument: the high half is ignored (Kafel widths)",
       "#define TIOCSTI 0x5412\nKILL_PROCESS { ioctl { cmd == TIOCSTI } } DEFAULT ALLOW",
       {"ioctl(1, 0x5412) -> KILL_PROCESS", "ioctl(1, TIOCSTI | 1 << 32) -> KILL_PROCESS",
        "ioctl(1, 0xffffffff00005412) -> KILL_PROCESS", "ioctl(1, 0x5413) -> ALLOW", "ioctl(1, 0x15412) -> ALLOW"}},
      {"32-bit argument, ordered compare on the low half",
       "ERRNO(1) { kill { sig > 10 } } DEFAULT ALLOW",
       {"kill(0, 11) -> ERRNO(1)", "kill(0, 10) -> ALLOW", "kill(0, 10 | 1 << 40) -> ALLOW",
        "kill(0, -1) -> ERRNO(1)"}},
      {"32-bit argument with a constant over 32 bits compares 64 bits",
       "ERRNO(1) { ioctl { cmd == 0x100000001 } } DEFAULT ALLOW",
       {"ioctl(0, 0x100000001) -> ERRNO(1)", "ioctl(0, 1) -> ALLOW", "ioctl(0, 0x200000001) -> ALLOW"}},
      {"64-bit argument compares both halves",
       "ERRNO(1) { mmap { prot == 1 } } DEFAULT ALLOW",
       {"mmap(0, 0, 1) -> ERRNO(1)", "mmap(0, 0, 1 | 1 << 32) -> ALLOW", "mmap(0, 0, 0x100000000) -> ALLOW"}},
      {"-1 is all ones",
       "ERRNO(1) { mmap { fd == -1 } } ERRNO(2) { close { fd == -1 } } DEFAULT ALLOW",
       {"mmap(0, 0, 0, 0, -1) -> ERRNO(1)", "mmap(0, 0, 0, 0, 0xffffffff) -> ALLOW",
        // close's fd is int-sized but -1 does not fit 32 bits: all 64 are compared.
        "close(-1) -> ERRNO(2)", "close(0xffffffff) -> ALLOW"}},
      {"top-level blocks without POLICY",
       "ALLOW { read } ERRNO(1) { write } DEFAULT KILL_PROCESS",
       {"read -> ALLOW", "write -> ERRNO(1)", "open -> KILL_PROCESS"}},
      {"DEFAULT before the rules", "DEFAULT ERRNO(7) ALLOW { getpid }", {"getpid -> ALLOW", "getppid -> ERRNO(7)"}},
      {"Stockade: x32 syscalls are killed even under DEFAULT ALLOW (Kafel lets them through, google/kafel#19)",
       "ERRNO(1) { ptrace } DEFAULT ALLOW",
       {"ptrace -> ERRNO(1)", "x32 ptrace -> KILL_PROCESS", "x32 read -> KILL_PROCESS",
        "SYSCALL[0x40000065] -> KILL_PROCESS", "SYSCALL[0xffffffff] -> KILL_PROCESS"}},
      {"Stockade: i386 syscalls are killed unless opted in",
       "DEFAULT ALLOW",
       {"i386 getpid -> KILL_PROCESS", "i386 ptrace -> KILL_PROCESS", "getpid -> ALLOW"}},
      {"Stockade: ABI x32 opts x32 in, with the same rules by name",
       "ABI x32\nERRNO(1) { ptrace, read } DEFAULT ALLOW",
       {"x32 ptrace -> ERRNO(1)", "x32 read -> ERRNO(1)", "x32 write -> ALLOW", "i386 read -> KILL_PROCESS",
        "ptrace -> ERRNO(1)"}},
      {"Stockade: ABI i386 opts i386 in, with the same rules by name",
       "ABI i386\nERRNO(1) { ptrace } ALLOW { socketcall } DEFAULT ERRNO(2)",
       {"i386 ptrace -> ERRNO(1)", "i386 socketcall -> ALLOW", "i386 getpid -> ERRNO(2)", "x32 ptrace -> KILL_PROCESS",
        "ptrace -> ERRNO(1)"}},
      {"Stockade: an ABI opt-in keeps argument checks",
       "ABI i386\nABI x32\nERRNO(1) { write { fd == 2 } } DEFAULT ALLOW",
       {"i386 write(2) -> ERRNO(1)", "i386 write(1) -> ALLOW", "x32 write(2) -> ERRNO(1)", "x32 write(1) -> ALLOW"}},
      {"masks on a 32-bit argument",
       "#define SOCK_RAW 3\nERRNO(1) { socket { (type & 0xf) == SOCK_RAW } } DEFAULT ALLOW",
       {"socket(2, 3) -> ERRNO(1)", "socket(2, 0x80003) -> ERRNO(1)", "socket(2, 3 | 1 << 32) -> ERRNO(1)",
        "socket(2, 1) -> ALLOW", "socket(2, 0x13) -> ERRNO(1)", "socket(2, 2) -> ALLOW"}},
      {"masks on a 64-bit argument",
       "#define CLONE_NEWUSER 0x10000000\nERRNO(1) { clone { (clone_flags & CLONE_NEWUSER) != 0 } } DEFAULT ALLOW",
       {"clone(0x10000000) -> ERRNO(1)", "clone(0x10000011) -> ERRNO(1)", "clone(0x11) -> ALLOW",
        "clone(1 << 60) -> ALLOW", "clone(0x10000000 | 1 << 60) -> ERRNO(1)"}},
      {"action data from constants",
       "#define E 13\n#define T 4\nERRNO(E) { read } TRAP(T) { write } TRACE(E) { open } DEFAULT ALLOW",
       {"read -> ERRNO(13)", "write -> TRAP(4)", "open -> TRACE(13)", "close -> ALLOW"}},
      {"one filter list, conditions on some",
       "ALLOW { read, write { fd == 1 }, close } DEFAULT ERRNO(9)",
       {"read(5) -> ALLOW", "write(1) -> ALLOW", "write(5) -> ERRNO(9)", "close(5) -> ALLOW", "open -> ERRNO(9)"}},
      {"the same syscall in one list twice",
       "ERRNO(1) { write { fd == 1 }, write { fd == 2 } } DEFAULT ALLOW",
       {"write(1) -> ERRNO(1)", "write(2) -> ERRNO(1)", "write(3) -> ALLOW"}},
      // Issue 11: constructs Kafel accepts that Stockade used to refuse.
      {"| with an argument (Kafel's test suite): 64-bit count",
       "ERRNO(1) { read { count | 8 == 8 } } DEFAULT ALLOW",
       {"read(0, 0, 0) -> ERRNO(1)", "read(0, 0, 8) -> ERRNO(1)", "read(0, 0, 9) -> ALLOW",
        "read(0, 0, 1 << 32) -> ALLOW", "read(0, 0, 8 | 1 << 32) -> ALLOW"}},
      {"& between two arguments: count is 64-bit, so all 64 bits compare",
       "ERRNO(1) { write { (fd & count) == 1 } } DEFAULT ALLOW",
       {"write(1, 0, 1) -> ERRNO(1)", "write(3, 0, 5) -> ERRNO(1)", "write(2, 0, 1) -> ALLOW",
        "write(1 | 1 << 32, 0, 1) -> ERRNO(1)", "write(1 | 1 << 32, 0, 1 | 1 << 32) -> ALLOW",
        "write(0, 0, 0) -> ALLOW"}},
      {"| and & over int-sized arguments compare the low 32 bits",
       "ERRNO(1) { kill { (pid | sig) == 3 } } ERRNO(2) { tkill { (pid & sig) != 0 } } DEFAULT ALLOW",
       {"kill(1, 2) -> ERRNO(1)", "kill(3, 0) -> ERRNO(1)", "kill(1 | 1 << 32, 2) -> ERRNO(1)", "kill(4, 0) -> ALLOW",
        "tkill(1, 1) -> ERRNO(2)", "tkill(1, 2) -> ALLOW", "tkill(1 << 32, 1 << 32) -> ALLOW"}},
      {"a constant over 32 bits in the expression makes it 64-bit",
       "ERRNO(1) { kill { (pid | 0x100000000) == 0x100000001 } } DEFAULT ALLOW",
       {"kill(1) -> ERRNO(1)", "kill(1 | 1 << 32) -> ERRNO(1)", "kill(2) -> ALLOW", "kill(1 | 1 << 33) -> ALLOW"}},
      {"masks combined with | and &, arguments on both sides",
       "#define M 0xff\nERRNO(1) { mmap { (prot | flags) & M == (fd & M) } } DEFAULT ALLOW",
       {"mmap(0, 0, 1, 2, 3) -> ERRNO(1)", "mmap(0, 0, 1, 2, 4) -> ALLOW", "mmap(0, 0, 0x100, 0, 0) -> ERRNO(1)",
        "mmap(0, 0, 3, 0, 0x203) -> ERRNO(1)"}},
      {"nested trees need scratch words",
       "ERRNO(1) { mmap { ((addr | len) & (prot | flags)) == 5 } } DEFAULT ALLOW",
       {"mmap(5, 0, 7) -> ERRNO(1)", "mmap(1, 4, 0, 5) -> ERRNO(1)", "mmap(5, 0, 4) -> ALLOW", "mmap(0, 0, 5) -> ALLOW",
        "mmap(5 | 1 << 40, 0, 7 | 1 << 40) -> ALLOW", "mmap(5 | 1 << 40, 0, 7) -> ERRNO(1)"}},
      {"an argument against itself is decided at compile time",
       "ERRNO(1) { read { fd == fd } } ERRNO(2) { write { fd < fd } } DEFAULT ALLOW",
       {"read(5) -> ERRNO(1)", "write(5) -> ALLOW"}},
      {"x & 0 is the constant 0 (a rule that always matches hides the rest)",
       "ERRNO(1) { read { (fd & 0) != 7 } } ERRNO(2) { read } DEFAULT ALLOW",
       {"read(7) -> ERRNO(1)", "read(0) -> ERRNO(1)", "write -> ALLOW"}},
      {"a declared name compares 64 bits (Kafel's declared width)",
       "ERRNO(1) { write(f) { f == 1 } } DEFAULT ALLOW",
       {"write(1) -> ERRNO(1)", "write(0x100000001) -> ALLOW", "write(2) -> ALLOW"}},
      {"0-prefixed digits are octal up to the first 8 or 9, as Kafel reads them",
       "ERRNO(09) { SYSCALL[019] } ERRNO(0779) { SYSCALL[08] } DEFAULT ALLOW",
       {"write -> ERRNO(0)", "SYSCALL[1] -> ERRNO(0)", "read -> ERRNO(63)", "SYSCALL[19] -> ALLOW",
        "SYSCALL[8] -> ALLOW"}},
      {"ABI is no keyword: a policy and a constant may be called ABI",
       "#define ABI 5\nPOLICY ABI { ERRNO(ABI) { read } }\nUSE ABI DEFAULT ALLOW",
       {"read -> ERRNO(5)", "write -> ALLOW"}},
      {"Kafel's argument names beside the kernel's, at Kafel's widths",
       "#define CLONE_NEWNET 0x40000000\n#define ARCH_SET_FS 0x1002\n"
       "ERRNO(1) { setns { nstype == CLONE_NEWNET }, arch_prctl { code == ARCH_SET_FS } }\n"
       "ERRNO(2) { setns { flags == 0 }, getresuid { ruidp == 0 }, modify_ldt { func == 1 } }\n"
       "ERRNO(3) { waitid { upid == 5 }, symlink { newname == 7 } } DEFAULT ALLOW",
       {"setns(0, 0x40000000) -> ERRNO(1)", "setns(0, 0x40000000 | 1 << 32) -> ERRNO(1)", "setns(0, 0) -> ERRNO(2)",
        "arch_prctl(0x1002) -> ERRNO(1)", "arch_prctl(0x1002 | 1 << 32) -> ERRNO(1)", "getresuid(0) -> ERRNO(2)",
        "modify_ldt(1) -> ERRNO(2)", "modify_ldt(1 | 1 << 32) -> ERRNO(2)", "waitid(0, 5) -> ERRNO(3)",
        "symlink(0, 7) -> ERRNO(3)", "symlink(7) -> ALLOW", "setns(0, 1) -> ALLOW"}},
      {"Kafel's names for removed syscalls (no prototype in linux/syscalls.h), at Kafel's widths",
       "ERRNO(1) { query_module { which == 2 }, nfsservctl { cmd == 3 } }\n"
       "ERRNO(2) { create_module { size == 0x200000000 }, get_kernel_syms { table == 0 } } DEFAULT ALLOW",
       {"query_module(0, 2) -> ERRNO(1)", "query_module(0, 2 | 1 << 32) -> ERRNO(1)", "query_module(0, 3) -> ALLOW",
        "nfsservctl(3 | 1 << 32) -> ERRNO(1)", "create_module(0, 1 << 33) -> ERRNO(2)", "create_module(0, 1) -> ALLOW",
        "get_kernel_syms(0) -> ERRNO(2)", "get_kernel_syms(1 << 32) -> ALLOW"}},
      {"pkey_alloc and set_mempolicy_home_node at Kafel's 32 bits",
       "ERRNO(1) { pkey_alloc { flags == 0 }, set_mempolicy_home_node { home_node == 1 } } DEFAULT ALLOW",
       {"pkey_alloc(0) -> ERRNO(1)", "pkey_alloc(1 << 32) -> ERRNO(1)", "pkey_alloc(1) -> ALLOW",
        "set_mempolicy_home_node(0, 0, 1 | 1 << 32) -> ERRNO(1)", "set_mempolicy_home_node(0, 0, 2) -> ALLOW"}},
      {"syscalls newer than the build machine's headers are nameable (committed tables)",
       "ERRNO(1) { mseal, fchmodat2, futex_wait, listmount, statmount, open_tree_attr, file_setattr } DEFAULT ALLOW",
       {"SYSCALL[462] -> ERRNO(1)", "SYSCALL[452] -> ERRNO(1)", "SYSCALL[455] -> ERRNO(1)", "SYSCALL[458] -> ERRNO(1)",
        "SYSCALL[457] -> ERRNO(1)", "SYSCALL[467] -> ERRNO(1)", "SYSCALL[469] -> ERRNO(1)", "SYSCALL[470] -> ALLOW",
        "x32 mseal -> KILL_PROCESS", "i386 open_tree_attr -> KILL_PROCESS"}},
      {"restating a constant with the same value is accepted (as by Kafel)",
       "#define EPERM 1\n#define EPERM 1\nERRNO(EPERM) { ptrace } DEFAULT ALLOW",
       {"ptrace -> ERRNO(1)"}},
  };
  return groups;
}

}  // namespace

TEST_CASE("Kafel compatibility table") {
  size_t cases = 0;
  for (const Group& g : table()) {
    test::Compiled c = test::compile_text(g.policy);
    REQUIRE_MESSAGE(c.ok, std::string(g.what), "\n", c.diagnostics);
    for (const char* line : g.cases) {
      stockade::diag::Sink sink;
      stockade::diag::Location where{"case", 1, 1, 1};
      std::optional<ExpectCase> e = parse_expect(line, where, c.constants, sink);
      std::string context = std::string(g.what) + ": `" + line + "'";
      REQUIRE_MESSAGE(e.has_value(), context);
      Action got = run(c.program, e->data).action;
      context += " got " + action_name(got);
      CHECK_MESSAGE(got == e->action, context);
      ++cases;
    }
  }
  MESSAGE(cases, " Kafel compatibility cases");
  CHECK(cases >= 200);
}
