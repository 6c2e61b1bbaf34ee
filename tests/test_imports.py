"""matcher/ is a pure library: importing it must not pull in the web framework, the ORM or the app."""

import json
import pathlib
import subprocess
import sys

FORBIDDEN = ("flask", "apiflask", "sqlalchemy", "api", "models", "werkzeug")
MATCHER = pathlib.Path(__file__).resolve().parents[1] / "matcher"


def test_matcher_imports_no_framework_or_orm() -> None:
    code = (
        "import importlib, json, pkgutil, sys\n"
        "import matcher\n"
        "walked = [m.name for m in pkgutil.walk_packages(matcher.__path__, 'matcher.')]\n"
        "for name in walked:\n"
        "    importlib.import_module(name)\n"
        "for name in matcher.__all__:\n"
        "    getattr(matcher, name)\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r})\n"
        "print(json.dumps({'bad': bad, 'walked': walked}))\n"
    )
    out = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
    assert out["bad"] == []
    files = {f"matcher.{p.stem}" for p in MATCHER.glob("*.py") if p.stem != "__init__"}
    assert files and files <= set(out["walked"])  # every module was imported above


def test_matcher_reads_no_environment_variables() -> None:
    offenders = [p.name for p in MATCHER.rglob("*.py") if "os.environ" in p.read_text() or "getenv" in p.read_text()]
    assert offenders == []
