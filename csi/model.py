"""The indicator model: a tree of groups and items loaded from ``indicators.yaml``.

The file format is described in README.md, "The model file". Loading is strict: unknown keys, wrong types,
duplicate ids, duplicate YAML keys, non-positive weights, AHP matrices that are not square,
reciprocal or consistent, and invalid regexes are all reported together, each with the file,
the line, the path in the tree (``children[1].children[0].weight``) and what would be valid.

>>> model = load_model_text('''
... name: demo
... children:
...   - {id: a, name: A, column: Q1}
...   - {id: b, name: B, column: Q2, reverse: true}
... ''')
>>> [item.id for item in model.items], model.root.children[1].reverse
(['a', 'b'], True)
"""

from __future__ import annotations

import difflib
import hashlib
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import yaml

from csi.errors import Issue, ModelError
from csi.path_model import CONSTRUCT_KEYS, DEFAULT_TOL, OUTCOME_ID, PATHS_KEYS, SCHEMES, Construct, Structure, check_arrows, read_arrows
from csi.weighting.registry import DATA_METHODS, METHODS, OptionProblem, read_options

__all__ = [
    "Grade",
    "Scale",
    "Item",
    "Group",
    "Outcome",
    "Quality",
    "Model",
    "load_model",
    "load_model_text",
    "resolve_model",
    "default_model_path",
    "ROOT_ID",
    "METHOD_NAMES",
    "ITEM_TYPES",
    "DATA_METHODS",
    "with_method",
    "method_issues",
]

ROOT_ID = "overall"
#: Weighting methods a group may name, as csi.weighting.registry declares them.
METHOD_NAMES = tuple(METHODS)
ITEM_TYPES = ("rating", "metric", "nps")
MAX_MODEL_BYTES = 1_000_000
MAX_MODEL_NODES = 20_000
_ID_RE = re.compile(r"^[a-z0-9_]+$")

_ROOT_KEYS = (
    "name", "description", "scale", "labels", "missing", "target", "method", "ahp", "ahp_max_cr",
    "outcome", "nps", "children", "segments", "pii", "quality", "population", "options", "comments", "grades", "paths",
)
_GROUP_KEYS = (
    "id", "name", "description", "weight", "method", "ahp", "ahp_max_cr", "target", "children",
    "scale", "labels", "missing", "options",
)
_ITEM_KEYS = (
    "id", "name", "description", "column", "match", "scale", "labels", "missing", "reverse",
    "target", "weight", "type", "best", "worst",
)
_OUTCOME_KEYS = ("name", "items", "scale", "labels", "missing")
_QUALITY_KEYS = ("min_duration", "min_answered", "straightline_min_items", "max_margin", "duplicate_by")
_POPULATION_KEYS = ("size", "margins", "trim")
_GRADE_KEYS = ("name", "min", "value")


@dataclass(frozen=True, slots=True)
class Scale:
    """The answer scale of an item: raw answers from ``min`` to ``max``."""

    min: float
    max: float


@dataclass(frozen=True, slots=True)
class Item:
    """A leaf of the tree, bound to one survey column.

    ``type`` is ``rating`` (a scale answer rescaled to 0–100), ``metric`` (a measured value
    scored 100 at or better than ``best`` and 0 at or worse than ``worst``) or ``nps``
    (a 0–10 recommendation question).
    """

    id: str
    name: str
    path: str
    column: str | None
    match: str | None
    scale: Scale
    labels: tuple[tuple[str, float], ...] = ()
    missing: tuple[str, ...] = ()
    reverse: bool = False
    target: float = 80.0
    weight: float | None = None
    type: str = "rating"
    best: float | None = None
    worst: float | None = None

    @property
    def kind(self) -> str:
        return "item"

    @property
    def spec(self) -> str:
        """How the column is found, for messages."""
        return f"match: {self.match!r}" if self.match is not None else f"column: {self.column!r}"


@dataclass(frozen=True, slots=True)
class Group:
    """An inner node; its score is the weighted sum of its children's scores."""

    id: str
    name: str
    path: str
    children: tuple[Group | Item, ...]
    weight: float | None = None
    method: str = "fixed"
    ahp: tuple[tuple[float, ...], ...] | None = None
    ahp_max_cr: float = 0.10
    target: float = 80.0
    #: Options of a data-driven method (policy, variant, scheme, scaled, allow_negative).
    options: tuple[tuple[str, Any], ...] = ()
    #: Whether the file names this group's method (False: inherited from above).
    method_set: bool = False

    @property
    def kind(self) -> str:
        return "group"


@dataclass(frozen=True, slots=True)
class Outcome:
    """Direct satisfaction questions (ACSI style); their mean is the outcome index."""

    name: str
    items: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class Quality:
    """Respondent data-quality rules (docs/methods.md#data-quality)."""

    min_duration: float | None = None
    min_answered: float = 0.5
    straightline_min_items: int = 5
    max_margin: float | None = None
    #: Columns that together identify a respondent (default: the export's own id column).
    duplicate_by: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Grade:
    """A grade band on the 0–100 item scale (the model's ``grades:``, docs/methods.md#grade-view):
    a value belongs to the band when ``min`` ≤ value < ``upper`` (the best band includes 100);
    ``value`` is the band's score in B·V (default the band's midpoint)."""

    name: str
    min: float
    upper: float
    value: float


@dataclass(frozen=True, slots=True)
class Model:
    """A validated model. ``root`` is the index itself (id ``overall``)."""

    name: str
    root: Group
    outcome: Outcome | None = None
    nps: Item | None = None
    segments: tuple[str, ...] = ()
    pii: tuple[str, ...] = ()
    quality: Quality = field(default_factory=Quality)
    population: int | None = None
    path: str = "<text>"
    sha256: str = ""
    #: Population shares to rake respondent weights to: ((column, ((category, share), …)), …).
    margins: tuple[tuple[str, tuple[tuple[str, float], ...]], ...] = ()
    #: Cap on raked weights, as a multiple of the mean weight.
    trim: float | None = None
    #: Open-text columns quoted (masked) beside the weak points with --verbatims.
    comments: tuple[str, ...] = ()
    #: Grade bands of the grade view, best first (empty: the scale points are the grades).
    grades: tuple[Grade, ...] = ()
    #: The structural model of a ``paths:`` section (None: the star model of the weights).
    structure: Structure | None = None
    #: Items of the constructs declared under ``paths.constructs``: read, never in the index.
    construct_items: tuple[Item, ...] = ()

    @property
    def items(self) -> tuple[Item, ...]:
        """The index's items in tree order (outcome and NPS items excluded)."""
        return tuple(n for n in walk(self.root) if isinstance(n, Item))

    @property
    def groups(self) -> tuple[Group, ...]:
        """Every group in pre-order, the root first."""
        return tuple(n for n in walk(self.root) if isinstance(n, Group))

    @property
    def all_items(self) -> tuple[Item, ...]:
        """Index items, outcome items, items of declared constructs, then the NPS item: every
        column the model reads."""
        extra = self.outcome.items if self.outcome else ()
        return self.items + extra + self.construct_items + ((self.nps,) if self.nps else ())

    def node(self, node_id: str) -> Group | Item:
        for n in walk(self.root):
            if n.id == node_id:
                return n
        for n in self.all_items:
            if n.id == node_id:
                return n
        raise KeyError(node_id)


def walk(node: Group | Item) -> Iterator[Group | Item]:
    """Pre-order traversal of a tree."""
    yield node
    if isinstance(node, Group):
        for child in node.children:
            yield from walk(child)


def default_model_path() -> Path:
    """The model shipped inside the package (the accounting-services index).

    In the repository it is ``indicators.yaml`` at the root; ``csi/data/indicators.yaml`` is a
    symbolic link to it, which setuptools follows when it builds a wheel or an sdist, so an
    installed package holds the file itself (docs/architecture.md#the-built-in-model)."""
    return Path(__file__).with_name("data") / "indicators.yaml"


def resolve_model(path: str | Path | None = None) -> Model:
    """``path``; else ``./indicators.yaml`` when present; else the packaged default model."""
    if path is not None:
        return load_model(path)
    local = Path("indicators.yaml")
    return load_model(local if local.is_file() else default_model_path())


def load_model(path: str | Path) -> Model:
    """Load and validate a model file.

    Raises
    ------
    ModelError
        With every problem found, each naming the file, line and path in the tree.
    """
    p = Path(path)
    try:
        if p.is_dir():
            raise ModelError(Issue("model-not-file", "is a directory; give the path of a .yaml file", file=str(p)))
        size = p.stat().st_size
        if size > MAX_MODEL_BYTES:
            raise ModelError(Issue("model-too-large", f"{size} bytes; a model file may have at most {MAX_MODEL_BYTES}", file=str(p)))
        data = p.read_bytes()
    except FileNotFoundError:
        raise ModelError(Issue("model-not-found", "no such file; `csi init` writes a starter indicators.yaml", file=str(p))) from None
    except OSError as e:
        raise ModelError(Issue("model-unreadable", f"cannot read: {e.strerror}", file=str(p))) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ModelError(Issue("model-encoding", f"not UTF-8 text (byte {e.start}); save the model as UTF-8", file=str(p))) from None
    return load_model_text(text, file=str(p), sha256=hashlib.sha256(data).hexdigest())


def load_model_text(text: str, file: str = "<text>", sha256: str | None = None) -> Model:
    """Load a model from YAML text (see :func:`load_model`)."""
    if sha256 is None:
        sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    raw = _parse_yaml(text, file)
    builder = _Builder(file)
    model = builder.build(raw, sha256)
    if builder.issues:
        raise ModelError(builder.issues)
    assert model is not None  # built without issues
    return model


# --------------------------------------------------------------------------- YAML with lines


class _Map(dict):
    """A mapping that remembers the line of each key."""

    line: int = 0
    key_lines: dict


class _Seq(list):
    line: int = 0
    item_lines: list


#: Deepest nesting of mappings and lists in a model file; a real model is a dozen levels deep.
#: PyYAML composes and constructs recursively, so a deeper file would hit Python's recursion limit.
MAX_YAML_DEPTH = 64


class _TooDeep(yaml.composer.ComposerError):
    pass


class _Loader(yaml.SafeLoader):
    """Safe loader that refuses duplicate keys, bounds nesting and keeps line numbers."""

    def __init__(self, stream: str, file: str) -> None:
        super().__init__(stream)
        self.file = file
        self.duplicates: list[Issue] = []
        self.depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self.depth += 1
        try:
            if self.depth > MAX_YAML_DEPTH:
                raise _TooDeep(None, None, f"nested more than {MAX_YAML_DEPTH} levels deep", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> _Map:  # type: ignore[override]
        own = sum(1 for key_node, _ in node.value if key_node.tag != "tag:yaml.org,2002:merge")
        self.flatten_mapping(node)
        merged = len(node.value) - own  # "<<: *base" pairs come first; the mapping's own keys may override them
        out = _Map()
        out.line = node.start_mark.line + 1
        out.key_lines = {}
        seen: set = set()
        for i, (key_node, value_node) in enumerate(node.value):
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                raise yaml.constructor.ConstructorError(None, None, "a mapping key must be a plain value", key_node.start_mark)
            line = key_node.start_mark.line + 1
            if i >= merged and key in seen:
                self.duplicates.append(Issue(
                    "yaml-duplicate-key",
                    f"key {key!r} appears twice in one mapping (first on line {out.key_lines[key]}); "
                    "YAML keeps only the last one, so remove one of them",
                    file=self.file, line=line))
            if i >= merged:
                seen.add(key)
            out[key] = self.construct_object(value_node, deep=True)
            out.key_lines[key] = line
        return out

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> _Seq:  # type: ignore[override]
        out = _Seq(self.construct_object(child, deep=True) for child in node.value)
        out.line = node.start_mark.line + 1
        out.item_lines = [child.start_mark.line + 1 for child in node.value]
        return out


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_sequence)


def _parse_yaml(text: str, file: str) -> Any:
    loader = _Loader(text, file)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else None
        col = f", column {mark.column + 1}" if mark else ""
        at = f" (column {mark.column + 1})" if mark else ""
        what = " ".join((e.problem or e.context or "syntax error").split())
        code, message = "yaml-syntax", f"YAML syntax error{col}: {what}"
        if isinstance(e, _TooDeep):
            code, message = "model-too-deep", f"mappings and lists are {what}{at}; a model is a tree a few levels deep"
        elif "could not determine a constructor for the tag" in what:
            tag = what.rpartition("tag ")[2].strip("'").replace("tag:yaml.org,2002:", "!!")
            code, message = "yaml-tag", (f"the tag {tag}{at} is not allowed: a model holds only mappings, lists, text, "
                                         "numbers and true/false")
        elif "recursive" in what:
            code, message = "yaml-recursive-alias", (f"an alias{at} points into the mapping or list that holds it; "
                                                     "aliases (*name) may repeat a node but not loop back into it")
        elif "\t" in what or "'\\t'" in what:
            message += "; indent with spaces, YAML does not allow tabs"
        raise ModelError(Issue(code, message, file=file, line=line)) from None
    except RecursionError:  # the depth bound above keeps this from happening; never a traceback
        raise ModelError(Issue("model-too-deep", "mappings and lists are nested too deep; a model is a tree a few "
                               "levels deep", file=file)) from None
    except yaml.YAMLError as e:
        raise ModelError(Issue("yaml-syntax", f"YAML syntax error: {e}", file=file)) from None
    finally:
        loader.dispose()
    if loader.duplicates:
        raise ModelError(loader.duplicates)
    if data is None:
        raise ModelError(Issue("model-empty", "the model file is empty; `csi init` writes a starter", file=file))
    if not isinstance(data, dict):
        raise ModelError(Issue("model-not-mapping", f"the top level must be a mapping with name, children, …, got {_kind(data)}", file=file, line=1))
    return data


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        shown = repr(value) if len(value) <= 60 else repr(value[:40] + "…")
        number = _number(value)
        return f"the text {shown}" + (" (a number too large for any score)" if number is not None and math.isinf(number) else "")
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing"
    return type(value).__name__


# --------------------------------------------------------------------------- validation


def _number(value: Any) -> float | None:
    """A YAML number or an "a/b" fraction string; None when it is neither."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        text = value.strip().replace(" ", "")
        if "/" not in text:  # float() reads "1e999" as inf at once; Fraction would build 10**999 first
            try:
                x = float(text)
            except ValueError:
                return None
            return x if _DECIMAL.fullmatch(text) else None  # (not "inf", "nan", "1_0")
        try:
            return float(Fraction(text))
        except (ValueError, ZeroDivisionError):
            return None
        except OverflowError:  # "10**400/1": a number, too large for a float
            return math.inf if not text.startswith("-") else -math.inf
    return None


_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


class _Builder:
    def __init__(self, file: str) -> None:
        self.file = file
        self.issues: list[Issue] = []
        self.ids: dict[str, str] = {}
        self.nodes = 0

    # -- helpers
    def problem(self, code: str, message: str, path: str, container: Any = None, key: Any = None) -> None:
        line = None
        if isinstance(container, _Map):
            line = container.key_lines.get(key, container.line) if key is not None else container.line
        elif isinstance(container, _Seq):
            line = container.item_lines[key] if isinstance(key, int) and key < len(container.item_lines) else container.line
        self.issues.append(Issue(code, message, file=self.file, path=path or "(top level)", line=line))

    def check_keys(self, mapping: _Map, allowed: tuple[str, ...], path: str, what: str) -> None:
        for key in mapping:
            if key in allowed:
                continue
            guess = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
            hint = f"did you mean {guess[0]!r}?" if guess else "valid keys: " + ", ".join(allowed)
            self.problem("unknown-key", f"unknown key {key!r} in {what}; {hint}", _join(path, str(key)), mapping, key)

    def text(self, mapping: _Map, key: str, path: str, required: bool = False) -> str | None:
        if key not in mapping or mapping[key] is None:
            if required:
                self.problem("missing-key", f"{key!r} is required", _join(path, key), mapping)
            return None
        value = mapping[key]
        if isinstance(value, (dict, list)) or isinstance(value, bool):
            self.problem("wrong-type", f"expected text, got {_kind(value)}", _join(path, key), mapping, key)
            return None
        return str(value)

    def num(self, mapping: _Map, key: str, path: str, lo: float | None = None, hi: float | None = None,
            lo_open: bool = False, what: str = "a number") -> float | None:
        if key not in mapping or mapping[key] is None:
            return None
        value = _number(mapping[key])
        if value is None or not math.isfinite(value):
            self.problem("wrong-type", f"expected {what}, got {_kind(mapping[key])}", _join(path, key), mapping, key)
            return None
        if (lo is not None and (value < lo or (lo_open and value <= lo))) or (hi is not None and value > hi):
            self.problem("out-of-range", f"expected {what}, got {value:g}", _join(path, key), mapping, key)
            return None
        return value

    def flag(self, mapping: _Map, key: str, path: str) -> bool:
        value = mapping.get(key, False)
        if not isinstance(value, bool):
            self.problem("wrong-type", f"expected true or false, got {_kind(value)}", _join(path, key), mapping, key)
            return False
        return value

    def strings(self, mapping: _Map, key: str, path: str) -> tuple[str, ...] | None:
        if key not in mapping or mapping[key] is None:
            return None
        value = mapping[key]
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return (str(value),)
        if not isinstance(value, list) or any(isinstance(v, (dict, list)) for v in value):
            self.problem("wrong-type", f"expected a list of texts, got {_kind(value)}", _join(path, key), mapping, key)
            return None
        return tuple(str(v) for v in value)

    def scale(self, mapping: _Map, path: str, default: Scale) -> Scale:
        if "scale" not in mapping:
            return default
        value = mapping["scale"]
        spath = _join(path, "scale")
        if not isinstance(value, _Map):
            self.problem("wrong-type", f"expected {{min: …, max: …}}, got {_kind(value)}", spath, mapping, "scale")
            return default
        self.check_keys(value, ("min", "max"), spath, "a scale")
        lo = self.num(value, "min", spath)
        hi = self.num(value, "max", spath)
        if lo is None or hi is None:
            if "min" not in value or "max" not in value:
                self.problem("missing-key", "a scale needs both min and max, e.g. {min: 1, max: 5}", spath, mapping, "scale")
            return default
        if hi <= lo:
            self.problem("bad-scale", f"max ({hi:g}) must be greater than min ({lo:g})", spath, mapping, "scale")
            return default
        return Scale(lo, hi)

    def labels(self, mapping: _Map, path: str, default: tuple[tuple[str, float], ...]) -> tuple[tuple[str, float], ...]:
        if "labels" not in mapping:
            return default
        value = mapping["labels"]
        lpath = _join(path, "labels")
        if value is None:
            return ()
        if not isinstance(value, _Map):
            self.problem("wrong-type", f"expected a mapping of answer text to scale point (非常满意: 5), got {_kind(value)}", lpath, mapping, "labels")
            return default
        out = []
        for label, point in value.items():
            number = _number(point)
            if number is None:
                self.problem("wrong-type", f"label {label!r} must map to a number, got {_kind(point)}", _join(lpath, str(label)), value, label)
                continue
            out.append((str(label).strip(), number))
        return tuple(out)

    def method(self, mapping: _Map, path: str, default: str) -> str:
        value = mapping.get("method", default)
        if value not in METHOD_NAMES:
            guess = difflib.get_close_matches(str(value), METHOD_NAMES, n=1)
            hint = f"; did you mean {guess[0]!r}?" if guess else ""
            self.problem("unknown-method", f"unknown weighting method {value!r}; valid: {', '.join(METHOD_NAMES)}{hint}",
                         _join(path, "method"), mapping, "method")
            return default
        return str(value)

    def register_id(self, mapping: _Map, path: str) -> str:
        value = mapping.get("id")
        if value is None:
            self.problem("missing-key", "every node needs an id ([a-z0-9_]+, unique in the file)", _join(path, "id"), mapping)
            return f"_missing_{len(self.ids)}"
        node_id = str(value)
        if not _ID_RE.match(node_id):
            self.problem("bad-id", f"id {node_id!r} may use only a-z, 0-9 and _", _join(path, "id"), mapping, "id")
        elif node_id == ROOT_ID:
            self.problem("bad-id", f"id {ROOT_ID!r} is reserved for the index itself; choose another", _join(path, "id"), mapping, "id")
        elif node_id in self.ids:
            self.problem("duplicate-id", f"id {node_id!r} is already used at {self.ids[node_id]}; ids must be unique in the file",
                         _join(path, "id"), mapping, "id")
        else:
            self.ids[node_id] = path or "(top level)"
        return node_id

    def count(self, path: str, mapping: Any) -> bool:
        self.nodes += 1
        if self.nodes > MAX_MODEL_NODES:
            if self.nodes == MAX_MODEL_NODES + 1:
                self.problem("model-too-large", f"more than {MAX_MODEL_NODES} nodes (YAML aliases expand); a model this size is not a survey",
                             path, mapping)
            return False
        return True

    # -- structure
    def build(self, raw: _Map, sha256: str) -> Model | None:
        self.check_keys(raw, _ROOT_KEYS, "", "the model")
        name = self.text(raw, "name", "") or Path(self.file).stem
        defaults = {
            "scale": self.scale(raw, "", Scale(1.0, 5.0)),
            "labels": self.labels(raw, "", ()),
            "missing": self.strings(raw, "missing", "") or (),
            "target": self.num(raw, "target", "", 0, 100, what="a target score from 0 to 100"),
            "method": self.method(raw, "", "fixed"),
        }
        if defaults["target"] is None:
            defaults["target"] = 80.0
        root = self.group(raw, "", defaults, is_root=True, name=name)
        outcome = self.outcome(raw, defaults)
        nps = None
        if "nps" in raw and raw["nps"] is not None:
            nps = self.item(raw["nps"], "nps", defaults, forced_type="nps", container=raw, key="nps")
        segments = self.strings(raw, "segments", "") or ()
        pii = self.strings(raw, "pii", "") or ()
        quality = self.quality(raw)
        population = self.population(raw)
        margins, trim = self.margins(raw)
        grades = _grades_of(self, raw)
        if self.issues or root is None:
            return None
        structure, construct_items = self.paths(raw, defaults, root, outcome)
        if self.issues:
            return None
        model = Model(name=name, root=root, outcome=outcome, nps=nps, segments=segments, pii=pii, quality=quality,
                      population=population, path=self.file, sha256=sha256, margins=margins, trim=trim,
                      comments=self.strings(raw, "comments", "") or (), grades=grades, structure=structure,
                      construct_items=construct_items)
        for issue in method_issues(model):
            self.issues.append(Issue(issue.code, issue.message, file=self.file, path=issue.path, line=self._line_of(raw, issue.path)))
        return None if self.issues else model

    def _line_of(self, raw: _Map, path: str | None) -> int | None:
        """The line of a tree path such as ``children[1].method``, as far as it resolves."""
        node: Any = raw
        line = raw.line
        for part in re.findall(r"[^.\[\]]+|\[\d+\]", path or ""):
            if part.startswith("["):
                i = int(part[1:-1])
                if isinstance(node, _Seq) and i < len(node):
                    line = node.item_lines[i]
                    node = node[i]
                else:
                    break
            elif isinstance(node, _Map) and part in node:
                line = node.key_lines.get(part, line)
                node = node[part]
            else:
                break
        return line

    def group(self, raw: _Map, path: str, inherited: dict, is_root: bool = False, name: str | None = None) -> Group | None:
        if not self.count(path, raw):
            return None
        if not is_root:
            self.check_keys(raw, _GROUP_KEYS, path, "a group")
            node_id = self.register_id(raw, path)
            name = self.text(raw, "name", path) or node_id
        else:
            node_id = ROOT_ID
        here = dict(inherited)
        if not is_root:
            here["scale"] = self.scale(raw, path, inherited["scale"])
            here["labels"] = self.labels(raw, path, inherited["labels"])
            here["missing"] = self.strings(raw, "missing", path) or inherited["missing"]
            target = self.num(raw, "target", path, 0, 100, what="a target score from 0 to 100")
            here["target"] = inherited["target"] if target is None else target
        method = self.method(raw, path, inherited["method"]) if not is_root else inherited["method"]
        kids = raw.get("children")
        cpath = _join(path, "children")
        if not isinstance(kids, _Seq) or not kids:
            self.problem("missing-key" if kids is None else "wrong-type",
                         "a group needs a non-empty list of children (groups with children, items with column or match)",
                         cpath, raw, "children" if "children" in raw else None)
            return None
        children: list[Group | Item] = []
        for i, child in enumerate(kids):
            chpath = f"{cpath}[{i}]"
            if not isinstance(child, _Map):
                self.problem("wrong-type", f"expected a mapping with id and name, got {_kind(child)}", chpath, kids, i)
                continue
            node = self.group(child, chpath, here) if "children" in child else self.item(child, chpath, here)
            if node is not None:
                children.append(node)
        weight = None if is_root else self.num(raw, "weight", path, 0, lo_open=True, what="a weight greater than 0")
        max_cr = self.num(raw, "ahp_max_cr", path, 0, 1, what="a consistency-ratio limit from 0 to 1")
        max_cr = 0.10 if max_cr is None else max_cr
        ahp = self.ahp(raw, path, len(kids), method, max_cr, children)
        self.fixed_weights(kids, cpath, method, raw)
        options = self.options(raw, path, method)
        if len(children) != len(kids):
            return None
        return Group(id=node_id, name=name or node_id, path=path or "(top level)", children=tuple(children), weight=weight,
                     method=method, ahp=ahp, ahp_max_cr=max_cr, target=here["target"], options=options,
                     method_set="method" in raw)

    def options(self, raw: _Map, path: str, method: str) -> tuple[tuple[str, Any], ...]:
        value = raw.get("options")
        if value is None:
            return ()
        opath = _join(path, "options")
        if not isinstance(value, _Map):
            self.problem("wrong-type", f"expected a mapping of weighting options, got {_kind(value)}", opath, raw, "options")
            return ()
        try:
            read_options(value)
        except OptionProblem as e:
            self.problem(e.code, str(e), opath, raw, "options")
            return ()
        return tuple((str(k), v) for k, v in value.items())

    def fixed_weights(self, kids: _Seq, cpath: str, method: str, raw: _Map) -> None:
        has = [isinstance(k, _Map) and k.get("weight") is not None for k in kids]
        if method == "fixed" and any(has) and not all(has):
            missing = [f"{cpath}[{i}]" for i, h in enumerate(has) if not h]
            self.problem("partial-weights", "either every child of a fixed-weight group has a weight or none does (then they are equal); "
                         f"missing at {', '.join(missing)}", cpath, raw, "children")

    def ahp(self, raw: _Map, path: str, n: int, method: str, max_cr: float, children: list) -> tuple[tuple[float, ...], ...] | None:
        apath = _join(path, "ahp")
        value = raw.get("ahp")
        if value is None:
            return None  # method ahp without a matrix: reported by method_issues
        if not isinstance(value, _Seq) or len(value) != n or any(not isinstance(r, _Seq) or len(r) != n for r in value):
            self.problem("ahp-shape", f"the ahp matrix must be {n}×{n} (one row and one column per child, in order)", apath, raw, "ahp")
            return None
        matrix: list[list[float]] = []
        for i, row in enumerate(value):
            out_row = []
            for j, cell in enumerate(row):
                number = _number(cell)
                if number is None or not math.isfinite(number) or number <= 0:
                    self.problem("ahp-value", f"entry [{i}][{j}] must be a positive number or a fraction like \"1/3\", got {_kind(cell)}",
                                 apath, value, i)
                    return None
                out_row.append(number)
            matrix.append(out_row)
        for i in range(n):
            if abs(matrix[i][i] - 1) > 1e-9:
                self.problem("ahp-diagonal", f"diagonal entry [{i}][{i}] must be 1, got {matrix[i][i]:g}", apath, value, i)
                return None
            for j in range(i + 1, n):
                if abs(matrix[i][j] * matrix[j][i] - 1) > 0.01:
                    self.problem("ahp-not-reciprocal",
                                 f"entries [{i}][{j}] = {matrix[i][j]:g} and [{j}][{i}] = {matrix[j][i]:g} must be reciprocal "
                                 f"([{j}][{i}] should be {_fraction_text(matrix[i][j])})", apath, value, j)
                    return None
        from csi.weighting.ahp import ahp_weights  # local: the weighting layer imports this module

        result = ahp_weights(matrix)
        if result.cr >= max_cr:
            self.problem("ahp-inconsistent",
                         f"the ahp matrix is inconsistent: CR = {result.cr:.3f} (λmax {result.lambda_max:.3f}, CI {result.ci:.3f}, "
                         f"RI {result.ri:.2f}, Saaty 1980); revise the comparisons until CR < {max_cr:g}, or raise ahp_max_cr",
                         apath, raw, "ahp")
            return None
        return tuple(tuple(r) for r in matrix)

    def item(self, raw: Any, path: str, inherited: dict, forced_type: str | None = None, container: Any = None,
             key: Any = None) -> Item | None:
        if not isinstance(raw, _Map):
            self.problem("wrong-type", f"expected a mapping with id, name and column, got {_kind(raw)}", path, container, key)
            return None
        if not self.count(path, raw):
            return None
        self.check_keys(raw, _ITEM_KEYS, path, "an item")
        node_id = self.register_id(raw, path)
        name = self.text(raw, "name", path) or node_id
        column = self.text(raw, "column", path)
        match = self.text(raw, "match", path)
        if (column is None) == (match is None):
            self.problem("item-binding", "an item needs exactly one of column (a header or Q5) or match (a regex); "
                         "a node with children is a group", path, raw)
        if match is not None:
            try:
                re.compile(match)
            except re.error as e:
                self.problem("bad-regex", f"invalid regular expression {match!r}: {e}", _join(path, "match"), raw, "match")
        item_type = forced_type or str(raw.get("type", "rating"))
        if item_type not in ITEM_TYPES:
            self.problem("bad-type", f"unknown item type {item_type!r}; valid: {', '.join(ITEM_TYPES)}", _join(path, "type"), raw, "type")
            item_type = "rating"
        elif item_type == "nps" and forced_type is None:
            self.problem("nps-in-index", "an NPS question is reported beside the index, not inside it: declare it at the top "
                         "of the file as nps: {id: …, name: …, column: …}", _join(path, "type"), raw, "type")
        scale = self.scale(raw, path, inherited["scale"])
        labels = self.labels(raw, path, inherited["labels"])
        if item_type == "nps":
            scale = Scale(0.0, 10.0)
            if "scale" in raw:
                self.problem("bad-scale", "an NPS question is always 0–10; remove scale", _join(path, "scale"), raw, "scale")
        best = self.num(raw, "best", path)
        worst = self.num(raw, "worst", path)
        if item_type == "metric":
            if best is None or worst is None:
                self.problem("missing-key", "a metric item needs best and worst (score 100 at best, 0 at worst)", path, raw)
            elif best == worst:
                self.problem("bad-metric", f"best and worst must differ, both are {best:g}", _join(path, "best"), raw, "best")
            if raw.get("reverse") is True:
                self.problem("bad-metric", "reverse belongs to rating items; a metric item's direction is set by best and worst "
                             "(to reverse it, swap them)", _join(path, "reverse"), raw, "reverse")
        elif best is not None or worst is not None:
            self.problem("bad-metric", "best and worst belong to type: metric items", _join(path, "best" if best is not None else "worst"),
                         raw, "best" if best is not None else "worst")
        if item_type != "metric":
            for label, point in labels:
                if not scale.min <= point <= scale.max:
                    self.problem("label-out-of-scale", f"label {label!r} maps to {point:g}, outside the scale {scale.min:g}–{scale.max:g}",
                                 _join(path, "labels"), raw, "labels")
                    break
        target = self.num(raw, "target", path, 0, 100, what="a target score from 0 to 100")
        weight = self.num(raw, "weight", path, 0, lo_open=True, what="a weight greater than 0")
        return Item(id=node_id, name=name, path=path, column=column, match=match, scale=scale, labels=labels,
                    missing=self.strings(raw, "missing", path) or inherited["missing"], reverse=self.flag(raw, "reverse", path),
                    target=inherited["target"] if target is None else target, weight=weight, type=item_type, best=best, worst=worst)

    def outcome(self, raw: _Map, defaults: dict) -> Outcome | None:
        value = raw.get("outcome")
        if value is None:
            return None
        if not isinstance(value, _Map):
            self.problem("wrong-type", f"expected a mapping with name and items, got {_kind(value)}", "outcome", raw, "outcome")
            return None
        self.check_keys(value, _OUTCOME_KEYS, "outcome", "the outcome")
        here = dict(defaults)
        here["scale"] = self.scale(value, "outcome", defaults["scale"])
        here["labels"] = self.labels(value, "outcome", defaults["labels"])
        here["missing"] = self.strings(value, "missing", "outcome") or defaults["missing"]
        items = value.get("items")
        if not isinstance(items, _Seq) or not items:
            self.problem("missing-key", "the outcome needs a non-empty list of items", "outcome.items", value)
            return None
        built = [self.item(it, f"outcome.items[{i}]", here, container=items, key=i) for i, it in enumerate(items)]
        for i, it in enumerate(built):
            if it is not None and it.type != "rating":
                self.problem("bad-type", "outcome items are rating questions", f"outcome.items[{i}].type", items[i], "type")
        if any(b is None for b in built):
            return None
        return Outcome(name=self.text(value, "name", "outcome") or "outcome", items=tuple(built))  # type: ignore[arg-type]

    def paths(self, raw: _Map, defaults: dict, root: Group, outcome: Outcome | None) -> tuple[Structure | None, tuple[Item, ...]]:
        """The ``paths:`` section (docs/structural.md): declared constructs, arrows, checks."""
        value = raw.get("paths")
        if value is None:
            return None, ()
        if not isinstance(value, _Map):
            self.problem("wrong-type", f"expected a mapping with constructs and arrows, got {_kind(value)}", "paths", raw, "paths")
            return None, ()
        self.check_keys(value, PATHS_KEYS, "paths", "paths")
        known = {g.id: Construct(g.id, g.name, "group", tuple(i.id for i in walk(g) if isinstance(i, Item)))
                 for g in walk(root) if isinstance(g, Group) and g.id != ROOT_ID}
        if outcome is not None:
            known[OUTCOME_ID] = Construct(OUTCOME_ID, outcome.name, "outcome", tuple(i.id for i in outcome.items))
        items: list[Item] = []
        declared = value.get("constructs")
        if declared is None:
            declared = []
        elif not isinstance(declared, _Seq):
            self.problem("wrong-type", f"expected a list of constructs, got {_kind(declared)}", "paths.constructs", value, "constructs")
            declared = []
        for i, c in enumerate(declared):
            path = f"paths.constructs[{i}]"
            if not isinstance(c, _Map):
                self.problem("wrong-type", f"expected a mapping with id, name and items, got {_kind(c)}", path, declared, i)
                continue
            self.check_keys(c, CONSTRUCT_KEYS, path, "a construct")
            cid = self.register_id(c, path)
            here = dict(defaults, scale=self.scale(c, path, defaults["scale"]), labels=self.labels(c, path, defaults["labels"]),
                        missing=self.strings(c, "missing", path) or defaults["missing"])
            raw_items = c.get("items")
            if raw_items is not None and not isinstance(raw_items, _Seq):
                self.problem("wrong-type", f"expected a list of items, got {_kind(raw_items)}", f"{path}.items", c, "items")
                raw_items = None
            raw_items = raw_items or []
            built = [self.item(it, f"{path}.items[{j}]", here, container=raw_items, key=j) for j, it in enumerate(raw_items)]
            items.extend(b for b in built if b is not None)
            known[cid] = Construct(cid, self.text(c, "name", path) or cid, "extra", tuple(b.id for b in built if b is not None))
        arrows, bad = read_arrows(value.get("arrows"))
        if bad:
            self.problem("wrong-type", bad, "paths.arrows", value, "arrows")
        scheme = self.text(value, "scheme", "paths") or "path"
        if scheme not in SCHEMES:
            self.problem("bad-option", f"unknown scheme {scheme!r}; valid: {', '.join(SCHEMES)}", "paths.scheme", value, "scheme")
        satisfaction = self.text(value, "satisfaction", "paths") or OUTCOME_ID
        if self.issues:
            return None, ()
        groups = [g.id for g in walk(root) if isinstance(g, Group)]
        problems, order = check_arrows(arrows, known, satisfaction, groups)
        used = {end for a in arrows for end in a}
        problems += [("paths-unused-construct", f"construct {c.id!r} is declared but on no arrow; draw its arrows or remove it")
                     for c in known.values() if c.kind == "extra" and c.id not in used]
        for code, message in problems:
            self.problem(code, message, "paths.arrows", value, "arrows")
        if problems:
            return None, ()
        scaled = self.flag(value, "scaled", "paths") if "scaled" in value else True
        tol = self.num(value, "tol", "paths", 0, 0.01, lo_open=True, what="a stopping threshold above 0, at most 0.01")
        structure = Structure(tuple(known[c] for c in order), tuple(sorted(arrows, key=lambda a: (order.index(a[1]), order.index(a[0])))),
                              satisfaction, scheme, scaled, DEFAULT_TOL if tol is None else tol)
        return structure, tuple(items)

    def quality(self, raw: _Map) -> Quality:
        value = raw.get("quality")
        if value is None:
            return Quality()
        if not isinstance(value, _Map):
            self.problem("wrong-type", f"expected a mapping (min_duration, min_answered, …), got {_kind(value)}", "quality", raw, "quality")
            return Quality()
        self.check_keys(value, _QUALITY_KEYS, "quality", "quality rules")
        min_answered = self.num(value, "min_answered", "quality", 0, 1, what="a share from 0 to 1")
        straight = self.num(value, "straightline_min_items", "quality", 2, what="a whole number of at least 2")
        return Quality(
            min_duration=self.num(value, "min_duration", "quality", 0, what="seconds, 0 or more"),
            min_answered=0.5 if min_answered is None else min_answered,
            straightline_min_items=5 if straight is None else int(straight),
            max_margin=self.num(value, "max_margin", "quality", 0, 100, lo_open=True, what="index points, more than 0"),
            duplicate_by=self.strings(value, "duplicate_by", "quality") or (),
        )

    def margins(self, raw: _Map) -> tuple[tuple[tuple[str, tuple[tuple[str, float], ...]], ...], float | None]:
        return _margins_of(self, raw)

    def population(self, raw: _Map) -> int | None:
        value = raw.get("population")
        if value is None:
            return None
        if isinstance(value, _Map):
            self.check_keys(value, _POPULATION_KEYS, "population", "the population")
            size = self.num(value, "size", "population", 1, what="the number of clients, 1 or more")
        else:
            size = self.num(raw, "population", "", 1, what="the number of clients, 1 or more")
        return None if size is None else int(size)


def _grades_of(builder: _Builder, raw: _Map) -> tuple[Grade, ...]:
    """``grades:``: a list of at least two bands {name, min, value}, one of them starting at 0."""
    value = raw.get("grades")
    if value is None:
        return ()
    example = "e.g. [{name: 优, min: 90}, {name: 良, min: 75}, {name: 中, min: 60}, {name: 差, min: 0}]"
    if not isinstance(value, _Seq) or len(value) < 2:
        builder.problem("wrong-type", f"expected a list of two or more grade bands on the 0–100 scale, {example}", "grades", raw, "grades")
        return ()
    bands: list[tuple[str, float, float | None]] = []
    for i, band in enumerate(value):
        path = f"grades[{i}]"
        if not isinstance(band, _Map):
            builder.problem("wrong-type", f"expected {{name: …, min: …}}, {example}", path, value, i)
            continue
        builder.check_keys(band, _GRADE_KEYS, path, "a grade")
        name = builder.text(band, "name", path, required=True)
        lo = builder.num(band, "min", path, 0, 100, what="the lowest 0–100 score of the grade")
        if "min" not in band:
            builder.problem("missing-key", "'min' is required: the lowest 0–100 score of the grade", _join(path, "min"), band)
        score = builder.num(band, "value", path, 0, 100, what="the grade's score from 0 to 100")
        if name is not None and lo is not None:
            bands.append((name, lo, score))
    names, mins = [b[0] for b in bands], [b[1] for b in bands]
    if len(set(names)) < len(names) or len(set(mins)) < len(mins):
        builder.problem("bad-grades", "every grade needs its own name and its own min", "grades", raw, "grades")
    elif bands and len(bands) == len(value) and 0.0 not in mins:
        builder.problem("bad-grades", "the lowest grade must start at min: 0, so that every score has a grade", "grades", raw, "grades")
    if len(bands) < len(value) or builder.issues:
        return ()
    bands.sort(key=lambda b: -b[1])
    uppers = [100.0] + [b[1] for b in bands[:-1]]
    return tuple(Grade(n, lo, hi, (lo + hi) / 2 if v is None else v) for (n, lo, v), hi in zip(bands, uppers, strict=True))


def _margins_of(builder: _Builder, raw: _Map) -> tuple[tuple[tuple[str, tuple[tuple[str, float], ...]], ...], float | None]:
    value = raw.get("population")
    if not isinstance(value, _Map):
        return (), None
    trim = builder.num(value, "trim", "population", 1, lo_open=True, what="a cap on weights, as a multiple of the mean weight, above 1")
    margins = value.get("margins")
    if margins is None:
        return (), trim
    mpath = "population.margins"
    if not isinstance(margins, _Map) or not margins:
        builder.problem("wrong-type", "expected a mapping of column → {category: population share}", mpath, value, "margins")
        return (), trim
    out = []
    for column, shares in margins.items():
        cpath = _join(mpath, str(column))
        if not isinstance(shares, _Map) or not shares:
            builder.problem("wrong-type", "expected a mapping of category → population share, e.g. {小规模纳税人: 0.6, 一般纳税人: 0.4}",
                            cpath, margins, column)
            continue
        pairs = []
        for cat, share in shares.items():
            number = _number(share)
            if number is None or not 0 < number <= 1:
                builder.problem("out-of-range", f"share of {cat!r} must be a number above 0 and at most 1, got {_kind(share)}",
                                _join(cpath, str(cat)), shares, cat)
                continue
            pairs.append((str(cat), number))
        total = sum(p for _, p in pairs)
        if pairs and abs(total - 1) > 0.01:
            builder.problem("margins-sum", f"the shares add up to {total:g}; they must add up to 1", cpath, margins, column)
        exact = abs(total - 1) < 1e-9
        out.append((str(column), tuple((c, p if exact else p / total) for c, p in pairs)))
    return tuple(out), trim


def method_issues(model: Model) -> list[Issue]:
    """Rules that span the tree: where each weighting method may stand, and what it needs."""
    issues: list[Issue] = []
    pls_root = model.root.method == "pls"
    for group in model.groups:
        where = _join("" if group.id == ROOT_ID else group.path, "method")
        if METHODS[group.method].needs_outcome and model.outcome is None:
            issues.append(Issue(f"{group.method}-needs-outcome", f"method {group.method} weighs by what drives overall satisfaction and "
                                "needs an outcome block (direct satisfaction questions)", path=where))
        if METHODS[group.method].root_only and group.id != ROOT_ID and not pls_root:
            issues.append(Issue("pls-root-only", "method pls weighs the whole model at once and belongs on the root (method: pls at the "
                                "top of the file)", path=where))
        elif pls_root and group.id != ROOT_ID and group.method_set and group.method != "pls":
            issues.append(Issue("pls-nested-method", f"under a pls root every weight comes from the path model; remove method: "
                                f"{group.method} here", path=where))
        if METHODS[group.method].needs_ahp and group.ahp is None:
            issues.append(Issue("missing-key", f"method ahp needs an ahp matrix: {len(group.children)}×{len(group.children)} pairwise "
                                "comparisons of the children in order", path=_join("" if group.id == ROOT_ID else group.path, "ahp")))
    return issues


def with_method(model: Model, method: str, options: Mapping[str, Any] | None = None, *, force: bool = False) -> Model:
    """The model with ``method`` for every group that does not name its own (``--method``).

    ``options`` (e.g. ``allow_negative``) are added to every group's options. With ``force``
    every group takes ``method`` whatever the file says (for side-by-side comparisons; a group
    without an AHP matrix stays ``fixed`` under ``ahp``). Raises
    :class:`ModelError` when the result breaks a method rule (pls below the root, ahp
    without a matrix, drivers without an outcome).
    """
    import dataclasses

    if method not in METHOD_NAMES:
        raise ModelError(Issue("unknown-method", f"unknown weighting method {method!r}; valid: {', '.join(METHOD_NAMES)}"))
    extra = tuple((options or {}).items())

    def visit(node: Group | Item, is_root: bool) -> Group | Item:
        if isinstance(node, Item):
            return node
        kids = tuple(visit(c, False) for c in node.children)
        merged = tuple({**dict(node.options), **dict(extra)}.items())
        if method == "pls":  # the path model sets every weight: nothing below the root keeps its own method
            return dataclasses.replace(node, children=kids, method="pls", options=merged, method_set=is_root)
        if force:
            m = "fixed" if method == "ahp" and node.ahp is None else method
        else:
            m = node.method if node.method_set and not is_root else method
        return dataclasses.replace(node, children=kids, method=m, options=merged, method_set=not is_root and node.method_set and not force)

    root = visit(model.root, True)
    assert isinstance(root, Group)
    new = dataclasses.replace(model, root=root)
    issues = method_issues(new)
    if issues:
        raise ModelError([Issue(i.code, f"--method {method}: {i.message}", file=model.path, path=i.path) for i in issues])
    return new


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _fraction_text(value: float) -> str:
    frac = Fraction(1 / value).limit_denominator(20)
    return f'"{frac.numerator}/{frac.denominator}"' if frac.denominator != 1 else str(frac.numerator)


def node_lookup(model: Model) -> Mapping[str, Group | Item]:
    """Every node of the model by id (the root under ``overall``)."""
    out: dict[str, Group | Item] = {n.id: n for n in walk(model.root)}
    for item in model.all_items:
        out[item.id] = item
    return out
