"""A pairs file's length buckets: a bucket too small for full batches joins the next."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from attention_core.training.batching import bucket_of
from attention_core.training.pairs_training import MIN_STEPS_PER_BUCKET, buckets_for, merged_buckets


def test_a_small_file_trains_in_one_shape():
    lengths = [5] * 100 + [11] * 100 + [13] * 40  # 240 pairs, two epochs: 8 steps in all
    assert merged_buckets(lengths, buckets_for(13), 64, 2) == (13,)


def test_a_large_file_keeps_its_buckets():
    lengths = [5] * 64 * 50 + [15] * 64 * 50 + [25] * 10
    assert merged_buckets(lengths, (10, 20, 30), 64, 2) == (10, 20, 30)


def test_a_small_bucket_joins_the_next_not_the_last():
    # bucket 10 has 30 pairs (one batch an epoch, 2 steps): it joins 20, whose pairs then fill 100 steps
    lengths = [5] * 30 + [15] * 64 * 50 + [25] * 64 * 50
    assert merged_buckets(lengths, (10, 20, 30), 64, 2) == (20, 30)


@given(
    st.lists(st.integers(1, 59), min_size=1, max_size=400),
    st.sampled_from([8, 32, 64]),
    st.integers(1, 40),
)
def test_every_sentence_still_has_a_bucket_and_every_kept_bucket_is_worth_its_trace(lengths, batch, epochs):
    buckets = buckets_for(max(lengths))
    merged = merged_buckets(lengths, buckets, batch, epochs)
    assert set(merged) <= set(buckets) and merged[-1] == buckets[-1] and list(merged) == sorted(merged)
    filled = {b: 0 for b in merged}
    for n in lengths:
        filled[bucket_of(n, merged)] += 1
    for b in merged[:-1]:
        assert epochs * max(1, filled[b] // batch) >= MIN_STEPS_PER_BUCKET
