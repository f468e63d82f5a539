"""The fake Amazon Music Web API v1: endpoints under /v1 with Amazon's envelope and errors.

Request path: ``middleware`` (stats, faults, rate limit) -> ``endpoint`` (headers, token,
x-api-key, scopes, account checks) -> a view in ``views_*`` -> logic modules -> ``serializers``.
"""
