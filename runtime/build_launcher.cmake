# SPDX-License-Identifier: Apache-2.0
# cmake -P script: compiles and links one static launcher in a single gcc
# call. -fno-pie: the binary is static and not position-independent anyway,
# and without PIE code the compiler puts the policy tables (constants full
# of pointers) in .rodata instead of a writable .data.rel.ro, which in a
# static binary nothing ever makes read-only. For the same reason
# -z norelro: the RELRO segment only made the linker pad the file up to a
# page boundary (up to 4 KiB) for a protection no loader applies.
# -z common-page-size=16: with one common page size equal to the maximum,
# ld started the small RW segment on a fresh page of the file (up to 4 KiB of
# padding, so the file grew in steps); now it starts in the page where the
# code ends, mapped at the next page in memory (R E and RW stay separate).
# -fno-inline-functions-called-once and -fno-jump-tables: ~800 bytes of the
# size budget (issue 10) for a call or a compare chain on set-up paths that
# run once per launch. --param max-inline-insns-size=1: at -Os gcc kept
# std::string_view's constructor from a literal out of line (its strlen
# folds only once inlined), so each of ~780 call sites spilled a view to the
# stack and reloaded it: 9.7 KB of the budget; with the limit the view is
# two immediates. -Oz (GCC 12+: -Os that also trades speed for size in
# what it inlines and how it moves constants): 1,632 bytes smaller than -Os,
# and no CPU per launch that 300 interleaved launches could tell apart
# (4.70 ms against 4.65 ms mean, the go policy, /bin/true): a launch is
# syscall-bound. Inputs (-D): CC SPECS KERNEL_HEADERS CXX_HEADERS CXX_ARCH_HEADERS
# RUNTIME_DIR GENERATED_DIR WARNINGS DEFINES VERSION OUT, and optionally OBJ_DIR and STOCKADEC.
# runtime/ and its subfolders seccomp/ and egress/ (runtime/README.md).
file(GLOB runtime_sources ${RUNTIME_DIR}/*.cc ${RUNTIME_DIR}/seccomp/*.cc ${RUNTIME_DIR}/egress/*.cc)
file(GLOB generated_sources ${GENERATED_DIR}/*.cc)
if(NOT generated_sources)
  message(FATAL_ERROR "no policy tables (*.cc) in ${GENERATED_DIR}")
endif()
list(SORT generated_sources)
separate_arguments(warning_flags UNIX_COMMAND "${WARNINGS}")
separate_arguments(defines UNIX_COMMAND "${DEFINES}")
list(TRANSFORM defines PREPEND -D OUTPUT_VARIABLE define_flags)

set(flags -std=c++20 -Oz -specs=${SPECS} -static -s -fno-pie -no-pie
    -fno-exceptions -fno-rtti -fno-asynchronous-unwind-tables -fno-threadsafe-statics
    -fno-inline-functions-called-once -fno-jump-tables --param max-inline-insns-size=1
    -ffunction-sections -fdata-sections -Wl,--gc-sections -Wl,-z,noseparate-code -Wl,-z,norelro -Wl,-z,common-page-size=16 -Wl,--build-id=none
    "-D__GLIBC_PREREQ(a,b)=0" "-DSTOCKADE_VERSION=\"${VERSION}\""
    ${warning_flags} ${define_flags}
    -isystem ${CXX_HEADERS} -isystem ${CXX_ARCH_HEADERS} -idirafter ${KERNEL_HEADERS}
    -I${RUNTIME_DIR})

# OBJ_DIR (optional): the runtime's objects are kept there and compiled
# again only when a runtime file or a flag changed (a hash of them all), so
# a policy edit recompiles its tables and links, not the whole runtime.
# Each translation unit is compiled on its own either way (one gcc call
# over many files does the same), so the launcher is the same.
set(runtime_inputs -x c++ ${runtime_sources})
if(OBJ_DIR)
  file(GLOB runtime_headers ${RUNTIME_DIR}/*.h ${RUNTIME_DIR}/*.inc ${RUNTIME_DIR}/seccomp/*.h ${RUNTIME_DIR}/egress/*.h)
  set(key "${CC};${flags}")
  foreach(f IN LISTS runtime_sources runtime_headers)
    file(SHA256 ${f} h)
    string(APPEND key ";${f}=${h}")
  endforeach()
  string(SHA256 key "${key}")
  set(objects)
  foreach(src IN LISTS runtime_sources)
    file(RELATIVE_PATH rel ${RUNTIME_DIR} ${src})
    string(REPLACE "/" "__" rel ${rel})
    list(APPEND objects ${OBJ_DIR}/${rel}.o)
  endforeach()
  set(old_key "")
  if(EXISTS ${OBJ_DIR}/key)
    file(READ ${OBJ_DIR}/key old_key)
  endif()
  if(NOT old_key STREQUAL key)
    file(REMOVE_RECURSE ${OBJ_DIR})
    file(MAKE_DIRECTORY ${OBJ_DIR})
    foreach(src obj IN ZIP_LISTS runtime_sources objects)
      execute_process(COMMAND ${CC} -x c++ ${flags} -c ${src} -o ${obj} RESULT_VARIABLE rc)
      if(NOT rc EQUAL 0)
        message(FATAL_ERROR "launcher build failed: ${src}")
      endif()
    endforeach()
    file(WRITE ${OBJ_DIR}/key "${key}")
  endif()
  set(runtime_inputs -x none ${objects})
endif()

# STOCKADEC (optional): the tables go into the launcher as one packed image
# (compiler/emit/pack_tables.h, runtime/unpack_tables.h): compiled as
# usual, linked alone at address 0 into one section with their relocations
# kept, then packed by `stockadec pack-tables`; the tables compress about
# 4:1, pointers and all (the size budget, issue 10). Without it they are
# linked in as they are.
set(table_inputs -x c++ ${generated_sources})
if(STOCKADEC)
  set(pack_dir ${OUT}.tables)
  file(REMOVE_RECURSE ${pack_dir})
  file(MAKE_DIRECTORY ${pack_dir})
  set(table_objects)
  foreach(src IN LISTS generated_sources)
    get_filename_component(name ${src} NAME_WE)
    execute_process(COMMAND ${CC} -x c++ ${flags} -c ${src} -o ${pack_dir}/${name}.o RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "launcher build failed: ${src}")
    endif()
    list(APPEND table_objects ${pack_dir}/${name}.o)
  endforeach()
  execute_process(
    COMMAND ${CC} -specs=${SPECS} -static -nostdlib -no-pie -Wl,-T,${RUNTIME_DIR}/tables.ld -Wl,--emit-relocs
      -Wl,-e,0 -Wl,--build-id=none ${table_objects} -o ${pack_dir}/tables.elf
    RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "launcher build failed: linking the tables of ${OUT}")
  endif()
  execute_process(COMMAND ${STOCKADEC} pack-tables ${pack_dir}/tables.elf -o ${pack_dir}/tables_image.cc
    RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "launcher build failed: packing the tables of ${OUT}")
  endif()
  set(table_inputs -x c++ ${pack_dir}/tables_image.cc)
endif()

execute_process(
  COMMAND ${CC} ${flags} ${runtime_inputs} ${table_inputs} -o ${OUT}.tmp
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "launcher build failed: ${OUT}")
endif()
file(RENAME ${OUT}.tmp ${OUT})
if(STOCKADEC)
  file(REMOVE_RECURSE ${pack_dir})
endif()
file(SIZE ${OUT} size)
math(EXPR kib "${size} / 1024")
message(STATUS "${OUT}: ${size} bytes (${kib} KiB)")
