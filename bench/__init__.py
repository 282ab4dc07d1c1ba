"""Benchmarks (`python -m bench.run`) and the synthetic data they render (`bench.make_data`)."""
