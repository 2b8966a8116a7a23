"""A run's bookkeeping: what it has to do (work), asked step by step by the flow and all at once, before the
orchestrator starts, by the preflight (preflight); what changed since the last published build and which rebuilds
that needs (changes); the lake's lock (lake_lock); progress lines (progress); the imports warmed up while files land
(warmup); and the summary operators read (summary)."""
