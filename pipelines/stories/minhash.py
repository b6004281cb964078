"""MinHash signatures and a banded LSH index, numpy only: what story grouping needs of them.

The signatures are bit-for-bit those of datasketch 2's ``MinHash(scheme="affine32")`` with the
same ``num_perm`` and ``seed`` (the story index stored them as its ``hashvalues`` before this
module replaced datasketch, and stored state stays valid):

* an item (bytes) hashes to the first four bytes of its SHA-1 digest, read little-endian;
* that 32-bit value is pre-mixed by MurmurHash3's 32-bit finaliser (a bijection);
* permutation ``k`` maps ``h`` to ``a[k] * h + b[k]`` modulo 2**32 (``a[k]`` odd: a bijection),
  with ``a`` then ``b`` drawn from numpy's legacy ``RandomState(seed)``;
* the signature keeps, per permutation, the smallest value over the items (2**32 - 1 when
  there are none).

The LSH bands and rows for a Jaccard threshold are the pair minimising the summed probabilities
of a false positive and of a false negative, searched in the same order and integrated exactly
(Gauss–Legendre: the integrands are polynomials), so they equal datasketch's ``MinHashLSH``
choice. ``tests/test_pipelines_stories_minhash.py`` checks both against datasketch.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

Signature = npt.NDArray[np.uint32]

_EMPTY = np.uint32(0xFFFFFFFF)
_FMIX = (np.uint32(0x85EBCA6B), np.uint32(0xC2B2AE35))


@dataclass(frozen=True, eq=False)
class Permutations:
    """The ``num_perm`` affine permutations of one seed (shared by every signature)."""

    a: Signature
    b: Signature

    @property
    def size(self) -> int:
        return len(self.a)


@lru_cache(maxsize=8)
def permutations(num_perm: int, seed: int) -> Permutations:
    """The seeded permutations (odd multipliers first, then offsets: datasketch's draw order)."""
    if num_perm < 1:
        raise ValueError("num_perm must be positive")
    draw = np.random.RandomState(seed)
    a = draw.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = draw.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    a.setflags(write=False)
    b.setflags(write=False)
    return Permutations(a, b)


def _premix(values: Signature) -> Signature:
    """MurmurHash3's 32-bit finaliser, element-wise (uint32 arithmetic wraps: mod 2**32)."""
    values = values ^ (values >> np.uint32(16))
    values = values * _FMIX[0]
    values = values ^ (values >> np.uint32(13))
    values = values * _FMIX[1]
    return values ^ (values >> np.uint32(16))


def _item_hash(item: bytes) -> int:
    return int.from_bytes(hashlib.sha1(item, usedforsecurity=False).digest()[:4], "little")


def signature(items: Iterable[bytes], perms: Permutations) -> Signature:
    """The MinHash signature of a set of items."""
    hashed = np.fromiter((_item_hash(item) for item in items), dtype=np.uint32)
    if not hashed.size:
        return np.full(perms.size, _EMPTY, dtype=np.uint32)
    mixed = _premix(hashed)[:, np.newaxis]
    permuted: Signature = mixed * perms.a + perms.b
    found: Signature = permuted.min(axis=0)
    return found


def jaccard(one: Signature, other: Signature) -> float:
    """The Jaccard index the two signatures estimate: the share of equal values."""
    if one.shape != other.shape:
        raise ValueError("signatures of different sizes")
    return float(np.count_nonzero(one == other)) / float(len(one))


@lru_cache(maxsize=16)
def lsh_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) minimising P(false positive) + P(false negative) for ``threshold``, the
    two weighted equally; ties go to the first pair in the order bands 1.., rows 1..

    A pair of sets of Jaccard index ``s`` shares a band with probability
    ``1 - (1 - s**rows)**bands``, a polynomial of degree ``bands * rows <= num_perm``: a
    Gauss–Legendre rule with ``num_perm // 2 + 1`` nodes integrates it exactly."""
    if not 0.0 <= threshold <= 1.0:
        raise ValueError("threshold must be between 0 and 1")
    pairs = [(b, r) for b in range(1, num_perm + 1) for r in range(1, num_perm // b + 1)]
    bands = np.array([p[0] for p in pairs], dtype=np.float64)[:, np.newaxis]
    rows = np.array([p[1] for p in pairs], dtype=np.float64)[:, np.newaxis]
    nodes, weights = np.polynomial.legendre.leggauss(num_perm // 2 + 1)

    def integral(low: float, high: float, *, hit: bool) -> npt.NDArray[np.float64]:
        s = (high - low) / 2 * nodes + (high + low) / 2
        share = 1.0 - (1.0 - s**rows) ** bands  # P(the pair is a candidate), per (b, r)
        values = share if hit else 1.0 - share
        result: npt.NDArray[np.float64] = (values @ weights) * (high - low) / 2
        return result

    false_positive = integral(0.0, threshold, hit=True)
    false_negative = integral(threshold, 1.0, hit=False)
    best = int(np.argmin(0.5 * false_positive + 0.5 * false_negative))
    return pairs[best]


class BandedLSH:
    """Keys filed by their signature's bands: a query returns every key sharing a band."""

    def __init__(self, bands: int, rows: int, num_perm: int) -> None:
        if bands < 2 or rows < 1 or bands * rows > num_perm:  # one band: every key or none
            raise ValueError(f"{bands} band(s) of {rows} rows: at least 2 bands that fit "
                             f"{num_perm} values are needed")
        self.bands, self.rows, self.num_perm = bands, rows, num_perm
        self._buckets: list[dict[bytes, set[str]]] = [{} for _ in range(bands)]
        self._keys: dict[str, list[bytes]] = {}

    def _band_keys(self, sig: Signature) -> list[bytes]:
        if len(sig) != self.num_perm:
            raise ValueError(f"signature of {len(sig)} values, expected {self.num_perm}")
        return [sig[i * self.rows:(i + 1) * self.rows].tobytes() for i in range(self.bands)]

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def insert(self, key: str, sig: Signature) -> None:
        if key in self._keys:
            raise ValueError(f"key {key!r} is in the index already")
        found = self._band_keys(sig)
        self._keys[key] = found
        for bucket, band in zip(self._buckets, found, strict=True):
            bucket.setdefault(band, set()).add(key)

    def remove(self, key: str) -> None:
        for bucket, band in zip(self._buckets, self._keys.pop(key), strict=True):
            members = bucket[band]
            members.discard(key)
            if not members:
                del bucket[band]

    def query(self, sig: Signature) -> set[str]:
        found: set[str] = set()
        for bucket, band in zip(self._buckets, self._band_keys(sig), strict=True):
            found.update(bucket.get(band, ()))
        return found
