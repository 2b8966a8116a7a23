"""Landed files -> staging tables: each raw part staged (stage), each file read and parsed in an isolated worker
process (isolation, parse_worker), and the parsed report's region resolved from what the parser read and what is
known of the file (report_region). The accuracy evaluation of ``gongkai eval`` (evaluate) runs the same path, a
file read, parsed and its region resolved, against truth files.

Nothing is imported here: every parse worker imports this package before its first file."""
