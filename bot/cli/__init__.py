"""The `truth` command. Subcommands load lazily so `truth --help` stays fast (litellm is slow)."""

from __future__ import annotations

import importlib
from typing import Any

import click

# name -> "module:attribute"; each feature keeps its commands in its own module.
COMMANDS = {
    "fix": "bot.cli.fix_cmd:fix",
    "verify": "bot.cli.sandbox_cmds:verify",
    "sandbox": "bot.cli.sandbox_cmds:sandbox",
    "doctor": "bot.cli.sandbox_cmds:doctor",
    "trace": "bot.cli.trace_cmds:trace",
    "trace-verify": "bot.cli.trace_cmds:trace_verify",
    "serve": "bot.cli.serve_cmds:serve",
    "worker": "bot.cli.serve_cmds:worker",
    "token": "bot.cli.token_cmds:token",
}

EXIT_BAD_INPUT = 2


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        command: click.Command = getattr(importlib.import_module(module_name), attribute)
        return command


@click.group(cls=LazyGroup)
@click.version_option(package_name="truth-engine")
def cli() -> None:
    """Truth Engine: posts only fixes it has seen pass."""


def main(argv: list[str] | None = None) -> Any:
    # click exits 2 on usage errors, which matches the "bad input" exit code.
    return cli.main(args=argv, prog_name="truth")
