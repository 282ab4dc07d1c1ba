"""Turning validated data into a template context: `derive(kind, data, rules)`.

Every kind gets the same generic derivation: its rules (schemas/<kind>.rules.yaml,
engine/rules.py) fill in and name the derived figures, every field the schema declares
but the data leaves out becomes explicit (`[]` for a list, else None) so a template can
test it, and the shared ND30 blocks (header lines, issue date, recipients, signature;
`derive.common_context`) are added when the data has them. A kind defined only by files
needs nothing more. A built-in kind whose template needs what rules cannot declare
(text shaping, checks across list items) also has a deriver here, in `DERIVERS`, which
runs on that generic context.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from engine.derive import Context, Derivation, common_context
from engine.kinds.bao_cao_ket_qua_nghi_quyet import derive_bao_cao_ket_qua_nghi_quyet
from engine.kinds.bao_cao_nam import derive_bao_cao_nam
from engine.kinds.ke_hoach import derive_ke_hoach
from engine.kinds.nghi_quyet_dang import derive_nghi_quyet_dang
from engine.kinds.van_ban import DERIVER_INPUTS as VAN_BAN_INPUTS
from engine.kinds.van_ban import derive_van_ban
from engine.rules import Rule, apply_rules, schema_fields
from engine.schema import FieldPath

Deriver = Callable[[Mapping[str, Any]], Derivation]
DERIVERS: dict[str, Deriver] = {
    "bao_cao_ket_qua_nghi_quyet": derive_bao_cao_ket_qua_nghi_quyet,
    "bao_cao_nam": derive_bao_cao_nam,
    "ke_hoach": derive_ke_hoach,
    "nghi_quyet_dang": derive_nghi_quyet_dang,
    "van_ban": derive_van_ban,
}
# Schema fields a deriver reads to build other names (the template never prints them as such).
DERIVER_INPUTS: dict[str, frozenset[tuple[str, ...]]] = {"van_ban": VAN_BAN_INPUTS}


def derive(
    kind: str,
    data: Mapping[str, Any],
    rules: Sequence[Rule],
    fields: Mapping[FieldPath, bool] | None = None,
) -> Derivation:
    """Rules first, then the generic context, then the kind's own deriver if it has one.

    `fields` are the kind's schema fields (`engine.schema.field_paths`); by default the built-in schema's."""
    ruled = apply_rules(rules, data)
    filled = with_optional_fields(ruled.data, schema_fields(kind) if fields is None else fields)
    derivation = DERIVERS.get(kind, derive_generic)(filled)
    derivation.issues[:0] = ruled.issues
    derivation.sources = {**ruled.sources, **derivation.sources}
    return derivation


def derive_generic(data: Mapping[str, Any]) -> Derivation:
    """The data (with derived figures and optional fields filled in) and the shared ND30 blocks."""
    context: Context = dict(data)
    context.update(common_context(data))
    return Derivation(context)


def with_optional_fields(data: dict[str, Any], fields: Mapping[FieldPath, bool]) -> dict[str, Any]:
    """Every field the schema declares that the data leaves out, made explicit: `[]` for a list, else None.

    Fills `data` in place (`derive` hands it a copy of its own) and returns it."""
    children = _children(fields)

    def fill(node: Any, path: FieldPath) -> None:
        if isinstance(node, list):
            item_path = (*path, "[]")
            for item in node:
                fill(item, item_path)
        elif isinstance(node, dict):
            for name, value in node.items():
                if isinstance(value, dict | list):
                    fill(value, (*path, name))
            for name in children.get(path, ()):
                if name not in node:
                    node[name] = [] if (*path, name, "[]") in fields else None

    fill(data, ())
    return data


# Per `fields` object (`field_paths` makes one per kind and set of schemas), kept with it so an id
# reused by another object never matches.
_CHILDREN: dict[int, tuple[Mapping[FieldPath, bool], dict[FieldPath, list[str]]]] = {}
_CHILDREN_KEPT = 64


def _children(fields: Mapping[FieldPath, bool]) -> dict[FieldPath, list[str]]:
    """The field names under each object path of `fields`."""
    known = _CHILDREN.get(id(fields))
    if known is not None and known[0] is fields:
        return known[1]
    children: dict[FieldPath, list[str]] = {}
    for path in fields:
        if path[-1] != "[]":
            children.setdefault(path[:-1], []).append(path[-1])
    if len(_CHILDREN) >= _CHILDREN_KEPT:
        _CHILDREN.clear()
    _CHILDREN[id(fields)] = fields, children
    return children
