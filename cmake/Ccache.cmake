# Use ccache for every compiler launch when it is installed (llama.cpp's ggml does the
# same for itself through GGML_CCACHE).
find_program(OCRFIX_CCACHE_PROGRAM ccache)
if(OCRFIX_CCACHE_PROGRAM AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_C_COMPILER_LAUNCHER   "${OCRFIX_CCACHE_PROGRAM}")
  set(CMAKE_CXX_COMPILER_LAUNCHER "${OCRFIX_CCACHE_PROGRAM}")
  message(STATUS "ocrfix: compiling through ${OCRFIX_CCACHE_PROGRAM}")
endif()
