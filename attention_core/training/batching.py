"""Batches of one length bucket each, for the toy recipe and for a pairs file alike.

A batch holds sentences of one bucket, padded to the bucket's length, so a batch of short sentences does
not pay for 59 decoder steps.
"""

from __future__ import annotations

import numpy as np


def bucket_of(n_tokens: int, buckets: tuple[int, ...]) -> int:
    """The padded length of a sentence of ``n_tokens`` tokens: the first of ``buckets`` (ascending) that holds it."""
    for length in buckets:
        if n_tokens <= length:
            return length
    raise ValueError(f"sentences have at most {buckets[-1]} tokens. Received: {n_tokens}")


def length_batches(
    lengths: list[int],
    buckets: tuple[int, ...],
    batch_size: int,
    rng: np.random.Generator,
    by_length: bool,
    keep_small_buckets: bool = False,
) -> list[np.ndarray]:
    """Index arrays into ``lengths``, one bucket each; shuffled, or (``by_length``) shortest bucket first.

    A bucket's last incomplete batch is left out of this epoch: every batch of a bucket has one size. With
    ``keep_small_buckets`` a bucket of fewer sentences than a batch is one smaller batch, so a small pairs
    file loses none of its pairs.
    """
    members: dict[int, list[int]] = {}
    for k, n in enumerate(lengths):
        members.setdefault(bucket_of(n, buckets), []).append(k)
    batches = []
    for length in sorted(members):
        order = rng.permutation(members[length])
        size = min(batch_size, len(order)) if keep_small_buckets else batch_size
        batches += [order[k : k + size] for k in range(0, len(order) - size + 1, size)]
    if not by_length:
        batches = [batches[k] for k in rng.permutation(len(batches))]
    return batches
