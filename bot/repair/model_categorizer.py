"""Optional model refinement of the rule-based failure category; the rules win on doubt."""

from __future__ import annotations

import logging
from typing import Any

from bot.analysis.failures import Category, Failure
from bot.repair.model_engine import ModelEngine, ModelUnavailable
from bot.repair.model_output import InvalidModelOutput
from bot.repair.prompts import build_categorize_messages

log = logging.getLogger(__name__)

# The exception type already decides these; a model opinion costs money and adds nothing.
SETTLED_BY_RULES = frozenset(
    {Category.SYNTAX, Category.IMPORT, Category.DEPENDENCY, Category.NAME_ATTRIBUTE}
)


def _parse_category(answer: dict[str, Any]) -> Category:
    value = answer.get("category")
    if isinstance(value, str) and value in {c.value for c in Category}:
        return Category(value)
    allowed = ", ".join(c.value for c in Category)
    raise InvalidModelOutput(f'"category" must be one of {allowed}; got {value!r}')


def refine_category(
    engine: ModelEngine | None, failures: list[Failure], rule_category: Category
) -> Category:
    """The model's category when it gives a valid one, otherwise the rule category."""
    if engine is None or not failures or rule_category in SETTLED_BY_RULES:
        return rule_category
    try:
        answer = engine.ask_json(
            build_categorize_messages(failures, rule_category), _parse_category
        )
    except ModelUnavailable as exc:
        log.info("keeping the rule category %s: %s", rule_category.value, exc)
        return rule_category
    category: Category = answer.value
    return category
