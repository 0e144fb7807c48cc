"""Where a model's names land in a file: the column of every item, segment, key, weight,
comment and margin, and the columns of personal data that nothing may read.

:func:`bind_columns` is the one mapping: :func:`csi.survey.prepare.prepare` raises on its
issues and ``csi validate`` shows them all.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from csi.errors import DataError, Issue
from csi.model import Model
from csi.survey.columns import locate_column
from csi.survey.read import Table, find_column, question_number, question_stem

__all__ = ["Role", "Binding", "bind_columns", "columns_used", "pii_columns"]


def pii_columns(table: Table, model: Model) -> dict[str, str]:
    """The file's columns of personal data, each with why it is one.

    The preset's (``来自IP``) and the model's ``pii:`` list, a name matching as a column
    spec does — exact header, another name of it (:attr:`Table.aliases`), text after the
    question number of a header or of another name, ``Q5`` — but every match counts: an
    ambiguous name protects all the columns it could mean.
    """
    headers = [str(h) for h in table.frame.columns]
    out = {h: f"the {table.preset} export's personal-data column" for h in table.pii_columns}
    for name in model.pii:
        wanted = name.strip()
        number = int(wanted[1:]) if re.fullmatch(r"[Qq]\d+", wanted) else None
        alias = [table.aliases[wanted]] if wanted in table.aliases else []
        hits = [h for h in headers if h == wanted] or alias or [
            h for h in headers if question_stem(h) == wanted or (number is not None and question_number(h) == number)]
        hits += [h for a, h in table.aliases.items() if question_stem(a) == wanted]  # an SPSS label "3、联系人姓名"
        for h in hits:
            out.setdefault(h, "listed under pii: in the model")
    return out


def columns_used(table: Table, model: Model, *, by: Sequence[str] = (), weight_column: str | None = None) -> set[str] | None:
    """The headers :func:`prepare` reads from ``table`` for ``model``: its items, ``--by``,
    ``--weight-column``, ``quality.duplicate_by`` (else the preset's id column), the duration
    column when there is a ``min_duration``, ``comments:`` and ``population.margins``, and the
    personal-data columns when there are comments (a respondent's own name is masked in them). None
    when one of them does not bind to exactly one header: :func:`prepare` then needs every
    column to say what is wrong (and which headers come closest).

    For :func:`~csi.survey.read.read_survey`'s ``columns``: a file is read only as far as
    scoring it needs. It looks at the headers only, not at any cell.
    """
    names = [(item.column, item.match) for item in model.all_items]
    names += [(name, None) for name in (*by, *model.quality.duplicate_by, *model.comments)]
    names += [(column, None) for column, _ in model.margins]
    if weight_column is not None:
        names.append((weight_column, None))
    try:
        used = {find_column(table, column=column, match=match) for column, match in names}
    except DataError:
        return None
    if not model.quality.duplicate_by and table.id_column:
        used.add(table.id_column)
    if table.duration_column and model.quality.min_duration is not None:
        used.add(table.duration_column)
    if model.comments:
        used.update(pii_columns(table, model))
    return used


@dataclass(frozen=True, slots=True)
class Role:
    """A column the model or the run names for another purpose than an item: a segment, the
    duplicate key, the weight column, a comment column, a population margin."""

    role: str
    name: str
    column: str | None
    issues: tuple[Issue, ...] = ()


@dataclass(frozen=True, slots=True)
class Binding:
    """How a model maps onto a table's columns: one entry per item of ``model.all_items``
    (its header, or None with the issues that say why), the other roles, the personal-data
    columns and the bindings that would read them.

    :func:`prepare` raises on its issues; ``csi validate`` shows them all.
    """

    items: tuple[str | None, ...]
    item_issues: tuple[tuple[Issue, ...], ...]
    roles: tuple[Role, ...]
    pii: dict[str, str]
    pii_issues: tuple[Issue, ...]
    #: per item, how its column was found (:class:`~csi.survey.columns.ColumnMatch`), None when it was not
    found_by: tuple[str | None, ...] = ()

    def role(self, kind: str) -> list[Role]:
        return [r for r in self.roles if r.role == kind]

    def mapping_issues(self) -> list[Issue]:
        """The issues :func:`prepare` raises first: items, ``--by``, the duplicate key, the
        weight column and personal data (comment and margin columns are checked later)."""
        issues = [i for found in self.item_issues for i in found]
        for kind in ("by", "duplicate key", "weight column"):
            issues += [i for r in self.role(kind) for i in r.issues]
        return issues + list(self.pii_issues)


def _role(table: Table, role: str, name: str, what: str) -> Role:
    try:
        return Role(role, name, find_column(table, column=name, what=what))
    except DataError as e:
        return Role(role, name, None, tuple(e.issues))


def bind_columns(table: Table, model: Model, *, by: Sequence[str] = (), weight_column: str | None = None) -> Binding:
    """Find every column ``model`` (and ``by``, ``weight_column``) names in ``table``; never raises."""
    items: list[str | None] = []
    found_by: list[str | None] = []
    item_issues: list[tuple[Issue, ...]] = []
    for item in model.all_items:
        try:
            found = locate_column(table, column=item.column, match=item.match, what=f"{item.path} ({item.id})")
            items.append(found.header)
            found_by.append(found.how)
            item_issues.append(())
        except DataError as e:
            items.append(None)
            found_by.append(None)
            item_issues.append(tuple(e.issues))
    roles = [_role(table, "by", name, f"segment {name!r}") for name in by]
    roles += [_role(table, "segment", name, f"segment {name!r}") for name in model.segments]
    roles += [_role(table, "duplicate key", name, f"quality.duplicate_by {name!r}") for name in model.quality.duplicate_by]
    if weight_column is not None:
        roles.append(_role(table, "weight column", weight_column, "--weight-column"))
    roles += [_role(table, "comments", name, f"comments {name!r}") for name in model.comments]
    roles += [_role(table, "population margin", column, f"population.margins {column!r}") for column, _ in model.margins]
    pii = pii_columns(table, model)
    return Binding(tuple(items), tuple(item_issues), tuple(roles), pii, tuple(_pii_issues(table, model, items, roles, pii)),
                   tuple(found_by))


def _pii_issues(table: Table, model: Model, items: Sequence[str | None], roles: Sequence[Role], pii: Mapping[str, str]) -> list[Issue]:
    """A binding that would read personal data: an item, ``--by``, the weight column, a comment column."""
    where = {"file": table.path, "sheet": table.sheet}
    issues = []

    def problem(col: str, message: str) -> None:
        issues.append(Issue("pii-column", message, column=col, letter=table.letter(col), **where))

    for item, col in zip(model.all_items, items, strict=True):
        if col in pii:
            problem(col, f"{item.path} ({item.id}) is bound to a column of personal data ({pii[col]}); "
                         "nothing is scored from personal data: bind the item to another column")
    why = {"by": "a breakdown by it would print its values in every report: choose another column",
           "weight column": "choose another column",
           "comments": "--verbatims would quote it: list an open question there instead"}
    for r in roles:
        if r.column in pii and r.role in why:
            label = {"by": f"--by {r.name}", "weight column": "--weight-column", "comments": f"comments {r.name!r}"}[r.role]
            problem(r.column, f"{label}: a column of personal data ({pii[r.column]}); {why[r.role]}")
    return issues
