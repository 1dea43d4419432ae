# SPDX-License-Identifier: Apache-2.0
# What a static launcher build needs from the host, found once per build
# tree: musl's gcc specs file, the system gcc driver, kernel headers (musl
# ships none) and libstdc++'s header-only parts (<array>, <string_view>).
# Included by the source tree's CMakeLists.txt and by the installed
# StockadeConfig.cmake alike; every result is a cache entry.
include_guard(GLOBAL)

string(REPLACE "-gnu" "-musl" _stockade_musl_arch "${CMAKE_LIBRARY_ARCHITECTURE}")
find_file(STOCKADE_MUSL_SPECS musl-gcc.specs
  PATHS /usr/lib /usr/local/lib /usr/lib/musl /usr/local/musl
  PATH_SUFFIXES ${_stockade_musl_arch} lib)
if(NOT STOCKADE_MUSL_SPECS)
  message(FATAL_ERROR "musl-gcc.specs not found: the launcher needs musl (apt-get install musl-tools), "
                      "or set STOCKADE_MUSL_SPECS to the specs file")
endif()
find_program(STOCKADE_GCC NAMES gcc REQUIRED)

find_path(STOCKADE_LINUX_HEADERS linux/filter.h PATHS /usr/include REQUIRED)
find_path(STOCKADE_ASM_HEADERS asm/unistd.h
  PATHS /usr/include/${CMAKE_LIBRARY_ARCHITECTURE} /usr/include REQUIRED)
# A directory of symlinks to the system's kernel headers, and nothing else,
# so musl's own libc headers are not shadowed by glibc's.
set(STOCKADE_KERNEL_HEADERS ${CMAKE_BINARY_DIR}/stockade-musl-kernel-headers CACHE INTERNAL "kernel header links for musl builds")
file(MAKE_DIRECTORY ${STOCKADE_KERNEL_HEADERS})
file(CREATE_LINK ${STOCKADE_LINUX_HEADERS}/linux ${STOCKADE_KERNEL_HEADERS}/linux SYMBOLIC)
file(CREATE_LINK ${STOCKADE_ASM_HEADERS}/asm ${STOCKADE_KERNEL_HEADERS}/asm SYMBOLIC)
file(CREATE_LINK ${STOCKADE_LINUX_HEADERS}/asm-generic ${STOCKADE_KERNEL_HEADERS}/asm-generic SYMBOLIC)

execute_process(COMMAND ${STOCKADE_GCC} -dumpversion OUTPUT_VARIABLE _stockade_gcc_major OUTPUT_STRIP_TRAILING_WHITESPACE)
string(REGEX MATCH "^[0-9]+" _stockade_gcc_major "${_stockade_gcc_major}")
find_path(STOCKADE_CXX_HEADERS array PATHS /usr/include/c++/${_stockade_gcc_major} REQUIRED NO_DEFAULT_PATH)
find_path(STOCKADE_CXX_ARCH_HEADERS bits/c++config.h
  PATHS /usr/include/${CMAKE_LIBRARY_ARCHITECTURE}/c++/${_stockade_gcc_major} REQUIRED NO_DEFAULT_PATH)
