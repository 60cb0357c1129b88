"""Articles from the command line: import (files, folders, zip archives), export, suggest."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import click

from app.config import Settings
from app.db import open_database

FORMATS = ("csv", "xlsx", "json", "jsonl", "md", "jsonld")


@dataclass
class Report:
    imported: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


def _candidates(paths: tuple[Path, ...], limit: int, report: Report) -> Iterator[tuple[str, bytes]]:
    """Every importable file under the paths: files, folders (recursively), zip archives."""
    from app.extract import Skipped, iter_archive
    from app.importing import ImportProblem

    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if any(part.startswith(".") for part in file.parts[len(path.parts) - 1 :]):
                continue
            if file.suffix.lower() == ".zip":
                skipped: list[Skipped] = []
                try:
                    members = iter_archive(
                        file.name, file.read_bytes(), limit=limit, skipped=skipped
                    )
                    for name, data in members:
                        yield f"{file}:{name}", data
                except ImportProblem as problem:
                    report.refused.append((str(file), str(problem)))
                report.refused += [(f"{file}:{s.name}", s.reason) for s in skipped]
            else:  # an unsupported kind is refused by name in the summary, not dropped
                yield str(file), file.read_bytes()


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--title", default="", help="Title for a single file (default: from the file).")
@click.option("--outlet", default="")
@click.option("--url", default="")
@click.option("--date", "published", default="", help="Publication date, YYYY-MM-DD.")
@click.option("--again", is_flag=True, help="Import texts already in the library again.")
def import_files(
    paths: tuple[Path, ...], title: str, outlet: str, url: str, published: str, again: bool
) -> None:
    """Import .txt, .md, .html and .docx files, whole folders and zip archives of them."""
    from app.articles import ArticleInput, create_article, find_duplicate
    from app.extract import extract_file
    from app.importing import ImportProblem, default_title

    settings = Settings()
    date = dt.date.fromisoformat(published) if published else None
    report = Report()
    found = list(_candidates(paths, settings.max_upload_bytes, report))
    if title and len(found) > 1:
        raise click.UsageError("--title applies to one file; leave it out to use the files'.")
    database = open_database(settings.database_url)
    with click.progressbar(
        found,
        label="importing",
        file=sys.stderr,
        item_show_func=lambda item: item[0][-40:] if item else "",
    ) as bar:
        for name, data in bar:
            try:
                extracted = extract_file(name, data, limit=settings.max_upload_bytes)
            except ImportProblem as problem:
                report.refused.append((name, str(problem)))
                continue
            with database.write_session() as session:
                if not again and find_duplicate(session, extracted.text) is not None:
                    report.duplicates.append(name)
                    continue
                try:
                    create_article(
                        session,
                        ArticleInput(
                            title=title or extracted.title or default_title(extracted.text),
                            text=extracted.text,
                            outlet=outlet,
                            url=url,
                            published_at=date or extracted.published,
                        ),
                        actor=settings.editor,
                    )
                except ImportProblem as problem:
                    session.rollback()
                    report.refused.append((name, str(problem)))
                    continue
                session.commit()
            report.imported.append(name)
    database.dispose()
    click.echo(
        f"imported {len(report.imported)}, already in the library "
        f"{len(report.duplicates)}, refused {len(report.refused)}"
    )
    for name in report.duplicates:
        click.echo(f"  already in the library: {name}")
    for name, reason in report.refused:
        click.echo(f"  refused {name}: {reason}")
    if report.refused and not report.imported:
        sys.exit(1)


@click.command("suggest")
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


@click.command()
@click.option(
    "--article",
    "article_id",
    type=int,
    default=None,
    help="One article (all its sentences); without it, every attribution.",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="csv", show_default=True)
@click.option(
    "--source",
    "source_id",
    type=int,
    default=None,
    help="Only this source and its affiliates (with no --article).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help="File to write (default: standard output).",
)
def export(article_id: int | None, fmt: str, source_id: int | None, output: Path | None) -> None:
    """Write the attribution table in any export format, streamed."""
    from app.models import Article, Attribution, Sentence
    from app.routes.exports import article_meta, writer
    from app.table import Filters, ordered, rows_query, stream_rows, with_affiliates

    settings = Settings()
    database = open_database(settings.database_url)
    with database.read_session() as session:
        if article_id is not None:
            article = session.get(Article, article_id)
            if article is None:
                raise click.ClickException(f"no article {article_id}")
            query = rows_query(Filters(article_id=article_id), include_untagged=True)
            query = query.order_by(Sentence.position, Attribution.id)
            meta: dict[str, object] = {"article": article_meta(article)}
        else:
            filters = Filters(
                source_ids=with_affiliates(session, source_id) if source_id else set()
            )
            query, meta = ordered(rows_query(filters), filters), {}
        write = writer(
            fmt, meta=meta, bom=False, base_url=f"http://{settings.host}:{settings.port}"
        )
        sink = output.open("wb") if output else sys.stdout.buffer
        try:
            for chunk in write(stream_rows(session, query)):
                sink.write(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
        finally:
            if output:
                sink.close()
            else:
                sink.flush()
    database.dispose()


def register(main: click.Group) -> None:
    for command in (import_files, export, suggest_command):
        main.add_command(command)
