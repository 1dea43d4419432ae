# SPDX-License-Identifier: Apache-2.0
# Turns the kernel's include/linux/syscalls.h (Debian: linux-headers-<ver>-common)
# into the argument-name table of syscall_args.cc, at build time, so no
# argument name or width is typed by hand (except the overrides below).
#
#   cmake -DHEADER=<syscalls.h> -DTABLES=<a.inc,b.inc,...> -DOUTPUT=<file.inc> -P gen_syscall_args.cmake
#
# Reads every `asmlinkage long sys_NAME(TYPE NAME, ...);` prototype (these
# mostly carry the SYSCALL_DEFINE argument names, which Kafel uses). Width 4
# for 32-bit C types (the kernel ignores the high half), 8 for long-sized types
# and pointers; an unknown type stops the build so a new one gets a deliberate
# width. names_<syscall> below replaces the names (keeping the widths) where a
# prototype has none or differs from the definition; without names, no entry.
# Only names present in one of the generated syscall tables (TABLES) are
# written, sorted: deterministic output.
cmake_minimum_required(VERSION 3.25)
if(NOT HEADER OR NOT TABLES OR NOT OUTPUT)
  message(FATAL_ERROR "usage: cmake -DHEADER=... -DTABLES=... -DOUTPUT=... -P gen_syscall_args.cmake")
endif()

# Conditionals that are off on both x86-64 and arm64: the branch under them is
# dropped and its #else kept. Every other conditional keeps all its text (none
# of them selects between two prototypes of one syscall; a duplicate left over
# is an error below).
set(off_macros CONFIG_CLONE_BACKWARDS CONFIG_CLONE_BACKWARDS3 CONFIG_ARCH_SPLIT_ARG64
  CONFIG_OLD_SIGSUSPEND CONFIG_OLD_SIGSUSPEND3)

# Kernel-internal names -> syscall-table names (the same as syscalls.cc's
# aliases, in the other direction).
set(rename_newfstat fstat)
set(rename_newstat stat)
set(rename_newlstat lstat)
set(rename_newuname uname)
set(rename_umount umount2)  # sys_umount(name, flags) is umount2's entry point
set(rename_sendfile64 sendfile)

# Overrides: syscalls whose x86-64 prototype syscalls.h does not carry.
#  mmap: defined in arch code (arch/x86/kernel/sys_x86_64.c, arch/arm64/kernel/sys.c),
#        six unsigned longs; syscalls.h has only mmap_pgoff/old_mmap.
#  clone: syscalls.h declares it without parameter names; x86-64 and arm64 set
#        neither CONFIG_CLONE_BACKWARDS nor ..._BACKWARDS3, so kernel/fork.c's
#        default order applies: (clone_flags, newsp, parent_tidptr, child_tidptr, tls).
#  arch_prctl: x86-only, defined in arch/x86/kernel/process_64.c (int option, unsigned long arg2).
set(override_names mmap clone arch_prctl)
set(override_mmap "{\"addr\", 8}, {\"len\", 8}, {\"prot\", 8}, {\"flags\", 8}, {\"fd\", 8}, {\"off\", 8}")
set(override_clone "{\"clone_flags\", 8}, {\"newsp\", 8}, {\"parent_tidptr\", 8}, {\"child_tidptr\", 8}, {\"tls\", 8}")
set(override_arch_prctl "{\"option\", 4}, {\"arg2\", 8}")

# Names for prototypes that syscalls.h declares without parameter names (the
# widths still come from its types). Names from the SYSCALL_DEFINE lines in
# net/socket.c, kernel/signal.c, fs/select.c and fs/aio.c.
set(names_socket family type protocol)
set(names_socketpair family type protocol usockvec)
set(names_bind fd umyaddr addrlen)
set(names_listen fd backlog)
set(names_accept fd upeer_sockaddr upeer_addrlen)
set(names_accept4 fd upeer_sockaddr upeer_addrlen flags)
set(names_connect fd uservaddr addrlen)
set(names_getsockname fd usockaddr usockaddr_len)
set(names_getpeername fd usockaddr usockaddr_len)
set(names_sendto fd buff len flags addr addr_len)
set(names_recvfrom fd ubuf size flags addr addr_len)
set(names_shutdown fd how)
set(names_rt_sigaction sig act oact sigsetsize)
set(names_pselect6 n inp outp exp tsp sig)
set(names_ppoll ufds nfds tsp sigmask sigsetsize)
set(names_io_submit ctx_id nr iocbpp)
# Prototypes whose names in syscalls.h differ from the SYSCALL_DEFINE in the
# kernel source, which is what Kafel (and so nsjail policies) use: the
# definition's names win (e.g. mm/madvise.c names madvise's length `len_in`,
# syscalls.h `len`). Found by comparing with the earlier hand-typed table;
# syscalls outside it that differ the same way are not known.
set(names_statx dfd filename flags mask buffer)
set(names_madvise start len_in behavior)
set(names_rt_sigprocmask how nset oset sigsetsize)
set(names_execveat fd filename argv envp flags)
set(names_wait4 upid stat_addr options ru)
set(names_setns fd flags)
set(names_poll ufds nfds timeout_msecs)
set(names_memfd_create uname flags)
set(names_bpf cmd uattr size)
set(names_io_uring_setup entries params)
set(names_keyctl option arg2 arg3 arg4 arg5)
set(names_add_key _type _description _payload plen ringid)
set(names_move_mount from_dfd from_pathname to_dfd to_pathname flags)
set(names_fsopen _fs_name flags)
set(names_fsmount fs_fd flags attr_flags)
set(names_fsconfig fd cmd _key _value aux)
set(names_open_tree dfd filename flags)

set(types4 "int" "unsigned int" "unsigned" "u32" "__u32" "s32" "__s32" "uint32_t" "pid_t" "uid_t"
  "gid_t" "old_uid_t" "old_gid_t" "umode_t" "clockid_t" "timer_t" "mqd_t" "key_t" "qid_t"
  "key_serial_t" "rwf_t" "enum landlock_rule_type")
set(types8 "long" "unsigned long" "size_t" "ssize_t" "loff_t" "off_t" "u64" "__u64" "aio_context_t"
  "old_sigset_t" "cap_user_header_t" "cap_user_data_t" "__sighandler_t")
set(type_words int long unsigned short char)

# Names the syscall tables know.
string(REPLACE "," ";" TABLES "${TABLES}")
foreach(table IN LISTS TABLES)
  file(READ "${table}" t)
  string(REGEX MATCHALL "{\"[a-z0-9_]+\"," found "${t}")
  foreach(f IN LISTS found)
    string(REGEX REPLACE "^{\"([a-z0-9_]+)\",$" "\\1" f "${f}")
    set("known_${f}" 1)
  endforeach()
endforeach()

file(READ "${HEADER}" text)
# Characters that mean something to CMake lists go first; prototypes do not need them.
string(REPLACE ";" " " text "${text}")
string(REPLACE "[" " " text "${text}")
string(REPLACE "]" " " text "${text}")
string(REPLACE "\\\n" " " text "${text}")
string(REGEX REPLACE "/\\*([^*]|\\*+[^*/])*\\*+/" " " text "${text}")
string(REPLACE "\n" ";" lines "${text}")

# Conditional blocks: a stack of flags, 1 where the current branch is dropped.
set(stack "")
set(drop 0)
set(kept "")
foreach(line IN LISTS lines)
  if(line MATCHES "^[ \t]*#[ \t]*(ifdef|if|ifndef|elif|else|endif)([ \t]+(.*))?$")
    set(kw "${CMAKE_MATCH_1}")
    string(STRIP "${CMAKE_MATCH_3}" cond)
    if(kw MATCHES "^if")
      set(flag 0)
      if(kw STREQUAL "ifdef" AND cond IN_LIST off_macros)
        set(flag 1)
      elseif(kw STREQUAL "if" AND cond MATCHES "^defined\\(([A-Z0-9_]+)\\)$" AND CMAKE_MATCH_1 IN_LIST off_macros)
        set(flag 1)
      endif()
      list(APPEND stack ${flag})
    elseif(kw STREQUAL "else" OR kw STREQUAL "elif")
      # The #else of an off macro is taken; other conditionals keep both.
      list(POP_BACK stack flag)
      list(APPEND stack 0)
    elseif(kw STREQUAL "endif")
      list(POP_BACK stack)
    endif()
    set(drop 0)
    if("1" IN_LIST stack)
      set(drop 1)
    endif()
    continue()
  endif()
  if(NOT drop)
    string(APPEND kept " ${line}")
  endif()
endforeach()
string(REGEX REPLACE "[ \t]+" " " kept "${kept}")

string(REGEX MATCHALL "asmlinkage long sys_[a-z0-9_]+ ?\\([^)]*\\)" protos "${kept}")
set(emitted "")
foreach(proto IN LISTS protos)
  string(REGEX MATCH "^asmlinkage long sys_([a-z0-9_]+) ?\\(([^)]*)\\)$" _ "${proto}")
  set(kname "${CMAKE_MATCH_1}")
  string(STRIP "${CMAKE_MATCH_2}" params)
  set(name "${kname}")
  set(renamed 0)
  if(DEFINED "rename_${kname}")
    set(name "${rename_${kname}}")
    set(renamed 1)
  endif()
  if(name IN_LIST override_names OR NOT DEFINED "known_${name}")
    continue()
  endif()
  # A renamed prototype (sys_sendfile64) is the 64-bit ABIs' entry point and
  # wins over the compat one of the same table name (sys_sendfile).
  if(DEFINED "renamed_${name}")
    if(renamed EQUAL renamed_${name})
      message(FATAL_ERROR "gen_syscall_args: sys_${kname} is declared twice in ${HEADER}; "
        "decide which variant x86-64 and arm64 use (off_macros)")
    elseif(NOT renamed)
      continue()
    endif()
  endif()
  set(args "")
  set(given "${names_${name}}")
  if(NOT params STREQUAL "void")
    string(REPLACE "," ";" plist "${params}")
    set(i 0)
    foreach(p IN LISTS plist)
      string(REGEX REPLACE "(^| )(const|volatile|__user|struct)( |$)" " " p " ${p} ")
      string(REGEX REPLACE "(^| )(const|volatile|__user|struct)( |$)" " " p "${p}")
      string(REGEX REPLACE " +" " " p "${p}")
      string(REPLACE " *" "*" p "${p}")
      string(STRIP "${p}" p)
      # "TYPE NAME", or a bare TYPE when the prototype leaves names out.
      set(type "${p}")
      set(arg "")
      if(p MATCHES "^(.*[^A-Za-z0-9_])([A-Za-z_][A-Za-z0-9_]*)$"
         AND NOT CMAKE_MATCH_2 IN_LIST type_words AND NOT CMAKE_MATCH_2 IN_LIST types4
         AND NOT CMAKE_MATCH_2 IN_LIST types8)
        set(arg "${CMAKE_MATCH_2}")
        string(STRIP "${CMAKE_MATCH_1}" type)
      endif()
      if(given)
        list(LENGTH given n)
        if(NOT i LESS n)
          message(FATAL_ERROR "gen_syscall_args: names_${name} lists fewer names than sys_${kname} has arguments")
        endif()
        list(GET given ${i} arg)
      elseif(arg STREQUAL "")
        set(args "unnamed")
        break()
      endif()
      if(type MATCHES "\\*$")
        set(width 8)
      elseif(type IN_LIST types4)
        set(width 4)
      elseif(type IN_LIST types8)
        set(width 8)
      else()
        message(FATAL_ERROR "gen_syscall_args: sys_${kname}: no width for type `${type}' "
          "(add it to types4 or types8 in gen_syscall_args.cmake)")
      endif()
      list(APPEND args "{\"${arg}\", ${width}}")
      math(EXPR i "${i} + 1")
    endforeach()
  endif()
  list(LENGTH given ngiven)
  list(LENGTH args nargs)
  if(given AND NOT ngiven EQUAL nargs)
    message(FATAL_ERROR "gen_syscall_args: names_${name} lists ${ngiven} names, sys_${kname} has ${nargs} arguments")
  endif()
  if(args STREQUAL "unnamed")
    continue()  # no names known (compat-only syscalls such as sigaction)
  endif()
  list(JOIN args ", " args)
  if(NOT DEFINED "renamed_${name}")
    list(APPEND emitted "${name}")
  endif()
  set("renamed_${name}" ${renamed})
  set("entry_${name}" "{\"${name}\", {${args}}},")
endforeach()
set(entries "")
foreach(name IN LISTS emitted)
  list(APPEND entries "${entry_${name}}")
endforeach()
foreach(name IN LISTS override_names)
  list(APPEND entries "{\"${name}\", {${override_${name}}}},")
endforeach()
list(SORT entries)
list(JOIN entries "\n" body)
set(out "// generated by compiler/seccomp/gen_syscall_args.cmake from linux/syscalls.h — do not edit\n${body}\n")
file(WRITE "${OUTPUT}" "${out}")
