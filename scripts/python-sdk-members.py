"""Writes src/model/python/temporalio-members.ts: every attribute of the SDK's client objects
(temporalio.client.Client, temporalio.client.WorkflowHandle) as the union over the SDK's published
wheels. An attribute missing from every release is one no version of the class ever had.

Usage: python scripts/python-sdk-members.py <folder of temporalio-*.whl> src/model/python/temporalio-members.ts
(the wheels: pip download --no-deps --only-binary=:all: --platform manylinux_2_17_x86_64
--python-version 3.11 temporalio==<version> for each version). Reads the sources with ast; imports
nothing.

A class's attributes are what its body defines (methods, properties, class variables, nested
classes), what its methods assign to `self.<name>`, its `__slots__`, and the same of its bases that
the module defines, followed up the chain. Bases from outside (Generic, ABC, object) add only dunder
names, which are never checked. A class that makes attributes on demand (`__getattr__`,
`__getattribute__`) stops the script: nothing could be said of it.
"""
import ast
import json
import re
import sys
import zipfile
from pathlib import Path

CLASSES = ["temporalio.client.Client", "temporalio.client.WorkflowHandle"]
# Bases defined outside the SDK's module that bring no attribute but dunders.
PLAIN_BASES = {"Generic", "ABC", "object", "Protocol"}


def module_sources(archive: zipfile.ZipFile, module: str) -> list[str]:
    """The source of a module: its file, or every file of its package (temporalio/client/_client.py)."""
    base = module.replace(".", "/")
    files = archive.namelist()
    if f"{base}.py" in files:
        return [archive.read(f"{base}.py").decode("utf-8")]
    return [archive.read(name).decode("utf-8") for name in sorted(files) if name.startswith(f"{base}/") and name.endswith(".py") and name.count("/") == base.count("/") + 1]


def class_definitions(sources: list[str]) -> dict[str, ast.ClassDef]:
    classes: dict[str, ast.ClassDef] = {}
    for source in sources:
        for node in ast.parse(source).body:
            if isinstance(node, ast.ClassDef):
                if node.name in classes:
                    raise SystemExit(f"class {node.name} is defined twice")
                classes[node.name] = node
    return classes


def own_attributes(cls: ast.ClassDef) -> set[str]:
    names: set[str] = set()
    for node in cls.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for sub in ast.walk(target):
                    if isinstance(sub, ast.Name):
                        names.add(sub.id)
                if isinstance(target, ast.Name) and target.id == "__slots__" and node.value is not None:
                    for item in ast.walk(node.value):
                        if isinstance(item, ast.Constant) and isinstance(item.value, str):
                            names.add(item.value)
    if names & {"__getattr__", "__getattribute__"}:
        raise SystemExit(f"class {cls.name} makes attributes on demand: nothing can be said of it")
    # self.<name> = ... (also annotated, augmented, in tuples) in any method
    for method in cls.body:
        if not isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)) or not method.args.args:
            continue
        self_name = method.args.args[0].arg
        for node in ast.walk(method):
            targets = []
            if isinstance(node, ast.Assign):
                targets = node.targets
            elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
                targets = [node.target]
            elif isinstance(node, (ast.For, ast.AsyncFor)):
                targets = [node.target]
            elif isinstance(node, ast.withitem) and node.optional_vars is not None:
                targets = [node.optional_vars]
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr":
                raise SystemExit(f"class {cls.name} sets attributes with setattr: read it by hand")
            for target in targets:
                for sub in ast.walk(target):
                    if isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Name) and sub.value.id == self_name:
                        names.add(sub.attr)
    return names


def attributes(name: str, classes: dict[str, ast.ClassDef], seen: set[str] | None = None) -> set[str]:
    seen = seen or set()
    if name in seen:
        return set()
    seen.add(name)
    cls = classes[name]
    names = own_attributes(cls)
    for base in cls.bases:
        head = base.value if isinstance(base, ast.Subscript) else base
        base_name = head.attr if isinstance(head, ast.Attribute) else head.id if isinstance(head, ast.Name) else None
        if base_name in classes:
            names |= attributes(base_name, classes, seen)
        elif base_name not in PLAIN_BASES:
            raise SystemExit(f"class {name} has a base the script cannot read: {ast.unparse(base)}")
    return names


def main() -> None:
    wheels = sorted(Path(sys.argv[1]).glob("temporalio-*.whl"))
    union: dict[str, set[str]] = {name: set() for name in CLASSES}
    versions = []
    for wheel in wheels:
        versions.append(re.match(r"temporalio-([^-]+)-", wheel.name).group(1))
        with zipfile.ZipFile(wheel) as archive:
            for qualified in CLASSES:
                module, name = qualified.rsplit(".", 1)
                classes = class_definitions(module_sources(archive, module))
                if name not in classes:
                    raise SystemExit(f"{wheel.name}: {module} defines no class {name}")
                union[qualified] |= attributes(name, classes)
    versions.sort(key=lambda v: [int(p) if p.isdigit() else p for p in re.split(r"[.]", v)])
    lines = [
        "// Generated by scripts/python-sdk-members.py from the temporalio wheels on PyPI; do not edit.",
        "// Every attribute of each class (its own and its bases', methods, properties, class variables,",
        "// attributes its methods set on self) in any of these releases: " + ", ".join(versions) + ".",
        "",
        "export const TEMPORALIO_MEMBERS_VERSIONS = " + json.dumps(f"{versions[0]} to {versions[-1]}") + ";",
        "",
        "export const TEMPORALIO_MEMBERS: Record<string, readonly string[]> = {",
    ]
    for qualified, names in union.items():
        lines.append(f"  {json.dumps(qualified)}: [")
        row = "   "
        for name in sorted(names):
            item = " " + json.dumps(name) + ","
            if len(row) + len(item) > 100:
                lines.append(row)
                row = "   "
            row += item
        lines.append(row)
        lines.append("  ],")
    lines.append("};")
    Path(sys.argv[2]).write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
