"""``python -m benchmarks``: the app against a bare Streamlit page, the core, the load test."""

from benchmarks.app_bench import main

main()
