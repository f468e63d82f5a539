"""The staff dashboard: what the system is doing (issue 8; being built)."""
