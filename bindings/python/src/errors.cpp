// ocrfix::Error's categories become Python exception classes under one base, ocrfix.Error,
// so callers catch what they can handle (ModelNotFoundError) or everything (Error). The
// argument errors also derive from ValueError, as Python code expects.
#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>

#include <array>
#include <exception>

#include "bindings.h"
#include "ocrfix/error.h"

namespace nb = nanobind;

namespace ocrfix::python {

namespace {

struct CategoryClass {
    ErrorCategory category;
    const char* name;
    bool value_error;
    const char* doc;
};

constexpr std::array<CategoryClass, 8> kClasses = {{
    {ErrorCategory::invalid_argument, "InvalidArgumentError", true,
     "A setting or argument is out of range or malformed."},
    {ErrorCategory::invalid_input, "InvalidInputError", true,
     "The text to correct is not valid UTF-8, or too large."},
    {ErrorCategory::model_not_found, "ModelNotFoundError", false, "No GGUF file matches the configuration."},
    {ErrorCategory::model_invalid, "ModelInvalidError", false, "The model file exists but cannot be loaded."},
    {ErrorCategory::download, "DownloadError", false,
     "Fetching a model failed (HTTP status, checksum, network)."},
    {ErrorCategory::io, "FileError", false, "Reading or writing a local file failed."},
    {ErrorCategory::not_initialized, "NotInitializedError", false,
     "A method that needs a model was called without one."},
    {ErrorCategory::runtime, "InferenceError", false, "Inference failed (out of memory, context overflow)."},
}};

// Owned for the life of the process (the module keeps them too).
std::array<PyObject*, kClasses.size()> g_classes{};
PyObject* g_base = nullptr;

PyObject* class_for(ErrorCategory category) {
    for (std::size_t i = 0; i < kClasses.size(); ++i)
        if (kClasses[i].category == category) return g_classes[i];
    return g_base;
}

}  // namespace

void bind_errors(nb::module_& module) {
    g_base =
        PyErr_NewExceptionWithDoc("ocrfix.Error",
                                  "Base of every ocrfix error; `category` names its kind, the message says "
                                  "what to do next.",
                                  PyExc_RuntimeError, nullptr);
    module.attr("Error") = nb::borrow(g_base);
    nb::borrow(g_base).attr("category") = "error";
    for (std::size_t i = 0; i < kClasses.size(); ++i) {
        const auto& spec = kClasses[i];
        nb::object bases = spec.value_error ? nb::make_tuple(nb::handle(g_base), nb::handle(PyExc_ValueError))
                                            : nb::make_tuple(nb::handle(g_base));
        const std::string qualified = std::string("ocrfix.") + spec.name;
        g_classes[i] = PyErr_NewExceptionWithDoc(qualified.c_str(), spec.doc, bases.ptr(), nullptr);
        if (!g_classes[i]) throw nb::python_error();
        nb::handle(g_classes[i]).attr("category") = std::string(to_string(spec.category));
        module.attr(spec.name) = nb::borrow(g_classes[i]);
    }
    nb::register_exception_translator([](const std::exception_ptr& error, void*) {
        try {
            std::rethrow_exception(error);
        } catch (const Error& failure) {
            PyErr_SetString(class_for(failure.category()), failure.what());
        }
    });
}

}  // namespace ocrfix::python
