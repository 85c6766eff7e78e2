"""The shipped type stubs match the native module and the settings table."""

import ast
from pathlib import Path

import ocrfix
from ocrfix import _ocrfix

STUB = Path(ocrfix.__file__).with_name("_ocrfix.pyi")
TYPES = {"str": "str", "int": "int", "bool": "bool"}


def stub_classes():
    tree = ast.parse(STUB.read_text())
    return {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}, tree


def test_stub_ships_next_to_the_module():
    assert STUB.exists() and STUB.with_name("py.typed").exists()


def test_model_config_stub_lists_every_setting_with_its_type():
    classes, _ = stub_classes()
    body = classes["ModelConfig"].body
    attributes = {node.target.id: ast.unparse(node.annotation) for node in body if isinstance(node, ast.AnnAssign)}
    init = next(node for node in body if isinstance(node, ast.FunctionDef) and node.name == "__init__")
    keywords = {arg.arg: ast.unparse(arg.annotation) for arg in init.args.kwonlyargs}
    expected = {row["name"]: TYPES[row["type"]] for row in ocrfix.model_settings()}
    assert attributes == expected
    assert keywords == expected
    defaults = [ast.literal_eval(default) for default in init.args.kw_defaults]
    assert defaults == [row["default"] for row in ocrfix.model_settings()]


def test_every_public_name_and_method_is_in_the_stub():
    classes, tree = stub_classes()
    top = set(classes) | {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    public = {name for name in dir(_ocrfix) if not name.startswith("_")}
    assert public <= top, public - top
    for class_name in ("Engine", "CorrectionResult", "Edit", "LocalModel", "OcrResult", "OcrPage", "OcrWord"):
        native = {name for name in dir(getattr(_ocrfix, class_name)) if not name.startswith("_")}
        stubbed = {node.name if isinstance(node, ast.FunctionDef) else node.target.id
                   for node in classes[class_name].body if isinstance(node, (ast.FunctionDef, ast.AnnAssign))}
        assert native <= stubbed, (class_name, native - stubbed)
