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

# AMX (Intel Xeon since Sapphire Rapids). Under -march=native ggml builds its AMX matrix path
# (quantized weights only). Built with GCC 12 it died of SIGILL at `tilezero` in
# tinygemm_kernel_amx on the first batched decode: GCC 12's `_tile_loadconfig` tells the
# optimiser it reads 8 bytes of the 64-byte tile configuration, so the stores of the tiles'
# rows and widths in ggml_tile_config_init (amx/mmq.cpp) are dropped as dead and ldtilecfg
# loads a configuration with no tiles. That file is built without dead-store elimination, which
# keeps them (checked in its disassembly). OCRFIX_AMX=OFF leaves the path out.
include(CheckCXXCompilerFlag)
check_cxx_compiler_flag(-mno-amx-int8 OCRFIX_HAS_NO_AMX_FLAG)
if(TARGET ggml-cpu)
  if(NOT OCRFIX_AMX AND OCRFIX_HAS_NO_AMX_FLAG)
    target_compile_options(ggml-cpu PRIVATE -mno-amx-tile -mno-amx-int8 -mno-amx-bf16)
  elseif(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    set_source_files_properties("${_ocrfix_llama_dir}/ggml/src/ggml-cpu/amx/mmq.cpp"
      TARGET_DIRECTORY ggml-cpu PROPERTIES COMPILE_OPTIONS "-fno-tree-dse;-fno-dse")
  endif()
endif()
set(OCRFIX_LLAMA_BUILD "llama.cpp b${LLAMA_BUILD_NUMBER} (${LLAMA_BUILD_COMMIT}, static, vendored)")
message(STATUS "ocrfix: building ${OCRFIX_LLAMA_BUILD} from ${_ocrfix_llama_dir}")
