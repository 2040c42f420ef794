"""``hcsync export``: write the live help center as a config file, pinned by id, and its
articles as Markdown files in a folder beside it."""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING

from hcsync.commands import COMMANDS
from hcsync.commands.common import (
    EXIT_ERROR,
    EXIT_OK,
    RAW,
    Io,
    client,
    connection_args,
    write_file,
)
from hcsync.errors import UsageError
from hcsync.escape import clean

if TYPE_CHECKING:
    from hcsync.export import ExportedArticles

HELP = """\
Write the live help center as a config file with id pins, to adopt it in one step.

With --out, the articles of its collections are written too, as Markdown files with front
matter in a folder beside the file (--articles, default `articles`), which the file then
names (`articles:`, with the most common author as `default_author:`). An article whose
HTML Markdown cannot hold exactly (callouts, buttons, videos, alignment...) is written as
`format: html`, and named. Image URLs are written without Intercom's expiring signature.
The folder must not hold article files already. To standard output, only the config file
is written (the articles are counted, not exported).

The file is then checked as `hcsync validate` would check it. Intercom accepts some names the
config format refuses (a line break or another control character, a bidirectional override
such as U+202E, over 255 characters, surrounding spaces, siblings that differ only in case);
the file is still written, each problem is named with its live collection's id, and the exit
code is 1.

examples:
  hcsync export --out help/collections.yaml          # and help/articles/*.md
  hcsync export > collections.yaml                   # collections only
  hcsync export --help-center acme --out collections.yaml
  hcsync export --help-center staging --no-ids --out site.yaml   # then, to production:
  hcsync apply site.yaml --help-center production
"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "export", help=COMMANDS["export"], description=HELP, formatter_class=RAW
    )
    parser.add_argument("--out", metavar="FILE", help="write here instead of standard output")
    parser.add_argument(
        "--no-ids",
        dest="ids",
        action="store_false",
        help="no id pins: a file to apply to another or an empty help center (restore a"
        " backup, promote staging to production)",
    )
    parser.add_argument(
        "--articles",
        metavar="FOLDER",
        default="articles",
        help="the articles folder, relative to the --out file (default: articles)",
    )
    parser.add_argument(
        "--no-articles",
        dest="with_articles",
        action="store_false",
        help="write the config file only; articles are left out (and left alone by plan)",
    )
    parser.add_argument(
        "--default-locale",
        help="the default locale, when the help center does not report one (default: en)",
    )
    connection_args(parser, has_file=False)
    parser.set_defaults(command=run)


def run(ns: argparse.Namespace, io: Io) -> int:
    from hcsync.export import export_articles, export_problems, export_yaml
    from hcsync.kinds import ARTICLES
    from hcsync.live import fetch_live
    from hcsync.pipeline import articles_in_scope

    api = client(ns, io)
    live = fetch_live(api, ns.help_center, how="pass --help-center to choose one")
    for warning in live.warnings:  # e.g. collections whose help center cannot be told
        io.err.write(f"warning: {clean(warning)}\n")
    articles: ExportedArticles | None = None
    in_scope = (
        articles_in_scope(api.list_all(ARTICLES), live.collections, set())
        if ns.with_articles
        else ()
    )
    if in_scope and not ns.out:
        count = len(in_scope)
        io.err.write(
            f"note: {count} article{'s are' if count != 1 else ' is'} not exported to standard"
            " output; pass --out FILE to write them as Markdown files beside it\n"
        )
    folder = os.path.join(os.path.dirname(ns.out or ""), ns.articles)
    if in_scope and ns.out:
        _check_folder(folder)
        articles = export_articles(
            live,
            in_scope,
            api.list_admins(),
            default_locale=ns.default_locale,
            ids=ns.ids,
            folder=ns.articles.replace(os.sep, "/"),
        )
    text = export_yaml(live, default_locale=ns.default_locale, ids=ns.ids, articles=articles)
    if ns.out:
        if articles is not None:
            _write_articles(folder, articles)
        write_file(ns.out, text)
        io.err.write(f"wrote {len(live.collections)} collections to {ns.out}\n")
        if articles is not None:
            _report_articles(io, folder, articles)
    else:
        io.out.write(text)
    problems = export_problems(text, ns.out or "<standard output>")
    if not problems:
        return EXIT_OK
    count = len(problems)
    io.err.write(
        f"error: the exported file has {count} problem{'s' if count != 1 else ''} that"
        " hcsync would refuse; rename the collections in Intercom (or edit the file) and"
        " validate it:\n"
    )
    for problem in problems:
        io.err.write(f"  {problem}\n")
    return EXIT_ERROR


def _check_folder(folder: str) -> None:
    """Refuse, before anything is written, a folder that already holds article files: a
    second export beside the first would leave two files for one article."""
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise UsageError(f"cannot write the articles to {folder}: it is not a folder")
    for _top, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        if any(name.endswith(".md") and not name.startswith(".") for name in names):
            raise UsageError(
                f"{folder} already holds article files; export into an empty folder (pass"
                " --articles FOLDER) or remove them first"
            )


def _write_articles(folder: str, articles: ExportedArticles) -> None:
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as err:
        raise UsageError(f"cannot create {folder}: {err.strerror}") from None
    for name, text in articles.files:
        write_file(os.path.join(folder, name), text)


def _report_articles(io: Io, folder: str, articles: ExportedArticles) -> None:
    def some(count: int, what: str) -> str:
        return f"{count} {what}{'s' if count != 1 else ''}"

    also = f" and {some(articles.translations, 'translation')}" if articles.translations else ""
    io.err.write(f"wrote {some(articles.articles, 'article')}{also} to {folder}\n")
    if articles.as_html:
        io.err.write(
            f"{some(len(articles.as_html), 'article')} written as HTML (format: html), since"
            " Markdown would lose something:\n"
        )
        for file, why in articles.as_html:
            io.err.write(f"  {clean(os.path.join(folder, file))}: {clean(why)}\n")
