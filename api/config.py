"""Service configuration: class defaults, then ``HUOBAN_*`` environment variables (``HUOBAN_X`` -> ``X``),
then the mapping given to ``create_app(config)``. ``DATABASE_URL`` also works, as everywhere in Huoban."""

from __future__ import annotations

import os


class Config:
    # database and files
    DATABASE_URL: str | None = None  # None: $DATABASE_URL, else sqlite:///var/huoban.db
    VAR_DIR: str = "var"
    ENCODER: str | None = None  # None: the benchmark winner (matcher.config.DEFAULT_ENCODER)
    LOAD_MATCHER: bool = True  # load the indexes at start (tests may turn it off and load explicitly)
    # a matching request that arrives while this worker is still loading waits up to this long for the load
    # (each gunicorn worker loads on its own: /readyz answered by one says nothing of the other); then 503
    READY_WAIT_SECONDS: float = 30.0

    # behaviour
    INTRO_EXPIRY_DAYS: int = 14
    EXPLORATION_SHARE: float = 0.05  # expected share of served slots drawn from beyond the top
    EXPLORATION_SEED: int | None = None  # fixed seed for reproducible exploration (tests)
    MAX_K: int = 50
    RANKING_CACHE_SECONDS: float = 30.0  # reuse a served ranking while its inputs are unchanged; 0: off
    IMPRESSION_FLUSH_SECONDS: float = 0.05  # served impressions are written in batches this often; 0: in the request
    SQLITE_CHECKPOINT_SECONDS: float = 1.0  # serving on SQLite: WAL checkpoints in a thread; 0: on commit
    GC_FREEZE: bool = True  # after loading, keep the long-lived matcher state out of the GC (api.app.freeze_heap)
    # impressions older than this many days are rolled up into per-profile counters and deleted when a
    # retraining runs (api.retention; also `huoban impressions prune`); 0: keep every impression
    IMPRESSION_RETENTION_DAYS: int = 0
    RETRAIN_AFTER_EVENTS: int = 0  # 0: no automatic retraining; else retrain after this many new outcomes
    PREVIEW_SAMPLE: int = 20

    # notifications (api.notifier): links in mails point here; mail goes to MAIL_URL
    PUBLIC_URL: str = "http://127.0.0.1:8000"
    MAIL_URL: str = ""  # "": file:<VAR_DIR>/mail (nothing leaves the machine); smtp://host:port; smtps://...
    MAIL_FROM: str = "Huoban 伙伴 <noreply@huoban.local>"
    NOTIFY: bool = True  # `huoban serve` runs the notifier beside the workers

    # limits
    MAX_CONTENT_LENGTH: int = 10 * 1024 * 1024
    RATELIMIT_ENABLED: bool = True
    RATELIMIT_DEFAULT: str = "1200 per minute"
    RATELIMIT_STORAGE_URI: str = "memory://"  # redis://host:6379/0: one count across every worker and host
    RATELIMIT_HEADERS_ENABLED: bool = True
    # the storage (Redis) down: every limit, sign-in throttles included, is counted in each process's memory
    # (per worker) and a warning logged; its counters are used again once it answers (checked with a backoff of
    # 1 to 32 s; api.extensions.RateLimiter). Without the fallback, a Redis outage makes every request a 500.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED: bool = True
    RATELIMIT_SWALLOW_ERRORS: bool = True  # any other failure of the limiter: logged, and the request served
    RATELIMIT_STORAGE_TIMEOUT: float = 1.0  # seconds to connect to and hear from Redis before it counts as down

    # OpenAPI (apiflask)
    TITLE: str = "Huoban API"
    VERSION: str = "1.0.0"
    OPENAPI_VERSION: str = "3.0.3"
    AUTO_404_RESPONSE: bool = True
    DESCRIPTION: str = (
        "Matchmaking for 众创空间 projects, mentors, investors and service providers. Authenticate with "
        "`Authorization: Bearer <api key>`. Errors are RFC 9457 problem details (`application/problem+json`)."
    )
    DOCS_PATH: str = "/api/v1/docs"
    SPEC_PATH: str = "/api/v1/openapi.json"
    # the docs page uses assets served by this app, never a CDN
    SWAGGER_UI_CSS: str = "/api/v1/docs-assets/swagger-ui.css"
    SWAGGER_UI_BUNDLE_JS: str = "/api/v1/docs-assets/swagger-ui-bundle.js"
    SWAGGER_UI_STANDALONE_PRESET_JS: str = "/api/v1/docs-assets/swagger-ui-standalone-preset.js"
    DOCS_FAVICON: str = "/api/v1/docs-assets/favicon-32x32.png"

    JSON_SORT_KEYS: bool = False

    # console sessions
    SECRET_KEY: str | None = None  # None: generated once into <VAR_DIR>/secret_key (mode 600)
    SESSION_COOKIE_HTTPONLY: bool = True
    SESSION_COOKIE_SAMESITE: str = "Lax"
    SESSION_COOKIE_SECURE: bool = False  # set HUOBAN_SESSION_COOKIE_SECURE=true behind HTTPS
    PERMANENT_SESSION_LIFETIME: int = 8 * 3600


def database_url(config: dict[str, object]) -> str:
    from models.db import default_url

    value = config.get("DATABASE_URL") or os.environ.get("DATABASE_URL")
    return str(value) if value else default_url()
