"""The database <-> matcher bridge: build, save, load, incremental changes across processes."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select

from api.engine import EngineSettings, MatchEngine, note_change
from matcher import WeightSet
from models import Mentor, Provider
from models.db import make_engine, make_session_factory, session_scope
from seed_data import SeedPlan
from seed_data.loader import seed


@pytest.fixture
def seeded(db_url: str) -> str:
    engine = make_engine(db_url)
    with session_scope(make_session_factory(engine)) as session:
        seed(session, SeedPlan.for_scale(60, seed=5))
    engine.dispose()
    return db_url


def ids(ranking) -> list[int]:  # type: ignore[no-untyped-def]
    return [m.id for m in ranking.matches]


def test_build_save_load_and_apply_changes(seeded: str, tmp_path: Path) -> None:
    db = make_engine(seeded)
    factory = make_session_factory(db)
    settings = EngineSettings(var_dir=tmp_path, encoder="keyword")
    first = MatchEngine(settings)
    report = first.build(factory)
    assert report["kinds"] == {"project": 60, "mentor": 60, "investor": 60, "provider": 60}
    assert report["encoded_texts"] > 0
    w = WeightSet.default("mentor")
    before = first.state.matcher.rank(kind="mentor", query_id=1, weights=w, k=5)

    # a second process loads the saved indexes: same answers, nothing re-encoded
    second = MatchEngine(settings)
    loaded = second.load(factory)
    assert loaded["kinds"]["mentor"] == {"loaded": 60, "added": 0, "removed": 0}
    assert second.encoder.encoded == 0
    assert ids(second.state.matcher.rank(kind="mentor", query_id=1, weights=w, k=5)) == ids(before)
    for kind in ("project", "mentor"):  # items are saved and loaded, not encoded again
        a, b = first.state.matcher.tables[kind], second.state.matcher.tables[kind]
        assert (a.item_scales > 0).any()
        assert np.array_equal(a.item_codes, b.item_codes) and np.array_equal(a.item_scales, b.item_scales)

    # an edit made by the first process reaches the second through the change log
    top = before.matches[0].id
    with session_scope(factory) as session:
        session.get(Mentor, top).active = False
        note_change(session, "mentor", top)
    with factory() as session:
        first.upsert(session, "mentor", [top])
        assert second.apply_changes(session, force=True) == 1
    for engine in (first, second):
        assert top not in ids(engine.state.matcher.rank(kind="mentor", query_id=1, weights=w, k=5))

    # a third process started after the edit reconciles the stale saved vectors with the database
    third = MatchEngine(settings)
    third.load(factory)
    assert top not in ids(third.state.matcher.rank(kind="mentor", query_id=1, weights=w, k=5))
    db.dispose()


def test_profile_text_change_is_reencoded_on_load(seeded: str, tmp_path: Path) -> None:
    db = make_engine(seeded)
    factory = make_session_factory(db)
    settings = EngineSettings(var_dir=tmp_path, encoder="keyword")
    MatchEngine(settings).build(factory)
    with session_scope(factory) as session:
        mentor = session.scalars(select(Mentor).order_by(Mentor.id)).first()
        mentor.offer = "全新的服务内容：专利布局与海外知识产权"
    engine = MatchEngine(settings)
    report = engine.load(factory)
    assert report["kinds"]["mentor"]["added"] == 1 and engine.encoder.encoded == 1
    db.dispose()


def test_indexes_saved_under_another_lexical_preparation_are_refitted_not_reencoded(
        seeded: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Indexes saved before the glossary (a plain lexical encoder) load with a fresh IDF and every row's lexical
    terms made again under the glossary, as a fresh build makes them; no text is embedded again."""
    from matcher import LexicalEncoder

    db = make_engine(seeded)
    factory = make_session_factory(db)
    settings = EngineSettings(var_dir=tmp_path, encoder="keyword")
    old = MatchEngine(settings)
    monkeypatch.setattr(old, "_new_lexical", lambda: LexicalEncoder(glossary=None))
    old.build(factory)
    engine = MatchEngine(settings)
    report = engine.load(factory)
    assert report["lexical_refitted"] is True and engine.encoder.encoded == 0
    fresh = MatchEngine(EngineSettings(var_dir=tmp_path / "fresh", encoder="keyword"))
    fresh.build(factory)
    for kind in ("project", "mentor", "investor", "provider"):
        a, b = engine.state.matcher.tables[kind], fresh.state.matcher.tables[kind]
        assert a.lex_ids.tolist() == b.lex_ids.tolist() and np.array_equal(a.lex_weights, b.lex_weights)
    assert not np.array_equal(old.state.matcher.tables["mentor"].lex_ids, fresh.state.matcher.tables["mentor"].lex_ids)
    assert MatchEngine(EngineSettings(var_dir=tmp_path / "fresh", encoder="keyword")).load(factory)[
        "lexical_refitted"] is False
    db.dispose()


def test_a_description_change_reencodes_only_that_profiles_sentences(seeded: str, tmp_path: Path) -> None:
    """A provider's description is one of its sentences (sem_item), not a field: its vectors stay, its items are
    encoded again; no other row is touched."""
    db = make_engine(seeded)
    factory = make_session_factory(db)
    settings = EngineSettings(var_dir=tmp_path, encoder="keyword")
    first = MatchEngine(settings)
    first.build(factory)
    with session_scope(factory) as session:
        provider = session.scalars(select(Provider).order_by(Provider.id)).first()
        provider.description = "新近开设跨境电商合规专线。专做东盟清关"
        pid = provider.id
    engine = MatchEngine(settings)
    report = engine.load(factory)
    assert report["kinds"]["provider"] == {"loaded": 60, "added": 0, "removed": 0}
    assert engine.encoder.encoded == 2  # its two new sentences, nothing else
    table = engine.state.matcher.tables["provider"]
    row, old_row = int(table.rows_of([pid])[0]), int(first.state.matcher.tables["provider"].rows_of([pid])[0])
    assert not np.array_equal(table.item_codes[row], first.state.matcher.tables["provider"].item_codes[old_row])
    others = [i for i in range(len(table)) if i != row]
    assert np.array_equal(table.item_codes[others], first.state.matcher.tables["provider"].item_codes[others])
    db.dispose()


def test_index_command_refuses_another_encoder(seeded: str, tmp_path: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "api.cli", "index", "--db", seeded, "--var", str(tmp_path),
                               *args], capture_output=True, text=True, timeout=300)

    ok = run("--encoder", "keyword")
    assert ok.returncode == 0, ok.stderr
    assert "indexed 60 projects" in ok.stderr
    again = run("--encoder", "keyword")
    assert re.search(r"\(0 texts encoded, \d+ from the embedding cache\)", again.stderr), again.stderr
    refused = run("--encoder", "keyword:128")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "built with keyword-256@1, not keyword-128@1; pass --rebuild" in refused.stderr
    rebuilt = run("--encoder", "keyword:128", "--rebuild")
    assert rebuilt.returncode == 0, rebuilt.stderr
    for kind in ("project", "mentor", "investor", "provider"):
        assert (tmp_path / "index" / kind / "CURRENT").exists()
