"""Benchmarks of the NQ57 dashboard, reported as ratios against a baseline measured in the same run."""
