// The native half of the `ocrfix` Python package; ocrfix/__init__.py re-exports it.
#include <nanobind/stl/string.h>

#include "bindings.h"
#include "ocrfix/engine.h"

NB_MODULE(_ocrfix, module) {
    module.doc() = "ocrfix: corrects the errors OCR leaves in text, with local GGUF language models.";
    ocrfix::python::bind_errors(module);
    ocrfix::python::bind_results(module);
    ocrfix::python::bind_ocr_results(module);
    ocrfix::python::bind_model_config(module);
    ocrfix::python::bind_engine(module);
    module.def("version", &ocrfix::version_string, "The ocrfix and llama.cpp versions, as one line.");
}
