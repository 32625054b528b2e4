"""The package's shape, read from its source: data flows sources -> model -> layout -> renderers,
with no import cycles, and only the CLI prints or exits."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "src" / "sopdoc"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Every sopdoc module -> the sopdoc modules it imports (at the top or inside a function)."""
    modules = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("sopdoc"):
                assert node.level == 0, f"{name}: relative import"
                for alias in node.names:  # `from sopdoc.sources import flow` imports a module
                    candidate = f"{node.module}.{alias.name}"
                    found.add(candidate if candidate in modules else node.module)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names if alias.name.startswith("sopdoc"))
        graph[name] = {module for module in found if module in modules and module != name}
    return graph


def _in(module: str, *packages: str) -> bool:
    return any(module == package or module.startswith(package + ".") for package in packages)


def test_no_import_cycles():
    graph = _imports()
    state: dict[str, str] = {}

    def visit(module: str, trail: list[str]) -> None:
        state[module] = "open"
        for target in sorted(graph[module]):
            assert state.get(target) != "open", "import cycle: " + " -> ".join(trail + [module, target])
            if target not in state:
                visit(target, trail + [module])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [])


def test_each_stage_imports_only_the_stages_before_it():
    later = {
        "sopdoc.sources": ("sopdoc.layout", "sopdoc.render", "sopdoc.build", "sopdoc.site", "sopdoc.sign"),
        "sopdoc.layout": ("sopdoc.render", "sopdoc.build", "sopdoc.site", "sopdoc.sign", "sopdoc.sources"),
        "sopdoc.render": ("sopdoc.build", "sopdoc.site", "sopdoc.sign", "sopdoc.sources"),
        # model -> what changed between two versions; the render stage may show it (the change sheet)
        "sopdoc.revisions": ("sopdoc.layout", "sopdoc.render", "sopdoc.build", "sopdoc.site", "sopdoc.sign"),
    }
    graph = _imports()
    wrong = [f"{module} imports {target}"
             for module, targets in graph.items() for target in targets
             for stage, forbidden in later.items() if _in(module, stage) and _in(target, *forbidden)]
    assert wrong == []
    # the shared vocabulary: its fields declare their source keys, and that is all it knows
    assert graph["sopdoc.model"] <= {"sopdoc.diagnostics", "sopdoc.indonesian", "sopdoc.waktu",
                                     "sopdoc.sources.kinds", "sopdoc.sources.records"}


def test_renderers_share_only_render_content():
    renderers = ("sopdoc.render.pdf", "sopdoc.render.docx", "sopdoc.render.graphviz")
    wrong = [f"{module} imports {target}"
             for module, targets in _imports().items() for target in targets
             for renderer in renderers if _in(module, renderer)
             and _in(target, *renderers) and not _in(target, renderer)]
    assert wrong == []


def test_only_the_cli_prints_or_exits():
    wrong = []
    for path in PACKAGE.rglob("*.py"):
        if path.parent.name == "cli":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                called = ast.unparse(node.func)
                if called in ("print", "sys.exit", "exit", "click.echo", "os._exit"):
                    wrong.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {called}")
    assert wrong == []


def test_only_wordml_touches_raw_wordprocessingml():
    """Raw XML (WordprocessingML in wordml.py, the flowchart's DrawingML in drawingml.py) stays
    in those modules of render/docx; the writers only call them. bundle.py is the third: it
    imports finished lampiran packages into a decree (their parts, relationships and sectPr),
    which is XML work through and through, and writes no content of its own."""
    allowed = {PACKAGE / "render" / "docx" / name for name in ("wordml.py", "drawingml.py", "bundle.py")}
    wrong = []
    for path in PACKAGE.rglob("*.py"):
        if path in allowed:
            continue
        text = path.read_text(encoding="utf-8")
        wrong += [f"{path.relative_to(PACKAGE)}: {marker}"
                  for marker in ("OxmlElement", "docx.oxml", "._p.", "._element", "._tc") if marker in text]
    assert wrong == []
