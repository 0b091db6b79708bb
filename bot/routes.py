"""Every feature's routes combined in one place: grep here for who handles an event."""

from __future__ import annotations

from bot.fix import routes as fix_routes
from bot.handlers import commands, installations, ping, trace_on_close
from bot.handlers.router import Router

ROUTER = Router.combine(
    m.router for m in (fix_routes, commands, installations, ping, trace_on_close)
)
