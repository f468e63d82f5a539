"""The sandbox's fake Amazon Music catalog: real chart strings plus generated releases.

- ``sources``: reads the real metadata shipped (gzipped) in ``sandbox/data/``.
- ``credits``: splits chart credits ("Drake Featuring Rihanna") into artists.
- ``text``: Amazon-style title decorations and detokenising the iTunes-Amazon benchmark text.
- ``ids``: deterministic ASINs, ISRCs, UUIDs and image URLs.
- ``names``: made-up titles and artist names built from real chart words.
- ``records``: the plain records the generator yields, one class per table row.
- ``generate``: the deterministic catalog generator (pure; yields records).
- ``people``: demo accounts, their playlists and libraries (pure).
- ``samples``: export files of other services for the demo to import (pure).
- ``store``: writes records into the sandbox database in bulk (Django connection, raw SQL).
- ``load``: the CSV loader behind ``sandbox_load_catalog``.
"""
