"""The import graph of the project's packages has no cycle, not even through an import inside a function.

A function-level import hides a cycle from Python (the module is complete by the time the function
runs) but not from the design: the two modules still depend on each other. The cure is to move the
shared piece into a lower module, or to let a service queue a task by its name
(``core.tasks.enqueue_on_commit``) instead of importing the task.

The packages are the root packages import-linter checks (``[tool.importlinter]`` in pyproject.toml).
"""

import tomllib
from collections import deque
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]


def root_packages() -> list[str]:
    with open(ROOT / "pyproject.toml", "rb") as handle:
        return tomllib.load(handle)["tool"]["importlinter"]["root_packages"]


def import_graph() -> grimp.ImportGraph:
    # Every import counts: module level, inside functions, under TYPE_CHECKING.
    return grimp.build_graph(*root_packages(), cache_dir=None)


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative; the groups of modules that reach each other (two or more, or a self-import)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    groups = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            advanced = False
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = counter
                    counter += 1
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph[successor]))))
                    advanced = True
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1 or node in graph[node]:
                    groups.append(sorted(group))
    return groups


def shortest_cycle(graph: dict[str, set[str]], group: list[str]) -> list[str]:
    """A shortest chain of imports from the group's first module back to itself, staying inside the group."""
    start, members = group[0], set(group)
    previous: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for successor in sorted(graph[node] & members):
            if successor == start:
                chain = [node]
                while chain[-1] != start:
                    chain.append(previous[chain[-1]])
                return [start, *reversed(chain[:-1]), start]
            if successor not in previous:
                previous[successor] = node
                queue.append(successor)
    raise AssertionError(f"no cycle through {start}")  # unreachable for a strongly connected group


def describe(grimp_graph: grimp.ImportGraph, chain: list[str]) -> str:
    steps = []
    for importer, imported in zip(chain, chain[1:], strict=False):
        lines = sorted(
            {detail["line_number"] for detail in grimp_graph.get_import_details(importer=importer, imported=imported)}
        )
        where = f" (line {', '.join(map(str, lines))})" if lines else ""
        steps.append(f"  {importer} imports {imported}{where}")
    return "\n".join(steps)


def test_the_import_graph_has_no_cycle():
    grimp_graph = import_graph()
    graph = {module: set(grimp_graph.find_modules_directly_imported_by(module)) for module in grimp_graph.modules}
    cycles = [shortest_cycle(graph, group) for group in strongly_connected(graph)]
    report = "\n\n".join(
        f"{' -> '.join(chain)}\n{describe(grimp_graph, chain)}" for chain in sorted(cycles, key=lambda c: c[0])
    )
    assert not cycles, f"{len(cycles)} import cycle(s) between modules:\n\n{report}"


def test_the_cycle_finder_reports_a_chain():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e"}}
    assert strongly_connected(graph) == [["a", "b", "c"], ["e"]]
    assert shortest_cycle(graph, ["a", "b", "c"]) == ["a", "b", "c", "a"]
    assert shortest_cycle(graph, ["e"]) == ["e", "e"]


def test_every_root_package_is_checked():
    packages = root_packages()
    assert {"core", "notifications", "liaison", "suggestions", "reports", "config"} <= set(packages)
    for package in packages:
        assert (ROOT / package / "__init__.py").exists(), package


def test_every_app_is_a_container_of_the_in_app_layers_contract():
    """A new app gets the same tasks → entry points → services → selectors → models layering."""
    with open(ROOT / "pyproject.toml", "rb") as handle:
        contracts = tomllib.load(handle)["tool"]["importlinter"]["contracts"]
    [in_app] = [c for c in contracts if c["type"] == "layers" and c.get("containers")]
    apps = set(root_packages()) - {"demo", "config"}  # the demo data and the settings are no app
    missing = sorted(apps - set(in_app["containers"]))
    assert not missing, f"add {missing} to the containers of {in_app['name']!r} in pyproject.toml"
