"""The warehouse: ``<lake>/warehouse.duckdb`` built by the dbt project (``dbt_project/``) from the staging tables and
the findings, and its marts exported as Parquet (build)."""
