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
# run once per launch. Inputs (-D): CC SPECS KERNEL_HEADERS CXX_HEADERS CXX_ARCH_HEADERS
# RUNTIME_DIR GENERATED_DIR WARNINGS DEFINES VERSION OUT.
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

execute_process(
  COMMAND ${CC} -x c++ -std=c++20 -Os -specs=${SPECS} -static -s -fno-pie -no-pie
    -fno-exceptions -fno-rtti -fno-asynchronous-unwind-tables -fno-threadsafe-statics
    -fno-inline-functions-called-once -fno-jump-tables
    -ffunction-sections -fdata-sections -Wl,--gc-sections -Wl,-z,noseparate-code -Wl,-z,norelro -Wl,-z,common-page-size=16 -Wl,--build-id=none
    "-D__GLIBC_PREREQ(a,b)=0" "-DSTOCKADE_VERSION=\"${VERSION}\""
    ${warning_flags} ${define_flags}
    -isystem ${CXX_HEADERS} -isystem ${CXX_ARCH_HEADERS} -idirafter ${KERNEL_HEADERS}
    -I${RUNTIME_DIR}
    ${runtime_sources} ${generated_sources}
    -o ${OUT}.tmp
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "launcher build failed: ${OUT}")
endif()
file(RENAME ${OUT}.tmp ${OUT})
file(SIZE ${OUT} size)
math(EXPR kib "${size} / 1024")
message(STATUS "${OUT}: ${size} bytes (${kib} KiB)")
