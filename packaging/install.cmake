# Install rules and the .deb (CPack), included from the top-level
# CMakeLists.txt after runtime/ and compiler/ are defined.
include(GNUInstallDirs)

# The launcher is made by a custom command (runtime/CMakeLists.txt), so it
# is installed as a program file, not as a target.
install(PROGRAMS ${PROJECT_BINARY_DIR}/stockade DESTINATION ${CMAKE_INSTALL_BINDIR})
if(TARGET stockadec)
  install(TARGETS stockadec RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
# The shipped policy sources, base.policy included, for authors who extend them.
file(GLOB shipped_policy_sources ${PROJECT_SOURCE_DIR}/policies/*.policy ${PROJECT_SOURCE_DIR}/policies/*.kafel)
install(FILES ${shipped_policy_sources} DESTINATION ${CMAKE_INSTALL_DATADIR}/stockade/policies)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME stockade)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "sandbox launcher with policies compiled at build time")
set(CPACK_PACKAGE_CONTACT "Stockade maintainers <stockade@localhost>")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_STRIP_FILES ON)  # stockadec unstripped is most of the package
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
# stockadec's shared libraries (protobuf, fmt) from dpkg-shlibdeps; the
# launcher is static and needs nothing.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
include(CPack)
