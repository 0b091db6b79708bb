"""`truth serve` (uvicorn + create_app) and `truth worker` (the arq worker)."""

from __future__ import annotations

import sys
from typing import Any

import click

from bot.errors import ConfigError
from bot.service.logs import configure_logging
from bot.settings import load_settings


def banner(dashboard: str, setup_link: str | None, local: bool) -> str:
    """What `truth serve` says once it listens: where the dashboard is, and the setup link."""
    lines = [f"Truth Engine is up. Dashboard: {dashboard}"]
    if local:
        lines.append(
            "Local mode (no GitHub App configured): no sign-in; the sessions of `truth fix` "
            f"on this machine are listed, and {dashboard.rstrip('/')}/paste fixes a pasted bug."
        )
    if setup_link:
        lines += [
            "To register the GitHub App, open this link (it stays valid until an app is "
            "registered; keep it private):",
            f"    {setup_link}",
        ]
    return "\n".join(lines)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
def serve(host: str, port: int) -> None:
    """Serve the dashboard, webhooks, health checks, the API and (until an app exists) setup."""
    import uvicorn

    from web.app import create_app

    settings = load_settings()
    configure_logging(settings.log_format)
    # Without an app, the app issues a setup link http://HOST:PORT/setup?token=… at start (on
    # TRUTH_PUBLIC_URL when listening on every interface, where HOST says nothing).
    wildcard = host in ("0.0.0.0", "::", "")
    base = settings.public_url if wildcard else f"http://{host}:{port}"
    app = create_app(settings, listen_url=None if wildcard else base, print_setup_link=False)

    class AnnouncingServer(uvicorn.Server):
        async def startup(self, sockets: list[Any] | None = None) -> None:
            await super().startup(sockets=sockets)
            if self.started:  # after uvicorn's own lines, so the link is not buried in them
                link = getattr(app.state, "setup_link", None)
                text = banner(base.rstrip("/") + "/", link, not settings.github_app_configured)
                print(text, file=sys.stderr, flush=True)

    # log_config=None: uvicorn's own lines go through our (JSON, redacting) root handler.
    config = uvicorn.Config(app, host=host, port=port, proxy_headers=True, log_config=None)
    AnnouncingServer(config).run()


@click.command()
@click.option("--burst", is_flag=True, help="Run the queued jobs, then exit.")
def worker(burst: bool) -> None:
    """Run queued jobs: fixes, commands, installation sync, traces."""
    from arq.worker import run_worker

    from bot.worker.app import worker_settings

    settings = load_settings()
    configure_logging(settings.log_format)
    try:
        settings.github_private_key_pem()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    if settings.github_app_id is None:
        raise click.ClickException(
            "TRUTH_GITHUB_APP_ID is not set; run `truth serve` and register the app on its "
            "setup page, or set the variable to your app's id."
        )
    if settings.worker_metrics_port and not burst:
        from bot.service.metrics import serve_worker_metrics, worker_metrics

        try:
            serve_worker_metrics(worker_metrics(), settings.worker_metrics_port, settings.redis_url)
        except OSError as exc:  # another worker on this machine has the port: run unmeasured
            click.echo(
                f"Worker /metrics off: port {settings.worker_metrics_port} ({exc.strerror}); "
                "give each worker on a machine its own TRUTH_WORKER_METRICS_PORT.",
                err=True,
            )
    run_worker(worker_settings(settings, burst=burst))
