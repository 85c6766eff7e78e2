# Helpers for the scripts that compile files into C++ sources (cmake -P): included by
# cmake/embed_language_facts.cmake and tools/server/embed_files.cmake.

# Sets `out_array` to the definition of `const unsigned char NAME[]` holding FILE's bytes, and
# `out_size` to their count. A trailing 0 keeps the array non-empty for an empty file; the
# size leaves it out. Sixty-four bytes a line keeps the generated file readable in a diff.
function(embed_bytes file name out_array out_size)
  file(READ "${file}" _hex HEX)
  string(LENGTH "${_hex}" _hex_length)
  math(EXPR _size "${_hex_length} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," _bytes "${_hex}")
  string(REGEX REPLACE "((0x..,){64})" "\\1\n" _bytes "${_bytes}")
  set(${out_array} "const unsigned char ${name}[] = {\n${_bytes}0};\n" PARENT_SCOPE)
  set(${out_size} "${_size}" PARENT_SCOPE)
endfunction()

# Writes `content` to `output` only when it changed, so an unchanged input recompiles nothing.
function(write_if_changed output content)
  if(EXISTS "${output}")
    file(READ "${output}" _old)
    if(_old STREQUAL content)
      return()
    endif()
  endif()
  file(WRITE "${output}" "${content}")
endfunction()
