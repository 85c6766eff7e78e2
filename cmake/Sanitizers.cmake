# Sanitizers, applied per target (never through CMAKE_CXX_FLAGS): our code is instrumented;
# llama.cpp, the system libraries and the C++ runtime are not.
#   OCRFIX_SANITIZE  AddressSanitizer + UndefinedBehaviorSanitizer (preset `asan`)
#   OCRFIX_TSAN      ThreadSanitizer (preset `tsan`)
# Undefined behaviour stops the program as ASan and TSan findings do, so a test that meets
# one fails instead of printing a warning nobody reads.
if(OCRFIX_SANITIZE AND OCRFIX_TSAN)
  message(FATAL_ERROR "ocrfix: OCRFIX_SANITIZE and OCRFIX_TSAN exclude each other "
                      "(ASan and TSan cannot share a process); configure two build folders")
endif()

set(OCRFIX_SANITIZER_FLAGS "")
if(OCRFIX_SANITIZE)
  set(OCRFIX_SANITIZER_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=undefined)
elseif(OCRFIX_TSAN)
  set(OCRFIX_SANITIZER_FLAGS -fsanitize=thread)
endif()

# Builds `target`, and through PUBLIC whatever links it, with the sanitizers chosen above.
function(ocrfix_sanitize target)
  if(OCRFIX_SANITIZER_FLAGS)
    target_compile_options(${target} PUBLIC ${OCRFIX_SANITIZER_FLAGS} -fno-omit-frame-pointer)
    target_link_options(${target} PUBLIC ${OCRFIX_SANITIZER_FLAGS})
  endif()
endfunction()
