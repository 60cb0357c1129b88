"""The whosaid command: serve, import, export, seed, suggest, db upgrade."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from app.config import SEEDS_DIR, Settings
from app.db import open_database


@click.group()
def main() -> None:
    """WhoSaid: who makes each claim in a news article."""


@main.command()
@click.option("--host", default=None, help="Address to listen on (default 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default $PORT or 8000).")
@click.option("--workers", type=int, default=1, show_default=True)
def serve(host: str | None, port: int | None, workers: int) -> None:
    """Serve the desk with uvicorn."""
    import uvicorn

    settings = Settings()
    _announce_first_admin(settings, host or settings.host, port or settings.port)
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        log_level="info",
    )


def _announce_first_admin(settings: Settings, host: str, port: int) -> None:
    """On a database with no accounts, print a one-time link that creates the first admin."""
    from app.migrate import upgrade
    from app.users import any_users, create_invite

    upgrade(settings.database_url, quiet=True)
    database = open_database(settings.database_url)
    with database.write_session() as session:
        if any_users(session):
            database.dispose()
            return
        token = create_invite(session, role="admin", hours=24)
        session.commit()
    database.dispose()
    click.secho(
        "\nNo accounts yet. Open this one-time link to create the first admin "
        f"(valid 24 hours):\n\n    http://{host}:{port}/setup/{token}\n",
        fg="green",
    )


@main.group()
def user() -> None:
    """Accounts: add, list, change, disable, and one-time password links."""


@user.command("add")
@click.argument("email")
@click.option(
    "--role",
    type=click.Choice(["viewer", "editor", "reviewer", "admin"]),
    default="editor",
    show_default=True,
)
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
@click.option("--role", type=click.Choice(["viewer", "editor", "reviewer", "admin"]))
@click.option("--disable/--enable", default=None)
def user_set(email: str, role: str | None, disable: bool | None) -> None:
    """Change an account's role, or disable it (its sessions end at once)."""
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


@main.group()
def db() -> None:
    """Database maintenance."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply every migration (alembic upgrade head)."""
    from app.migrate import upgrade

    upgrade(Settings().database_url)
    click.echo("database is at the latest revision")


@main.command()
def seed() -> None:
    """Load the sample sources and articles from seeds/ where they are missing."""
    from app.seed import load_seeds

    settings = Settings()
    database = open_database(settings.database_url)
    with database.write_session() as session:
        report = load_seeds(session, SEEDS_DIR, actor=settings.editor)
        session.commit()
    database.dispose()
    click.echo(
        f"seeded {len(report.sources)} source(s), {len(report.articles)} article(s)"
        + ("" if report.sources or report.articles else " (already loaded)")
    )


@main.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--title", default="", help="Title (default: the first line); one file only.")
@click.option("--outlet", default="")
@click.option("--url", default="")
@click.option("--date", "published", default="", help="Publication date, YYYY-MM-DD.")
def import_files(files: tuple[str, ...], title: str, outlet: str, url: str, published: str) -> None:
    """Import .txt or .md articles (UTF-8)."""
    from app.articles import ArticleInput, create_article
    from app.importing import ImportProblem, decode_upload, default_title

    settings = Settings()
    if title and len(files) > 1:
        raise click.UsageError("--title applies to one file; leave it out to use first lines.")
    date = dt.date.fromisoformat(published) if published else None
    database = open_database(settings.database_url)
    failures = 0
    for name in files:
        path = Path(name)
        try:
            text = decode_upload(path.read_bytes(), path.name, limit=settings.max_upload_bytes)
        except ImportProblem as problem:
            click.echo(f"refused {path}: {problem}", err=True)
            failures += 1
            continue
        with database.write_session() as session:
            article = create_article(
                session,
                ArticleInput(
                    title=title or default_title(text),
                    text=text,
                    outlet=outlet,
                    url=url,
                    published_at=date,
                ),
                actor=settings.editor,
            )
            session.commit()
            click.echo(
                f"imported {path} as article {article.id}: {len(article.sentences)} sentences"
            )
    database.dispose()
    if failures:
        sys.exit(1)


@main.command("suggest")
@click.argument("article", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--sources",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="Registry: a JSON list of {name, aliases, kind, affiliation}.",
)
def suggest_command(article: str, sources: str | None) -> None:
    """Print one JSON suggestion per sentence of a UTF-8 text file (no database)."""
    from app.suggest import Registry, suggest

    raw = Path(article).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{article} is not UTF-8 text") from exc
    text = text.removeprefix("\ufeff")
    specs = json.loads(Path(sources).read_text("utf-8")) if sources else []
    if not isinstance(specs, list):
        raise click.ClickException("--sources must hold a JSON list of sources")
    registry = Registry.from_specs(specs)
    out = sys.stdout
    for item in suggest(text, registry):
        out.write(json.dumps(item.as_json(text), ensure_ascii=False) + "\n")


@main.command()
@click.option("--article", "article_id", type=int, required=True)
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True
)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default="-")
def export(article_id: int, fmt: str, output: str) -> None:
    """Write an article's attribution table as CSV or JSON."""
    from app.exporting import to_csv, to_json
    from app.models import Article
    from app.routes.exports import article_meta
    from app.table import COLUMNS, table_rows

    database = open_database(Settings().database_url)
    with database.read_session() as session:
        article = session.get(Article, article_id)
        if article is None:
            raise click.ClickException(f"no article {article_id}")
        rows = table_rows(session, article)
        body = (
            to_csv(rows, COLUMNS) if fmt == "csv" else to_json(rows, COLUMNS, article_meta(article))
        )
    database.dispose()
    if output == "-":
        sys.stdout.write(body)
    else:
        Path(output).write_text(body, encoding="utf-8", newline="")


if __name__ == "__main__":  # pragma: no cover
    main()
