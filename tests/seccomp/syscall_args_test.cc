// SPDX-License-Identifier: Apache-2.0
// The argument table generated from the kernel's linux/syscalls.h
// (compiler/seccomp/gen_syscall_args.cmake): a few entries pinned to the
// kernel's prototypes, the documented overrides, the renames, and its size.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "syscall_args.h"
#include "syscalls.h"

using namespace stockade::seccomp;

namespace {

// "name:width,name:width" for compact comparisons; "<none>" when unknown.
std::string describe(std::string_view syscall) {
  const std::vector<ArgSpec>* args = syscall_args(syscall);
  if (!args) return "<none>";
  std::string out;
  for (const ArgSpec& a : *args) {
    if (!out.empty()) out += ',';
    out += a.name;
    out += ':';
    out += std::to_string(a.width);
  }
  return out;
}

}  // namespace

TEST_CASE("syscall_args: prototypes parsed from syscalls.h") {
  CHECK(describe("ioctl") == "fd:4,cmd:4,arg:8");
  CHECK(describe("openat") == "dfd:4,filename:8,flags:4,mode:4");  // umode_t is 4 bytes
  CHECK(describe("readv") == "fd:8,vec:8,vlen:8");                 // readv's fd is unsigned long
  CHECK(describe("lseek") == "fd:4,offset:8,whence:4");            // off_t
  CHECK(describe("execve") == "filename:8,argv:8,envp:8");         // char __user * __user *
  CHECK(describe("getpid").empty());                               // (void): known, no arguments
  REQUIRE(syscall_args("getpid") != nullptr);
}

TEST_CASE("syscall_args: unnamed prototypes get their SYSCALL_DEFINE names") {
  CHECK(describe("socket") == "family:4,type:4,protocol:4");
  CHECK(describe("sendto") == "fd:4,buff:8,len:8,flags:4,addr:8,addr_len:4");
  CHECK(describe("rt_sigaction") == "sig:4,act:8,oact:8,sigsetsize:8");
}

TEST_CASE("syscall_args: the SYSCALL_DEFINE names win where syscalls.h differs") {
  CHECK(describe("madvise") == "start:8,len_in:8,behavior:4");      // syscalls.h: len
  CHECK(describe("wait4") == "upid:4,stat_addr:8,options:4,ru:8");  // syscalls.h: pid
}

TEST_CASE("syscall_args: overrides for prototypes syscalls.h does not carry") {
  // x86-64 and arm64 use the default (not CLONE_BACKWARDS) argument order.
  CHECK(describe("clone") == "clone_flags:8,newsp:8,parent_tidptr:8,child_tidptr:8,tls:8");
  CHECK(describe("mmap") == "addr:8,len:8,prot:8,flags:8,fd:8,off:8");
  CHECK(describe("arch_prctl") == "option:4,arg2:8");
}

TEST_CASE("syscall_args: kernel-internal names are keyed by the table's names") {
  CHECK(describe("fstat") == "fd:4,statbuf:8");                        // sys_newfstat
  CHECK(describe("uname") == "name:8");                                // sys_newuname
  CHECK(describe("umount2") == "name:8,flags:4");                      // sys_umount
  CHECK(describe("sendfile") == "out_fd:4,in_fd:4,offset:8,count:8");  // sys_sendfile64
  CHECK(syscall_args("newfstat") == nullptr);
  CHECK(syscall_args("mmap_pgoff") == nullptr);  // not in any syscall table
  // ARCH_SPLIT_ARG64 (32-bit arches only) is off: the mask is one u64.
  CHECK(describe("fanotify_mark") == "fanotify_fd:4,flags:4,mask:8,fd:4,pathname:8");
}

TEST_CASE("syscall_args: the table covers most of the x86-64 syscalls") {
  CHECK(syscall_args_count() > 300);
  const AbiInfo& x86 = abi_info(Abi::X86_64);
  size_t covered = 0;
  for (size_t i = 0; i < x86.count; ++i)
    if (syscall_args(x86.table[i].name)) ++covered;
  MESSAGE("x86-64 syscalls with argument names: " << covered << " of " << x86.count);
  CHECK(covered * 10 >= x86.count * 9);
  // Every width is 4 or 8 and every name is non-empty.
  for (size_t i = 0; i < x86.count; ++i)
    if (const std::vector<ArgSpec>* args = syscall_args(x86.table[i].name))
      for (const ArgSpec& a : *args) {
        CHECK((a.width == 4 || a.width == 8));
        CHECK(std::string(a.name).size() > 0);
      }
}

TEST_CASE("syscall_args: Kafel's names are listed for real syscalls, none shadowing the kernel's") {
  // 65 entries, and the 11 names of the four removed syscalls Kafel's table
  // names (create_module, get_kernel_syms, nfsservctl, query_module).
  CHECK(kafel_arg_names_count() == 76);
  CHECK(kafel_arg_names("query_module").size() == 5);
  CHECK(kafel_arg_names("nfsservctl").size() == 3);
  size_t aliases = 0;
  for (const char* name : {"arch_prctl", "setns", "getcpu", "mq_timedreceive", "modify_ldt", "pkey_alloc"}) {
    std::vector<KafelArgName> k = kafel_arg_names(name);
    REQUIRE_FALSE(k.empty());
    for (const KafelArgName& a : k) {
      CHECK(a.index < 6);
      CHECK((a.width == 4 || a.width == 8));
      // A Kafel name is either the kernel's name at that position (a width
      // override) or a name the kernel's list does not use at all.
      if (const std::vector<ArgSpec>* kernel = syscall_args(name)) {
        bool same_place = a.index < kernel->size() && std::string((*kernel)[a.index].name) == a.name;
        if (!same_place) {
          ++aliases;
          for (const ArgSpec& s : *kernel) CHECK(std::string(s.name) != a.name);
        }
      }
    }
  }
  CHECK(aliases > 0);
  CHECK(kafel_arg_names("setns")[0].width == 4);
  CHECK(kafel_arg_names("read").empty());
}
