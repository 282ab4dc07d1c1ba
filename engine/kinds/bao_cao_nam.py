"""Year-end poverty-reduction report of a commune or a district: whether there is a previous period.

Every figure comes from the rules file: rates, the district's totals and its number of
communes, `nam_sau`, the comparisons with `ky_truoc` (`so_sanh.*`) and the plan
attainment phrases (`ke_hoach.*`). What stays here cannot be declared as a rule: whether
the comparison paragraph exists at all (`so_sanh` is None without a previous period, or
when `ky_truoc` is a reference the pipeline could not read, or a year not before this
one, which are errors at `ky_truoc`) and which year it names (`ky_truoc.nam`, else the
year before). A `ky_truoc` file reference has already been replaced by that file's
figures (engine/previous.py), so here `ky_truoc` is absent or a mapping of figures.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine.derive import Context, Derivation, common_context
from engine.errors import Issue


def derive_bao_cao_nam(data: Mapping[str, Any]) -> Derivation:
    context: Context = dict(data) | common_context(data)
    issues: list[Issue] = []
    context["so_sanh"] = _comparison(data, issues)
    return Derivation(context, issues)


def _comparison(data: Mapping[str, Any], issues: list[Issue]) -> Context | None:
    """The rules' comparison phrases with the previous period's year, or None without one."""
    previous = data.get("ky_truoc")
    if previous is None:
        return None
    if not isinstance(previous, Mapping):  # a file reference the pipeline did not resolve
        issues.append(Issue("chưa đọc được tệp kỳ trước", path=("ky_truoc",), code="ky_truoc"))
        return None
    year = previous.get("nam") or data["nam"] - 1
    if year >= data["nam"]:
        message = f"kỳ trước (năm {year}) phải trước năm báo cáo {data['nam']}"
        issues.append(Issue(message, path=("ky_truoc", "nam"), code="ky_truoc"))
        return None
    return {**data["so_sanh"], "nam": year}
