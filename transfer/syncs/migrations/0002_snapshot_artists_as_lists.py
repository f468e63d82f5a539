"""Snapshots keep artists as lists (blob version 2); version 1 joined them with ", ".

A version 1 blob cannot tell "Earth, Wind & Fire" from two artists, so its strings are split on
", " exactly as restoring them did before: old snapshots restore as they always did, new ones
keep every name whole. The blob format is written out here, not imported, so this migration
keeps working whatever the service module becomes.
"""

import json
import zlib

from django.db import migrations


def _unpack(data):
    return json.loads(zlib.decompress(bytes(data)))


def _pack(content):
    return zlib.compress(json.dumps(content, separators=(",", ":")).encode(), 6)


def _split(artists):
    return [a for a in artists.split(", ") if a] if isinstance(artists, str) else artists


def _join(artists):
    return ", ".join(artists) if isinstance(artists, list) else artists


def _rewrite(apps, version, convert):
    LibrarySnapshot = apps.get_model("syncs", "LibrarySnapshot")
    for snapshot in LibrarySnapshot.objects.only("id", "data").iterator(chunk_size=50):
        content = _unpack(snapshot.data)
        if content.get("v") == version:
            continue
        for row in content.get("tracks", {}).values():
            row[1] = convert(row[1])
        for row in content.get("library_albums", []):
            row[2] = convert(row[2])
        content["v"] = version
        data = _pack(content)
        LibrarySnapshot.objects.filter(id=snapshot.id).update(data=data, size_bytes=len(data))


def artists_to_lists(apps, schema_editor):
    _rewrite(apps, 2, _split)


def artists_to_strings(apps, schema_editor):
    _rewrite(apps, 1, _join)


class Migration(migrations.Migration):
    dependencies = [("syncs", "0001_initial")]

    operations = [migrations.RunPython(artists_to_lists, artists_to_strings, elidable=False)]
