"""Management commands of the transfers app (measurement: evaluate_matching, bench_transfer)."""
