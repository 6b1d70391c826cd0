# End-to-end check of the demo: save a failing trace, replay it, cmp the bytes;
# run the same seed twice and cmp again. Invoked by ctest with -DDEMO -DWORK.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

function(run_demo)
  execute_process(COMMAND "${DEMO}" ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "interleave-demo ${ARGN} exited ${rc}\n${out}\n${err}")
  endif()
endfunction()

function(expect_same a b)
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files "${a}" "${b}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${a} and ${b} differ")
  endif()
endfunction()

run_demo(--strategy random --seed 9 --save-trace "${WORK}/first.trace")
run_demo(--strategy random --seed 9 --save-trace "${WORK}/second.trace")
expect_same("${WORK}/first.trace" "${WORK}/second.trace")
run_demo(--replay "${WORK}/first.trace" --save-trace "${WORK}/replayed.trace" --check)
expect_same("${WORK}/first.trace" "${WORK}/replayed.trace")
run_demo(--strategy pct --seed 4 --save-trace "${WORK}/pct.trace")
run_demo(--replay "${WORK}/pct.trace" --check)

# A corrupt trace is refused with exit code 2 and a line number.
file(READ "${WORK}/first.trace" text)
string(REPLACE "fibers 2" "fibers two" text "${text}")
file(WRITE "${WORK}/corrupt.trace" "${text}")
execute_process(COMMAND "${DEMO}" --replay "${WORK}/corrupt.trace" RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 2 OR NOT err MATCHES "corrupt.trace:[0-9]+:[0-9]+: expected a count")
  message(FATAL_ERROR "corrupt trace: expected exit 2 with a located error, got ${rc}: ${err}")
endif()
