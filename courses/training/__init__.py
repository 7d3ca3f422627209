"""Train-the-trainer: trainer certification (and, as they come, tracks, cohorts and the cascade)."""
