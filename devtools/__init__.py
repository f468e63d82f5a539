"""Development tooling: running the sandbox for tests, benchmarks and measurements."""
