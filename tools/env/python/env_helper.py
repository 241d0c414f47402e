"""Helpers for `datastack env`, printing one JSON object on stdout. Standard library only.

  env_helper.py deps DIR        the dependencies a project declares (pyproject.toml, requirements.txt)
  env_helper.py imports DIR     top-level modules imported by the .py and .ipynb files under DIR
  env_helper.py installed       name -> version of every distribution in this interpreter
"""
from __future__ import annotations

import ast
import json
import re
import sys
from pathlib import Path

SKIP_DIRS = {"node_modules", "__pycache__", "site-packages", "build", "dist", "venv", "env"}
IMPORT_LINE = re.compile(r"^\s*(?:from\s+([A-Za-z_][\w.]*)\s+import\b|import\s+([A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*))")


def deps(root: Path) -> dict:
    result: dict = {"source": None, "dependencies": [], "extras": {}, "requires_python": None}
    pyproject = root / "pyproject.toml"
    if pyproject.exists():
        try:
            import tomllib
        except ImportError:  # Python < 3.11
            import tomli as tomllib  # type: ignore[no-redef]
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        project = data.get("project", {})
        result.update(
            source="pyproject.toml",
            dependencies=list(project.get("dependencies", [])),
            extras={k: list(v) for k, v in project.get("optional-dependencies", {}).items()},
            requires_python=project.get("requires-python"),
        )
        groups = data.get("dependency-groups", {})
        for name, items in groups.items():
            result["extras"].setdefault(name, [i for i in items if isinstance(i, str)])
    elif (root / "requirements.txt").exists():
        lines = (root / "requirements.txt").read_text(encoding="utf-8").splitlines()
        result.update(source="requirements.txt", dependencies=[l.split("#")[0].strip() for l in lines if l.split("#")[0].strip()])
    if (root / "environment.yml").exists() and result["source"] is None:
        result["source"] = "environment.yml"
    version_file = root / ".python-version"
    if version_file.exists():
        result["python_version_file"] = version_file.read_text(encoding="utf-8").strip()
    return result


def code_files(root: Path):
    for path in sorted(root.rglob("*")):
        parts = path.relative_to(root).parts
        if any(p.startswith(".") or p in SKIP_DIRS for p in parts[:-1]):
            continue
        if path.suffix in (".py", ".ipynb") and path.is_file():
            yield path


def notebook_source(path: Path) -> str:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cells = []
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else source
        if text.lstrip().startswith("%%"):
            # A cell magic: its body may still be Python (%%time), so keep it without the magic line.
            text = text.split("\n", 1)[1] if "\n" in text else ""
        # Line magics and shell escapes are not Python.
        cells.append("\n".join(l for l in text.splitlines() if not l.lstrip().startswith(("%", "!", "?"))))
    return "\n\n".join(cells)


def imported_modules(source: str) -> dict[str, bool]:
    """Module -> optional: True when every import of it sits in a `try` that catches ImportError."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        found: dict[str, bool] = {}
        for line in source.splitlines():
            match = IMPORT_LINE.match(line)
            if match:
                names = [match.group(1)] if match.group(1) else [n.strip() for n in match.group(2).split(",")]
                found.update((n, False) for n in names if n)
        return found
    visitor = _ImportVisitor()
    visitor.visit(tree)
    return visitor.found


class _ImportVisitor(ast.NodeVisitor):
    def __init__(self) -> None:
        self.found: dict[str, bool] = {}
        self.guarded = 0

    def _add(self, name: str) -> None:
        self.found[name] = self.found.get(name, True) and self.guarded > 0

    def visit_Try(self, node: ast.Try) -> None:
        catches = any(_catches_import_error(h.type) for h in node.handlers)
        self.guarded += catches
        for child in node.body:
            self.visit(child)
        self.guarded -= catches
        for child in [*node.handlers, *node.orelse, *node.finalbody]:
            self.visit(child)

    visit_TryStar = visit_Try

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(alias.name)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level == 0 and node.module:
            self._add(node.module)
            # `from google.cloud import storage` names the package only in full.
            for alias in node.names:
                if alias.name != "*":
                    self._add(f"{node.module}.{alias.name}")


def _catches_import_error(kind: ast.expr | None) -> bool:
    if kind is None:
        return True
    names = kind.elts if isinstance(kind, ast.Tuple) else [kind]
    return any(isinstance(n, ast.Name) and n.id in ("ImportError", "ModuleNotFoundError", "Exception") for n in names)


def imports(root: Path) -> dict:
    local: set[str] = set()
    modules: dict[str, dict] = {}
    errors = []
    files = list(code_files(root))
    for path in files:
        if path.suffix == ".py":
            local.add(path.stem)
        for parent in path.relative_to(root).parents:
            if parent.name:
                local.add(parent.name)
    stdlib = set(sys.stdlib_module_names) | {"__future__"}
    for path in files:
        try:
            source = notebook_source(path) if path.suffix == ".ipynb" else path.read_text(encoding="utf-8")
        except (OSError, ValueError) as error:
            errors.append(f"{path.relative_to(root)}: {error}")
            continue
        for dotted, optional in imported_modules(source).items():
            top = dotted.split(".")[0]
            if top in stdlib or top in local:
                continue
            entry = modules.setdefault(top, {"dotted": set(), "files": set(), "optional": True})
            entry["dotted"].add(dotted)
            entry["files"].add(str(path.relative_to(root)))
            entry["optional"] = entry["optional"] and optional
    return {
        "files_scanned": len(files),
        "local": sorted(local),
        "modules": {
            k: {"dotted": sorted(v["dotted"]), "files": sorted(v["files"]), "optional": v["optional"]}
            for k, v in sorted(modules.items())
        },
        "errors": errors,
    }


def installed() -> dict:
    from importlib import metadata

    versions = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        if name:
            versions[re.sub(r"[-_.]+", "-", name).lower()] = dist.version
    return {"python": "%d.%d.%d" % sys.version_info[:3], "packages": versions}


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "deps":
        out = deps(Path(sys.argv[2]))
    elif command == "imports":
        out = imports(Path(sys.argv[2]))
    elif command == "installed":
        out = installed()
    else:
        sys.exit(f"usage: {sys.argv[0]} deps DIR | imports DIR | installed")
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
