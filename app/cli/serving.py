"""Run the app and look after its database: serve, db upgrade, seed, backup, restore."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click
from sqlalchemy import make_url

from app.config import SEEDS_DIR, Settings
from app.db import open_database

PG_DUMP_HELP = (
    "WhoSaid on PostgreSQL is backed up with PostgreSQL's own tools:\n"
    '  pg_dump --format=custom --file whosaid.dump "$DATABASE"\n'
    '  pg_restore --clean --if-exists --dbname "$DATABASE" whosaid.dump\n'
    "(see the README, Backups)."
)


@click.command()
@click.option("--host", default=None, help="Address to listen on (default 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default $PORT or 8000).")
@click.option(
    "--workers",
    type=int,
    default=1,
    show_default=True,
    help="Processes; more than one needs PostgreSQL or a local SQLite file.",
)
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


@click.group()
def db() -> None:
    """Database maintenance."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply every migration (alembic upgrade head)."""
    from app.migrate import upgrade

    upgrade(Settings().database_url)
    click.echo("database is at the latest revision")


@click.command()
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


def _sqlite_path(settings: Settings) -> Path:
    url = make_url(settings.database_url)
    if url.get_backend_name() != "sqlite" or not url.database:
        raise click.ClickException(PG_DUMP_HELP)
    return Path(url.database)


def _check(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
        has_schema = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE name = 'alembic_version'"
        ).fetchone()[0]
    conn.close()
    if result != "ok":
        raise click.ClickException(f"{path} failed its integrity check: {result}")
    if not has_schema:
        raise click.ClickException(f"{path} is not a WhoSaid database.")
    return str(result)


@click.command()
@click.argument("target", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def backup(target: Path) -> None:
    """Copy the live SQLite database to TARGET, consistently, even while editors write."""
    source = _sqlite_path(Settings())
    if target.exists():
        raise click.ClickException(f"{target} exists; choose a new file name.")
    target.parent.mkdir(parents=True, exist_ok=True)
    # the backup API copies every page in one step (pages=-1), so it finishes under load
    with sqlite3.connect(source, timeout=30) as live, sqlite3.connect(target) as copy:
        live.backup(copy, pages=-1)
    live.close()
    copy.close()
    _check(target)
    click.echo(f"backed up {source} to {target} ({target.stat().st_size:,} bytes, integrity ok)")


@click.command()
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the current database.")
def restore(source: Path, yes: bool) -> None:
    """Replace the SQLite database with the backup SOURCE (stop the server first)."""
    target = _sqlite_path(Settings())
    _check(source)
    if not yes:
        click.confirm(f"Replace {target} with {source}? Stop the server first.", abort=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(source) as backup_db, sqlite3.connect(target, timeout=30) as live:
        backup_db.backup(live, pages=-1)
    backup_db.close()
    live.close()
    _check(target)
    click.echo(f"restored {target} from {source} (integrity ok)")


def register(main: click.Group) -> None:
    for command in (serve, db, seed, backup, restore):
        main.add_command(command)
