"""A local stand-in for Spotify's accounts service and Web API (see sandbox/README-services.md).

It lives in the sandbox's process, keeps its people and their libraries in memory, and builds
its catalog from the sandbox's Amazon catalog, so the same recordings share ISRCs on both sides
(with the gaps and differences real catalogs have).
"""
