"""`mtwatch learn`: learn a topic's second opinion from labelled rows, and say what it adds."""

from __future__ import annotations

import contextlib
import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

import click

from crawler.cli.common import EXIT_CONFIG, EXIT_FAILED, fail, load
from crawler.cli.match import topic_option

if TYPE_CHECKING:
    from pipelines.matcher.learning import Examples, Outcome

#: the thresholds the cross-validated table shows (with the topic's own)
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95)


@click.command("learn")
@click.argument("files", metavar="FILE.jsonl...", nargs=-1, required=True,
                type=click.Path(path_type=Path, dir_okay=False))
@topic_option
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE.npz",
              help="Where to write the model. Default: the topic's [second_opinion] model.")
@click.option("--folds", type=click.IntRange(0, 50), default=8, show_default=True,
              help="Cross-validate over this many groups of files first (0: do not).")
@click.option("--dry-run", is_flag=True, help="Only cross-validate and report: write nothing.")
@click.pass_context
def command(ctx: click.Context, files: tuple[Path, ...], topic_name: str | None,
            out: Path | None, folds: int, dry_run: bool) -> None:
    """Learn the topic's second opinion from labelled rows (the rows `mtwatch match` reads).

    The rules read every row first; where they find no evidence but a sentence names both
    sides, a crawl asks the second opinion, a model of the words of the article and of those
    sentences. Rows with "split": "heldout" are left out: they measure, they do not teach.

    \b
    Before writing, each file's rows are scored by a model learned from the other files
    (--folds groups): precision and recall of the rules alone and with the second opinion
    at several thresholds, the table to choose [second_opinion] threshold from. Then the
    model is learned from every row and written (--out, else the topic's model file).

    \b
      mtwatch learn --topic syria-turkey tests/data/matcher_dev.jsonl \\
          tests/data/corpus.jsonl tests/data/dev_*.jsonl      (the shipped model)
      mtwatch export --what labels > mine.jsonl
      mtwatch learn --topic syria-turkey mine.jsonl tests/data/dev_*.jsonl
    """
    from pipelines.matcher import Matcher, TopicConfigError, learning, load_topic
    from pipelines.matcher.backtest import CorpusError
    from pipelines.matcher.loader import topic_table
    from pipelines.matcher.opinion import examples_digest, rules_digest
    from pipelines.topic_files import UnknownTopicError, topic_file

    try:
        import sklearn  # noqa: F401  (learning imports it where it learns)
    except ImportError as exc:  # scikit-learn is an extra
        fail(f"mtwatch learn needs scikit-learn ({exc}): pip install 'mtwatch[learn]'",
             EXIT_CONFIG)
    config = load(ctx)
    entries = list(config.topics.enabled) if topic_name is None else [topic_name]
    if len(entries) != 1:
        fail("several topics are enabled: choose one with --topic NAME", EXIT_CONFIG)
    try:
        path = topic_file(config.topics_dir, entries[0])
        topic = load_topic(path, second_opinion=False)
        table = topic_table(path)
    except (UnknownTopicError, TopicConfigError) as exc:
        fail(f"--topic: {exc}", EXIT_CONFIG)
    if topic.form != "rules":
        fail(f"--topic: {path} is a quick (query) topic: only rules topics have a second "
             "opinion", EXIT_CONFIG)
    section = table.get("second_opinion", {})
    threshold = section.get("threshold") if isinstance(section, dict) else None
    if out is None and not dry_run:
        if not isinstance(section, dict) or not isinstance(section.get("model"), str):
            fail(f"{path} has no [second_opinion] model: say where to write it with --out",
                 EXIT_CONFIG)
        out = path.parent / section["model"]

    click.echo(f"mtwatch learn: reading {len(files)} file(s) with the rules of {topic.id} "
               f"{topic.rule_version} …", err=True)
    try:
        examples = learning.read_examples(files, Matcher(topic, second_opinion=False))
    except CorpusError as exc:
        fail(str(exc), EXIT_CONFIG)
    positives = sum(row.label for row in examples.rows)
    if not 0 < positives < len(examples.rows):
        fail(f"{len(examples.rows)} labelled rows, {positives} positive: learning needs both "
             "labels", EXIT_CONFIG)
    _describe(examples, len(files), positives)

    if folds:
        def fold_done(done: int) -> None:
            click.echo(f"mtwatch learn: cross-validation fold {done} done", err=True)

        probabilities = learning.cross_validate(examples.rows, folds, progress=fold_done)
        if len(probabilities):
            shown = sorted({*THRESHOLDS, *([threshold] if isinstance(threshold, float) else [])})
            _table(learning.outcomes(examples.rows, probabilities, shown), threshold,
                   min(folds, len({row.group for row in examples.rows})))
        else:
            click.echo("(one file: no cross-validation; give several files)")
    if dry_run or out is None:
        return
    model = learning.fit(examples.rows)
    meta = {"topic": topic.id, "rules_sha256": rules_digest(table),
            "examples": [_shown(file) for file in files],
            "examples_sha256": examples_digest(files), "rows": len(examples.rows),
            "positives": positives, "strength": learning.STRENGTH,
            "min_rows": learning.MIN_ROWS}
    try:
        dataclasses.replace(model, meta=meta).save(out)
    except OSError as exc:
        fail(f"cannot write {out}: {exc.strerror or exc}", EXIT_FAILED)
    click.echo(f"wrote {out}: {len(model.weights)} grams, {out.stat().st_size // 1024} KB "
               f"(the topic's threshold: {threshold if threshold is not None else 'none set'})")


def _shown(path: Path) -> str:
    """A file as the model records it: relative to the working directory when inside it."""
    path = Path(path)
    if path.is_absolute():
        with contextlib.suppress(ValueError):
            return path.relative_to(Path.cwd()).as_posix()
    return path.as_posix()


def _describe(examples: Examples, files: int, positives: int) -> None:
    click.echo(f"learning from {len(examples.rows)} labelled rows of {files} file(s), "
               f"{positives} positive; left out: {examples.heldout_skipped} held-out, "
               f"{examples.unlabelled_skipped} unlabelled")


def _table(found: list[Outcome], threshold: object, folds: int) -> None:
    click.echo(f"{'':34} precision  recall     tp    fp    fn")
    for item in found:
        if item.threshold is None:
            name = "the rules alone"
        else:
            mark = "  (the topic's)" if item.threshold == threshold else ""
            name = f"  threshold {item.threshold:.2f}{mark}"
        click.echo(f"{name:34} {item.precision:9.4f} {item.recall:7.4f} "
                   f"{item.true_positives:6d} {item.false_positives:5d} "
                   f"{item.false_negatives:5d}")
        if item.threshold is None:
            click.echo(f"with the second opinion, each file scored by a model learned from "
                       f"the others ({folds} folds):")
