"""Data files shipped with the matcher (built by the ``build_*`` modules here; the files are committed)."""

from pathlib import Path

PROJECTIONS = Path(__file__).with_name("projections.npz")
LANGUAGES = Path(__file__).with_name("languages.npz")
