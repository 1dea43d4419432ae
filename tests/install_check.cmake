# SPDX-License-Identifier: Apache-2.0
# cmake -P: installs BUILD into a scratch DESTDIR and checks the files a
# package must hold. Inputs (-D): BUILD DESTDIR_ROOT POLICY_DIR.
file(REMOVE_RECURSE ${DESTDIR_ROOT})
set(ENV{DESTDIR} ${DESTDIR_ROOT})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD} --prefix /usr RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install failed: ${rc}")
endif()
set(root ${DESTDIR_ROOT}/usr)
file(GLOB policies RELATIVE ${POLICY_DIR} ${POLICY_DIR}/*.policy)
set(want bin/stockade bin/stockadec share/doc/stockade/copyright
  share/stockade/runtime/build_launcher.cmake share/stockade/runtime/tables.ld share/stockade/runtime/main.cc
  share/stockade/runtime/policy_table.h share/stockade/runtime/unpack_tables.cc
  share/stockade/runtime/seccomp/install.cc
  lib/cmake/Stockade/StockadeConfig.cmake lib/cmake/Stockade/StockadeConfigVersion.cmake
  lib/cmake/Stockade/StockadeTargets.cmake lib/cmake/Stockade/StockadeLauncher.cmake
  lib/cmake/Stockade/StockadeToolchain.cmake
  share/bash-completion/completions/stockade share/bash-completion/completions/stockadec
  share/zsh/vendor-completions/_stockade)
if(EXISTS ${BUILD}/man)  # scdoc found at configure time
  list(APPEND want share/man/man1/stockade.1.gz share/man/man1/stockadec.1.gz share/man/man5/stockade.policy.5.gz)
endif()
foreach(p ${policies})
  list(APPEND want share/stockade/policies/${p})
endforeach()
foreach(f ${want})
  if(NOT EXISTS ${root}/${f})
    message(FATAL_ERROR "not installed: /usr/${f}")
  endif()
endforeach()
list(LENGTH want n)
message(STATUS "installed and present: ${n} files")
