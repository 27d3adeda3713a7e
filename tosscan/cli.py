"""The command line. Only this module knows about argv, exit codes and terminals.

Exit codes: 0 success; 1 ``--fail-on`` threshold reached, or a rule example / eval bar failed;
2 bad input or usage, or some document of a batch failed (the others were scanned); 3 invalid rule
catalog; 70 internal error (a bug, also when it hit only one document of a batch).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from tosscan.errors import InputError, TosscanError
from tosscan.output import write_report

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="tosscan — find the clauses of a terms-of-service agreement that take rights over "
                       "what you post.")
rules_app = typer.Typer(no_args_is_help=True, help="List, show, validate and test the rule catalog.")
app.add_typer(rules_app, name="rules")


class Format(StrEnum):
    text = "text"
    json = "json"


class ScanFormat(StrEnum):
    text = "text"
    json = "json"
    html = "html"
    md = "md"
    csv = "csv"


class UiLang(StrEnum):
    auto = "auto"
    zh = "zh"
    en = "en"


class LangOpt(StrEnum):
    auto = "auto"
    zh = "zh"
    en = "en"


class FailOn(StrEnum):
    never = "never"
    info = "info"
    low = "low"
    medium = "medium"
    high = "high"


RulesDir = Annotated[Path | None, typer.Option("--rules", help="Rule catalog directory (default: the shipped one).",
                                                show_default=False)]
Output = Annotated[Path | None, typer.Option("--output", "-o", help="Write to FILE instead of stdout.",
                                             show_default=False)]
DocLang = Annotated[LangOpt, typer.Option("--lang", help="Document language.")]


def _set_encoding(name: str | None) -> str | None:
    """--encoding: checked here (a bad name is a usage error), then read by every reader and worker."""
    if name:
        from tosscan.ingest.text import encoding_codec

        try:
            os.environ["TOSSCAN_ENCODING"] = encoding_codec(name)
        except ValueError as e:
            raise typer.BadParameter(str(e)) from None
    return name


Encoding = Annotated[str | None, typer.Option("--encoding", metavar="NAME", callback=_set_encoding, show_default=False,
                                              help="Read text files in this encoding instead of detecting it "
                                                   "(gb18030, big5, shift_jis, euc_kr, cp1252…).")]


def _fail(err: TosscanError) -> NoReturn:
    typer.echo(f"tosscan: error: {err}", err=True)
    raise typer.Exit(err.exit_code)


def _scanner(rules: Path | None):
    from tosscan.pipeline import Scanner

    try:
        return Scanner(rules)
    except TosscanError as e:
        _fail(e)


def _write(out: Path | None, content: str | Iterable[str], inputs: list[Path]) -> None:
    """Write a report (a text, or its pieces as they are rendered) to ``out`` or standard output."""
    if out is None:
        try:
            for piece in [content] if isinstance(content, str) else content:
                sys.stdout.write(piece)
            sys.stdout.flush()
        except BrokenPipeError:  # the reader went away (`… | head`): the rest is not wanted; end quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return
    try:
        write_report(out, content, [p for p in inputs if str(p) != "-"])
    except TosscanError as e:
        _fail(e)


def _clean(text: str) -> str:
    """Terminal text without the agreement's escape sequences (as the scan summary is)."""
    from tosscan.render.text import clean

    return clean(text)


EXTENSIONS = {"text": ".txt", "json": ".json", "html": ".html", "md": ".md", "csv": ".csv"}

Jobs = Annotated[int | None, typer.Option("--jobs", "-j", min=1, help="Worker processes (default: the number of "
                                           "cores; 1 scans in this process).", show_default=False)]


def _echo_err(progress, message: str) -> None:
    if progress is not None:
        progress.console.print(message, markup=False, highlight=False)
    else:
        typer.echo(message, err=True)


def _progress(total: int):
    """A progress bar on standard error when it is a terminal and there is more than one document."""
    if total < 2 or not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    return Progress(TextColumn("scanning"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    TimeRemainingColumn(), console=Console(stderr=True), transient=True)


def _out_name(rel: Path, ext: str, used: set[str]) -> Path:
    """The report's path under --out-dir: the input's path below its argument, with the format's suffix;
    a name already taken gets -2, -3 …"""
    base = Path(rel).with_suffix(ext) if Path(rel).suffix.lower() in (".txt", ".md") else Path(f"{rel}{ext}")
    name, k = base, 1
    while str(name).lower() in used:
        k += 1
        name = base.with_name(f"{base.stem}-{k}{ext}")
    used.add(str(name).lower())
    return name


def _run_documents(items, scanner, *, jobs, lang, rules, fmt, ui_lang, keep, out_dir, selector=None, user_agent=None,
                   snapshot_dir=None):
    """Scan every item (in parallel), writing each report under ``out_dir`` when given. Returns the outcomes
    (results dropped unless ``keep``), the seconds taken and the number of workers."""
    import time

    from tosscan.batch import default_jobs, run_batch

    n_jobs = max(1, min(jobs or default_jobs(), len(items)))
    progress = _progress(len(items))
    outcomes = []
    used: set[str] = set()
    t0 = time.perf_counter()
    task = None
    try:
        for o in run_batch(items, jobs=n_jobs, lang=lang, rules=rules, fmt=fmt if out_dir else None,
                           ui_lang=ui_lang, keep=keep, scanner=scanner, selector=selector, user_agent=user_agent,
                           snapshot_dir=snapshot_dir):
            if o.ok and out_dir is not None:
                target = out_dir / _out_name(o.rel, EXTENSIONS[fmt], used)
                try:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    local = o.path != "-" and "://" not in o.path
                    write_report(target, o.output or "", [Path(o.path)] if local else [])
                    o.extra["written"] = str(target)
                except (TosscanError, OSError) as e:
                    o.ok, o.error = False, str(e) if isinstance(e, TosscanError) else f"{target}: {e.strerror}"
                o.output = None
            if not o.ok:
                _echo_err(progress, f"tosscan: error: {o.error}")
                if o.internal and os.environ.get("TOSSCAN_DEBUG") and o.trace:
                    _echo_err(progress, o.trace.rstrip())
            outcomes.append(o)
            if progress is not None:
                if task is None:  # started once the workers are forked: no fork while its thread draws
                    progress.start()
                    task = progress.add_task("scan", total=len(items))
                progress.advance(task)
    finally:
        if task is not None:
            progress.stop()
    return outcomes, time.perf_counter() - t0, n_jobs


def _exit_code(outcomes, fail_on: FailOn | None = None) -> int:
    if any(not o.ok and o.internal for o in outcomes):
        return 70
    if any(not o.ok for o in outcomes):
        return 2
    if fail_on is not None and fail_on is not FailOn.never and \
            any(o.summary is not None and o.summary.reaches(fail_on.value) for o in outcomes):
        return 1
    return 0


def _expand(paths: list[Path], exclude: list[Path] = ()):
    from tosscan.batch import expand

    try:
        return expand(paths, exclude)
    except TosscanError as e:
        _fail(e)


@app.command()
def scan(
    paths: Annotated[list[str], typer.Argument(help="Agreements: .txt, .md, .html, .mhtml, .pdf or .docx files, "
                                               "directories (every such file below them), http(s) URLs, or - for "
                                               "standard input.", show_default=False)],
    fmt: Annotated[ScanFormat, typer.Option("--format", "-f", help="Output format: a terminal summary, the JSON "
                                            "contract, a self-contained HTML report, Markdown or CSV.")
                   ] = ScanFormat.text,
    output: Output = None,
    encoding: Encoding = None,
    out_dir: Annotated[Path | None, typer.Option("--out-dir", help="Write one report per document into DIR "
                                                 "(named after each input), and a summary table to stdout.",
                                                 show_default=False)] = None,
    jobs: Jobs = None,
    lang: DocLang = LangOpt.auto,
    ui_lang: Annotated[UiLang, typer.Option("--ui-lang", help="Language of the report's interface (answers, "
                                            "titles, explanations); auto follows each document.")] = UiLang.auto,
    rules: RulesDir = None,
    fail_on: Annotated[FailOn, typer.Option("--fail-on", help="Exit 1 when a finding of this severity or "
                                            "higher is found.")] = FailOn.never,
    selector: Annotated[str | None, typer.Option("--selector", help="CSS selector of the agreement in a web page "
                                                 "(default: chosen by tosscan).", show_default=False)] = None,
    user_agent: Annotated[str | None, typer.Option("--user-agent", help="User-Agent header for URLs.",
                                                   show_default=False)] = None,
    save_snapshot: Annotated[Path | None, typer.Option("--save-snapshot", help="Keep the exact bytes scanned "
                                                       "(and a .json of where and when) in DIR.", metavar="DIR",
                                                       show_default=False)] = None,
) -> None:
    """Scan agreements and report the clauses that matter, with clause numbers and quotes.

    Several documents are scanned in parallel; one that fails is reported and the others go on (exit 2).
    """
    import shutil

    from tosscan.ingest import is_url
    from tosscan.render import render_pieces

    if output is not None and out_dir is not None:
        _fail(InputError("give either -o FILE (one report) or --out-dir DIR (one report per document)"))
    if out_dir is not None and out_dir.exists() and not out_dir.is_dir():
        _fail(InputError(f"{out_dir}: not a directory"))
    items = _expand(paths, [out_dir] if out_dir is not None else [])
    scanner = _scanner(rules)
    ui = None if ui_lang is UiLang.auto else ui_lang.value
    outcomes, seconds, n_jobs = _run_documents(items, scanner, jobs=jobs, lang=lang.value, rules=rules, fmt=fmt.value,
                                               ui_lang=ui, keep=out_dir is None, out_dir=out_dir, selector=selector,
                                               user_agent=user_agent, snapshot_dir=save_snapshot)
    batch = len(items) > 1 or out_dir is not None
    results = [o.result for o in outcomes if o.ok and o.result is not None]
    if out_dir is None and results:
        tty = output is None and fmt is ScanFormat.text and sys.stdout.isatty()
        content = render_pieces(results, fmt.value, ui, color=tty,
                                width=shutil.get_terminal_size().columns if tty else None)
        _write(output, content, [Path(i.path) for i in items if i.path != "-" and not is_url(i.path)])
    if batch:
        from tosscan.render.text import render_batch_summary

        to_stdout = output is not None or out_dir is not None
        stream = sys.stdout if to_stdout else sys.stderr
        color = stream.isatty()
        stream.write(render_batch_summary(outcomes, seconds=seconds, jobs=n_jobs, color=color,
                                          width=shutil.get_terminal_size().columns if color else None))
        stream.flush()
    code = _exit_code(outcomes, fail_on)
    if code:
        raise typer.Exit(code)


class CompareFormat(StrEnum):
    html = "html"
    md = "md"
    csv = "csv"
    json = "json"


@app.command()
def compare(
    paths: Annotated[list[Path], typer.Argument(help="Two or more agreements (files or directories), one column "
                                                "each, in this order.", show_default=False)],
    names: Annotated[list[str] | None, typer.Option("--name", "-n", help="A column's name, once per document in "
                                                    "order (default: the document's title).", show_default=False)
                     ] = None,
    fmt: Annotated[CompareFormat, typer.Option("--format", "-f", help="A self-contained HTML page, Markdown for "
                                               "an article, CSV for a spreadsheet or JSON.")] = CompareFormat.md,
    output: Output = None,
    encoding: Encoding = None,
    jobs: Jobs = None,
    lang: DocLang = LangOpt.auto,
    ui_lang: Annotated[UiLang, typer.Option("--ui-lang", help="Language of the page's interface; auto follows "
                                            "the first document.")] = UiLang.auto,
    rules: RulesDir = None,
) -> None:
    """Compare agreements side by side: the artist questions and the other terms, one column per document."""
    from tosscan.compare import build_matrix
    from tosscan.render import render_compare

    items = _expand(paths)
    names = names or []
    if len(items) < 2:
        _fail(InputError("give at least two agreements to compare"))
    if len(names) > len(items):
        _fail(InputError(f"{len(names)} --name for {len(items)} documents"))
    scanner = _scanner(rules)
    outcomes, _seconds, _n = _run_documents(items, scanner, jobs=jobs, lang=lang.value, rules=rules, fmt=None,
                                            ui_lang=None, keep=True, out_dir=None)
    code = _exit_code(outcomes)
    if code:  # a matrix with a column missing would mislead: nothing is written
        typer.echo(f"tosscan: {sum(not o.ok for o in outcomes)} of {len(outcomes)} documents failed; "
                   "nothing compared", err=True)
        raise typer.Exit(code)
    matrix = build_matrix([o.result for o in outcomes], names)
    content = render_compare(matrix, fmt.value, None if ui_lang is UiLang.auto else ui_lang.value)
    _write(output, content, [Path(i.path) for i in items])


class DiffFormat(StrEnum):
    text = "text"
    json = "json"
    html = "html"
    md = "md"


class HistoryFormat(StrEnum):
    text = "text"
    json = "json"
    html = "html"
    md = "md"
    csv = "csv"


@app.command()
def diff(
    old: Annotated[Path, typer.Argument(help="The older version (.txt, .md).", show_default=False)],
    new: Annotated[Path, typer.Argument(help="The newer version.", show_default=False)],
    fmt: Annotated[DiffFormat, typer.Option("--format", "-f", help="Output format: a terminal summary, JSON, a "
                                            "self-contained HTML page or Markdown.")] = DiffFormat.text,
    output: Output = None,
    encoding: Encoding = None,
    lang: DocLang = LangOpt.auto,
    ui_lang: Annotated[UiLang, typer.Option("--ui-lang", help="Language of the report's interface.")] = UiLang.auto,
    rules: RulesDir = None,
) -> None:
    """Compare two versions of an agreement: what changed in your rights, then clause by clause."""
    from tosscan.diff import diff_files
    from tosscan.render import render_diff

    _scanner(rules)  # a broken catalog: one line, exit 3
    try:
        result = diff_files(old, new, lang.value, rules)
    except TosscanError as e:
        _fail(e)
    content = render_diff(result, fmt.value, None if ui_lang is UiLang.auto else ui_lang.value)
    _write(output, _clean(content) if fmt is DiffFormat.text else content, [old, new])


@app.command()
def history(
    versions: Annotated[list[Path], typer.Argument(help="Dated versions (files or a folder; the date is read from "
                                                   "each file name), or one file in a git repository.",
                                                   show_default=False)],
    dates: Annotated[str | None, typer.Option("--dates", help="The versions' dates, YYYY-MM-DD separated by "
                                              "commas, in the order given (overrides the file names).")] = None,
    fmt: Annotated[HistoryFormat, typer.Option("--format", "-f", help="Output format: a terminal summary, JSON, "
                                               "an HTML timeline, Markdown or CSV (one row per event).")
                   ] = HistoryFormat.text,
    output: Output = None,
    lang: DocLang = LangOpt.auto,
    ui_lang: Annotated[UiLang, typer.Option("--ui-lang", help="Language of the report's interface.")] = UiLang.auto,
    rules: RulesDir = None,
) -> None:
    """Follow an agreement over its versions: when each right appeared, changed or disappeared."""
    from tosscan.diff import history as run_history
    from tosscan.render import render_history

    _scanner(rules)
    date_list = [d.strip() for d in dates.split(",") if d.strip()] if dates else None
    try:
        result = run_history(versions, date_list, lang.value, rules)
    except TosscanError as e:
        _fail(e)
    doc_lang = lang.value if lang is not LangOpt.auto else result.language
    content = render_history(result, fmt.value, None if ui_lang is UiLang.auto else ui_lang.value, doc_lang)
    files = [p for p in versions if p.is_file()]
    _write(output, _clean(content) if fmt is HistoryFormat.text else content, files)


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on. The default answers only this "
                                      "computer; 0.0.0.0 opens it to your network.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.", min=1, max=65535)] = 8000,
    open_browser: Annotated[bool, typer.Option("--open", help="Open the page in the web browser.")] = False,
) -> None:
    """Start the local web page (and its JSON API): scan and compare agreements without a terminal."""
    from tosscan.serve import run

    run(host, port, open_browser)


@app.command()
def concepts() -> None:
    """List the concept vocabulary every finding is labelled with."""
    from rich.console import Console
    from rich.table import Table

    from tosscan.catalog import load_concepts

    table = Table("id", "中文", "English", "means", show_lines=False)
    for cid, c in load_concepts().items():
        table.add_row(cid, c.get("zh", ""), c.get("en", ""), c.get("means", ""))
    Console().print(table)


@rules_app.command("list")
def rules_list(rules: RulesDir = None,
               lang: Annotated[LangOpt, typer.Option("--lang", help="Only rules of this language.")] = LangOpt.auto
               ) -> None:
    """List the rules of the catalog."""
    from rich.console import Console
    from rich.table import Table

    from tosscan.catalog import load_catalog

    try:
        catalog = load_catalog(rules)
    except TosscanError as e:
        _fail(e)
    table = Table("id", "severity", "concepts", "title")
    for r in catalog:
        if lang is LangOpt.auto or r.lang == lang.value:
            table.add_row(r.id, r.severity, ", ".join(r.concepts), r.title.en)
    Console().print(table)
    typer.echo(f"{len(catalog)} rules, catalog sha256 {catalog.sha256[:12]}")


@rules_app.command("show")
def rules_show(rule_id: Annotated[str, typer.Argument(help="Rule id, e.g. zh.license.irrevocable")],
               rules: RulesDir = None) -> None:
    """Show one rule as YAML, with where it is defined."""
    import yaml

    from tosscan.catalog import load_catalog

    try:
        catalog = load_catalog(rules)
    except TosscanError as e:
        _fail(e)
    rule = catalog.by_id.get(rule_id)
    if rule is None:
        close = [r for r in catalog.by_id if rule_id in r]
        hint = f" (did you mean {', '.join(close[:5])}?)" if close else ""
        _fail(InputError(f"no rule {rule_id!r}{hint}"))
    typer.echo(f"# {rule.source}")
    typer.echo(yaml.safe_dump(rule.model_dump(mode="json", by_alias=True, exclude_defaults=True),
                              allow_unicode=True, sort_keys=False).rstrip())


def _validate(rules: Path | None):
    from tosscan.catalog import load_catalog, load_concepts
    from tosscan.errors import CatalogError

    try:
        catalog = load_catalog(rules)
    except TosscanError as e:
        _fail(e)
    if catalog.unused_lists:  # dead data: a list nothing uses is deleted, not kept "just in case"
        n = len(catalog.unused_lists)
        plural = "s" if n > 1 else ""
        _fail(CatalogError(f"{n} unused term list{plural} or frame{plural} (use or delete):\n  "
                           + "\n  ".join(catalog.unused_lists)))
    for msg in catalog.risky:  # run under the time limit; said, so that the rule gets fixed
        typer.echo(f"tosscan: warning: {msg}", err=True)
    known = set(load_concepts())
    for f in catalog.frames:
        bad = [c for c in f.concepts if c not in known]
        if bad:
            _fail(CatalogError(f"{f.source}: frame {f.id}: unknown concept(s) {', '.join(bad)}"))
    for r in catalog:
        bad = [c for c in r.concepts if c not in known]
        if bad:
            _fail(CatalogError(f"{r.source}: rule {r.id}: unknown concept(s) {', '.join(bad)}"))
    return catalog


@rules_app.command("validate")
def rules_validate(rules: RulesDir = None) -> None:
    """Check every rule file: schema, unknown keys, concept ids, duplicate ids, term lists (unknown,
    defined twice, unused)."""
    catalog = _validate(rules)
    typer.echo(f"ok: {len(catalog)} rules valid (catalog sha256 {catalog.sha256[:12]})")


@rules_app.command("test")
def rules_test(rules: RulesDir = None,
               rule_id: Annotated[str | None, typer.Option("--rule", help="Only rules whose id starts with this.")
                                  ] = None) -> None:
    """Run every rule's and frame's examples: each `flag` text must fire it, each `pass` text must not."""
    from tosscan.dev.examples import cases, run_case

    _validate(rules)
    scanner = _scanner(rules)
    selected = [r for r in scanner.catalog if not rule_id or r.id.startswith(rule_id)]
    frames = [f for f in scanner.catalog.frames if not rule_id or f"{f.lang}.frame.{f.id}".startswith(rule_id)]
    failures = 0
    all_cases = cases(selected, frames)
    for case in all_cases:
        out = run_case(scanner, case)
        if not out.ok:
            failures += 1
            verb = "did not flag" if case.kind == "flag" else "wrongly flagged"
            typer.echo(f"FAIL {case.name}: {verb}: {case.text}")
    typer.echo(f"{len(all_cases) - failures}/{len(all_cases)} examples pass ({len(selected)} rules, "
               f"{len(frames)} frames)")
    if failures:
        raise typer.Exit(1)


class Corpus(StrEnum):
    claudette = "claudette"


@app.command("eval")
def eval_cmd(
    docdir: Annotated[Path, typer.Argument(help="Directory of the labelled documents.")],
    gold: Annotated[Path | None, typer.Option("--gold", help="Gold labels (.jsonl: doc, concept, start, end, "
                                              "quote) for the .txt/.md documents of DOCDIR.")] = None,
    corpus: Annotated[Corpus | None, typer.Option("--corpus", help="DOCDIR holds a corpus with inline labels "
                                                  "(CLAUDETTE .xml files).")] = None,
    prefix: Annotated[str, typer.Option("--prefix", help="Only documents whose name starts with this.")] = "",
    docs: Annotated[str | None, typer.Option("--docs", help="Only these documents: names separated by commas, "
                                             "or @FILE with one name per line (e.g. a CLAUDETTE LIST_TEST file).")
                    ] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.text,
    show_errors: Annotated[int, typer.Option("--show-errors", help="Print up to N false positives and misses "
                                             "per concept.")] = 0,
    concept: Annotated[str | None, typer.Option("--concept", help="Only this concept in the table and errors.")
                       ] = None,
    min_macro: Annotated[float, typer.Option("--min-macro", help="Exit 1 when macro-F1 is below this.")] = 0.0,
    rules: RulesDir = None,
) -> None:
    """Measure the catalog against labelled documents, sentence by sentence (as ../shared/tools/score.py does)."""
    from tosscan.dev.evaluate import evaluate_claudette, evaluate_gold, format_report

    if (gold is None) == (corpus is None):
        _fail(InputError("give exactly one of --gold GOLD.jsonl or --corpus claudette"))
    wanted: set[str] | None = None
    if docs:
        if docs.startswith("@"):
            try:
                wanted = {line.strip() for line in Path(docs[1:]).read_text(encoding="utf-8").splitlines()
                          if line.strip()}
            except OSError as e:
                _fail(InputError(f"{docs[1:]}: cannot read ({e.strerror})"))
        else:
            wanted = {d.strip() for d in docs.split(",") if d.strip()}
    scanner = _scanner(rules)
    try:
        if corpus is Corpus.claudette:
            report = evaluate_claudette(scanner, docdir, prefix, wanted)
        else:
            assert gold is not None
            report = evaluate_gold(scanner, docdir, gold, prefix, wanted)
    except TosscanError as e:
        _fail(e)
    if fmt is Format.json:
        typer.echo(json.dumps(report.summary(), ensure_ascii=False, indent=2))
    else:
        typer.echo(format_report(report, show_errors, concept))
    if report.macro_f1 < min_macro:
        raise typer.Exit(1)


def _usage_error(e: Exception) -> bool:
    """click's usage errors (typer may vendor its own click: recognised by shape, not by class)."""
    return hasattr(e, "format_message") and isinstance(getattr(e, "exit_code", None), int)


def _one_line_warnings() -> None:
    """A doubtful encoding is one line on stderr, every time (the batch workers inherit this)."""
    import warnings

    from tosscan.ingest.text import DoubtfulEncoding

    shown = warnings.showwarning

    def show(message, category, *args, **kwargs):
        if issubclass(category, DoubtfulEncoding):
            sys.stderr.write(f"tosscan: warning: {message}\n")
        else:
            shown(message, category, *args, **kwargs)

    warnings.showwarning = show
    warnings.simplefilter("always", DoubtfulEncoding)


def main() -> None:
    _one_line_warnings()
    try:
        try:
            code = app(standalone_mode=False)
        except typer.Abort:
            raise KeyboardInterrupt from None
        except Exception as e:
            if not _usage_error(e):
                raise
            if type(e).__name__ == "NoArgsIsHelpError":  # "tosscan" alone: the help, as before
                ctx = getattr(e, "ctx", None)
                typer.echo(ctx.get_help() if ctx else str(e))
                sys.exit(0)
            ctx = getattr(e, "ctx", None)
            where = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
            typer.echo(f"tosscan: error: {' '.join(e.format_message().split())}{where}", err=True)
            sys.exit(e.exit_code if e.exit_code else 2)
    except KeyboardInterrupt:
        typer.echo("tosscan: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as e:  # a bug: say so in one line; TOSSCAN_DEBUG=1 shows the traceback
        if os.environ.get("TOSSCAN_DEBUG"):
            raise
        typer.echo(f"tosscan: internal error: {type(e).__name__}: {e} (set TOSSCAN_DEBUG=1 for details)", err=True)
        sys.exit(70)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
