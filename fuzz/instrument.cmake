# Included by the top-level CMakeLists.txt before any target is defined, when
# INTERLEAVE_BUILD_FUZZ is ON: the fuzz targets need every library they call
# (harness, maps, scenario, the CLI library) compiled with libFuzzer's
# coverage instrumentation and the same sanitizers, so the flags are set for
# the whole build. The targets themselves are in fuzz/CMakeLists.txt.
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR
    "INTERLEAVE_BUILD_FUZZ needs clang (libFuzzer comes with clang), but the C++ compiler is "
    "${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER}. Configure with CXX=clang++ "
    "(Debian: tools/install-deps.sh --fuzz installs clang and its libFuzzer runtime).")
endif()

# "address,undefined" by default; "undefined" alone (or empty) while the
# engine lacks ASan's fiber-switch annotations.
set(INTERLEAVE_FUZZ_SANITIZERS "address,undefined" CACHE STRING
    "Sanitizers for the fuzz build, besides libFuzzer's coverage (comma-separated, may be empty)")

set(_interleave_fuzz_compile -fsanitize=fuzzer-no-link -fno-omit-frame-pointer)
set(_interleave_fuzz_link "")
if(INTERLEAVE_FUZZ_SANITIZERS)
  # No recovery: a sanitizer report must end the run so libFuzzer keeps the input.
  list(APPEND _interleave_fuzz_compile -fsanitize=${INTERLEAVE_FUZZ_SANITIZERS} -fno-sanitize-recover=all)
  list(APPEND _interleave_fuzz_link -fsanitize=${INTERLEAVE_FUZZ_SANITIZERS})
endif()
add_compile_options(${_interleave_fuzz_compile})
# The CLI and the demo are linked in this build too; libFuzzer's own main is
# linked into the fuzz targets only (fuzz/CMakeLists.txt).
add_link_options(${_interleave_fuzz_link})
