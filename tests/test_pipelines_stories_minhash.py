"""pipelines/stories/minhash.py: the same hash values and LSH bands as datasketch (the story
index stored datasketch's values before, and that state must stay valid), and an LSH index
that finds exactly the keys sharing a band."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.stories import StoryParams
from pipelines.stories.minhash import (
    BandedLSH,
    jaccard,
    lsh_bands,
    permutations,
    signature,
)

datasketch = pytest.importorskip("datasketch")

SHINGLES = ["ankara sends delegation", "sends delegation to", "delegation to damascus"]
#: datasketch 2.0's MinHash(num_perm=128, seed=1515, scheme="affine32") of SHINGLES: written
#: down, so a drift shows even where datasketch is not installed
KNOWN_FIRST = [2435355197, 566197529, 1463686422, 2294120275, 815546422, 1578786085]
KNOWN_SHA256 = "fd81fbe070fe24dab81452bb809fe87445a2dffb8642b830898872b75ceb1065"

shingle_sets = st.sets(st.text(min_size=1, max_size=30), max_size=60)


def _reference(items: list[bytes], num_perm: int, seed: int) -> np.ndarray:
    found = datasketch.MinHash(num_perm=num_perm, seed=seed, scheme="affine32")
    found.update_batch(items)
    return np.asarray(found.hashvalues)


def test_the_story_index_signature_is_the_one_stored_before() -> None:
    params = StoryParams()
    sig = signature((s.encode() for s in sorted(SHINGLES)),
                    permutations(params.num_perm, params.seed))
    assert sig.dtype == np.uint32
    assert sig[:6].tolist() == KNOWN_FIRST
    assert hashlib.sha256(sig.astype("<u4").tobytes()).hexdigest() == KNOWN_SHA256


@settings(max_examples=150, deadline=None)
@given(items=shingle_sets, num_perm=st.sampled_from([16, 64, 128, 200]),
       seed=st.integers(min_value=0, max_value=2**31))
def test_signatures_equal_datasketch_affine32(items: set[str], num_perm: int, seed: int) -> None:
    encoded = [s.encode("utf-8") for s in sorted(items)]
    ours = signature(encoded, permutations(num_perm, seed))
    assert ours.tolist() == _reference(encoded, num_perm, seed).tolist()


@settings(max_examples=60, deadline=None)
@given(one=shingle_sets, other=shingle_sets)
def test_jaccard_equals_datasketch(one: set[str], other: set[str]) -> None:
    perms = permutations(128, 1515)
    a, b = ([s.encode() for s in sorted(x)] for x in (one, other))
    ref_a, ref_b = (datasketch.MinHash(num_perm=128, seed=1515, scheme="affine32")
                    for _ in range(2))
    ref_a.update_batch(a)
    ref_b.update_batch(b)
    assert jaccard(signature(a, perms), signature(b, perms)) == ref_a.jaccard(ref_b)


def test_the_story_index_bands_equal_datasketch() -> None:
    params = StoryParams()
    reference = datasketch.MinHashLSH(threshold=params.lsh_threshold, num_perm=params.num_perm)
    assert lsh_bands(params.lsh_threshold, params.num_perm) == (reference.b, reference.r)


@settings(max_examples=40, deadline=None)
@given(threshold=st.floats(min_value=0.01, max_value=0.99),
       num_perm=st.sampled_from([16, 32, 64, 128, 200]))
def test_bands_equal_datasketch(threshold: float, num_perm: int) -> None:
    reference = datasketch.lsh._optimal_param(threshold, num_perm, 0.5, 0.5)
    assert lsh_bands(threshold, num_perm) == reference


@settings(max_examples=80, deadline=None)
@given(sets=st.lists(shingle_sets, min_size=1, max_size=12), probe=shingle_sets)
def test_lsh_finds_the_keys_datasketch_finds(sets: list[set[str]], probe: set[str]) -> None:
    perms = permutations(128, 1515)
    bands = lsh_bands(0.15, 128)
    ours = BandedLSH(*bands, num_perm=128)
    reference = datasketch.MinHashLSH(num_perm=128, params=bands)
    for n, items in enumerate(sets):
        encoded = [s.encode() for s in sorted(items)]
        ours.insert(f"a{n}", signature(encoded, perms))
        ref = datasketch.MinHash(num_perm=128, seed=1515, scheme="affine32")
        ref.update_batch(encoded)
        reference.insert(f"a{n}", ref)
    encoded = [s.encode() for s in sorted(probe)]
    ref = datasketch.MinHash(num_perm=128, seed=1515, scheme="affine32")
    ref.update_batch(encoded)
    assert ours.query(signature(encoded, perms)) == set(reference.query(ref))


def test_a_removed_key_is_never_found_and_cannot_be_inserted_twice() -> None:
    perms = permutations(128, 1515)
    sig = signature([b"one", b"two"], perms)
    lsh = BandedLSH(*lsh_bands(0.15, 128), num_perm=128)
    lsh.insert("a", sig)
    lsh.insert("b", sig)
    with pytest.raises(ValueError, match="already"):
        lsh.insert("a", sig)
    lsh.remove("a")
    assert lsh.query(sig) == {"b"}
    assert "a" not in lsh
    lsh.remove("b")
    assert lsh.query(sig) == set()


def test_one_band_is_refused_as_datasketch_refuses_it() -> None:
    bands, rows = lsh_bands(0.9, 16)
    assert bands == 1
    with pytest.raises(ValueError, match="2 bands"):
        BandedLSH(bands, rows, num_perm=16)
