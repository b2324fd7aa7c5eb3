"""``python -m benchmarks``: the app against a bare page, AppTest, the core, the load test."""

from benchmarks.suite import main

main()
