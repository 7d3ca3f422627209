"""A branching scenario drawn for its authors: steps and endings as boxes, choices as arrows.

A simple layered layout, computed on the server and drawn as inline SVG by the template (no
script): each step sits one layer below the deepest step that leads to it (the longest route
from the first step), so every arrow points down; endings take the last layer. An arrow that
crosses layers passes through a narrow slot reserved in each layer it crosses, so it never
runs through a box, and a few sweeps order each layer by the positions of its neighbours to
untangle the arrows. Text in an SVG does not wrap: lines are cut to what a box holds, and the
template lists every choice in full, with its points, in tables beside the drawing.

A revision that breaks the quiz rules is drawn all the same: a choice that loops back is drawn
without taking part in the layout, and one that leads nowhere is named in its box.
"""

import textwrap
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from . import vocabulary

STEP_WIDTH, ENDING_WIDTH, SLOT_WIDTH = 300, 190, 14
GAP_X, GAP_Y, MARGIN, PAD = 28, 72, 16, 10
LINE, SMALL_LINE = 16, 14
# Text is cut to what a box holds, by a character's average width as a share of the font size:
# generous, for wide fonts such as DejaVu Sans, the admin's fallback.
CHAR_WIDTH = {"normal": 0.62, "bold": 0.68}
SWEEPS = 4


@dataclass
class MapChoice:
    letter: str
    text: str
    feedback: str
    points: list[tuple[str, int]]
    target: str  # a step's key, an ending's title, or what the choice names if it is missing
    target_node: str | None
    critical: tuple[str, ...]
    reason: str


@dataclass
class MapNode:
    id: str  # "step:<key>" or "end:<slug>"; slots are "slot:<n>"
    kind: str  # step, ending or slot
    key: str = ""
    title: str = ""
    prompt: str = ""
    choices: list[MapChoice] = field(default_factory=list)
    reachable: bool = True
    layer: int = 0
    x: float = 0
    y: float = 0
    width: float = SLOT_WIDTH
    height: float = 0
    texts: list[dict] = field(default_factory=list)  # x, y, text, weight, size, colour
    rows: list[dict] = field(default_factory=list)  # x, y, width, height, critical, title

    @property
    def centre(self) -> float:
        return self.x + self.width / 2


@dataclass
class MapEdge:
    source: str
    target: str
    letters: list[str]
    critical: bool
    route: list[str] = field(default_factory=list)  # the node ids it passes, slots included
    d: str = ""
    label_x: float = 0
    label_y: float = 0

    @property
    def label(self) -> str:
        return ", ".join(self.letters)


@dataclass
class ScenarioMap:
    steps: list[MapNode]
    endings: list[MapNode]
    edges: list[MapEdge]
    dimensions: list[str]
    width: float = 0
    height: float = 0
    slots: list[MapNode] = field(default_factory=list)

    @property
    def critical_count(self) -> int:
        return sum(1 for step in self.steps for choice in step.choices if choice.critical)


def scenario_map(quiz) -> ScenarioMap:
    """The map of a branching quiz (any revision of one, even one that breaks the rules)."""
    steps = [_step_node(quiz, key, n) for n, key in enumerate(quiz.blocks_by_key)]
    endings = [_ending_node(slug, value) for slug, value in quiz.endings_by_slug.items()]
    found = ScenarioMap(steps, endings, _edges(steps), quiz.dimension_list)
    _mark_reachable(found)
    _layout(found)
    return found


def _letter(n: int) -> str:
    return chr(ord("A") + n) if n < 26 else f"A{n - 25}"


def _step_node(quiz, key: str, _n: int) -> MapNode:
    block = quiz.blocks_by_key[key]
    question = quiz.scoring_question(key)
    choices = []
    for n, ((_cid, authored), scored) in enumerate(
        zip(vocabulary.authored(block.value["choices"]), question.choices, strict=True)
    ):
        choices.append(_map_choice(quiz, n, authored, scored))
    prompt = " ".join(strip_tags(block.value["prompt"].source).split())
    return MapNode(id=f"step:{key}", kind="step", key=key, prompt=prompt, choices=choices)


def _map_choice(quiz, n: int, authored, scored) -> MapChoice:
    target = (authored.get("leads_to") or "").strip()
    slug = vocabulary.ending_slug(target)
    if slug is not None:
        ending = quiz.endings_by_slug.get(slug)
        node, name = (f"end:{slug}", ending["title"]) if ending else (None, target)
    else:
        node, name = (f"step:{target}", target) if target in quiz.blocks_by_key else (None, target)
    return MapChoice(
        letter=_letter(n),
        text=authored["text"],
        feedback=authored.get("feedback") or "",
        points=[(d, scored.points.get(d, 0)) for d in quiz.dimension_list],
        target=name,
        target_node=node,
        critical=tuple(scored.critical),
        reason=scored.reason,
    )


def _ending_node(slug: str, value) -> MapNode:
    return MapNode(id=f"end:{slug}", kind="ending", key=slug, title=value["title"])


def _edges(steps: list[MapNode]) -> list[MapEdge]:
    """One arrow per step and target, naming the choices that take it."""
    edges: dict[tuple[str, str], MapEdge] = {}
    for step in steps:
        for choice in step.choices:
            if choice.target_node is None:
                continue
            edge = edges.setdefault(
                (step.id, choice.target_node), MapEdge(step.id, choice.target_node, [], False)
            )
            edge.letters.append(choice.letter)
            edge.critical = edge.critical or bool(choice.critical)
    return list(edges.values())


def _mark_reachable(found: ScenarioMap) -> None:
    following = defaultdict(list)
    for edge in found.edges:
        following[edge.source].append(edge.target)
    reached, todo = set(), [found.steps[0].id] if found.steps else []
    while todo:
        node = todo.pop()
        if node not in reached:
            reached.add(node)
            todo.extend(following[node])
    for node in found.steps + found.endings:
        node.reachable = node.id in reached


# Layout.
def _layout(found: ScenarioMap) -> None:
    for node in found.steps:
        _draw_step(node)
    for node in found.endings:
        _draw_ending(node)
    layers = _layers(found)
    _add_slots(found, layers)
    _order(found, layers)
    _place(found, layers)
    for edge in found.edges:
        _route(found, edge)


def _layers(found: ScenarioMap) -> list[list[MapNode]]:
    """Each step one layer below the deepest step leading to it; loops are left out."""
    forward = _forward_edges(found)
    depth = {step.id: 0 for step in found.steps}
    for node in _topological(found, forward):
        for target in forward[node]:
            depth[target] = max(depth[target], depth[node] + 1)
    last = max(depth.values(), default=-1) + 1
    for node in found.steps:
        node.layer = depth[node.id]
    for node in found.endings:
        node.layer = last
    layers = [[] for _layer in range(last + (1 if found.endings else 0))]
    for node in found.steps + found.endings:
        layers[node.layer].append(node)
    return layers


def _forward_edges(found: ScenarioMap) -> dict[str, list[str]]:
    """Arrows between steps, less those that close a loop (found by a walk from the first)."""
    following = defaultdict(list)
    for edge in found.edges:
        if edge.target.startswith("step:"):
            following[edge.source].append(edge.target)
    forward, state = defaultdict(list), {}
    for root in [step.id for step in found.steps]:
        if root in state:
            continue
        state[root], stack = 1, [(root, iter(following[root]))]
        while stack:
            node, rest = stack[-1]
            for target in rest:
                if state.get(target) == 1:
                    continue  # back to a step on the current route: a loop
                forward[node].append(target)
                if target not in state:
                    state[target] = 1
                    stack.append((target, iter(following[target])))
                    break
            else:
                state[node] = 2
                stack.pop()
    return forward


def _topological(found: ScenarioMap, forward: dict[str, list[str]]) -> list[str]:
    incoming = defaultdict(int)
    for targets in forward.values():
        for target in targets:
            incoming[target] += 1
    ready = [step.id for step in found.steps if not incoming[step.id]]
    order = []
    while ready:
        node = ready.pop(0)
        order.append(node)
        for target in forward[node]:
            incoming[target] -= 1
            if not incoming[target]:
                ready.append(target)
    return order


def _add_slots(found: ScenarioMap, layers: list[list[MapNode]]) -> None:
    """A narrow slot in each layer that an arrow crosses, which the arrow passes through."""
    by_id = {node.id: node for node in found.steps + found.endings}
    for edge in found.edges:
        source, target = by_id[edge.source], by_id[edge.target]
        edge.route = [source.id]
        for layer in range(source.layer + 1, target.layer):
            slot = MapNode(id=f"slot:{len(found.slots)}", kind="slot", layer=layer)
            found.slots.append(slot)
            layers[layer].append(slot)
            edge.route.append(slot.id)
        edge.route.append(target.id)


def _order(found: ScenarioMap, layers: list[list[MapNode]]) -> None:
    """Sweeps down and up, each layer sorted by the mean position of its neighbours."""
    above, below = defaultdict(list), defaultdict(list)
    for edge in found.edges:
        for upper, lower in zip(edge.route, edge.route[1:], strict=False):
            below[upper].append(lower)
            above[lower].append(upper)
    position = {n.id: i for layer in layers for i, n in enumerate(layer)}
    for _sweep in range(SWEEPS):
        for neighbours, sequence in ((above, layers[1:]), (below, layers[-2::-1])):
            for layer in sequence:
                layer.sort(key=lambda n, nb=neighbours: _mean(nb[n.id], position, n.id))
                position.update({n.id: i for i, n in enumerate(layer)})


def _mean(ids: list[str], position: dict[str, int], own: str) -> float:
    placed = [position[i] for i in ids if i in position]
    return sum(placed) / len(placed) if placed else position[own]


def _place(found: ScenarioMap, layers: list[list[MapNode]]) -> None:
    widths = [sum(n.width for n in layer) + GAP_X * (len(layer) - 1) for layer in layers]
    widest = max(widths, default=0)
    top = MARGIN
    for layer, width in zip(layers, widths, strict=True):
        height = max((n.height for n in layer if n.kind != "slot"), default=0)
        x = MARGIN + (widest - width) / 2
        for node in layer:
            node.x, node.y = x, top
            if node.kind == "slot":
                node.height = height
            else:
                _shift(node)
            x += node.width + GAP_X
        top += height + GAP_Y
    found.width = widest + 2 * MARGIN
    found.height = top - GAP_Y + MARGIN


def _route(found: ScenarioMap, edge: MapEdge) -> None:
    """The arrow's path: out of the source's bottom, down through its slots, into the
    target's top, spread along both sides so that arrows do not start or end on each other."""
    by_id = {node.id: node for node in found.steps + found.endings + found.slots}
    nodes = [by_id[i] for i in edge.route]
    source, target = nodes[0], nodes[-1]
    start = (_spread(found, source, edge, outgoing=True), source.y + source.height)
    end = (_spread(found, target, edge, outgoing=False), target.y)
    points = [start]
    for slot in nodes[1:-1]:
        points += [(slot.centre, slot.y), (slot.centre, slot.y + slot.height)]
    points.append(end)
    edge.d = _path(points)
    edge.label_x, edge.label_y = start[0] + 4, start[1] + 14


def _spread(found: ScenarioMap, node: MapNode, edge: MapEdge, *, outgoing: bool) -> float:
    by_id = {n.id: n for n in found.steps + found.endings + found.slots}
    mine = [e for e in found.edges if (e.source if outgoing else e.target) == node.id]
    other = {id(e): by_id[e.route[1] if outgoing else e.route[-2]].centre for e in mine}
    mine.sort(key=lambda e: other[id(e)])
    return node.x + node.width * (mine.index(edge) + 1) / (len(mine) + 1)


def _path(points: list[tuple[float, float]]) -> str:
    (x, y), parts = points[0], [f"M{points[0][0]:.1f},{points[0][1]:.1f}"]
    for qx, qy in points[1:]:
        if qx == x:
            parts.append(f"L{qx:.1f},{qy:.1f}")
        else:
            bend = max(abs(qy - y) / 2, 24)
            parts.append(f"C{x:.1f},{y + bend:.1f} {qx:.1f},{qy - bend:.1f} {qx:.1f},{qy:.1f}")
        x, y = qx, qy
    return " ".join(parts)


# What each box says, placed relative to the box (shifted into place once it is laid out).
def _fit(text: str, width: float, lines: int = 1, *, size=12, weight="normal") -> list[str]:
    budget = max(8, int((width - 2 * PAD) / (size * CHAR_WIDTH[weight])))
    wrapped = textwrap.wrap(text, budget) or [""]
    if len(wrapped) > lines:
        wrapped = [*wrapped[: lines - 1], Truncator(" ".join(wrapped[lines - 1 :])).chars(budget)]
    return wrapped


def _text(node, y, text, *, weight="normal", size=12, colour="#1f2933"):
    node.texts.append(
        {"x": PAD, "y": y, "text": text, "weight": weight, "size": size, "colour": colour}
    )


def _points_text(choice: MapChoice) -> str:
    shown = [f"{d} {_signed(p)}" for d, p in choice.points if p] or [_("no points")]
    return " · ".join(shown) + f" → {choice.target}"


def _signed(points: int) -> str:
    return f"+{points}" if points > 0 else f"−{-points}" if points < 0 else "0"


def _draw_step(node: MapNode) -> None:
    node.width, y = STEP_WIDTH, PAD + 12
    _text(node, y, _("Step %(key)s") % {"key": node.key}, weight="bold", size=13)
    for line in _fit(node.prompt, node.width, lines=2):
        y += LINE
        _text(node, y, line, colour="#3d4852")
    y += PAD
    for choice in node.choices:
        top = y
        lines = [
            (line, "bold", 12, "#1f2933")
            for line in _fit(f"{choice.letter}. {choice.text}", node.width, 2, weight="bold")
        ]
        lines.append((_fit(_points_text(choice), node.width, size=11)[0], "normal", 11, "#3d4852"))
        if choice.critical:
            critical = "⚠ " + _("critical on %(dimensions)s") % {
                "dimensions": ", ".join(choice.critical)
            }
            lines.append((_fit(critical, node.width, size=11)[0], "bold", 11, "#a4161a"))
        for text, weight, size, colour in lines:
            y += SMALL_LINE
            _text(node, y, text, weight=weight, size=size, colour=colour)
        y += PAD / 2
        node.rows.append(
            {
                "y": top + 2,
                "height": y - top,
                "critical": bool(choice.critical),
                "title": f"{choice.letter}. {choice.text}",
            }
        )
    node.height = y + PAD / 2


def _draw_ending(node: MapNode) -> None:
    node.width, y = ENDING_WIDTH, PAD + 11
    _text(node, y, _("Ending"), size=11, colour="#3d4852")
    for line in _fit(node.title, node.width, lines=2, weight="bold"):
        y += LINE
        _text(node, y, line, weight="bold")
    y += SMALL_LINE
    _text(node, y, f"end:{node.key}", size=11, colour="#3d4852")
    node.height = y + PAD


def _shift(node: MapNode) -> None:
    for text in node.texts:
        text["x"] += node.x
        text["y"] += node.y
    for row in node.rows:
        row["y"] += node.y
        row["x"], row["width"] = node.x + 1, node.width - 2
