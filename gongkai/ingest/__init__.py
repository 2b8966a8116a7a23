"""Intake: find what an inbox holds (discovery), land new files as raw Parquet parts (landing), quarantine what
cannot be landed (quarantine), and fetch reports from the web (web); with the operator's hints about a source
(hints) and byte sizes as people write them (sizes)."""
