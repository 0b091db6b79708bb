"""Dashboard fixtures, defined in app.py so that tests/web/test_auth.py shares them."""

from tests.web.dashboard.app import github_settings, local_settings

__all__ = ["github_settings", "local_settings"]
