"""Landed files -> staging tables: each raw part staged (stage), each file read and parsed in an isolated worker
process (isolation, parse_worker), and the parsed report's region resolved from what the parser read and what is
known of the file (report_region).

Nothing is imported here: every parse worker imports this package before its first file."""
