"""The ASGI app (create_app), REST API under /v1 and the dashboard."""
