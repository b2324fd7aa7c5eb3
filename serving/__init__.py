"""What runs beside the app: training jobs as processes of their own, the app and nginx started as real
servers on loopback, and Debian's Chromium, for the tests and the benchmarks alike."""
