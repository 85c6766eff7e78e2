// The pieces of the _ocrfix extension module, one per file; module.cpp calls each.
#pragma once

#include <nanobind/nanobind.h>

namespace ocrfix::python {

void bind_errors(nanobind::module_& module);        // errors.cpp: categories -> exception classes
void bind_results(nanobind::module_& module);       // results.cpp: Edit, CorrectionResult, LocalModel
void bind_model_config(nanobind::module_& module);  // model_config_binding.cpp: from the settings table
void bind_engine(nanobind::module_& module);        // engine_binding.cpp: Engine, post-processors

}  // namespace ocrfix::python
