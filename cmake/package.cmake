# interleave as a C++ library: the names users link, the install rules, and
# the CMake package that find_package(interleave) reads.
#
#   interleave::harness  the engine (links Boost.Context, fmt, spdlog, Threads)
#   interleave::maps     the models of Go's maps (links interleave::harness)
#   interleave::catch2   exploring inside a Catch2 v2 test case (links
#                        interleave::harness and Catch2; when Catch2 was found)
#
# The same names work from an installed tree (find_package) and from the
# source tree (add_subdirectory).

add_library(interleave::harness ALIAS harness)
add_library(interleave::maps ALIAS maps)
if(TARGET interleave_catch2)
  add_library(interleave::catch2 ALIAS interleave_catch2)
  set_target_properties(interleave_catch2 PROPERTIES EXPORT_NAME catch2)
endif()
# Installed in lib/ beside other libraries: names that say whose they are.
set_target_properties(harness PROPERTIES OUTPUT_NAME interleave_harness EXPORT_NAME harness)
set_target_properties(maps PROPERTIES OUTPUT_NAME interleave_maps EXPORT_NAME maps)

if(NOT INTERLEAVE_INSTALL)
  return()
endif()

include(CMakePackageConfigHelpers)
set(INTERLEAVE_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/interleave)

install(TARGETS harness maps EXPORT interleaveTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# The headers keep their paths: #include "harness/interleave.hpp", "maps/go/go_map.hpp".
foreach(folder harness maps)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${folder}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/${folder}
          FILES_MATCHING PATTERN "*.hpp")
endforeach()
# Its own export set: a user without Catch2 still finds the rest.
if(TARGET interleave_catch2)
  install(TARGETS interleave_catch2 EXPORT interleaveCatch2Targets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
  install(EXPORT interleaveCatch2Targets NAMESPACE interleave:: FILE interleaveCatch2Targets.cmake
          DESTINATION ${INTERLEAVE_CMAKE_DIR})
endif()
if(INTERLEAVE_BUILD_TOOLS)
  install(TARGETS interleave RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

install(EXPORT interleaveTargets NAMESPACE interleave:: FILE interleaveTargets.cmake
        DESTINATION ${INTERLEAVE_CMAKE_DIR})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/interleaveConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/package/interleaveConfig.cmake
                              INSTALL_DESTINATION ${INTERLEAVE_CMAKE_DIR})
# 0.x: a new minor version may break the API, so only 0.1.* satisfies 0.1.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/package/interleaveConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/package/interleaveConfig.cmake
              ${PROJECT_BINARY_DIR}/package/interleaveConfigVersion.cmake
        DESTINATION ${INTERLEAVE_CMAKE_DIR})
