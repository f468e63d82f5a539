"""A local stand-in for the Amazon Music Web API and Login with Amazon.

It runs as its own server process with its own settings (``sandbox.settings``) and its own
SQLite database, so that the product talks to it exactly as it would to Amazon: over HTTP, with
only the base URLs changed. Product code never imports this package.
"""
