"""Builds the repair engines in order of cost: fix cache, built-in rules, then the model."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from bot.repair.base import RepairEngine
from bot.repair.fix_cache import FixCacheEngine
from bot.repair.model_engine import build_model_engine
from bot.repair.rules.engine import RuleEngine
from bot.repair.usage import Usage
from bot.settings import Settings


def build_engines(
    settings: Settings, db: Engine, usage: Usage, repository: str | None = None
) -> list[RepairEngine]:
    engines: list[RepairEngine] = [FixCacheEngine(db, repository), RuleEngine()]
    model = build_model_engine(settings, usage)
    if model is not None:
        engines.append(model)
    return engines
