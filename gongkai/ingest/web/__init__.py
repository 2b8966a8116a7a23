"""Reports from the web: a URL list or CSV manifest (``gongkai run --urls``), or a portal's annual-report listing
crawled within limits (``--crawl``), fetched politely with httpx and landed like folder files, with the URL as
``source_uri``.

- ``manifest``: read the URL list or CSV manifest (url, publisher, region_code, year).
- ``fetch``: the HTTP client (timeouts, retries with backoff, per-host rate limit, size cap, conditional requests).
- ``content``: is a response the file it promised (a captcha or error page where a PDF was linked is not)?
- ``links``: links of a page, which are attachments, report links, pagination, same site.
- ``fetch_log``: ``<lake>/web/fetches/``: one row per URL and run, what the next run sends and retries.
- ``intake``: a run's fetching (seeds, crawl levels, outcomes, spool) and the landing of what was new.
- ``options``: the ``gongkai run`` options.
"""
