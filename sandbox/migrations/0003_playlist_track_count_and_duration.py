"""Each playlist's track count and total duration as columns, filled in for existing playlists.

Answers with a playlist (every add, reorder and remove answers with one) used to count and sum
its entries each time; the columns are kept in step by the edits and by seeding instead.
"""

from django.db import migrations, models

# The same statement as sandbox.catalog.store.PLAYLIST_TOTALS_SQL, frozen here as migrations are.
FILL_TOTALS = (
    "UPDATE sandbox_playlist SET "
    "track_count = (SELECT COUNT(*) FROM sandbox_playlistentry e WHERE e.playlist_id = "
    "sandbox_playlist.id), "
    "total_duration = (SELECT COALESCE(SUM(t.duration), 0) FROM sandbox_playlistentry e "
    "JOIN sandbox_track t ON t.id = e.track_id WHERE e.playlist_id = sandbox_playlist.id)"
)


class Migration(migrations.Migration):
    dependencies = [
        ("sandbox", "0002_search_index"),
    ]

    operations = [
        # Plain ADD COLUMN: Django's AddField rebuilds an SQLite table to add a NOT NULL column,
        # and the rebuild drops the table's triggers (0002's playlist search index sync).
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f"ALTER TABLE sandbox_playlist ADD COLUMN {name} integer unsigned NOT NULL "
                    f"DEFAULT 0 CHECK ({name} >= 0)",
                    reverse_sql=f"ALTER TABLE sandbox_playlist DROP COLUMN {name}",
                )
                for name in ("track_count", "total_duration")
            ],
            state_operations=[
                migrations.AddField(
                    model_name="playlist",
                    name="track_count",
                    field=models.PositiveIntegerField(default=0),
                ),
                migrations.AddField(
                    model_name="playlist",
                    name="total_duration",
                    field=models.PositiveIntegerField(default=0, help_text="seconds"),
                ),
            ],
        ),
        migrations.RunSQL(FILL_TOTALS, reverse_sql=migrations.RunSQL.noop),
    ]
