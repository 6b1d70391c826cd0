# Included by the top-level CMakeLists.txt before any target is defined, when
# INTERLEAVE_BUILD_FUZZ is ON: the fuzz targets need every library they call
# (harness, maps, scenario, the CLI library) compiled with libFuzzer's
# coverage instrumentation, so it is added to the whole build. The
# sanitizers come from INTERLEAVE_SANITIZE (address,undefined by default in
# a fuzz build; the engine tells ASan about its fiber switches). The targets
# themselves are in fuzz/CMakeLists.txt.
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR
    "INTERLEAVE_BUILD_FUZZ needs clang (libFuzzer comes with clang), but the C++ compiler is "
    "${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER}. Configure with CXX=clang++ "
    "(Debian: tools/install-deps.sh --fuzz installs clang and its libFuzzer runtime).")
endif()
# Coverage only: libFuzzer's main is linked into the fuzz targets alone
# (fuzz/CMakeLists.txt); the CLI and the demo in this build keep their own.
add_compile_options(-fsanitize=fuzzer-no-link)
