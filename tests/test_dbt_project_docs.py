"""The dbt project's documentation, read from its YAML (no build): every mart and seed column is described (the
Parquet exports, the warehouse's comments and the dbt docs carry these descriptions), every vocabulary a data test
names is one of the code_labels seed, and the exposures name what the auditor report reads and every mart that is
exported."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

import gongkai.reports
from gongkai.warehouse.build import MARTS, dbt_project_dir
from tools import gen_seeds


def models_in(folder: str) -> list[dict]:
    """The models declared by the YAML files of ``models/<folder>``."""
    return [
        model
        for path in sorted((dbt_project_dir() / "models" / folder).glob("*.yml"))
        for model in yaml.safe_load(path.read_text(encoding="utf-8")).get("models", [])
    ]


def exposures() -> dict[str, dict]:
    declared = yaml.safe_load((dbt_project_dir() / "models" / "exposures.yml").read_text(encoding="utf-8"))
    return {exposure["name"]: exposure for exposure in declared["exposures"]}


def refs(exposure: dict) -> set[str]:
    return {re.fullmatch(r"ref\('(\w+)'\)", ref)[1] for ref in exposure["depends_on"]}


def test_every_mart_and_dimension_column_has_a_description() -> None:
    models = models_in("marts")
    sql = {path.stem for path in (dbt_project_dir() / "models" / "marts").glob("*.sql")}
    assert {model["name"] for model in models} == sql, "every mart model is declared in the YAML"
    undescribed = [
        f"{model['name']}.{column.get('name')}"
        for model in models
        for column in model["columns"]
        if not str(column.get("description") or "").strip()
    ]
    assert undescribed == [], f"mart columns without a description: {undescribed}"
    assert all(str(model.get("description") or "").strip() for model in models)
    assert all(column.get("data_type") for model in models for column in model["columns"]), "contract types"


def test_every_seed_column_is_typed_and_described() -> None:
    declared = yaml.safe_load((dbt_project_dir() / "seeds" / "_seeds.yml").read_text(encoding="utf-8"))["seeds"]
    assert {seed["name"] for seed in declared} == {path.stem for path in gen_seeds.expected_seeds()}
    for seed in declared:
        header = (gen_seeds.SEEDS / f"{seed['name']}.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
        assert [column["name"] for column in seed["columns"]] == header, seed["name"]
        assert list(seed["config"]["column_types"]) == header, seed["name"]
        assert str(seed.get("description") or "").strip() and all(column["description"] for column in seed["columns"])


def test_every_vocabulary_a_data_test_names_is_in_the_code_labels_seed() -> None:
    named = [
        test["in_vocabulary"]["arguments"]["vocabulary"]
        for folder in ("staging", "intermediate", "marts")
        for model in models_in(folder)
        for column in model.get("columns", [])
        for test in column.get("data_tests", [])
        if isinstance(test, dict) and "in_vocabulary" in test
    ]
    assert named and set(named) <= set(gen_seeds.VOCABULARIES)


def test_exposures_name_every_exported_mart_and_what_the_auditor_report_reads() -> None:
    declared = exposures()
    assert set(declared) == {"auditor_report", "bi_marts"}
    assert refs(declared["bi_marts"]) == {*MARTS, "dim_region", "cell_keys", "code_labels"}
    relations = {
        (model.get("config") or {}).get("alias", model["name"]): model["name"]
        for folder in ("staging", "intermediate", "marts")
        for model in models_in(folder)
    }
    relations |= {path.stem: path.stem for path in (dbt_project_dir() / "models").rglob("*.sql")}
    code = "\n".join(path.read_text(encoding="utf-8") for path in Path(gongkai.reports.__file__).parent.glob("*.py"))
    read = {
        relations[name]
        for name in re.findall(r"\b(?:FROM|JOIN)\s+(\w+)", code, flags=re.IGNORECASE)
        if name in relations
    }
    assert {"stg_lake__reports", "int_findings_reviewed", "mart_publication_coverage"} <= read
    assert refs(declared["auditor_report"]) == read
    for exposure in declared.values():
        assert exposure["owner"].get("name") and exposure["description"].strip()
