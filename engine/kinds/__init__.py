"""One deriver per document kind; `derive` runs the kind's rules first, then its deriver.

A deriver turns validated data (with rule-computed figures filled in) into the
template context. A kind without a deriver (a workspace kind: three files, no code)
gets the data with its rule-computed figures plus the shared header, date,
recipients and signature (`common_context`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from engine.derive import Derivation, common_context
from engine.kinds.bao_cao_6_thang import derive_bao_cao_6_thang
from engine.kinds.bao_cao_ket_qua_nghi_quyet import derive_bao_cao_ket_qua_nghi_quyet
from engine.kinds.bao_cao_nam import derive_bao_cao_nam
from engine.kinds.ke_hoach import derive_ke_hoach
from engine.kinds.nghi_quyet_dang import derive_nghi_quyet_dang
from engine.rules import Rule, load_rules, run_rules

DERIVERS: dict[str, Callable[[Mapping[str, Any]], Derivation]] = {
    "bao_cao_6_thang": derive_bao_cao_6_thang,
    "bao_cao_ket_qua_nghi_quyet": derive_bao_cao_ket_qua_nghi_quyet,
    "bao_cao_nam": derive_bao_cao_nam,
    "ke_hoach": derive_ke_hoach,
    "nghi_quyet_dang": derive_nghi_quyet_dang,
}


def derive_generic(data: Mapping[str, Any]) -> Derivation:
    return Derivation({**data, **common_context(data)})


def derive(kind: str, data: Mapping[str, Any], rules: Sequence[Rule] | None = None) -> Derivation:
    """`rules` as resolved for the data file's workspace; the built-in kind's when None."""
    ruled = run_rules(load_rules(kind) if rules is None else rules, data)
    derivation = DERIVERS.get(kind, derive_generic)(ruled.data)
    derivation.issues[:0] = ruled.issues
    derivation.sources = {**ruled.sources, **derivation.sources}
    return derivation
