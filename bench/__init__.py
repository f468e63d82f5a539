"""Development benchmarks; not part of any runtime package."""
