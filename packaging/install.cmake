# SPDX-License-Identifier: Apache-2.0
# Install rules, the CMake package and the .deb (CPack), included from the
# top-level CMakeLists.txt after runtime/ and compiler/ are defined.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(STOCKADE_INSTALL_POLICY_DIR ${CMAKE_INSTALL_DATADIR}/stockade/policies)
set(STOCKADE_INSTALL_RUNTIME_DIR ${CMAKE_INSTALL_DATADIR}/stockade/runtime)
set(STOCKADE_INSTALL_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/Stockade)

# The launcher is made by a custom command (cmake/StockadeLauncher.cmake),
# so it is installed as a program file, not as a target.
install(PROGRAMS ${PROJECT_BINARY_DIR}/stockade DESTINATION ${CMAKE_INSTALL_BINDIR})
# The shipped policy sources, base.policy included, for authors who extend
# them; stockadec's default include path (compiler/cli/common.cc).
file(GLOB shipped_policy_sources ${PROJECT_SOURCE_DIR}/policies/*.policy ${PROJECT_SOURCE_DIR}/policies/*.kafel)
install(FILES ${shipped_policy_sources} DESTINATION ${STOCKADE_INSTALL_POLICY_DIR})
install(FILES ${PROJECT_SOURCE_DIR}/packaging/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})
# The package's own changelog (Debian format, gzipped as policy wants) and
# lintian's override for the launcher being static on purpose.
set(STOCKADE_DEB_MAINTAINER "Stockade maintainers <stockade@localhost>" CACHE STRING
  "the .deb's Maintainer (a distribution sets its own)")
configure_file(${PROJECT_SOURCE_DIR}/packaging/changelog.in ${PROJECT_BINARY_DIR}/packaging/changelog @ONLY)
find_program(STOCKADE_GZIP gzip)
if(STOCKADE_GZIP)
  add_custom_command(OUTPUT ${PROJECT_BINARY_DIR}/packaging/changelog.gz
    COMMAND sh -c "'${STOCKADE_GZIP}' -9n < '${PROJECT_BINARY_DIR}/packaging/changelog' > '${PROJECT_BINARY_DIR}/packaging/changelog.gz'"
    DEPENDS ${PROJECT_BINARY_DIR}/packaging/changelog VERBATIM)
  add_custom_target(stockade_changelog ALL DEPENDS ${PROJECT_BINARY_DIR}/packaging/changelog.gz)
  install(FILES ${PROJECT_BINARY_DIR}/packaging/changelog.gz DESTINATION ${CMAKE_INSTALL_DOCDIR})
endif()
install(FILES ${PROJECT_SOURCE_DIR}/packaging/lintian-overrides DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides
  RENAME stockade)

if(TARGET stockadec)
  install(TARGETS stockadec EXPORT StockadeTargets RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  # find_package(Stockade): the runtime sources a launcher is built from,
  # the launcher functions, and stockadec exported as Stockade::stockadec.
  file(GLOB runtime_files ${PROJECT_SOURCE_DIR}/runtime/*.cc ${PROJECT_SOURCE_DIR}/runtime/*.h
    ${PROJECT_SOURCE_DIR}/runtime/*.inc)
  file(GLOB runtime_seccomp_files ${PROJECT_SOURCE_DIR}/runtime/seccomp/*.cc ${PROJECT_SOURCE_DIR}/runtime/seccomp/*.h)
  install(FILES ${runtime_files} ${PROJECT_SOURCE_DIR}/runtime/build_launcher.cmake ${PROJECT_SOURCE_DIR}/runtime/tables.ld
    DESTINATION ${STOCKADE_INSTALL_RUNTIME_DIR})
  install(FILES ${runtime_seccomp_files} DESTINATION ${STOCKADE_INSTALL_RUNTIME_DIR}/seccomp)
  file(GLOB runtime_egress_files ${PROJECT_SOURCE_DIR}/runtime/egress/*.cc ${PROJECT_SOURCE_DIR}/runtime/egress/*.h)
  install(FILES ${runtime_egress_files} DESTINATION ${STOCKADE_INSTALL_RUNTIME_DIR}/egress)
  install(EXPORT StockadeTargets NAMESPACE Stockade:: DESTINATION ${STOCKADE_INSTALL_CMAKE_DIR})
  configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/StockadeConfig.cmake.in
    ${PROJECT_BINARY_DIR}/StockadeConfig.cmake
    INSTALL_DESTINATION ${STOCKADE_INSTALL_CMAKE_DIR}
    PATH_VARS STOCKADE_INSTALL_RUNTIME_DIR STOCKADE_INSTALL_POLICY_DIR)
  write_basic_package_version_file(${PROJECT_BINARY_DIR}/StockadeConfigVersion.cmake
    COMPATIBILITY SameMinorVersion ARCH_INDEPENDENT)
  install(FILES ${PROJECT_BINARY_DIR}/StockadeConfig.cmake ${PROJECT_BINARY_DIR}/StockadeConfigVersion.cmake
    ${PROJECT_SOURCE_DIR}/cmake/StockadeLauncher.cmake ${PROJECT_SOURCE_DIR}/cmake/StockadeToolchain.cmake
    DESTINATION ${STOCKADE_INSTALL_CMAKE_DIR})
endif()

# Man pages and shell completion (docs/man/, completions/).
include(${PROJECT_SOURCE_DIR}/docs/man/man.cmake OPTIONAL)
include(${PROJECT_SOURCE_DIR}/completions/completions.cmake OPTIONAL)

# A parent project that add_subdirectory()s us keeps its own CPack set-up.
if(NOT PROJECT_IS_TOP_LEVEL)
  return()
endif()
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME stockade)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "sandbox launcher with policies compiled at build time")
set(CPACK_PACKAGE_DESCRIPTION_FILE ${PROJECT_SOURCE_DIR}/packaging/description.txt)
set(CPACK_PACKAGE_CONTACT "${STOCKADE_DEB_MAINTAINER}")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_STRIP_FILES ON)  # stockadec unstripped is most of the package
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
# stockadec's shared libraries (protobuf, fmt) from dpkg-shlibdeps; the
# launcher is static and needs nothing.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# stockade_add_launcher() from the CMake package builds with these.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "cmake, gcc, musl-tools, linux-libc-dev, libstdc++-12-dev")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
include(CPack)
