"""Bench-only Django configuration for bench_submit.py (never used by the product)."""
