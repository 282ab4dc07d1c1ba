"""One deriver per document kind; `derive` runs the kind's rules first, then its deriver.

A deriver turns validated data (with rule-computed figures filled in) into the
template context. Add a kind: a module here, its entry in `DERIVERS`, a schema,
an optional rules file and a template.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from engine.derive import Derivation
from engine.kinds.bao_cao_6_thang import derive_bao_cao_6_thang
from engine.kinds.bao_cao_ket_qua_nghi_quyet import derive_bao_cao_ket_qua_nghi_quyet
from engine.kinds.bao_cao_nam import derive_bao_cao_nam
from engine.kinds.ke_hoach import derive_ke_hoach
from engine.kinds.nghi_quyet_dang import derive_nghi_quyet_dang
from engine.kinds.van_ban import DERIVER_INPUTS as VAN_BAN_INPUTS
from engine.kinds.van_ban import derive_van_ban
from engine.rules import apply_rules

DERIVERS: dict[str, Callable[[Mapping[str, Any]], Derivation]] = {
    "bao_cao_6_thang": derive_bao_cao_6_thang,
    "bao_cao_ket_qua_nghi_quyet": derive_bao_cao_ket_qua_nghi_quyet,
    "bao_cao_nam": derive_bao_cao_nam,
    "ke_hoach": derive_ke_hoach,
    "nghi_quyet_dang": derive_nghi_quyet_dang,
    "van_ban": derive_van_ban,
}
# Schema fields a deriver reads to build other names (the template never prints them as such).
DERIVER_INPUTS: dict[str, frozenset[tuple[str, ...]]] = {"van_ban": VAN_BAN_INPUTS}


def derive(kind: str, data: Mapping[str, Any]) -> Derivation:
    ruled = apply_rules(kind, data)
    derivation = DERIVERS[kind](ruled.data)
    derivation.issues[:0] = ruled.issues
    derivation.sources = {**ruled.sources, **derivation.sources}
    return derivation
