"""A refresh's headline peak memory: its largest process, or its whole sampled tree."""

from __future__ import annotations

from expansion.benchmark import refresh_peak_mb

MB = 2**20


def test_a_jvm_grandchild_that_rusage_never_saw_raises_the_peak_to_the_trees_sample():
    # rusage: the refresh's largest process reached 900 MB; the sampled tree, with the JVM
    # that dbt-spark started and nobody waited for, reached 6 GB
    samples = [(1.0, 500 * MB), (2.0, 6_144 * MB), (3.0, 700 * MB)]
    assert refresh_peak_mb(900 * 1024, samples) == 6_144


def test_without_a_larger_sample_the_peak_is_the_largest_process():
    assert refresh_peak_mb(900 * 1024, [(1.0, 400 * MB)]) == 900
    assert refresh_peak_mb(900 * 1024, []) == 900
