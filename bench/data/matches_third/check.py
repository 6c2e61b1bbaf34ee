"""Consistency check of the third match set (no ranker is run): the held-out set's check
(``bench/data/matches_heldout/check.py``, whose docstring lists what it checks), run on this folder, so the
two sets are held to one implementation of the same rules.

Run: .venv/bin/python bench/data/matches_third/check.py
"""

from __future__ import annotations

from pathlib import Path

CODE = Path(__file__).resolve().parents[1] / "matches_heldout" / "check.py"
# the held-out check run in this module (its __file__ is this file): its HERE, the data and source/, is this folder
exec(compile(CODE.read_text(encoding="utf-8"), str(CODE), "exec"), globals())
