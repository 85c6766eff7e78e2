# Provides the `llama` target and OCRFIX_LLAMA_BUILD (a string for --version).
#
# 1. find_package(llama CONFIG): llama.cpp installed by the system, vcpkg or Homebrew.
# 2. Otherwise the llama.cpp source vendored in the pinned llama-cpp-python sdist, fetched
#    and sha256-checked by scripts/ocrfix_setup.py into the ocrfix home (outside the build
#    tree), built here as a static subproject. With a warm cache this touches no network.

if(NOT OCRFIX_VENDORED_LLAMA)
  find_package(llama CONFIG QUIET)
endif()

if(llama_FOUND)
  set(OCRFIX_LLAMA_BUILD "system llama.cpp ${llama_VERSION} (find_package: ${llama_DIR})")
  message(STATUS "ocrfix: using ${OCRFIX_LLAMA_BUILD}")
  return()
endif()

find_package(Python3 3.9 REQUIRED COMPONENTS Interpreter)
set(OCRFIX_LLAMA_SOURCE_DIR "" CACHE PATH
    "llama.cpp source tree to build (default: fetched by scripts/ocrfix_setup.py)")
if(NOT OCRFIX_LLAMA_SOURCE_DIR)
  execute_process(
    COMMAND "${Python3_EXECUTABLE}" "${PROJECT_SOURCE_DIR}/scripts/ocrfix_setup.py" llama-source --cmake
    OUTPUT_VARIABLE _ocrfix_llama_info
    RESULT_VARIABLE _ocrfix_llama_result
    OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT _ocrfix_llama_result EQUAL 0)
    message(FATAL_ERROR "ocrfix: could not fetch the pinned llama.cpp source (see above). "
                        "Run `python3 scripts/ocrfix_setup.py llama-source` to retry, or pass "
                        "-DOCRFIX_LLAMA_SOURCE_DIR=/path/to/llama.cpp.")
  endif()
  list(GET _ocrfix_llama_info 0 _ocrfix_llama_dir)
  list(GET _ocrfix_llama_info 1 LLAMA_BUILD_NUMBER)
  list(GET _ocrfix_llama_info 2 LLAMA_BUILD_COMMIT)
else()
  set(_ocrfix_llama_dir "${OCRFIX_LLAMA_SOURCE_DIR}")
endif()

# A static library with nothing but the library: no tests, examples, tools, server, curl.
set(BUILD_SHARED_LIBS       OFF CACHE BOOL "" FORCE)
set(LLAMA_BUILD_COMMON      OFF CACHE BOOL "" FORCE)
set(LLAMA_BUILD_TESTS       OFF CACHE BOOL "" FORCE)
set(LLAMA_BUILD_EXAMPLES    OFF CACHE BOOL "" FORCE)
set(LLAMA_BUILD_TOOLS       OFF CACHE BOOL "" FORCE)
set(LLAMA_BUILD_SERVER      OFF CACHE BOOL "" FORCE)
set(LLAMA_BUILD_APP         OFF CACHE BOOL "" FORCE)
set(LLAMA_CURL              OFF CACHE BOOL "" FORCE)
set(LLAMA_OPENSSL           OFF CACHE BOOL "" FORCE)
set(LLAMA_ALL_WARNINGS      OFF CACHE BOOL "" FORCE)
set(GGML_CUDA ${OCRFIX_CUDA} CACHE BOOL "" FORCE)
set(CMAKE_POSITION_INDEPENDENT_CODE ON)  # the Python extension links the same archives

add_subdirectory("${_ocrfix_llama_dir}" "${PROJECT_BINARY_DIR}/_deps/llama.cpp" EXCLUDE_FROM_ALL SYSTEM)

# No AMX kernels. On a CPU with AMX (Intel Sapphire Rapids and later), -march=native turns on
# ggml's AMX matrix path, and at this pin the first batched decode dies of SIGILL at `tilezero`
# in tinygemm_kernel_amx, in a worker thread (seen on a 2-core Intel Xeon). Upstream
# (ggml-org/llama.cpp PR 26954, open) names two causes: worker threads lack the XTILEDATA
# permission, and the tile configuration built on the stack is optimised away. ggml guards the
# path with __AMX_INT8__, which these flags, placed after ggml's own -march=native, undefine;
# the AVX-512 kernels the other CPUs use stay.
include(CheckCXXCompilerFlag)
check_cxx_compiler_flag(-mno-amx-int8 OCRFIX_HAS_NO_AMX_FLAG)
if(TARGET ggml-cpu AND OCRFIX_HAS_NO_AMX_FLAG)
  target_compile_options(ggml-cpu PRIVATE -mno-amx-tile -mno-amx-int8 -mno-amx-bf16)
endif()
set(OCRFIX_LLAMA_BUILD "llama.cpp b${LLAMA_BUILD_NUMBER} (${LLAMA_BUILD_COMMIT}, static, vendored)")
message(STATUS "ocrfix: building ${OCRFIX_LLAMA_BUILD} from ${_ocrfix_llama_dir}")
