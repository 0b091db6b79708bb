"""`truth token create|revoke`: bearer tokens for the /v1 API, one installation each."""

from __future__ import annotations

import click

from bot.errors import ConfigError
from bot.settings import Settings, load_settings

LOCAL_INSTALLATION = 0  # the one "installation" of a server without a GitHub App


def _settings() -> Settings:
    try:
        return load_settings()
    except (ConfigError, ValueError) as exc:
        raise click.ClickException(f"configuration error: {exc}") from exc


@click.group()
def token() -> None:
    """Mint and revoke /v1 API bearer tokens."""


@token.command("create")
@click.option(
    "--installation-id",
    type=click.IntRange(min=0),
    default=None,
    help="The GitHub App installation the token reads and writes (local mode: 0).",
)
@click.option("--label", default="", help="What the token is for, to recognise it later.")
def create(installation_id: int | None, label: str) -> None:
    """Print a new token. It is shown once; only its SHA-256 is stored."""
    from bot.traces.tokens import mint_token
    from db.engine import init_db

    settings = _settings()
    if installation_id is None:
        if settings.github_app_configured:
            raise click.UsageError(
                "give --installation-id: the id of the app's installation the token is for "
                "(the number in https://github.com/settings/installations/ID)."
            )
        installation_id = LOCAL_INSTALLATION
    engine = init_db(settings.database_url)
    try:
        value = mint_token(engine, installation_id, label[:200])
    finally:
        engine.dispose()
    click.echo(value)
    click.echo(
        f"Token for installation {installation_id}; send it as 'Authorization: Bearer …'. "
        "It is not shown again: keep it now, or revoke it with `truth token revoke`.",
        err=True,
    )


@token.command("revoke")
@click.argument("value")
def revoke(value: str) -> None:
    """Revoke a token; requests with it get 401 from then on."""
    from bot.traces.tokens import revoke_token
    from db.engine import init_db

    engine = init_db(_settings().database_url)
    try:
        revoked = revoke_token(engine, value.strip())
    finally:
        engine.dispose()
    if not revoked:
        raise click.ClickException("no live token has this value (unknown, or revoked already).")
    click.echo("Revoked.")
