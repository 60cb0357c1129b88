"""The whosaid command: serve, db, seed, backup, restore, user, token, import, export,
suggest. Each subcommand is a thin layer over the functions the web routes call."""

from __future__ import annotations

import click


@click.group()
def main() -> None:
    """WhoSaid: who makes each claim in a news article."""


def _register() -> None:
    from app.cli import accounts, articles, serving

    for module in (serving, accounts, articles):
        module.register(main)


_register()

if __name__ == "__main__":  # pragma: no cover
    main()
