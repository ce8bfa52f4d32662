"""A flow's Mermaid diagram is documentation people trust, so it must match the code."""

import re
from pathlib import Path

import pytest

from dialogs.flow import END, Flow
from dialogs.flows import all_flows

EDGE = re.compile(r"^\s*(\[\*\]|\w+)\s*-->\s*(\[\*\]|\w+)\s*(?::\s*(\w+))?\s*$")


def diagram_edges(markdown: str) -> tuple[str, set[tuple[str, str, str]]]:
    block = markdown.split("```mermaid", 1)[1].split("```", 1)[0]
    start, edges = "", set()
    for line in block.splitlines():
        match = EDGE.match(line)
        if not match:
            continue
        source, target, outcome = match.groups()
        if source == "[*]":
            start = target
        else:
            edges.add((source, outcome, END if target == "[*]" else target))
    return start, edges


def table_edges(flow: Flow) -> set[tuple[str, str, str]]:
    return {
        (state, outcome, target)
        for state, outcomes in flow.transitions.items()
        for outcome, target in outcomes.items()
    }


def diagram_path(flow: Flow) -> Path:
    return Path(__file__).parents[2] / "dialogs" / "flows" / f"{flow.name}.md"


@pytest.mark.parametrize("flow", all_flows(), ids=lambda f: f.name)
def test_a_flow_with_more_than_three_states_has_a_matching_diagram(flow: Flow) -> None:
    if len(flow.steps) <= 3 and not diagram_path(flow).exists():
        return
    start, edges = diagram_edges(diagram_path(flow).read_text(encoding="utf-8"))
    assert (start, edges) == (flow.start, table_edges(flow))


def test_the_edge_parser_reads_labels_and_end_states() -> None:
    markdown = "```mermaid\nstateDiagram-v2\n  [*] --> a\n  a --> b : go\n  b --> [*] : done\n```"
    assert diagram_edges(markdown) == ("a", {("a", "go", "b"), ("b", "done", END)})
