"""The ``huoban`` command line.

Every sub-command takes ``--db URL`` (default: ``DATABASE_URL``, else ``sqlite:///var/huoban.db``). Bad
input ends with one clear line on stderr and a non-zero exit (2 for usage errors, 1 otherwise), never a
traceback; set ``HUOBAN_DEBUG=1`` to see one for an unexpected failure.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from matcher.errors import MatcherError
from models.entities import ROLES

F = TypeVar("F", bound=Callable[..., Any])


def _safe_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - only used to print
        return "<unparseable URL>"


def db_option(func: F) -> F:
    return click.option(
        "--db",
        "db_url",
        metavar="URL",
        default=None,
        help="Database URL (default: $DATABASE_URL, else sqlite:///var/huoban.db).",
    )(func)


def resolve_db(db_url: str | None) -> str:
    from models.db import DatabaseURLError, default_url, normalise_url

    url = db_url or default_url()
    try:
        return normalise_url(url)
    except DatabaseURLError as exc:
        raise click.BadParameter(str(exc), param_hint="--db") from None


def friendly_errors(func: F) -> F:
    """Turn expected failures into one-line messages."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except click.ClickException:
            raise
        except MatcherError as exc:
            raise click.ClickException(str(exc)) from None
        except OperationalError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise click.ClickException(f"cannot use the database: {reason}") from None
        except SQLAlchemyError as exc:
            raise click.ClickException(f"database error: {exc.__class__.__name__}: {exc}".splitlines()[0]) from None

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Huoban (伙伴): matchmaking for 众创空间 projects, mentors, investors and providers."""


# -- db ------------------------------------------------------------------------------------------------
@cli.group()
def db() -> None:
    """Database schema (Alembic migrations)."""


@db.command("upgrade")
@db_option
@click.option("--revision", default="head", show_default=True)
@friendly_errors
def db_upgrade(db_url: str | None, revision: str) -> None:
    """Migrate the database up to REVISION."""
    from models.db import upgrade

    url = resolve_db(db_url)
    upgrade(url, revision)
    click.echo(f"database at {_safe_url(url)} is at revision {revision}", err=True)


@db.command("downgrade")
@db_option
@click.option("--revision", default="-1", show_default=True, help="Target revision ('base' drops everything).")
@friendly_errors
def db_downgrade(db_url: str | None, revision: str) -> None:
    """Migrate the database down to REVISION."""
    from models.db import downgrade

    url = resolve_db(db_url)
    downgrade(url, revision)
    click.echo(f"database at {_safe_url(url)} downgraded to {revision}", err=True)


@db.command("current")
@db_option
@friendly_errors
def db_current(db_url: str | None) -> None:
    """Print the current schema revision."""
    from models.db import current_revision, make_engine

    engine = make_engine(resolve_db(db_url))
    try:
        click.echo(current_revision(engine) or "none")
    finally:
        engine.dispose()


# -- seed ----------------------------------------------------------------------------------------------
@cli.command()
@db_option
@click.option("--scale", type=click.IntRange(min=1), default=None,
              help="Profiles per kind (default: 20 spaces, 1000 projects, 400 mentors, 250 investors, "
                   "250 providers).")
@click.option("--seed", "seed_value", type=click.IntRange(min=0), default=42, show_default=True)
@click.option("--reset", is_flag=True, help="Wipe existing data first.")
@click.option("--if-empty", is_flag=True, help="Do nothing (successfully) when the database holds data.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: when stderr is a TTY).")
@friendly_errors
def seed(db_url: str | None, scale: int | None, seed_value: int, reset: bool, if_empty: bool,
         progress: bool | None) -> None:
    """Generate a deterministic bilingual demo ecosystem."""
    from tqdm import tqdm

    from models.db import make_engine, make_session_factory, session_scope
    from seed_data import SeedPlan
    from seed_data.loader import AlreadySeededError, is_empty
    from seed_data.loader import seed as run_seed

    url = resolve_db(db_url)
    plan = SeedPlan.for_scale(scale, seed_value)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    show = sys.stderr.isatty() if progress is None else progress
    try:
        with session_scope(factory) as session:
            if if_empty and not is_empty(session):
                click.echo("database already seeded; nothing to do", err=True)
                return
            with tqdm(total=plan.total, desc="seeding", unit="profile", disable=not show, file=sys.stderr) as bar:
                try:
                    result = run_seed(session, plan, reset=reset, progress=bar.update)
                except AlreadySeededError as exc:
                    raise click.ClickException(str(exc)) from None
    finally:
        engine.dispose()
    summary = ", ".join(f"{n} {table}" for table, n in result.counts.items())
    click.echo(f"seeded (seed {seed_value}): {summary}", err=True)


# -- index ---------------------------------------------------------------------------------------------
def var_option(func: F) -> F:
    return click.option("--var", "var_dir", metavar="DIR", default=None,
                        help="Directory for indexes, caches and models (default: $HUOBAN_VAR_DIR, else var).")(func)


def encoder_option(func: F) -> F:
    return click.option("--encoder", default=None, metavar="SPEC",
                        help="use, e5, minilm, keyword or st:/path (default: $HUOBAN_ENCODER, else the "
                             "benchmark winner).")(func)


def engine_settings(var_dir: str | None, encoder: str | None) -> Any:
    from api.engine import default_settings

    return default_settings(var_dir or os.environ.get("HUOBAN_VAR_DIR") or "var",
                            encoder or os.environ.get("HUOBAN_ENCODER") or None)


@cli.command()
@db_option
@var_option
@encoder_option
@click.option("--rebuild", is_flag=True, help="Replace indexes built with another encoder.")
@click.option("--progress/--no-progress", default=None, help="Progress bars (default: when stderr is a TTY).")
@friendly_errors
def index(db_url: str | None, var_dir: str | None, encoder: str | None, rebuild: bool,
          progress: bool | None) -> None:
    """Build or refresh the vector indexes of every kind (unchanged texts come from the cache)."""
    from tqdm import tqdm

    from api.engine import ALL_KINDS, MatchEngine
    from matcher.errors import IndexError_, IndexMismatchError
    from matcher.index import read_manifest
    from models.db import make_engine, make_session_factory

    settings = engine_settings(var_dir, encoder)
    engine = MatchEngine(settings)
    wanted = engine.encoder.id
    for kind in ALL_KINDS:
        try:
            _, manifest = read_manifest(settings.index_root / kind)
        except IndexMismatchError:
            if not rebuild:
                raise
            continue
        except IndexError_:
            continue
        if manifest.get("encoder_id") != wanted and not rebuild:
            raise click.ClickException(
                f"the {kind} index was built with {manifest.get('encoder_id')}, not {wanted}; "
                "pass --rebuild to replace it")
    show = sys.stderr.isatty() if progress is None else progress
    # one bar for the whole phase (several bars stacked by cursor moves print as stray escapes in a log)
    bar = tqdm(total=0, desc="indexing", unit="profile", disable=not show, file=sys.stderr, dynamic_ncols=True)

    def tick(kind: str, done: int, total: int) -> None:
        if bar.total != total:
            bar.total = total
        bar.set_postfix_str(f"{kind}s", refresh=False)
        bar.update(done - bar.n)

    db = make_engine(resolve_db(db_url))
    try:
        report = engine.build(make_session_factory(db), progress=tick)
    finally:
        db.dispose()
        bar.set_postfix_str("", refresh=False)
        bar.close()
    counts = ", ".join(f"{n} {kind}s" for kind, n in report["kinds"].items())
    fresh, cached = report["encoded_texts"], report["cached_texts"]
    source = f"{fresh} texts encoded" + (f", {cached} from the embedding cache" if cached else "")
    click.echo(f"indexed {counts} with {report['encoder']} in {report['seconds']} s ({source})", err=True)


# -- learning -------------------------------------------------------------------------------------------
def _ranker_loads(version: Any) -> bool:
    """Whether the version's investor ranker (if it has one) loads: an upgrade that changed the ranker's
    features refuses artifacts trained before it, and ``--if-none`` then trains a new one."""
    from api.training import load_version_history

    try:
        load_version_history(version)
    except Exception as exc:  # noqa: BLE001 - ModelArtifactError and I/O errors alike
        click.echo(f"version {version.id}'s investor ranker does not load ({exc}); training a new one", err=True)
        return False
    return True


@cli.command()
@db_option
@var_option
@click.option("--seed", "seed_value", default=0, show_default=True, type=click.IntRange(min=0))
@click.option("--tolerance", default=0.01, show_default=True, type=click.FloatRange(0, 1),
              help="Promote unless NDCG@10 is worse than serving by more than this.")
@click.option("--promote/--no-promote", default=True, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
@click.option("--job", "job_id", type=int, default=None, hidden=True, help="Report progress into this job row.")
@click.option("--hold-seconds", type=float, default=0.0, hidden=True,
              help="Pause after fitting (fault-injection tests).")
@click.option("--if-none", is_flag=True,
              help="Only when no serving version has trained the investor ranker yet, or its ranker no longer "
                   "loads (first start, upgrades).")
@friendly_errors
def retrain(db_url: str | None, var_dir: str | None, seed_value: int, tolerance: float, promote: bool,
            as_json: bool, job_id: int | None, hold_seconds: float, if_none: bool) -> None:
    """Train a model per kind on the logged outcomes and the investor ranker on the deal history; promote the
    version if it is not worse than serving."""
    import datetime as dt
    import json

    from sqlalchemy import select

    from api.retention import retention_days
    from api.training import retrain as run_retrain
    from models import Job, ModelVersion
    from models.db import make_engine, make_session_factory

    try:
        keep_days = retention_days()
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    settings = engine_settings(var_dir, None)
    engine = make_engine(resolve_db(db_url))
    factory = make_session_factory(engine)
    if if_none:
        with factory() as session:
            serving = session.scalars(select(ModelVersion).where(ModelVersion.status == "serving")).first()
            if serving is not None and "history" in (serving.manifest or {}) and _ranker_loads(serving):
                click.echo(f"version {serving.id} serves and has tried the investor ranker; nothing to do "
                           "(--if-none)", err=True)
                engine.dispose()
                return

    def progress(fraction: float, message: str) -> None:
        if job_id is None:
            click.echo(f"[{fraction:4.0%}] {message}", err=True)
            return
        with factory() as session, session.begin():
            job = session.get(Job, job_id)
            if job is not None:
                job.status, job.progress, job.message = "running", fraction, message
                job.started_at = job.started_at or dt.datetime.now(dt.UTC)

    from api.engine import MatchEngine

    encoder = MatchEngine(settings).encoder  # the serving encoder (through its cache): the ranker's thesis features
    try:
        try:
            result = run_retrain(factory, settings.models_dir, seed=seed_value, tolerance=tolerance,
                                 promote=promote, progress=progress, hold_seconds=hold_seconds, encoder=encoder,
                                 retention_days=keep_days)
        except Exception as exc:
            if job_id is not None:
                with factory() as session, session.begin():
                    job = session.get(Job, job_id)
                    if job is not None:
                        job.status, job.message = "failed", f"{exc.__class__.__name__}: {exc}"
                        job.finished_at = dt.datetime.now(dt.UTC)
            raise
        payload = {"version": result.version_id, "status": result.status, "promoted": result.promoted,
                   "report": result.report, "metrics": result.metrics}
        if job_id is not None:
            with factory() as session, session.begin():
                job = session.get(Job, job_id)
                if job is not None:
                    job.status, job.progress, job.message = "succeeded", 1.0, result.report
                    job.result = {**(job.result or {}), "version": result.version_id, "status": result.status}
                    job.finished_at = dt.datetime.now(dt.UTC)
    finally:
        engine.dispose()
    if as_json:
        click.echo(json.dumps(payload, ensure_ascii=False, default=float))
    else:
        click.echo(result.report, err=True)


@cli.command()
@click.option("--rounds", default=5, show_default=True, type=click.IntRange(1, 50))
@click.option("--seed", "seed_value", default=7, show_default=True, type=click.IntRange(min=0))
@click.option("--scale", type=click.IntRange(min=20), default=None, help="Profiles per kind (default: the demo sizes).")
@click.option("--space-size", type=click.IntRange(min=1), default=None,
              help="A network of small spaces of about this many projects each (default: 20 spaces).")
@encoder_option
@var_option
@click.option("--plot", "plot_path", default=None, metavar="PNG",
              help="Where to draw the curves (default: bench/results/simulation.png).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
@friendly_errors
def simulate(rounds: int, seed_value: int, scale: int | None, space_size: int | None, encoder: str | None,
             var_dir: str | None, plot_path: str | None, as_json: bool) -> None:
    """Closed feedback loop over a fresh seeded ecosystem: weights vs learned vs oracle, per round."""
    import json
    from pathlib import Path

    from api.simulation import plot
    from api.simulation import simulate as run

    settings = engine_settings(var_dir, encoder)
    result = run(rounds=rounds, seed_value=seed_value, scale=scale, encoder=settings.encoder,
                 var_dir=settings.var_dir, progress=lambda m: click.echo(m, err=True), space_size=space_size)
    png = Path(plot_path) if plot_path else Path("bench/results/simulation.png")
    plot(result, png)
    result["plot"] = str(png)
    click.echo(json.dumps(result if as_json else result["summary"], ensure_ascii=False,
                          indent=None if as_json else 2))


@cli.command()
@click.option("--data", "data_dir", required=True, type=click.Path(exists=True, file_okay=False),
              help="Directory with companies.csv, rounds.csv, investments.csv [, investors.csv].")
@click.option("--cutoff", required=True, type=click.DateTime(formats=["%Y-%m-%d"]))
@click.option("--until", "until", required=True, type=click.DateTime(formats=["%Y-%m-%d"]))
@click.option("--exclude-prior-investors", is_flag=True)
@click.option("--min-history", default=1, show_default=True, type=click.IntRange(min=1))
@click.option("--k", default=10, show_default=True, type=click.IntRange(1, 100))
@click.option("--seed", "seed_value", default=0, show_default=True, type=click.IntRange(min=0))
@click.option("--details", "details_path", default=None, type=click.Path(dir_okay=False, writable=True),
              help="Also write every query round (company, round, date), its investors and the top k of Huoban and "
                   "of the best baseline, as JSON to this file.")
@encoder_option
@var_option
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
@friendly_errors
def backtest(data_dir: str, cutoff: Any, until: Any, exclude_prior_investors: bool, min_history: int, k: int,
             seed_value: int, details_path: str | None, encoder: str | None, var_dir: str | None,
             as_json: bool) -> None:
    """How well would Huoban have recommended investors for your past rounds? (see matcher.backtest)"""
    import json

    from matcher import CachedEncoder, SqliteEmbeddingCache, build_encoder
    from matcher.backtest import format_summary, load_deals, run_backtest

    if details_path is not None:  # before minutes of work, not after
        folder = os.path.dirname(os.path.abspath(details_path))
        if not os.path.isdir(folder) or not os.access(folder, os.W_OK):
            raise click.BadParameter(f"cannot write into {folder}", param_hint="--details")
    settings = engine_settings(var_dir, encoder)
    enc = CachedEncoder(build_encoder(settings.encoder), SqliteEmbeddingCache(settings.embedding_cache))
    data = load_deals(data_dir)
    result = run_backtest(data, cutoff=cutoff.date(), until=until.date(),
                          exclude_prior_investors=exclude_prior_investors, min_history=min_history, k=k,
                          seed=seed_value, encoder=enc, progress=lambda m: click.echo(m, err=True),
                          details=details_path is not None)
    if details_path is not None:
        with open(details_path, "w", encoding="utf-8") as fh:
            json.dump({"best_baseline": result["best_baseline"], "queries": result.pop("per_query")}, fh,
                      ensure_ascii=False, indent=1)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
        return
    click.echo(format_summary(result))


@cli.group()
def impressions() -> None:
    """The impression log (what each served list showed)."""


@impressions.command("prune")
@db_option
@click.option("--older-than-days", "days", type=click.IntRange(min=1), default=None,
              help="Default: $HUOBAN_IMPRESSION_RETENTION_DAYS.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
@friendly_errors
def impressions_prune(db_url: str | None, days: int | None, as_json: bool) -> None:
    """Roll up the impressions older than the retention period into per-profile counters and delete them."""
    import datetime as dt
    import json

    from api.retention import ENV, MIN_DAYS, retention_days, roll_up
    from models.db import make_engine, make_session_factory

    try:
        days = days if days is not None else retention_days()
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    if days is None:
        raise click.UsageError(f"no retention period: pass --older-than-days or set {ENV}")
    if days < MIN_DAYS:
        raise click.UsageError(f"--older-than-days {days}: at least {MIN_DAYS} days are kept (serving counts the "
                               "last week's impressions)")
    engine = make_engine(resolve_db(db_url))
    try:
        before = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
        result = roll_up(make_session_factory(engine), before)
    finally:
        engine.dispose()
    if as_json:
        click.echo(json.dumps({"older_than": before.isoformat(), "kinds": result}))
    else:
        for kind, r in result.items():
            click.echo(f"{kind}: {r['rows']} impressions rolled up into the counters of {r['profiles']} profiles",
                       err=True)


@cli.group()
def models() -> None:
    """Trained model versions."""


@models.command("list")
@db_option
@friendly_errors
def models_list(db_url: str | None) -> None:
    """Model versions, newest first."""
    from sqlalchemy import select

    from models import ModelVersion
    from models.db import make_engine, make_session_factory

    engine = make_engine(resolve_db(db_url))
    try:
        with make_session_factory(engine)() as session:
            rows = list(session.scalars(select(ModelVersion).order_by(ModelVersion.id.desc())))
            for row in rows:
                click.echo(f"v{row.id}\t{row.status}\t{row.created_at:%Y-%m-%d %H:%M}\t{row.report[:100]}")
            if not rows:
                click.echo("no model versions yet: `huoban retrain` trains one once there are outcomes (accepted "
                           "or declined introductions, meetings, ratings) or deal history", err=True)
    finally:
        engine.dispose()


@models.command("promote")
@db_option
@click.argument("version", type=int)
@friendly_errors
def models_promote(db_url: str | None, version: int) -> None:
    """Serve VERSION (its artifacts are verified first)."""
    from api.training import promote_version
    from models.db import make_engine, make_session_factory

    engine = make_engine(resolve_db(db_url))
    try:
        with make_session_factory(engine)() as session, session.begin():
            try:
                promote_version(session, version, None)
            except LookupError as exc:
                raise click.ClickException(str(exc)) from None
    finally:
        engine.dispose()
    click.echo(f"v{version} is serving", err=True)


@models.command("rollback")
@db_option
@friendly_errors
def models_rollback(db_url: str | None) -> None:
    """Serve again the version that served before the current one."""
    from api.training import rollback
    from models.db import make_engine, make_session_factory

    engine = make_engine(resolve_db(db_url))
    try:
        with make_session_factory(engine)() as session, session.begin():
            try:
                row = rollback(session, None)
            except LookupError as exc:
                raise click.ClickException(str(exc)) from None
    finally:
        engine.dispose()
    click.echo(f"rolled back: v{row.id} is serving", err=True)


# -- serve & demo ----------------------------------------------------------------------------------------
@cli.command()
@db_option
@var_option
@encoder_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
@click.option("--threads", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Threads per worker (gthread). Requests are CPU-bound under the GIL: on 2 cores, 2 workers x 2 "
                   "threads served 376 req/s where 2 x 4 served 305-360 (bench.http, closed loop).")
@friendly_errors
def serve(db_url: str | None, var_dir: str | None, encoder: str | None, host: str, port: int, workers: int,
          threads: int) -> None:
    """Run the API under gunicorn."""
    # One BLAS/OpenMP thread per request thread, set before numpy and faiss load (workers inherit it):
    # requests already run in parallel across threads and workers, and idle BLAS helper threads spin -
    # on 2 cores they took half of each worker's CPU and doubled single-request latency (bench.http).
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")
    from gunicorn.app.base import BaseApplication

    url = resolve_db(db_url)
    settings = engine_settings(var_dir, encoder)
    config = {"DATABASE_URL": url, "VAR_DIR": str(settings.var_dir), "ENCODER": settings.encoder}

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in {"bind": f"{host}:{port}", "workers": workers, "threads": threads,
                               "worker_class": "gthread", "timeout": 120, "graceful_timeout": 20,
                               "accesslog": "-", "errorlog": "-", "loglevel": "info"}.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            from api import create_app

            return create_app(config)

    click.echo(f"serving {_safe_url(url)} on http://{host}:{port} (docs: /api/v1/docs)", err=True)
    notifier = None
    if os.environ.get("HUOBAN_NOTIFY", "true").lower() not in ("0", "false", "no", "off"):
        import subprocess

        # the notifier beside the workers: mail goes to HUOBAN_MAIL_URL (default: files in <var>/mail)
        notifier = subprocess.Popen([sys.executable, "-m", "api.cli", "notify", "--db", url,
                                     "--var", str(settings.var_dir)])
        click.echo(f"notifier running (pid {notifier.pid}); mail to "
                   f"{os.environ.get('HUOBAN_MAIL_URL') or str(settings.var_dir) + '/mail'}", err=True)
    try:
        Server().run()
    finally:
        if notifier is not None:
            notifier.terminate()
            notifier.wait(timeout=10)


@cli.command("demo-accounts")
@db_option
@click.option("--out", "out_path", default=None, metavar="FILE",
              help="Where to write the demo keys and passwords (default: <var>/demo-accounts.txt).")
@var_option
@encoder_option
@click.option("--force", is_flag=True, help="Create new keys and passwords even if the file exists.")
@friendly_errors
def demo_accounts(db_url: str | None, out_path: str | None, var_dir: str | None, force: bool,
                  encoder: str | None = None) -> None:
    """Create one demo account per role (API key + console password) and write them to a file only the
    owner may read. Existing files are kept (the keys in them stay valid) unless --force."""
    from pathlib import Path

    from api.demo import write_demo_accounts
    from models.db import make_engine, make_session_factory

    settings = engine_settings(var_dir, encoder)
    path = Path(out_path) if out_path else settings.var_dir / "demo-accounts.txt"
    if path.exists() and not force:
        click.echo(f"demo accounts already in {path} (use --force to replace them)", err=True)
        return
    url = resolve_db(db_url)
    engine = make_engine(url)
    try:
        factory = make_session_factory(engine)
        ranked: dict[str, int] = {}
        if (settings.var_dir / "index").exists():  # choose the demo's people as the service ranks them
            from api import create_app
            from api.demo import demo_project, ranked_picks

            with factory() as session:
                project_id, space_id = demo_project(session)
            app = create_app({"DATABASE_URL": url, "VAR_DIR": str(settings.var_dir), "EXPLORATION_SHARE": 0.0,
                              "RANKING_CACHE_SECONDS": 0.0, "IMPRESSION_FLUSH_SECONDS": 0.0,
                              "ENCODER": settings.encoder, "RATELIMIT_ENABLED": False, "LOAD_MATCHER": True,
                              "GC_FREEZE": False})
            app.extensions["huoban.loader"].join()  # the indexes and the serving model, as a worker loads them
            try:
                ranked = ranked_picks(app, project_id, space_id)
            except Exception as exc:  # noqa: BLE001 - an unloadable index: fall back to the first profiles
                click.echo(f"could not rank the demo profiles ({exc}); using the first ones", err=True)
        write_demo_accounts(factory, path, ranked)
    finally:
        engine.dispose()
    click.echo(f"demo API keys and passwords written to {path} (mode 600)"
               + (f"; the demo {', '.join(sorted(ranked))} rank among the demo project's top matches" if ranked
                  else ""), err=True)


@cli.command("demo-history")
@db_option
@var_option
@encoder_option
@click.option("--weeks", default=8, show_default=True, type=click.IntRange(1, 52))
@click.option("--seed", "seed_value", default=7, show_default=True, type=int)
@click.option("--if-empty", is_flag=True, help="Do nothing if the demo space already has introductions.")
@friendly_errors
def demo_history(db_url: str | None, var_dir: str | None, encoder: str | None, weeks: int, seed_value: int,
                 if_empty: bool) -> None:
    """Give the demo space some weeks of past: served lists, introductions, meetings, ratings, investments,
    decided by the seeded ecosystem's hidden traits (run after `huoban index`, before `huoban retrain`)."""
    from api.demo import demo_project
    from api.demo_history import describe, has_history, seed_history
    from api.engine import MatchEngine
    from models.db import make_engine, make_session_factory

    settings = engine_settings(var_dir, encoder)
    engine = make_engine(resolve_db(db_url))
    try:
        factory = make_session_factory(engine)
        with factory() as session:
            project_id, space_id = demo_project(session)
            if if_empty and has_history(session, space_id):
                click.echo(f"the demo space {space_id} already has introductions; nothing added", err=True)
                return
        matcher = MatchEngine(settings)
        matcher.load(factory)
        counts = seed_history(factory, matcher, space_id, weeks=weeks, seed=seed_value)
    finally:
        engine.dispose()
    click.echo(f"demo space {space_id}: {weeks} weeks of history: {describe(counts)}", err=True)


# -- taxonomy ------------------------------------------------------------------------------------------
def _vocabularies() -> dict[str, Any]:
    from matcher import taxonomy as t

    return {v.name: v for v in (t.STAGES, t.ROUNDS, t.INDUSTRIES, t.NEEDS, t.PROVIDER_CATEGORIES,
                                t.MENTOR_TYPES, t.INVESTOR_KINDS, t.PRICE_TIERS, t.LANGUAGES, t.REGIONS, t.CITIES)}


@cli.group()
def taxonomy() -> None:
    """The bilingual vocabularies (stages, rounds, industries, needs...)."""


@taxonomy.command("list")
@click.argument("vocabulary", required=False)
@friendly_errors
def taxonomy_list(vocabulary: str | None) -> None:
    """List the codes and zh/en labels of VOCABULARY (or the names of all vocabularies)."""
    vocabs = _vocabularies()
    if vocabulary is None:
        for name, vocab in vocabs.items():
            click.echo(f"{name}\t{len(vocab)} labels")
        return
    if vocabulary not in vocabs:
        raise click.BadParameter(f"unknown vocabulary {vocabulary!r}; valid: {', '.join(vocabs)}",
                                 param_hint="VOCABULARY")
    if vocabulary in ("region", "city"):
        _echo_places(vocabs[vocabulary])
        return
    for label in vocabs[vocabulary]:
        click.echo(f"{label.code}\t{label.zh}\t{label.en}")


def _echo_places(places: Any) -> None:
    """The hierarchy: macro region > province > prefecture-level city > county-level city (indented), with
    code, Chinese name, pinyin and English name; then overseas cities."""
    from matcher.taxonomy import REGIONS

    def line(depth: int, p: Any) -> None:
        click.echo("  " * depth + "\t".join(x for x in (p.code, p.zh, p.pinyin, p.en) if x))

    for macro in REGIONS:
        if macro.level == "nationwide" and not places.cities_only:
            line(0, macro)
        if macro.level != "macro":
            continue
        if not places.cities_only or macro.code == "overseas":
            line(0, macro)
        for prov in REGIONS.children(macro.code):
            if prov.level == "overseas":
                line(1, prov)
                continue
            if not places.cities_only or prov.level == "municipality":
                line(1, prov)
            kids = REGIONS.children(prov.code)
            for pref in (k for k in kids if k.level == "prefecture"):
                line(2, pref)
                for county in (k for k in kids if k.level == "county_city" and k.prefecture == pref.code):
                    line(3, county)
            for county in (k for k in kids if k.level == "county_city" and k.prefecture == k.code):
                line(2, county)  # county-level cities under the province directly (省直辖)


@taxonomy.command("parse")
@click.argument("vocabulary")
@click.argument("values", nargs=-1, required=True)
@friendly_errors
def taxonomy_parse(vocabulary: str, values: tuple[str, ...]) -> None:
    """Map labels (codes, Chinese or English) of VOCABULARY to codes, one per line."""
    vocabs = _vocabularies()
    if vocabulary not in vocabs:
        raise click.BadParameter(f"unknown vocabulary {vocabulary!r}; valid: {', '.join(vocabs)}",
                                 param_hint="VOCABULARY")
    codes = [vocabs[vocabulary].parse(value) for value in values]  # all or nothing
    click.echo("\n".join(codes))


# -- keys ----------------------------------------------------------------------------------------------
@cli.group()
def key() -> None:
    """API keys."""


@key.command("create")
@db_option
@click.option("--role", required=True, type=click.Choice(ROLES), help="The key's role.")
@click.option("--space", "space_id", type=int, default=None, help="Space id (required for operators).")
@click.option("--profile", default=None, metavar="KIND:ID",
              help="Linked profile: project:ID for founders, mentor:ID, investor:ID, provider:ID.")
@click.option("--name", default="", help="A label for the key's user.")
@click.option("--expires-in-days", type=click.IntRange(1, 3650), default=None,
              help="The key stops working after this many days (default: until revoked).")
@friendly_errors
def key_create(db_url: str | None, role: str, space_id: int | None, profile: str | None, name: str,
               expires_in_days: int | None) -> None:
    """Create an API key; prints the key (and nothing else) once. Only its hash is stored."""
    from api.accounts import AccountError, create_api_key, parse_profile
    from models.db import make_engine, make_session_factory, session_scope

    url = resolve_db(db_url)
    try:
        profile_ref = parse_profile(profile) if profile else None
    except AccountError as exc:
        raise click.BadParameter(str(exc), param_hint="--profile") from None
    engine = make_engine(url)
    try:
        with session_scope(make_session_factory(engine)) as session:
            try:
                new_key = create_api_key(session, role=role, space_id=space_id, profile=profile_ref, name=name,
                                         expires_at=_expiry(expires_in_days))
            except AccountError as exc:
                raise click.UsageError(str(exc)) from None
            _audit_key(session, "key.create", _key_of(session, new_key), role=role,
                       profile=str(profile_ref) if profile_ref else None)
    finally:
        engine.dispose()
    click.echo(new_key)


def _key_of(session: Any, plaintext: str) -> Any:
    """The row of a key just made (found by its public prefix)."""
    from sqlalchemy import select

    from models import ApiKey

    return session.scalars(select(ApiKey).where(ApiKey.prefix == plaintext.split("_")[1])).one()


def _audit_key(session: Any, action: str, key_row: Any, **detail: Any) -> None:
    """Audit a key change made here as the API audits its own, with no actor: the CLI (like CLI imports and
    promotions, and the system's own jobs) records ``actor_user_id`` NULL."""
    from api.services import audit
    from models import User

    user = session.get(User, key_row.user_id)
    if action == "key.create":
        detail["expires_at"] = key_row.expires_at
    audit.record(session, None, action, "api_key", key_row.id, user.space_id if user else None,
                 user_id=key_row.user_id, **detail)


def _audit_user(session: Any, action: str, user: Any) -> None:
    """Audit a user change made here (no actor: the CLI, as for keys)."""
    from api.services import audit

    audit.record(session, None, action, "user", user.id, user.space_id)


def _expiry(days: int | None) -> Any:
    import datetime as dt

    return None if days is None else dt.datetime.now(dt.UTC) + dt.timedelta(days=days)


def _accounts(db_url: str | None, action: Callable[[Any], Any]) -> Any:
    """Run ``action(session)`` in one transaction; account errors become one-line usage errors."""
    from api.accounts import AccountError
    from models.db import make_engine, make_session_factory, session_scope

    engine = make_engine(resolve_db(db_url))
    try:
        with session_scope(make_session_factory(engine)) as session:
            try:
                return action(session)
            except AccountError as exc:
                raise click.UsageError(str(exc)) from None
    finally:
        engine.dispose()


@key.command("list")
@db_option
@click.option("--space", "space_id", type=int, default=None, help="Only keys of this space's users.")
@click.option("--all", "show_all", is_flag=True, help="Include revoked and expired keys.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per key.")
@friendly_errors
def key_list(db_url: str | None, space_id: int | None, show_all: bool, as_json: bool) -> None:
    """The API keys: id, prefix, label, role, user, space, created, last used, expiry, state (never the key)."""
    import datetime as dt

    from sqlalchemy import select

    from models import ApiKey, User

    def rows(session: Any) -> list[dict[str, Any]]:
        now = dt.datetime.now(dt.UTC)
        query = select(ApiKey, User).join(User, ApiKey.user_id == User.id).order_by(ApiKey.id)
        if space_id is not None:
            query = query.where(User.space_id == space_id)
        out = []
        for k, u in session.execute(query).all():
            expires = k.expires_at
            state = "revoked" if k.revoked_at else "expired" if expires and expires <= now else \
                "inactive user" if not u.active else "active"
            if state != "active" and not show_all:
                continue
            out.append({"id": k.id, "prefix": k.prefix, "name": k.name, "role": u.role, "user_id": u.id,
                        "email": u.email, "space_id": u.space_id,
                        "profile": f"{u.profile_kind}:{u.profile_id}" if u.profile_kind else None,
                        "created_at": k.created_at.isoformat(timespec="seconds"),
                        "last_used_at": k.last_used_at.isoformat(timespec="seconds") if k.last_used_at else None,
                        "expires_at": expires.isoformat(timespec="seconds") if expires else None, "state": state})
        return out

    listed = _accounts(db_url, rows)
    if as_json:
        for row in listed:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    for r in listed:
        click.echo(f"{r['id']:>5}  hb_{r['prefix']}_...  {r['role']:<9} user {r['user_id']:<5} "
                   f"space {r['space_id'] or '-':<5} {r['state']:<13} expires {r['expires_at'] or 'never'}  "
                   f"last used {r['last_used_at'] or 'never'}  {r['name']}")


@key.command("revoke")
@db_option
@click.argument("ref")
@friendly_errors
def key_revoke(db_url: str | None, ref: str) -> None:
    """Revoke the key REF (its id or prefix) at once: every worker refuses it on its next request."""
    from api.accounts import find_key, revoke_key

    def act(session: Any) -> tuple[int, bool]:
        row = find_key(session, ref)
        changed = revoke_key(session, row)
        if changed:
            _audit_key(session, "key.revoke", row)
        return row.id, changed

    key_id, changed = _accounts(db_url, act)
    click.echo(f"key {key_id} {'revoked' if changed else 'was already revoked'}", err=True)


@key.command("rotate")
@db_option
@click.argument("ref")
@click.option("--expires-in-days", type=click.IntRange(1, 3650), default=None,
              help="The new key stops working after this many days (default: until revoked).")
@friendly_errors
def key_rotate(db_url: str | None, ref: str, expires_in_days: int | None) -> None:
    """Replace the key REF: prints a new key for the same user (and nothing else) and revokes the old one in
    the same transaction."""
    from api.accounts import find_key, rotate_key

    def act(session: Any) -> str:
        old = find_key(session, ref)
        new = rotate_key(session, old, _expiry(expires_in_days))
        _audit_key(session, "key.rotate", old, new_key_id=_key_of(session, new).id)
        return new

    click.echo(_accounts(db_url, act))


@cli.group()
def user() -> None:
    """Users: deactivate, reactivate, reset a console password."""


@user.command("deactivate")
@db_option
@click.argument("ref")
@friendly_errors
def user_deactivate(db_url: str | None, ref: str) -> None:
    """Deactivate the user REF (id or email): their API keys and console sessions stop working at once."""
    _set_user_active(db_url, ref, False)


@user.command("activate")
@db_option
@click.argument("ref")
@friendly_errors
def user_activate(db_url: str | None, ref: str) -> None:
    """Reactivate the user REF (id or email)."""
    _set_user_active(db_url, ref, True)


def _set_user_active(db_url: str | None, ref: str, active: bool) -> None:
    from api.accounts import find_user, set_active

    def act(session: Any) -> int:
        found = find_user(session, ref)
        changed = found.active != active
        set_active(session, found, active)
        if changed:
            _audit_user(session, "user.activate" if active else "user.deactivate", found)
        return found.id

    click.echo(f"user {_accounts(db_url, act)} {'activated' if active else 'deactivated'}", err=True)


@user.command("password")
@db_option
@click.argument("ref")
@click.option("--generate", is_flag=True, help="Generate a random password and print it (once).")
@friendly_errors
def user_password(db_url: str | None, ref: str, generate: bool) -> None:
    """Set a new console password for the user REF (id or email): read from standard input (or a prompt), or
    generated and printed with --generate. Ends the user's console sessions."""
    import secrets

    from sqlalchemy import delete

    from api.accounts import find_user, set_password
    from models import ConsoleSession

    password = secrets.token_urlsafe(12) if generate else (
        click.prompt("new password", hide_input=True, confirmation_prompt=True) if sys.stdin.isatty()
        else sys.stdin.readline().rstrip("\n"))

    def act(session: Any) -> int:
        found = find_user(session, ref)
        set_password(found, password)
        session.execute(delete(ConsoleSession).where(ConsoleSession.user_id == found.id))
        _audit_user(session, "user.password_reset", found)
        return found.id

    user_id = _accounts(db_url, act)
    if generate:
        click.echo(password)
    click.echo(f"password of user {user_id} set; their console sessions ended", err=True)


# -- backup, restore, export -------------------------------------------------------------------------------
@cli.command("backup")
@db_option
@click.argument("dest", type=click.Path(dir_okay=False))
@friendly_errors
def backup_cmd(db_url: str | None, dest: str) -> None:
    """Copy the whole database into DEST (a new file, mode 600): SQLite's online backup (safe while the
    service runs), or pg_dump's custom format for PostgreSQL."""
    from api.backup import BackupError, backup

    try:
        path = backup(resolve_db(db_url), dest)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"backup written to {path} ({path.stat().st_size} bytes)", err=True)


@cli.command("restore")
@db_option
@click.argument("src", type=click.Path(dir_okay=False, exists=True))
@click.option("--yes", is_flag=True, help="Confirm: everything in the database is replaced by the backup.")
@friendly_errors
def restore_cmd(db_url: str | None, src: str, yes: bool) -> None:
    """Replace the database with the backup SRC (made by `huoban backup` for the same backend). Stop the
    service first; run `huoban index --rebuild` after."""
    import hashlib
    from pathlib import Path

    from sqlalchemy.exc import SQLAlchemyError

    from api.backup import BackupError, restore
    from api.services import audit
    from models.db import make_engine, make_session_factory, session_scope

    if not yes:
        raise click.UsageError("restore replaces everything in the database; add --yes to confirm")
    url = resolve_db(db_url)
    path = Path(src).resolve()
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    try:
        restore(url, path)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    # recorded in the restored database (the restore replaced the log it would have gone to before), with no
    # actor: the CLI, as for its other writes
    engine = make_engine(url)
    try:
        with session_scope(make_session_factory(engine)) as session:
            audit.record(session, None, "database.restore", "database", path.name[-80:], None, file=str(path),
                         bytes=path.stat().st_size, sha256=digest.hexdigest())
    except SQLAlchemyError as exc:
        raise click.ClickException(f"restored {src}, but the audit log could not record it: "
                                   f"{str(exc).splitlines()[0]}") from None
    finally:
        engine.dispose()
    click.echo(f"restored {src}", err=True)


@cli.command("export")
@db_option
@click.option("--space", "space_id", type=int, required=True, help="The space to export.")
@click.option("--out", "out_path", default="-", metavar="FILE", help="JSON Lines file (default: stdout).")
@friendly_errors
def export_cmd(db_url: str | None, space_id: int, out_path: str) -> None:
    """A space's data as JSON Lines ({"table": ..., "row": {...}}): the space, its profiles, introductions,
    feedback, impressions, portfolio rows, weights and audit log; no password or key hashes."""
    from api.backup import BackupError, export_space

    try:
        if out_path == "-":
            counts = export_space(resolve_db(db_url), space_id, sys.stdout)
        else:
            with open(out_path, "w", encoding="utf-8") as fh:
                counts = export_space(resolve_db(db_url), space_id, fh)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo("exported " + ", ".join(f"{n} {t}" for t, n in counts.items()), err=True)


@cli.command("notify")
@db_option
@var_option
@click.option("--once", is_flag=True, help="One sweep, then deliver until nothing is due, and exit.")
@click.option("--interval", default=5.0, show_default=True, type=click.FloatRange(0.05, 3600),
              help="Seconds between deliveries when idle.")
@click.option("--lease", default=60.0, show_default=True, type=click.FloatRange(0.5, 3600),
              help="Seconds after which a message a dead notifier was sending is sent again.")
@friendly_errors
def notify_cmd(db_url: str | None, var_dir: str | None, once: bool, interval: float, lease: float) -> None:
    """Deliver queued notifications (introductions, reminders, weekly digests) to HUOBAN_MAIL_URL: by default
    .eml files in <var>/mail, else smtp://host:port or smtps://...; retries with back-off, at least once."""
    import signal

    from api.app import _secret_key
    from api.config import Config
    from api.notifier import run, transport_from_url
    from models.db import make_engine, make_session_factory

    var = var_dir or os.environ.get("HUOBAN_VAR_DIR") or Config.VAR_DIR
    mail_url = os.environ.get("HUOBAN_MAIL_URL", Config.MAIL_URL)
    try:
        transport = transport_from_url(mail_url, var)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    stop = {"now": False}

    def halt(*_: Any) -> None:
        stop["now"] = True

    signal.signal(signal.SIGTERM, halt)
    signal.signal(signal.SIGINT, halt)
    engine = make_engine(resolve_db(db_url))
    try:
        totals = run(make_session_factory(engine), transport,
                     base_url=os.environ.get("HUOBAN_PUBLIC_URL", Config.PUBLIC_URL),
                     secret=os.environ.get("HUOBAN_SECRET_KEY") or _secret_key(var),
                     sender=os.environ.get("HUOBAN_MAIL_FROM", Config.MAIL_FROM), interval=interval, lease=lease,
                     once=once, should_stop=lambda: stop["now"])
    finally:
        engine.dispose()
    click.echo(f"notifications: {totals['sent']} sent, {totals['retry']} to retry, {totals['dead']} given up",
               err=True)


@cli.command("import")
@db_option
@click.argument("file", type=click.Path(dir_okay=False, exists=True))
@click.option("--kind", type=click.Choice(["project", "mentor", "investor", "provider"]), required=True)
@click.option("--space", "space_id", type=int, required=True, help="The space the profiles belong to.")
@click.option("--dry-run", is_flag=True, help="Say what would be created, updated and refused; write nothing.")
@click.option("--progress/--no-progress", default=None, help="A progress bar (default: when stderr is a TTY).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@friendly_errors
def import_cmd(db_url: str | None, file: str, kind: str, space_id: int, dry_run: bool, progress: bool | None,
               as_json: bool) -> None:
    """Import profiles from a CSV (UTF-8 or GBK) or XLSX file into a space, as the API and console do:
    Chinese or English headers, a row with a known external_id updates its profile, all or nothing.
    Running services pick the changes up from the change log; the index follows at their next refresh."""
    import json
    from pathlib import Path

    from apiflask import HTTPError
    from tqdm import tqdm

    from api.services import importer
    from models import Space
    from models.db import make_engine, make_session_factory, session_scope

    show = sys.stderr.isatty() if progress is None else progress
    bar = tqdm(total=0, unit="row", disable=not show, file=sys.stderr)

    def tick(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    engine = make_engine(resolve_db(db_url))
    content = Path(file).read_bytes()
    try:
        with session_scope(make_session_factory(engine)) as session:
            if session.get(Space, space_id) is None:
                raise click.ClickException(f"no space with id {space_id}")
            try:
                bar.set_description("checking")
                plan = importer.plan(session, kind, space_id, Path(file).name, content, progress=tick)
                if dry_run:
                    result = plan.summary(dry_run=True)
                    session.rollback()
                else:
                    bar.set_description("writing")
                    ids = importer.apply(session, None, plan, Path(file).name, progress=tick)
                    result = plan.summary(dry_run=False, ids=ids)
            except HTTPError as err:
                session.rollback()
                bar.close()
                errors = (err.extra_data or {}).get("errors") or []
                for e in errors[:50]:
                    click.echo(f"  row {e.get('line')}: {e.get('field')}: {e.get('message')}", err=True)
                if len(errors) > 50:
                    click.echo(f"  ... and {len(errors) - 50} more", err=True)
                raise click.ClickException(f"{err.message}") from None
    finally:
        bar.close()
        engine.dispose()
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
    verb = "would be" if dry_run else "were"
    click.echo(f"{result['created']} {verb} created, {result['updated']} {verb} updated, {result['refused']} refused"
               + (f"; ignored columns: {', '.join(result['ignored_columns'])}" if result["ignored_columns"] else ""),
               err=True)
    if dry_run:
        for row in result.get("rows", []):
            for e in row["errors"]:
                click.echo(f"  row {e['line']}: {e['field']}: {e['message']}", err=True)
    if result["refused"]:
        sys.exit(1)


def main(argv: list[str] | None = None) -> None:
    try:
        cli.main(args=argv, prog_name="huoban", standalone_mode=True)
    except SystemExit:
        raise
    except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
        if os.environ.get("HUOBAN_DEBUG"):
            raise
        click.echo(f"Error: unexpected {exc.__class__.__name__}: {exc}".splitlines()[0], err=True)
        click.echo("(set HUOBAN_DEBUG=1 to see the traceback)", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
