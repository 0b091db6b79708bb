"""Registration and sign-in point at the right GitHub: github.com, GHE Server or GHE.com."""

from __future__ import annotations

from urllib.parse import urlsplit

from bot.github.client import github_web_url
from web.auth import authorize_url
from web.setup import build_manifest, install_link

PUBLIC_URL = "https://truth.example.test"


def test_the_web_address_follows_the_api_address() -> None:
    assert github_web_url("https://api.github.com") == "https://github.com"
    assert github_web_url("https://ghe.example.com/api/v3") == "https://ghe.example.com"
    assert github_web_url("https://api.acme.ghe.com") == "https://acme.ghe.com"
    assert github_web_url("http://ghe.local:8080/api/v3") == "http://ghe.local:8080"


def test_the_manifest_names_sign_in_setup_and_webhook_urls() -> None:
    manifest = build_manifest(PUBLIC_URL + "/")
    assert manifest["callback_urls"] == [f"{PUBLIC_URL}/oauth/callback"]
    assert manifest["setup_url"] == f"{PUBLIC_URL}/sessions"
    assert manifest["hook_attributes"] == {"url": f"{PUBLIC_URL}/webhooks/github", "active": True}
    assert manifest["redirect_url"] == f"{PUBLIC_URL}/setup/callback"
    assert "status" in manifest["default_events"]
    assert manifest["default_permissions"]["statuses"] == "read"


def test_sign_in_and_install_links_use_the_enterprise_host() -> None:
    web = github_web_url("https://ghe.example.com/api/v3")
    url = urlsplit(authorize_url("Iv1.x", f"{PUBLIC_URL}/oauth/callback", "st", web))
    assert (url.netloc, url.path) == ("ghe.example.com", "/login/oauth/authorize")
    conversion = {"slug": "truth", "html_url": "https://ghe.example.com/apps/truth"}
    assert install_link(conversion, web) == "https://ghe.example.com/apps/truth/installations/new"
