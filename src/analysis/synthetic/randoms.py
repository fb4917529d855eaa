"""Counter-based random numbers (stable across machines and library versions).

SplitMix64 over row keys, written in polars expressions: a value depends only on its row key and
its stream (one stream per variable), never on batch boundaries or threads, so the same seed
gives the same records however they are cut into chunks.
"""

from __future__ import annotations

import random
import zlib

import polars as pl

_MASK = (1 << 64) - 1


def _mix_int(value: int) -> int:
    """SplitMix64 finaliser on a Python int (for stream constants)."""
    z = (value + 0x9E3779B97F4A7C15) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


def _u64(value: int) -> pl.Expr:
    return pl.lit(value & _MASK, dtype=pl.UInt64)


def _mix_frame(z: pl.DataFrame) -> pl.DataFrame:
    """SplitMix64 finaliser on column ``z`` (wrapping UInt64 arithmetic), one pass per step."""
    z = z.select((pl.col("z") + _u64(0x9E3779B97F4A7C15)).alias("z"))
    z = z.select((pl.col("z").xor(pl.col("z") // _u64(1 << 30)) * _u64(0xBF58476D1CE4E5B9)).alias("z"))
    z = z.select((pl.col("z").xor(pl.col("z") // _u64(1 << 27)) * _u64(0x94D049BB133111EB)).alias("z"))
    return z.select(pl.col("z").xor(pl.col("z") // _u64(1 << 31)).alias("z"))


def key_of(*parts: object) -> int:
    """A stable 64-bit key for a tuple of labels (seed, province, month, …)."""
    return _mix_int(zlib.crc32("|".join(map(str, parts)).encode()) | (zlib.adler32(repr(parts).encode()) << 32))


def uniform_series(keys: pl.Series, stream: int) -> pl.Series:
    """Uniform [0, 1) for each UInt64 key in one stream (two SplitMix64 rounds, 53-bit mantissa)."""
    z = _mix_frame(keys.cast(pl.UInt64).to_frame("z"))
    z = _mix_frame(z.select(pl.col("z").xor(_u64(_mix_int(stream)))))
    return z.select((pl.col("z") // _u64(1 << 11)).cast(pl.Float64) * (1.0 / (1 << 53)))["z"]


def uniform(key: pl.Expr, stream: int) -> pl.Expr:
    """Uniform [0, 1) per row from a UInt64 row key and a stream constant (one stream per variable).

    Counter-based: the value depends only on (key, stream), never on batch boundaries or threads.
    """
    return key.map_batches(lambda keys: uniform_series(keys, stream), return_dtype=pl.Float64, is_elementwise=True)


def py_rng(*parts: object) -> random.Random:
    """A Python generator seeded by a stable key of ``parts`` (for per-unit draws)."""
    return random.Random(key_of(*parts))
