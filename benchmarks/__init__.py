"""Benchmarks that drive a running app server: load, latency and memory."""
