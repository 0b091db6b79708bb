"""How likely each fix template is, before looking at the code: learnt from the tuned half of the
classic-algorithm corpus (`uv run python bench/classic.py --learn-priors` prints this table from
bench/classic/manifest.json), then overridden by what the exception says."""

from __future__ import annotations

# sqrt of each template's smoothed precision on bench/classic/tuned (how often one of its
# candidates is the intended fix, per candidate it generates), relative to the best template.
LEARNT_PRIORS = {
    "missing_statement": 1.0, "initial_value": 0.95, "break_continue": 0.95,
    "mutable_default": 0.95, "copy": 0.95, "loop_update": 0.88, "boolop": 0.84, "slice": 0.67,
    "boundary": 0.64, "container_method": 0.59, "reverse_result": 0.58, "recursion": 0.55,
    "index": 0.48, "return_value": 0.48, "plus_one": 0.33, "constant": 0.3, "arith": 0.28,
    "base_case": 0.26, "off_by_one": 0.22, "swap_args": 0.21, "negate": 0.17,
    "wrong_variable": 0.11, "compare": 0.1,
}  # fmt: skip
OTHER_PRIORS = {
    "rename": 0.5, "attribute": 0.9, "import": 0.2, "none_guard": 0.3, "empty_guard": 0.25,
    "missing_return": 0.3,
}  # fmt: skip
PRIORS_BY_EXCEPTION = {
    "IndexError": {
        "off_by_one": 1.0, "compare": 0.7, "empty_guard": 0.6, "constant": 0.6, "slice": 0.6,
        "index": 0.7,
    },
    "NameError": {"import": 1.0, "rename": 0.95, "wrong_variable": 0.5},
    "UnboundLocalError": {"rename": 1.0, "wrong_variable": 0.9, "import": 0.5},
    "AttributeError": {"attribute": 1.0, "none_guard": 0.95},
    "TypeError": {
        "none_guard": 0.9, "swap_args": 0.8, "missing_return": 0.8, "wrong_variable": 0.7,
        "arith": 0.5, "return_value": 0.6,
    },
    # pytest.raises saw nothing: a guard's condition is too narrow
    "DID NOT RAISE": {
        "boolop": 0.9, "compare": 0.8, "negate": 0.7, "constant": 0.6, "off_by_one": 0.5,
        "wrong_variable": 0.4,
    },
    "RecursionError": {
        "base_case": 1.0, "off_by_one": 0.7, "arith": 0.6, "compare": 0.9, "boolop": 0.9,
        "constant": 0.5,
    },
    # a hung test: a loop whose condition never turns false, or a step that makes no progress
    "Timeout": {
        "missing_statement": 0.1, "initial_value": 0.2, "mutable_default": 0.05, "copy": 0.05,
        "reverse_result": 0.05, "return_value": 0.1, "container_method": 0.1, "loop_update": 1.2,
        "negate": 1.0, "compare": 1.0, "boolop": 0.9, "off_by_one": 0.9, "arith": 0.9,
        "constant": 0.8, "base_case": 0.7, "wrong_variable": 0.3,
    },
    "ZeroDivisionError": {"empty_guard": 1.0, "off_by_one": 0.7, "constant": 0.6},
    "KeyError": {"constant": 0.5, "rename": 0.5},
}  # fmt: skip


def priors_for(
    kind: str, none_in_assertion: bool, learnt: dict[str, float] | None = None
) -> dict[str, float]:
    base = {**OTHER_PRIORS, **(LEARNT_PRIORS if learnt is None else learnt)}
    overrides = PRIORS_BY_EXCEPTION.get(kind, {})
    priors = {**base, **overrides}
    if "compare" in overrides:  # what the exception says of comparisons holds for boundaries
        priors["boundary"] = max(priors["boundary"], overrides["compare"])
    if kind == "AssertionError" and none_in_assertion:
        priors["missing_return"] = 1.0
        priors["return_value"] = 1.0
    return priors
