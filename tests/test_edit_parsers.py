"""`splice_values` gives the same bytes through libyaml (the fast path) as through ruamel's pure parser."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from engine.edit import splice_values
from engine.errors import DataPath, ReportError
from engine.load import HAVE_LIBYAML
from tests.conftest import DATA_DIR

SAMPLES = sorted(DATA_DIR.glob("*.yaml"))


def scalar_paths(node: Node, path: DataPath = ()) -> Iterator[tuple[DataPath, str]]:
    """Every written (non-empty) scalar value's path and text."""
    if isinstance(node, MappingNode):
        for key, value in node.value:
            yield from scalar_paths(value, (*path, str(key.value)))
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            yield from scalar_paths(item, (*path, index))
    elif isinstance(node, ScalarNode) and node.start_mark.index != node.end_mark.index:
        yield path, str(node.value)


def edit(raw: bytes, path: DataPath, value: str) -> bytes | str:
    try:
        return splice_values(raw, [(path, value)], "x.yaml")
    except ReportError as error:
        return "\n".join(issue.format() for issue in error.issues)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda path: path.name)
def test_every_value_is_spliced_alike_by_both_parsers(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert HAVE_LIBYAML, "ruamel.yaml.clib is a dependency on CPython"
    raw = sample.read_bytes()
    paths = list(scalar_paths(YAML(typ="rt", pure=True).compose(raw.decode("utf-8-sig"))))
    assert len(paths) > 20
    values = ["1234", "Ý kiến, có dấu phẩy: và hai chấm", "", "2024-05-06", "true", '"20"']
    pure_calls: list[None] = []
    original = Composer.get_single_node

    def counted(self: Composer) -> Any:
        pure_calls.append(None)
        return original(self)

    with monkeypatch.context() as patched:  # ruamel's pure parser: only for a candidate libyaml refuses
        patched.setattr(Composer, "get_single_node", counted)
        fast = [edit(raw, path, values[index % len(values)]) for index, (path, _) in enumerate(paths)]
    assert len(pure_calls) < len(paths) / 4
    assert sum(isinstance(result, bytes) for result in fast) > len(paths) / 2
    monkeypatch.setattr("engine.load.HAVE_LIBYAML", False)
    pure = [edit(raw, path, values[index % len(values)]) for index, (path, _) in enumerate(paths)]
    assert fast == pure


def test_anchored_values_are_still_refused() -> None:
    with pytest.raises(ReportError) as error:
        splice_values(b"a: &chung 1\nb: *chung\n", [(("b",), "2")], "x.yaml")
    assert [issue.format() for issue in error.value.issues] == [
        "x.yaml:1:4: lỗi: b: giá trị dùng chung qua bí danh `&chung`; hãy sửa trực tiếp trong tệp"
    ]


def test_an_empty_value_before_the_next_key_gets_one() -> None:
    assert splice_values(b"a:\nb: 1\n", [(("a",), "5")], "x.yaml") == b"a: 5\nb: 1\n"
    assert splice_values(b"m:\n  a:\n  b: 2\n", [(("m", "a"), "x y")], "x.yaml") == b"m:\n  a: x y\n  b: 2\n"
