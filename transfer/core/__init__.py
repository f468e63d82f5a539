"""Site-wide pages: home, health check, and the shared template pieces."""
