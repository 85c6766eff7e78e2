// Results as plain Python objects: str(result) is the corrected text, so scripts written
// for the seed SDK (which returned a str) print the same thing.
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include "bindings.h"
#include "ocrfix/engine.h"

namespace nb = nanobind;

namespace ocrfix::python {

void bind_results(nb::module_& module) {
    nb::class_<Edit>(module, "Edit", "Replace input bytes [begin, end) with `replacement`.")
        .def(nb::init<>())
        .def_rw("begin", &Edit::begin, "byte offset into the UTF-8 input where the edit starts")
        .def_rw("end", &Edit::end, "byte offset where it ends (exclusive)")
        .def_rw("replacement", &Edit::replacement)
        .def_rw("score", &Edit::score, "decision margin of the verifier: above 0, higher is surer")
        .def_rw("source", &Edit::source, "which proposer suggested it")
        .def("__eq__", [](const Edit& a, const Edit& b) { return a == b; })
        .def("__repr__", [](const Edit& edit) {
            return "Edit(begin=" + std::to_string(edit.begin) + ", end=" + std::to_string(edit.end) +
                   ", replacement=" +
                   nb::cast<std::string>(
                       nb::repr(nb::str(edit.replacement.data(), edit.replacement.size()))) +
                   ", source='" + edit.source + "')";
        });

    nb::class_<CorrectionResult>(module, "CorrectionResult",
                                 "The corrected text and the edits that made it from the input.")
        .def(nb::init<>())
        .def_rw("text", &CorrectionResult::text)
        .def_rw("edits", &CorrectionResult::edits)
        .def("__str__", [](const CorrectionResult& result) { return result.text; })
        .def("__repr__", [](const CorrectionResult& result) {
            return "CorrectionResult(text=" +
                   nb::cast<std::string>(nb::repr(nb::str(result.text.data(), result.text.size()))) + ", " +
                   std::to_string(result.edits.size()) + " edits)";
        });

    nb::class_<LocalModel>(module, "LocalModel", "A GGUF file found locally.")
        .def_ro("repo_id", &LocalModel::repo_id)
        .def_ro("filename", &LocalModel::filename)
        .def_ro("revision", &LocalModel::revision)
        .def_ro("path", &LocalModel::path)
        .def_ro("size_bytes", &LocalModel::size_bytes)
        .def("__repr__", [](const LocalModel& model) {
            return "LocalModel(repo_id='" + model.repo_id + "', filename='" + model.filename +
                   "', size_bytes=" + std::to_string(model.size_bytes) + ")";
        });
}

}  // namespace ocrfix::python
