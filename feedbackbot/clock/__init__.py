"""The clock process: scheduled jobs that read the database and write to the outbox."""
