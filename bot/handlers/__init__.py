"""Route modules of the smaller features (commands, installations, ping, traces) and the router.

The fix feature's routes live in bot/fix/routes.py; bot/routes.py combines them all.
"""
