"""Transfers: read a list of tracks, match each against Amazon Music, write the matches.

models (the truth), services (every write, each step of the pipeline), tasks (thin Celery
wrappers that claim work and call one service), selectors (reads for pages and progress).
"""
