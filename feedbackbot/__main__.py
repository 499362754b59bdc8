"""Let `python -m feedbackbot` work like the `feedbackbot` command."""

from feedbackbot.cli import main

main()
