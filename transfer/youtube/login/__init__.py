"""allauth glue for connecting a Google account for YouTube (provider package: urls, views)."""
