"""One contract, every index implementation: known answers, batch == single query, add/remove/upsert,
save/load round trips, refusal of mismatched or corrupt files."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from matcher.errors import IndexError_, IndexMismatchError
from matcher.index import FlatIndex, IDMapIndex, load_index, read_manifest, save_index


def unit(rng: np.random.Generator, n: int, d: int) -> np.ndarray:
    x = rng.normal(size=(n, d)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


class IndexContract:
    impl: type = FlatIndex
    dim = 16

    def make(self):  # type: ignore[no-untyped-def]
        return self.impl(self.dim)

    @pytest.fixture
    def filled(self):  # type: ignore[no-untyped-def]
        rng = np.random.default_rng(0)
        index = self.make()
        ids = np.arange(100, 160)
        vecs = unit(rng, len(ids), self.dim)
        index.add(ids, vecs)
        return index, ids, vecs

    def test_known_answer_exact_search(self, filled) -> None:  # type: ignore[no-untyped-def]
        index, ids, vecs = filled
        q = vecs[[3, 17]]
        got_ids, got_scores = index.search(q, 5)
        expected = vecs @ q.T
        for j in range(2):
            order = np.argsort(-expected[:, j])[:5]
            np.testing.assert_array_equal(got_ids[j], ids[order])
            np.testing.assert_allclose(got_scores[j], expected[order, j], atol=1e-5)
        assert got_ids[0, 0] == ids[3] and got_ids[1, 0] == ids[17]

    def test_batch_equals_single(self, filled) -> None:  # type: ignore[no-untyped-def]
        index, _, vecs = filled
        q = vecs[:7]
        batch_ids, batch_scores = index.search(q, 10)
        for i in range(7):
            one_ids, one_scores = index.search(q[i], 10)
            np.testing.assert_array_equal(batch_ids[i], one_ids[0])
            np.testing.assert_allclose(batch_scores[i], one_scores[0], atol=1e-6)

    def test_pads_when_k_exceeds_size(self) -> None:
        index = self.make()
        index.add([7], unit(np.random.default_rng(1), 1, self.dim))
        ids, scores = index.search(unit(np.random.default_rng(2), 1, self.dim), 3)
        assert ids.tolist() == [[7, -1, -1]] and np.isneginf(scores[0, 1:]).all()

    def test_remove_and_upsert(self, filled) -> None:  # type: ignore[no-untyped-def]
        index, ids, vecs = filled
        index.remove([ids[3], ids[10], 99999])
        assert len(index) == len(ids) - 2 and ids[3] not in index and ids[4] in index
        got, _ = index.search(vecs[3], len(ids))
        assert ids[3] not in got[0].tolist() and ids[10] not in got[0].tolist()
        # every remaining id still finds itself first
        for i in (0, 4, len(ids) - 1):
            assert index.search(vecs[i], 1)[0][0, 0] == ids[i]
        new_vec = unit(np.random.default_rng(9), 1, self.dim)
        index.upsert([ids[4]], new_vec)
        assert index.search(new_vec, 1)[0][0, 0] == ids[4]
        np.testing.assert_allclose(index.vectors_of([ids[4]]), new_vec, atol=1e-6)
        index.upsert([ids[3]], vecs[3:4])
        assert index.search(vecs[3], 1)[0][0, 0] == ids[3] and len(index) == len(ids) - 1

    def test_duplicate_add_refused(self, filled) -> None:  # type: ignore[no-untyped-def]
        index, ids, vecs = filled
        with pytest.raises(IndexError_, match="already indexed"):
            index.add([ids[0]], vecs[:1])

    def test_wrong_dimension_refused(self) -> None:
        with pytest.raises(IndexMismatchError):
            self.make().add([1], np.ones((1, self.dim + 1), dtype=np.float32))

    def test_save_load_round_trip(self, filled, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
        index, ids, vecs = filled
        index.remove([ids[5]])
        manifest = save_index(index, tmp_path / "ix", encoder_id="enc@1")
        assert manifest["count"] == len(ids) - 1 and manifest["dim"] == self.dim
        loaded, m2 = load_index(tmp_path / "ix", encoder_id="enc@1", dim=self.dim)
        assert type(loaded) is type(index) and m2["checksum"] == manifest["checksum"]
        q = vecs[:9]
        np.testing.assert_array_equal(loaded.search(q, 8)[0], index.search(q, 8)[0])
        assert sorted(loaded.ids().tolist()) == sorted(index.ids().tolist())

    def test_mismatched_encoder_or_dim_refused(self, filled, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
        index, _, _ = filled
        save_index(index, tmp_path / "ix", encoder_id="use-m3@0.2.1")
        with pytest.raises(IndexMismatchError, match="built with encoder use-m3@0.2.1.*rebuild"):
            load_index(tmp_path / "ix", encoder_id="e5-small-q4@0.3.0")
        with pytest.raises(IndexMismatchError, match="dimension"):
            load_index(tmp_path / "ix", encoder_id="use-m3@0.2.1", dim=self.dim * 2)

    def test_corrupt_file_refused(self, filled, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
        index, _, _ = filled
        save_index(index, tmp_path / "ix", encoder_id="e@1")
        directory, _ = read_manifest(tmp_path / "ix")
        data = bytearray((directory / "index.faiss").read_bytes())
        data[-10] ^= 0xFF
        (directory / "index.faiss").write_bytes(bytes(data))
        with pytest.raises(IndexMismatchError, match="checksum"):
            load_index(tmp_path / "ix", encoder_id="e@1")

    def test_save_switches_versions_atomically(self, filled, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
        index, ids, _ = filled
        save_index(index, tmp_path / "ix", encoder_id="e@1")
        first = (tmp_path / "ix" / "CURRENT").read_text()
        index.remove(ids[:10])
        save_index(index, tmp_path / "ix", encoder_id="e@1")
        second = (tmp_path / "ix" / "CURRENT").read_text()
        assert first != second
        assert load_index(tmp_path / "ix")[1]["count"] == len(ids) - 10
        # no temporary directories left behind
        assert not [p for p in (tmp_path / "ix").iterdir() if p.name.startswith(".tmp")]
        manifest = json.loads((tmp_path / "ix" / second / "manifest.json").read_text())
        assert manifest["encoder_id"] == "e@1"

    def test_missing_index_is_a_clear_error(self, tmp_path: Path) -> None:
        with pytest.raises(IndexError_, match="huoban index"):
            load_index(tmp_path / "none")


class TestFlatIndex(IndexContract):
    impl = FlatIndex

    def test_rows_stay_aligned_after_swap_removal(self, filled) -> None:  # type: ignore[no-untyped-def]
        index, ids, vecs = filled
        moves = index.remove([ids[0], ids[1]])
        assert moves  # the last rows moved into the holes
        m = index.matrix()
        for row, id_ in enumerate(index.row_ids().tolist()):
            np.testing.assert_allclose(m[row], vecs[id_ - 100], atol=1e-6)

    def test_reserve_keeps_rows_and_stops_regrowth(self, filled) -> None:  # type: ignore[no-untyped-def]
        """Reserving keeps what is stored and the count; adds up to the reserved size then move nothing (the
        vectors' address stays), and search answers as without it."""
        index, ids, vecs = filled
        rng = np.random.default_rng(1)
        more = unit(rng, 200, self.dim)
        index.reserve(len(index) + len(more))
        assert len(index) == len(ids)
        np.testing.assert_array_equal(index.matrix(), vecs)
        address = index.matrix().ctypes.data
        for start in range(0, len(more), 40):
            index.add(np.arange(1000 + start, 1040 + start), more[start:start + 40])
        assert index.matrix().ctypes.data == address
        plain = self.make()
        plain.add(ids, vecs)
        plain.add(np.arange(1000, 1200), more)
        np.testing.assert_array_equal(index.matrix(), plain.matrix())
        q = more[[0, 150]]
        for got, want in zip(index.search(q, 7), plain.search(q, 7), strict=True):
            np.testing.assert_array_equal(got, want)
        index.reserve(10)  # less than held: nothing changes
        np.testing.assert_array_equal(index.matrix(), plain.matrix())

    def test_keep_rows_compacts_in_place_in_order(self, filled) -> None:  # type: ignore[no-untyped-def]
        index, ids, vecs = filled
        keep = np.array([1, 2, 5, 30, 31, 59])
        address = index.matrix().ctypes.data
        index.keep_rows(keep)
        assert index.matrix().ctypes.data == address  # no second copy of the vectors
        np.testing.assert_array_equal(index.matrix(), vecs[keep])
        np.testing.assert_array_equal(index.row_ids(), ids[keep])
        np.testing.assert_array_equal(index.rows_of(ids[keep][::-1]), np.arange(len(keep))[::-1])
        assert ids[0] not in index and ids[keep[0]] in index
        got_ids, _ = index.search(vecs[[30]], 1)
        assert got_ids[0, 0] == ids[30]
        with pytest.raises(IndexError_):
            index.keep_rows([3, 1])
        index.keep_rows([])
        assert len(index) == 0


class TestIDMapIndex(IndexContract):
    impl = IDMapIndex


class TestHalfPrecisionFlatIndex:
    """``FlatIndex(half=True)`` stores bfloat16 rows: every reader sees the same stored values, the answers are
    the float32 index's up to that rounding, and rows move as they do in float32."""

    dim = 32

    def test_searches_as_the_float32_index_up_to_rounding(self) -> None:
        rng = np.random.default_rng(3)
        ids, vecs = np.arange(500, 900), unit(rng, 400, self.dim)
        full, half = FlatIndex(self.dim), FlatIndex(self.dim, half=True)
        full.add(ids, vecs)
        half.add(ids, vecs)
        assert half.matrix().dtype == np.uint16 and half.matrix().nbytes * 2 == full.matrix().nbytes
        stored = half.vectors(np.arange(len(half)))
        assert stored.dtype == np.float32 and np.abs(stored - vecs).max() <= 0.004 * np.abs(vecs).max()
        q = unit(rng, 5, self.dim)
        (fi, fs), (hi, hs) = full.search(q, 10), half.search(q, 10)
        np.testing.assert_allclose(hs, fs, atol=5e-3)
        for j in range(len(q)):  # faiss scores exactly what a reader of the stored rows computes
            np.testing.assert_allclose(hs[j], stored[half.rows_of(hi[j])] @ q[j], atol=1e-6)
        assert (fi[:, :3] == hi[:, :3]).mean() > 0.9

    def test_to_half_keeps_ids_rows_and_every_change(self, tmp_path: Path) -> None:
        rng = np.random.default_rng(4)
        ids, vecs = np.arange(100, 160), unit(rng, 60, self.dim)
        index = FlatIndex(self.dim)
        index.add(ids, vecs)
        index.to_half(block=7)
        assert index.half and len(index) == 60
        np.testing.assert_array_equal(index.row_ids(), ids)
        as_added = FlatIndex(self.dim, half=True)  # the same rows added as bfloat16 from the start
        as_added.add(ids, vecs)
        np.testing.assert_array_equal(index.matrix(), as_added.matrix())
        np.testing.assert_allclose(index.vectors(np.arange(60)), vecs, atol=0.004)
        index.reserve(100)
        more = unit(rng, 3, self.dim)
        index.add([500, 501, 502], more)
        index.upsert([100], more[:1])
        moves = index.remove([101, 102])
        assert moves and 101 not in index
        stored = index.vectors(np.arange(len(index)))
        for row, id_ in enumerate(index.row_ids().tolist()):
            want = more[id_ - 500] if id_ >= 500 else (more[0] if id_ == 100 else vecs[id_ - 100])
            np.testing.assert_allclose(stored[row], want, atol=0.004)
        one = FlatIndex(self.dim, half=True)
        one.add([1], more[:1])  # an upsert stores exactly what an add stores
        np.testing.assert_array_equal(index.matrix()[index.rows_of([100])], one.matrix())
        np.testing.assert_array_equal(index.vectors_of([100]), one.vectors_of([1]))
        assert index.vectors_of([100]).dtype == np.float32
        save_index(index, tmp_path / "ix", encoder_id="enc")
        loaded, _ = load_index(tmp_path / "ix", encoder_id="enc")
        assert isinstance(loaded, FlatIndex) and loaded.half
        np.testing.assert_array_equal(loaded.matrix(), index.matrix())
        np.testing.assert_array_equal(loaded.row_ids(), index.row_ids())
        keep = np.array([0, 2, 5, 40])
        loaded.keep_rows(keep)  # compacts the bfloat16 rows in place, as it does float32 ones
        np.testing.assert_array_equal(loaded.matrix(), index.matrix()[keep])
        np.testing.assert_array_equal(loaded.row_ids(), index.row_ids()[keep])


def test_products_and_gathers_of_a_bfloat16_index_read_what_it_stores() -> None:
    rng = np.random.default_rng(5)
    vecs = unit(rng, 1000, 32)
    full, half = FlatIndex(32), FlatIndex(32, half=True)
    full.add(np.arange(1000), vecs)
    half.add(np.arange(1000), vecs)
    q = unit(rng, 1, 32)[0]
    stored = half.vectors(np.arange(1000))
    for index, rows in ((half, stored), (full, vecs)):
        a, b = index.half_products(q, 16, block=64)  # blocks of 64 rows: many blocks and a short last one
        np.testing.assert_allclose(a, rows[:, :16] @ q[:16], atol=1e-6)
        np.testing.assert_allclose(b, rows[:, 16:] @ q[16:], atol=1e-6)
    np.testing.assert_allclose(stored, vecs, atol=0.004)


def test_a_switch_to_bfloat16_never_shows_a_reader_a_half_built_index() -> None:
    """to_half fills the new index aside and publishes it whole: a reader on another thread sees every row at
    every moment (the first version set the flag, then refilled the live index block by block)."""
    import threading

    rng = np.random.default_rng(6)
    n = 40_000
    index = FlatIndex(16)
    index.add(np.arange(n), unit(rng, n, 16))
    last = index.vectors([n - 1])[0]
    errors: list[BaseException] = []
    reads = 0
    done = threading.Event()

    def read() -> None:
        nonlocal reads
        while not done.is_set():
            try:
                assert len(index.matrix()) == n
                np.testing.assert_allclose(index.vectors([n - 1])[0], last, atol=0.004)
                reads += 1
            except BaseException as exc:  # noqa: BLE001 - collected and re-raised below
                errors.append(exc)
                return

    reader = threading.Thread(target=read)
    reader.start()
    index.to_half(block=256)
    done.set()
    reader.join()
    assert index.half and not errors, errors[:1]
    assert reads > 0


def test_a_view_taken_before_a_switch_keeps_reading_the_rows_it_showed() -> None:
    """A ranking that took the float32 rows before another thread switched the index to bfloat16 keeps valid
    memory: the view holds the index it came from."""
    import gc

    vecs = unit(np.random.default_rng(8), 300, 16)
    index = FlatIndex(16)
    index.add(np.arange(300), vecs)
    before = index.matrix()
    index.to_half()
    gc.collect()
    np.testing.assert_array_equal(before, vecs)  # the old rows, still readable after the switch
    assert index.matrix().dtype == np.uint16 and before.dtype == np.float32
