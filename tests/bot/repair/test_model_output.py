"""The model output contract: the answer's JSON object, validated and turned into diffs."""

from __future__ import annotations

import json

import pytest

from bot.repair.diffs import apply_diff_in_memory, make_diff
from bot.repair.model_output import InvalidModelOutput, extract_json_object, fixes_from_answer
from tests.bot.repair.sample_sources import FILES, MODULE


def _read(path: str) -> str | None:
    return FILES.get(path)


def test_json_is_extracted_from_a_fence_and_must_be_an_object() -> None:
    assert extract_json_object('```json\n{"patches": []}\n```') == {"patches": []}
    with pytest.raises(InvalidModelOutput, match="not valid JSON"):
        extract_json_object("Here you go: {")
    with pytest.raises(InvalidModelOutput, match="object"):
        extract_json_object("[1, 2]")


def _edit(path: str, search: str, replace: str) -> dict[str, str]:
    return {"path": path, "search": search, "replace": replace}


def test_edits_become_a_diff_that_applies() -> None:
    answer = {
        "patches": [
            {
                "description": " use the radius attribute ",
                "edits": [
                    _edit("geo/shape.py", "math.pi * self.r ** 2", "math.pi * self.radius ** 2"),
                    _edit("geo/shape.py", "2 * math.pi * self.r\n", "2 * math.pi * self.radius\n"),
                ],
            }
        ]
    }
    [fix] = fixes_from_answer(answer, _read, [], limit=3)
    assert fix.description == "use the radius attribute"
    after = apply_diff_in_memory(FILES, fix.diff)["geo/shape.py"]
    assert after == MODULE.replace("self.r ", "self.radius ").replace("self.r\n", "self.radius\n")


def test_duplicates_are_merged_and_the_limit_holds() -> None:
    same = {"description": "a", "edits": [_edit("geo/shape.py", "x + 1", "x + 2")]}
    other = {"description": "b", "edits": [_edit("geo/shape.py", "x + 1", "x - 1")]}
    third = {"description": "c", "edits": [_edit("geo/shape.py", "x + 1", "x * 1")]}
    fixes = fixes_from_answer({"patches": [same, dict(same), other, third]}, _read, [], limit=2)
    assert [f.description for f in fixes] == ["a", "b"]


def test_a_diff_field_is_accepted_only_when_it_applies() -> None:
    good = make_diff("geo/shape.py", MODULE, MODULE.replace("x + 1", "x + 2"))
    stale = make_diff("geo/shape.py", "old\n", "new\n")
    [fix] = fixes_from_answer(
        {"patches": [{"description": "d", "diff": good}, {"description": "s", "diff": stale}]},
        _read,
        [],
        limit=3,
    )
    assert fix.diff == good


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (_edit("geo/shape.py", "not there", "x"), "search text not found"),
        (_edit("geo/shape.py", "self.r", "self.radius"), "occurs 2 times"),
        (_edit("geo/shape.py", "", "x"), "empty search"),
        (_edit("geo/shape.py", "x + 1", "x + 1"), "change nothing"),
        (_edit("tests/test_shape.py", "assert 1", "assert 2"), "test file"),
        (_edit("../etc/passwd", "root", "x"), "not a path inside"),
        (_edit("/etc/passwd", "root", "x"), "not a path inside"),
        (_edit("geo/missing.py", "a", "b"), "does not exist"),
        (_edit("vendor/lib.py", "a", "b"), "protected"),
    ],
)
def test_unusable_edits_are_refused_with_a_reason(edit: dict[str, str], problem: str) -> None:
    answer = {"patches": [{"description": "x", "edits": [edit]}]}
    with pytest.raises(InvalidModelOutput, match=problem):
        fixes_from_answer(answer, _read, ["vendor/*"], limit=3)


@pytest.mark.parametrize(
    "answer",
    [{}, {"patches": []}, {"patches": "x"}, {"patches": [{"edits": []}]}, {"patches": [1]}],
)
def test_answers_outside_the_contract_are_refused(answer: dict[str, object]) -> None:
    with pytest.raises(InvalidModelOutput):
        fixes_from_answer(json.loads(json.dumps(answer)), _read, [], limit=3)
