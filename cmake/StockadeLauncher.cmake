# SPDX-License-Identifier: Apache-2.0
# The two ways to build a static launcher, for the source tree and for the
# installed package (StockadeConfig.cmake) alike:
#
#   stockade_add_launcher(NAME POLICIES a.policy ... [INCLUDE_DIRS dir ...]
#                         [SHIPPED python3 bash ...] [EXCLUDE_FROM_ALL])
#     compiles the given policy files (relative paths: to the calling
#     CMakeLists.txt) and the named shipped policies with stockadec, and
#     builds ${CMAKE_CURRENT_BINARY_DIR}/NAME holding exactly those
#     policies. `include "base.policy"` finds the shipped base through the
#     default include path; INCLUDE_DIRS come first.
#
#   stockade_add_launcher_from_tables(NAME GENERATED_DIR DEPENDS_TARGET
#                                     [EXCLUDE_FROM_ALL] [OUTPUT_DIR dir] [FILES f ...] [DEFINES d ...])
#     builds a launcher from tables some other rule writes into
#     GENERATED_DIR (the target DEPENDS_TARGET); the source tree's own
#     launchers (stockade, stockade-test, ...) are made this way. DEFINES
#     become -D flags (the test launcher's STOCKADE_TEST_SWITCHES,
#     runtime/test_switch.h).
#
# Either way the build target is NAME (`cmake --build . --target NAME`),
# and Stockade::NAME is an imported executable at the output path, for
# $<TARGET_FILE:Stockade::NAME> in tests and custom commands.
#
# Whoever includes this file first sets the global properties
# STOCKADE_RUNTIME_DIR (runtime/*.cc and build_launcher.cmake),
# STOCKADE_POLICY_DIR (the shipped policy sources), STOCKADE_STOCKADEC (the
# stockadec target) and STOCKADE_LAUNCHER_WARNINGS, so the functions work
# from any directory, add_subdirectory() included.
include_guard(GLOBAL)
include(${CMAKE_CURRENT_LIST_DIR}/StockadeToolchain.cmake)

function(stockade_add_launcher_from_tables NAME GENERATED_DIR DEPENDS_TARGET)
  cmake_parse_arguments(PARSE_ARGV 3 arg "EXCLUDE_FROM_ALL" "OUTPUT_DIR" "FILES;DEFINES")
  string(REPLACE ";" " " defines "${arg_DEFINES}")
  get_property(runtime_dir GLOBAL PROPERTY STOCKADE_RUNTIME_DIR)
  get_property(warnings GLOBAL PROPERTY STOCKADE_LAUNCHER_WARNINGS)
  get_property(version GLOBAL PROPERTY STOCKADE_VERSION)
  # stockadec packs the tables into one image (runtime/unpack_tables.h).
  get_property(stockadec GLOBAL PROPERTY STOCKADE_STOCKADEC)
  set(pack_args)
  if(stockadec)
    set(pack_args -DSTOCKADEC=$<TARGET_FILE:${stockadec}>)
  endif()
  if(NOT runtime_dir)
    message(FATAL_ERROR "stockade_add_launcher: STOCKADE_RUNTIME_DIR is not set (include StockadeLauncher.cmake through find_package(Stockade) or the source tree)")
  endif()
  if(arg_OUTPUT_DIR)
    set(out ${arg_OUTPUT_DIR}/${NAME})
  else()
    set(out ${CMAKE_CURRENT_BINARY_DIR}/${NAME})
  endif()
  set(script ${runtime_dir}/build_launcher.cmake)
  file(GLOB runtime_sources CONFIGURE_DEPENDS ${runtime_dir}/*.cc ${runtime_dir}/*.h ${runtime_dir}/*.inc
    ${runtime_dir}/seccomp/*.cc ${runtime_dir}/seccomp/*.h ${runtime_dir}/egress/*.cc ${runtime_dir}/egress/*.h)
  set(table_files ${arg_FILES})
  # A directory the build generates carries the stamp its generating command
  # touches: depend on it so a policy change relinks the launcher.
  string(FIND "${GENERATED_DIR}" "${CMAKE_BINARY_DIR}/" in_build)
  if(in_build EQUAL 0 AND NOT "${GENERATED_DIR}/.stamp" IN_LIST table_files)
    list(APPEND table_files ${GENERATED_DIR}/.stamp)
  endif()
  if(IS_DIRECTORY ${GENERATED_DIR})
    file(GLOB existing CONFIGURE_DEPENDS ${GENERATED_DIR}/*.cc)
    list(APPEND table_files ${existing})
  endif()
  string(REPLACE ";" " " warnings "${warnings}")
  # The rule's output is a stamp, not the launcher itself: CMake drops a
  # custom command whose output is also an imported target's location.
  set(stamp ${CMAKE_CURRENT_BINARY_DIR}/${NAME}.built)
  add_custom_command(
    OUTPUT ${stamp}
    COMMAND ${CMAKE_COMMAND}
      -DCC=${STOCKADE_GCC}
      -DSPECS=${STOCKADE_MUSL_SPECS}
      -DKERNEL_HEADERS=${STOCKADE_KERNEL_HEADERS}
      -DCXX_HEADERS=${STOCKADE_CXX_HEADERS}
      -DCXX_ARCH_HEADERS=${STOCKADE_CXX_ARCH_HEADERS}
      -DRUNTIME_DIR=${runtime_dir}
      -DGENERATED_DIR=${GENERATED_DIR}
      -DWARNINGS=${warnings}
      -DDEFINES=${defines}
      -DVERSION=${version}
      -DOUT=${out}
      -DOBJ_DIR=${CMAKE_CURRENT_BINARY_DIR}/${NAME}.objects
      ${pack_args}
      -P ${script}
    COMMAND ${CMAKE_COMMAND} -E touch ${stamp}
    DEPENDS ${runtime_sources} ${script} ${runtime_dir}/tables.ld ${DEPENDS_TARGET} ${table_files} ${stockadec}
    COMMENT "Building static launcher ${NAME} (musl)"
    VERBATIM)
  if(arg_EXCLUDE_FROM_ALL)
    add_custom_target(${NAME} DEPENDS ${stamp})
  else()
    add_custom_target(${NAME} ALL DEPENDS ${stamp})
  endif()
  add_dependencies(${NAME} ${DEPENDS_TARGET})
  set_target_properties(${NAME} PROPERTIES STOCKADE_LAUNCHER_FILE ${out})
  add_executable(Stockade::${NAME} IMPORTED GLOBAL)
  set_target_properties(Stockade::${NAME} PROPERTIES IMPORTED_LOCATION ${out})
endfunction()

# stockade_launcher_build_script(FILE [DEFINES d ...]) writes FILE, a shell
# script `FILE GENERATED_DIR OUT OBJ_DIR` that builds a launcher from tables
# made at run time, the way the functions above do at build time (the
# integration suite's learn test: a policy learned by a run, compiled and
# run under).
function(stockade_launcher_build_script FILE)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "DEFINES")
  string(REPLACE ";" " " defines "${arg_DEFINES}")
  get_property(runtime_dir GLOBAL PROPERTY STOCKADE_RUNTIME_DIR)
  get_property(warnings GLOBAL PROPERTY STOCKADE_LAUNCHER_WARNINGS)
  get_property(version GLOBAL PROPERTY STOCKADE_VERSION)
  string(REPLACE ";" " " warnings "${warnings}")
  file(CONFIGURE OUTPUT ${FILE} @ONLY CONTENT [=[#!/bin/sh
# Generated by stockade_launcher_build_script (cmake/StockadeLauncher.cmake).
# usage: sh THIS GENERATED_DIR OUT OBJ_DIR
exec '@CMAKE_COMMAND@' '-DCC=@STOCKADE_GCC@' '-DSPECS=@STOCKADE_MUSL_SPECS@' \
  '-DKERNEL_HEADERS=@STOCKADE_KERNEL_HEADERS@' '-DCXX_HEADERS=@STOCKADE_CXX_HEADERS@' \
  '-DCXX_ARCH_HEADERS=@STOCKADE_CXX_ARCH_HEADERS@' '-DRUNTIME_DIR=@runtime_dir@' \
  "-DGENERATED_DIR=$1" '-DWARNINGS=@warnings@' '-DDEFINES=@defines@' '-DVERSION=@version@' \
  "-DOUT=$2" "-DOBJ_DIR=$3" -P '@runtime_dir@/build_launcher.cmake'
]=])
endfunction()

function(stockade_add_launcher NAME)
  cmake_parse_arguments(PARSE_ARGV 1 arg "EXCLUDE_FROM_ALL" "OUTPUT_DIR" "POLICIES;INCLUDE_DIRS;SHIPPED")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "stockade_add_launcher(${NAME}): unknown arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT arg_POLICIES AND NOT arg_SHIPPED)
    message(FATAL_ERROR "stockade_add_launcher(${NAME}): give POLICIES files, SHIPPED names or both")
  endif()
  get_property(policy_dir GLOBAL PROPERTY STOCKADE_POLICY_DIR)
  get_property(stockadec GLOBAL PROPERTY STOCKADE_STOCKADEC)
  set(inputs)
  foreach(p IN LISTS arg_POLICIES)
    cmake_path(ABSOLUTE_PATH p BASE_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR} NORMALIZE OUTPUT_VARIABLE abs)
    list(APPEND inputs ${abs})
  endforeach()
  set(include_args)
  foreach(d IN LISTS arg_INCLUDE_DIRS)
    cmake_path(ABSOLUTE_PATH d BASE_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR} NORMALIZE OUTPUT_VARIABLE abs)
    list(APPEND include_args -I ${abs})
  endforeach()
  # The shipped base and the shipped sources, for `include "base.policy"`.
  list(APPEND include_args -I ${policy_dir})
  # Exactly the policies the POLICIES files define and the SHIPPED names:
  # nothing else a file of them includes is emitted (--from, --name).
  set(select_args)
  foreach(abs IN LISTS inputs)
    list(APPEND select_args --from ${abs})
  endforeach()
  foreach(s IN LISTS arg_SHIPPED)
    if(NOT EXISTS ${policy_dir}/${s}.policy)
      message(FATAL_ERROR "stockade_add_launcher(${NAME}): no shipped policy '${s}' in ${policy_dir}")
    endif()
    list(APPEND inputs ${policy_dir}/${s}.policy)
    list(APPEND select_args --name ${s})
  endforeach()
  set(gen ${CMAKE_CURRENT_BINARY_DIR}/${NAME}-tables)
  add_custom_command(
    OUTPUT ${gen}/.stamp
    COMMAND $<TARGET_FILE:${stockadec}> compile -q ${include_args} ${select_args} -o ${gen} ${inputs}
    COMMAND ${CMAKE_COMMAND} -E touch ${gen}/.stamp
    DEPENDS ${stockadec} ${inputs}
    WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}
    COMMENT "stockadec: compiling the policies of ${NAME}"
    VERBATIM)
  add_custom_target(${NAME}_tables DEPENDS ${gen}/.stamp)
  set(pass)
  if(arg_EXCLUDE_FROM_ALL)
    list(APPEND pass EXCLUDE_FROM_ALL)
  endif()
  if(arg_OUTPUT_DIR)
    list(APPEND pass OUTPUT_DIR ${arg_OUTPUT_DIR})
  endif()
  stockade_add_launcher_from_tables(${NAME} ${gen} ${NAME}_tables ${pass})
endfunction()
