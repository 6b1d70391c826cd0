# Builds and runs examples/consumer, a project that uses interleave, either
# against the installed package or with the source tree as a subdirectory.
#   MODE=install       cmake --install BUILD to WORK/prefix, then the consumer
#                      finds it with -DCMAKE_PREFIX_PATH=WORK/prefix
#   MODE=subdirectory  the consumer adds SOURCE with add_subdirectory
# Usage: cmake -DMODE=… -DSOURCE=<repo> -DBUILD=<build dir> -DWORK=<scratch> -DGENERATOR=…
#              -DCXX=<compiler> [-DCONFIG=…] [-DFLAGS=…] -P consumer.cmake
cmake_minimum_required(VERSION 3.20)
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  if(NOT result EQUAL 0)
    string(JOIN " " command ${ARGN})
    message(FATAL_ERROR "failed (${result}): ${command}\n${output}")
  endif()
  set(output "${output}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE ${WORK})
set(consumer ${WORK}/consumer)
# No build type: the consumer's own choice must survive (interleave must not set one).
set(configure ${CMAKE_COMMAND} -S ${SOURCE}/examples/consumer -B ${consumer} -G ${GENERATOR}
              -DCMAKE_CXX_COMPILER=${CXX} "-DCMAKE_CXX_FLAGS=${FLAGS}")
set(config_args "")
if(CONFIG)
  set(config_args --config ${CONFIG})
endif()

if(MODE STREQUAL "install")
  set(prefix ${WORK}/prefix)
  run(${CMAKE_COMMAND} --install ${BUILD} --prefix ${prefix} ${config_args})
  foreach(file include/harness/interleave.hpp include/harness/harness.hpp include/maps/go/go_map.hpp
               bin/interleave lib/cmake/interleave/interleaveConfig.cmake
               lib/cmake/interleave/interleaveConfigVersion.cmake)
    if(NOT EXISTS ${prefix}/${file})
      message(FATAL_ERROR "not installed: ${file}")
    endif()
  endforeach()
  file(GLOB_RECURSE sources RELATIVE ${prefix} ${prefix}/include/*.cpp ${prefix}/include/tools/*)
  if(sources)
    message(FATAL_ERROR "installed what is not the library's interface: ${sources}")
  endif()
  run(${prefix}/bin/interleave --help)
  run(${configure} -DCMAKE_PREFIX_PATH=${prefix})
  # The installed package finds the engine's dependencies only.
  if(output MATCHES "CLI11|tomlplusplus|nlohmann|xxhash")
    message(FATAL_ERROR "the package looked for the CLI's dependencies:\n${output}")
  endif()
elseif(MODE STREQUAL "subdirectory")
  # The tools' dependencies may be missing: the engine must not look for them.
  run(${configure} -DINTERLEAVE_SOURCE_DIR=${SOURCE} -DCMAKE_DISABLE_FIND_PACKAGE_CLI11=ON
      -DCMAKE_DISABLE_FIND_PACKAGE_tomlplusplus=ON -DCMAKE_DISABLE_FIND_PACKAGE_nlohmann_json=ON
      -DCMAKE_DISABLE_FIND_PACKAGE_PkgConfig=ON)
  file(STRINGS ${consumer}/CMakeCache.txt build_type REGEX "^CMAKE_BUILD_TYPE:")
  if(NOT build_type MATCHES "^CMAKE_BUILD_TYPE:[A-Z]+=$")
    message(FATAL_ERROR "interleave set the consumer's build type: ${build_type}")
  endif()
else()
  message(FATAL_ERROR "MODE must be install or subdirectory, not '${MODE}'")
endif()

# Just the consumer's programs (and, as a subdirectory, the engine they link).
run(${CMAKE_COMMAND} --build ${consumer} --parallel 2 --target lost_update_test account_test shims_test pool_test ${config_args})
# Only the consumer's own tests: none of interleave's.
run(${CMAKE_CTEST_COMMAND} --test-dir ${consumer} -N)
if(NOT output MATCHES "Total Tests: 4\n")
  message(FATAL_ERROR "the consumer's ctest should list its own test only:\n${output}")
endif()
run(${CMAKE_CTEST_COMMAND} --test-dir ${consumer} --output-on-failure ${config_args})
message(STATUS "examples/consumer (${MODE}): built and passed")

if(MODE STREQUAL "install")
  # interleave::maps from the package too, asked for as a component; and a
  # version of another minor release is refused (0.x: minors may break).
  set(maps_user ${WORK}/maps_user)
  file(WRITE ${maps_user}/CMakeLists.txt [=[
cmake_minimum_required(VERSION 3.20)
project(maps_user LANGUAGES CXX)
find_package(interleave 0.2 QUIET)
if(interleave_FOUND)
  message(FATAL_ERROR "find_package(interleave 0.2) accepted version ${interleave_VERSION}")
endif()
find_package(interleave 0.1 REQUIRED COMPONENTS harness maps)
add_executable(maps_user main.cpp)
target_link_libraries(maps_user PRIVATE interleave::maps)
]=])
  file(WRITE ${maps_user}/main.cpp [=[
#include "maps/go/go_map.hpp"
int main() {
  maps::GoMap m(maps::GoMapOptions{});
  m.put(1, 2);
  return m.get(1) == 2 ? 0 : 1;
}
]=])
  run(${CMAKE_COMMAND} -S ${maps_user} -B ${maps_user}/build -G ${GENERATOR} -DCMAKE_CXX_COMPILER=${CXX}
      -DCMAKE_PREFIX_PATH=${prefix})
  run(${CMAKE_COMMAND} --build ${maps_user}/build ${config_args})
  file(GLOB_RECURSE program ${maps_user}/build/maps_user ${maps_user}/build/*/maps_user)
  run(${program})
  message(STATUS "interleave::maps from the package: built and ran")
endif()
file(REMOVE_RECURSE ${WORK})
