"""Read a gongkai warehouse the way a BI tool does, with whatever DuckDB this interpreter has (run by
tests/test_bi_compat.py with DuckDB 1.1.3 in its own environment, and with the project's DuckDB for comparison).

    python read_warehouse.py WAREHOUSE MARTS_DIR RELATION...

Opens WAREHOUSE read-only and prints one JSON object: the DuckDB version; every table and view of the catalog with
its row count (every view is bound and run); for each RELATION given, its column names and types, the Python types
of its values and a digest of all its rows; the same for every MARTS_DIR/*.parquet, with its key-value metadata keys.
Standard library and duckdb only.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import duckdb


def described(con: duckdb.DuckDBPyConnection, relation: str) -> dict:
    """Columns, value types and a digest of every row (ordered) of a relation or a query's FROM clause."""
    columns = [(name, kind) for name, kind, *_ in con.execute(f"describe select * from {relation}").fetchall()]
    rows = con.execute(f"select * from {relation} order by all").fetchall()
    python_types: dict[str, set[str]] = {name: set() for name, _ in columns}
    for row in rows:
        for (name, _), value in zip(columns, row, strict=True):
            python_types[name].add(type(value).__name__)
    return {
        "columns": columns,
        "python_types": {name: sorted(kinds) for name, kinds in python_types.items()},
        "rows": len(rows),
        "digest": hashlib.sha256(json.dumps(rows, default=str, ensure_ascii=False).encode()).hexdigest(),
    }


def main(warehouse: str, marts: str, *relations: str) -> dict:
    con = duckdb.connect(warehouse, read_only=True)
    try:
        catalog = con.execute(
            "select table_name from duckdb_tables() where schema_name = 'main' union all "
            "select view_name from duckdb_views() where schema_name = 'main' and not internal"
        ).fetchall()
        counts = {
            name: con.execute(f'select count(*) from (select * from "{name}")').fetchall()[0][0]
            for (name,) in sorted(catalog)
        }
        tables = {relation: described(con, f'"{relation}"') for relation in relations}
    finally:
        con.close()
    parquet = {}
    with duckdb.connect() as files:
        for path in sorted(Path(marts).glob("*.parquet")):
            literal = "'" + str(path).replace("'", "''") + "'"
            parquet[path.stem] = described(files, f"read_parquet({literal})")
            parquet[path.stem]["metadata_keys"] = sorted(
                key.decode() if isinstance(key, bytes) else key
                for (key,) in files.execute(f"select key from parquet_kv_metadata({literal})").fetchall()
            )
    return {"duckdb": duckdb.__version__, "counts": counts, "tables": tables, "parquet": parquet}


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:])))
