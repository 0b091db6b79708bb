"""`python -m bot` is the same as the `truth` command."""

from bot.cli import main

main()
