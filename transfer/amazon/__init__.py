"""A person's connection to Amazon: encrypted LWA tokens, refresh, revoke, and API clients."""
