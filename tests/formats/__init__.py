"""Tests of the playlist file readers and writers (transfer.formats)."""
