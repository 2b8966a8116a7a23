"""A run's bookkeeping: whether it has anything to do (preflight), what changed since the last published build and
which rebuilds that needs (changes), the lake's lock (lake_lock), progress lines (progress), the imports warmed up
while files land (warmup), and the summary operators read (summary)."""
