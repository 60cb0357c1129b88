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
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        log_level="info",
    )


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
