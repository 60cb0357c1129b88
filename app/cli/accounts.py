"""Accounts and API tokens from the command line."""

from __future__ import annotations

import sys

import click

from app.config import Settings
from app.db import open_database

ROLE = click.Choice(["viewer", "editor", "reviewer", "admin"])


@click.group()
def user() -> None:
    """Accounts: add, list, change, disable."""


@user.command("add")
@click.argument("email")
@click.option("--role", type=ROLE, default="editor", show_default=True)
@click.option("--name", default="")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def user_add(email: str, role: str, name: str, password_stdin: bool) -> None:
    """Add an account (with --password-stdin, or print a one-time link to set it)."""
    from app.auth import PasswordProblem, hasher
    from app.users import UserProblem, create_invite, create_user

    settings = Settings()
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    database = open_database(settings.database_url)
    with database.write_session() as session:
        try:
            created = create_user(
                session,
                email=email,
                role=role,
                name=name,
                password=password,
                ph=hasher(settings.argon2_memory_kib, settings.argon2_time_cost),
                actor="cli",
            )
        except (UserProblem, PasswordProblem) as problem:
            raise click.ClickException(str(problem)) from problem
        token = None if password else create_invite(session, role=role, user=created)
        session.commit()
    database.dispose()
    click.echo(f"added {created.email} ({role})")
    if token:
        click.echo(
            f"one-time link to set the password: http://{settings.host}:{settings.port}"
            f"/setup/{token}"
        )


@user.command("list")
def user_list() -> None:
    """List the accounts."""
    from app.users import all_users

    database = open_database(Settings().database_url)
    with database.read_session() as session:
        for account in all_users(session):
            state = "active" if account.is_active else "disabled"
            click.echo(f"{account.email}\t{account.role}\t{state}\t{account.name}")
    database.dispose()


@user.command("set")
@click.argument("email")
@click.option("--role", type=ROLE)
@click.option("--disable/--enable", default=None)
def user_set(email: str, role: str | None, disable: bool | None) -> None:
    """Change an account's role, or disable it (its sessions and tokens stop at once)."""
    from app.users import change_user, find_user

    database = open_database(Settings().database_url)
    with database.write_session() as session:
        account = find_user(session, email)
        if account is None:
            raise click.ClickException(f"no account {email}")
        change_user(
            session,
            account,
            role=role,
            active=None if disable is None else not disable,
            actor="cli",
        )
        session.commit()
    database.dispose()
    click.echo(f"{email}: saved")


@click.group()
def token() -> None:
    """API tokens: create (shown once), list, revoke."""


@token.command("create")
@click.argument("email")
@click.option("--name", default="", help="What the token is for.")
def token_create(email: str, name: str) -> None:
    """Make an API token for EMAIL's account; it has that account's permissions."""
    from app.tokens import create_token
    from app.users import find_user

    database = open_database(Settings().database_url)
    with database.write_session() as session:
        account = find_user(session, email)
        if account is None:
            raise click.ClickException(f"no account {email}")
        secret, row = create_token(session, account, name=name, actor="cli")
        session.commit()
        number = row.id
    database.dispose()
    click.echo(f"token {number} for {email} (shown once, keep it safe):\n{secret}")


@token.command("list")
@click.argument("email")
def token_list(email: str) -> None:
    """List EMAIL's tokens."""
    from app.tokens import tokens_of
    from app.users import find_user

    database = open_database(Settings().database_url)
    with database.read_session() as session:
        account = find_user(session, email)
        if account is None:
            raise click.ClickException(f"no account {email}")
        for row in tokens_of(session, account):
            state = "revoked" if row.revoked_at else "active"
            click.echo(f"{row.id}\t{state}\t{row.created_at:%Y-%m-%d}\t{row.name}")
    database.dispose()


@token.command("revoke")
@click.argument("number", type=int)
def token_revoke(number: int) -> None:
    """Revoke token NUMBER: it stops working at once."""
    from app.tokens import revoke_token

    database = open_database(Settings().database_url)
    with database.write_session() as session:
        if not revoke_token(session, number, actor="cli"):
            raise click.ClickException(f"no active token {number}")
        session.commit()
    database.dispose()
    click.echo(f"token {number} revoked")


def register(main: click.Group) -> None:
    main.add_command(user)
    main.add_command(token)
