"""Only ``app.commands`` changes bookings: no page, API, phone menu, SMS reply, console or
import calls the engine's writers itself (README.md, docs/architecture.md).

``scheduling.absences`` is off limits to the channels as a whole (an import contract in
pyproject.toml); ``scheduling.booking`` and ``scheduling.moments`` also hold the types and
queries the channels use, so this reads every module's imports for the writers' names.
The demo seed may call them: it writes history.
"""

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEARCHED = ("app", "ivr", "callcenter")
ALLOWED = {Path("app/commands.py"), Path("app/demo/seed.py")}
WRITERS = {
    "scheduling.booking": {"book", "cancel", "reschedule", "close"},
    "scheduling.moments": {"save"},
}


def _offences(tree: ast.AST) -> Iterator[str]:
    """The imports that hand a module an engine writer, or the engine module itself (whose
    writers are then one attribute away)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in WRITERS:
            for alias in node.names:
                if alias.name in WRITERS[node.module] or alias.name == "*":
                    yield f"line {node.lineno}: from {node.module} import {alias.name}"
        elif isinstance(node, ast.ImportFrom) and node.module == "scheduling":
            for alias in node.names:
                if f"scheduling.{alias.name}" in WRITERS:
                    yield f"line {node.lineno}: from scheduling import {alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in WRITERS:
                    yield f"line {node.lineno}: import {alias.name}"


def _modules() -> Iterator[Path]:
    for top in SEARCHED:
        for path in sorted((ROOT / top).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if relative not in ALLOWED:
                yield relative


def test_only_the_commands_call_the_engines_writers() -> None:
    found = [
        f"{path}, {offence}"
        for path in _modules()
        for offence in _offences(ast.parse((ROOT / path).read_text(), filename=str(path)))
    ]
    assert found == [], "call app.commands instead:\n" + "\n".join(found)


def test_the_check_sees_each_way_of_reaching_a_writer() -> None:
    for source in (
        "from scheduling.booking import BookingRequest, cancel",
        "from scheduling.moments import save as store",
        "from scheduling import booking",
        "import scheduling.moments",
    ):
        assert list(_offences(ast.parse(source))), source
    assert not list(_offences(ast.parse("from scheduling.booking import BookingRequest")))
