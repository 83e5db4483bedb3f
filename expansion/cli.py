"""The ``expansion`` command line (SPEC section 12)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from expansion.settings import ENGINE_ENV, ENGINES, PROJECT_ROOT, DataDir, engine_from_env

DEMO_DATA_DIR = PROJECT_ROOT / "data"


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text} must be a positive whole number")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text} must not be negative")
    return value


def _share(text: str) -> float:
    value = float(text)
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"{text} must be a share between 0 and 1")
    return value


def _add_feed_shapes(command: argparse.ArgumentParser, defaults) -> None:
    """The real-feed shapes the default company does not have (docs/generator.md)."""
    from expansion.generator.feeds import FX_FEEDS

    command.add_argument(
        "--dark-accounts",
        type=_share,
        default=defaults.dark_account_share,
        help="share of accounts whose usage feed goes dark for days or weeks (default 0)",
    )
    command.add_argument(
        "--fx-feed",
        choices=FX_FEEDS,
        default=defaults.fx_feed,
        help="fx rates every day (default), on business days or on the first of each month",
    )
    command.add_argument(
        "--starter-environment-intents",
        action="store_true",
        help="Starter usage-ceiling intents press on their one environment (1 of 1)",
    )
    command.add_argument(
        "--compliance-tags-from",
        type=_date,
        default=defaults.compliance_tags_from,
        metavar="YYYY-MM-DD",
        help="support tickets carry compliance tags from this day only (a newly tracked tag)",
    )


def _feed_shapes(args: argparse.Namespace) -> dict:
    return {
        "dark_account_share": args.dark_accounts,
        "fx_feed": args.fx_feed,
        "starter_environment_intents": args.starter_environment_intents,
        "compliance_tags_from": args.compliance_tags_from,
    }


def build_parser() -> argparse.ArgumentParser:
    from expansion.generator import GeneratorConfig

    defaults = GeneratorConfig()
    parser = argparse.ArgumentParser(
        prog="expansion", description="Expansion revenue warehouse: generate, refresh, demo."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    generate = commands.add_parser("generate", help="write a synthetic company's landing zone")
    generate.add_argument("--accounts", type=_positive_int, default=defaults.accounts)
    generate.add_argument("--days", type=_positive_int, default=defaults.days)
    generate.add_argument("--seed", type=int, default=defaults.seed)
    generate.add_argument("--end-date", type=_date, default=defaults.end_date)
    generate.add_argument("--out", type=Path, default=defaults.out)
    generate.add_argument(
        "--truth-out", type=Path, default=None, help="default: <out>_truth beside --out"
    )
    generate.add_argument("--format", choices=("csv", "parquet"), default=defaults.file_format)
    generate.add_argument("--defect-rate", type=_share, default=defaults.defect_rate)
    _add_feed_shapes(generate, defaults)

    refresh = commands.add_parser(
        "refresh", help="ingest, build, check, publish and render (the nightly job)"
    )
    refresh.add_argument("--landing", type=Path, required=True)
    refresh.add_argument("--data-dir", type=Path, required=True)
    refresh.add_argument("--as-of", type=_date, default=None)
    _add_engine_argument(refresh)
    _add_wait_argument(refresh)

    demo = commands.add_parser("demo", help="generate the demo company and refresh it")
    demo.add_argument("--data-dir", type=Path, default=DEMO_DATA_DIR)
    demo.add_argument("--accounts", type=_positive_int, default=defaults.accounts)
    demo.add_argument("--days", type=_positive_int, default=defaults.days)
    _add_engine_argument(demo)
    _add_wait_argument(demo)
    _add_feed_shapes(demo, defaults)

    backtest = commands.add_parser("backtest", help="print the trigger backtest")
    backtest.add_argument("--data-dir", type=Path, default=DEMO_DATA_DIR)

    check_parser = commands.add_parser(
        "check", help="run the quality and calibration suite on the published marts"
    )
    check_parser.add_argument("--data-dir", type=Path, default=DEMO_DATA_DIR)

    export = commands.add_parser("export", help="export a published mart for spreadsheet users")
    export.add_argument("mart", choices=("scorecard",))
    export.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    export.add_argument("--out", type=Path, required=True)
    export.add_argument("--data-dir", type=Path, default=DEMO_DATA_DIR)

    benchmark = commands.add_parser(
        "benchmark", help="time a full refresh and the next night's refresh on a generated company"
    )
    size = benchmark.add_mutually_exclusive_group(required=True)
    size.add_argument("--size", choices=("S", "M", "L"), help="1k, 10k or 100k accounts")
    size.add_argument("--accounts", type=_positive_int)
    benchmark.add_argument("--days", type=_positive_int, default=defaults.days)
    benchmark.add_argument("--workdir", type=Path, default=PROJECT_ROOT / "data" / "benchmark")
    benchmark.add_argument("--json", action="store_true", help="print the result as JSON")
    _add_engine_argument(benchmark)

    ui = commands.add_parser("ui", help="serve the Dagster UI on 127.0.0.1 for a data directory")
    ui.add_argument("--data-dir", type=Path, default=DEMO_DATA_DIR)
    ui.add_argument("--landing", type=Path, default=None, help="default: <data-dir>/landing")
    ui.add_argument("--port", type=int, default=3000)
    return parser


def _add_engine_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--engine",
        choices=ENGINES,
        default=None,
        help=(
            "the engine dbt builds the models on: duckdb (embedded) or spark (local mode "
            f"through dbt-spark; needs the spark extra and Java 17); default: ${ENGINE_ENV}, "
            "else duckdb"
        ),
    )


def _engine_missing(engine: str) -> int | None:
    """Exit code 2 with what to install when the engine cannot run here; None when it can."""
    from expansion.engines import missing_requirements
    from expansion.runner import ExitCode

    missing = missing_requirements(engine)
    for message in missing:
        print(f"error: {message}", file=sys.stderr)
    return ExitCode.USAGE if missing else None


def _add_wait_argument(parser: argparse.ArgumentParser) -> None:
    from expansion.refresh_lock import WAIT_SECONDS_ENV

    parser.add_argument(
        "--wait",
        type=_seconds,
        default=None,
        metavar="SECONDS",
        help=(
            "when another refresh holds the data directory, wait up to this long for it "
            f"(default: ${WAIT_SECONDS_ENV}, else 0: exit at once with code 75)"
        ),
    )


def _wait_seconds(args: argparse.Namespace) -> float:
    from expansion.refresh_lock import wait_seconds_from_env

    return args.wait if args.wait is not None else wait_seconds_from_env()


def generate(args: argparse.Namespace) -> int:
    from expansion.generator import GeneratorConfig
    from expansion.generator import generate as generate_company

    config = GeneratorConfig(
        accounts=args.accounts,
        days=args.days,
        seed=args.seed,
        end_date=args.end_date,
        out=args.out,
        truth_out=args.truth_out,
        file_format=args.format,
        defect_rate=args.defect_rate,
        show_progress=sys.stderr.isatty(),
        **_feed_shapes(args),
    )
    report = generate_company(config)
    print(report)
    return 0


def refresh(
    landing: Path, data_dir: Path, as_of: dt.date | None, wait_seconds: float, engine: str
) -> int:
    """The nightly job; the exit code is :class:`~expansion.runner.ExitCode`."""
    from expansion.refresh_lock import RefreshAlreadyRunning
    from expansion.runner import ExitCode, run_nightly_refresh

    if not landing.is_dir():
        print(f"error: landing directory {landing} does not exist", file=sys.stderr)
        return ExitCode.USAGE
    unavailable = _engine_missing(engine)
    if unavailable is not None:
        return unavailable
    print(f"refreshing {data_dir} from {landing} on {engine}", flush=True)
    data = DataDir(data_dir.resolve())
    try:
        summary = run_nightly_refresh(
            landing, data_dir, as_of, wait_seconds=wait_seconds, engine=engine
        )
    except RefreshAlreadyRunning as busy:
        print(f"error: {busy}; nothing was done, try again later", file=sys.stderr)
        return ExitCode.ALREADY_RUNNING
    print(summary.render(data))
    if summary.published:
        from expansion.backtest import format_backtest_table, read_backtest

        print()  # the night's calibration: every trigger's status and suggested threshold
        print(format_backtest_table(read_backtest(data.serving)))
    return summary.exit_code


def demo(args: argparse.Namespace) -> int:
    from expansion.generator import GeneratorConfig
    from expansion.generator import generate as generate_company
    from expansion.refresh_lock import RefreshAlreadyRunning, hold_refresh_lock
    from expansion.runner import ExitCode

    landing = args.data_dir / "landing"
    config = GeneratorConfig(
        accounts=args.accounts, days=args.days, out=landing, **_feed_shapes(args)
    )
    wait_seconds = _wait_seconds(args)
    unavailable = _engine_missing(args.engine)
    if unavailable is not None:
        return unavailable
    try:
        # rewriting the landing zone is part of the refresh: not while another one reads it
        with hold_refresh_lock(args.data_dir, wait_seconds):
            print(f"generating a demo company of {args.accounts:,} accounts x {args.days} days")
            print(generate_company(config))
            return refresh(landing, args.data_dir, config.end_date, wait_seconds, args.engine)
    except RefreshAlreadyRunning as busy:
        print(f"error: {busy}; nothing was done, try again later", file=sys.stderr)
        return ExitCode.ALREADY_RUNNING


def backtest(args: argparse.Namespace) -> int:
    from expansion.backtest import format_backtest_table, read_backtest

    print(format_backtest_table(read_backtest(DataDir(args.data_dir.resolve()).serving)))
    return 0


def check(args: argparse.Namespace) -> int:
    from expansion.check import (
        exit_code,
        failure_rows,
        format_check_table,
        run_published_checks,
        summary_line,
    )

    serving = DataDir(args.data_dir.resolve()).serving
    if not serving.exists():
        print(
            f"error: no serving database at {serving}; run `expansion refresh` first",
            file=sys.stderr,
        )
        return 2
    reports = run_published_checks(serving)
    print(format_check_table(failure_rows(reports)))
    print(summary_line(reports))
    return exit_code(reports)


def export(args: argparse.Namespace) -> int:
    from expansion.export import export_scorecard

    serving = DataDir(args.data_dir.resolve()).serving
    if not serving.exists():
        print(
            f"error: no serving database at {serving}; run `expansion refresh` first",
            file=sys.stderr,
        )
        return 2
    result = export_scorecard(serving, args.format, args.out)
    print(
        f"wrote {result.rows:,} scorecard rows to {result.path} "
        f"({result.neutralised_cells} cells neutralised against formula injection)"
    )
    return 0


def benchmark(args: argparse.Namespace) -> int:
    from expansion.benchmark import SIZES, result_as_json, run_refresh_benchmark

    unavailable = _engine_missing(args.engine)
    if unavailable is not None:
        return unavailable
    accounts = args.accounts or SIZES[args.size]
    workdir = args.workdir / f"{accounts}_accounts_{args.engine}"
    print(
        f"benchmarking {accounts:,} accounts x {args.days} days on {args.engine} in {workdir}",
        flush=True,
    )
    result = run_refresh_benchmark(accounts, args.days, workdir, args.engine)
    print(result_as_json(result) if args.json else result.render())
    return 0


def ui(args: argparse.Namespace) -> int:
    from expansion.runner import configure_environment
    from expansion.ui import serve

    landing = args.landing or args.data_dir / "landing"
    configure_environment(landing, args.data_dir, as_of=None, engine=engine_from_env())
    command = [sys.executable, "-m", "dagster", "dev", "-m", "orchestration.definitions"]
    command += ["--host", "127.0.0.1", "--port", str(args.port)]
    return serve(command)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "engine", "") is None:
        try:
            args.engine = engine_from_env()
        except ValueError as error:
            parser.error(str(error))
    commands = {
        "generate": generate,
        "refresh": lambda a: refresh(a.landing, a.data_dir, a.as_of, _wait_seconds(a), a.engine),
        "demo": demo,
        "backtest": backtest,
        "check": check,
        "export": export,
        "benchmark": benchmark,
        "ui": ui,
    }
    return commands[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
