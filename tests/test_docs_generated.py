"""docs/keys.md, docs/rules.md and the generated blocks of docs/lake.md are what tools/gen_docs.py makes of the code,
and the dbt seeds what tools/gen_seeds.py makes of the Python vocabularies (`make docs` rewrites them all); every
docs/ citation in the repository names a file and anchor that exist."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tools import gen_docs, gen_seeds

ROOT = Path(__file__).resolve().parents[1]
CITATION = re.compile(r"docs/(\w+\.md)(?:#([\w-]+))?")


@pytest.mark.parametrize("path", sorted(gen_docs.expected_docs()), ids=lambda p: p.name)
def test_the_committed_docs_are_generated_from_the_code(path: Path) -> None:
    assert path.read_text(encoding="utf-8") == gen_docs.expected_docs()[path], f"{path.name}: run `make docs`"


@pytest.mark.parametrize("path", sorted(gen_seeds.expected_seeds()), ids=lambda p: p.name)
def test_the_committed_seeds_are_generated_from_the_python_vocabularies(path: Path) -> None:
    assert path.read_text(encoding="utf-8") == gen_seeds.expected_seeds()[path], f"{path.name}: run `make docs`"


def test_the_seeds_key_each_label_once() -> None:
    cells = [row[:3] for row in gen_seeds.cell_keys_rows()]
    codes = [row[:2] for row in gen_seeds.code_labels_rows()]
    assert len(set(cells)) == len(cells) and len(set(codes)) == len(codes)
    assert all(row[3] for row in gen_seeds.cell_keys_rows()) and all(row[2] for row in gen_seeds.code_labels_rows())


def test_the_catalogue_lists_every_rule_of_the_suites() -> None:
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    for expectation in gen_docs.load_expectations():
        assert f"`{expectation['meta']['rule_id']}`" in text


def test_every_column_of_the_contract_is_documented() -> None:
    text = (ROOT / "docs" / "lake.md").read_text(encoding="utf-8")
    for schema in gen_docs.contract.STAGING_TABLES.values():
        for field in schema:
            assert f"| `{field.name}` | `{field.type}` |" in text


def test_no_citation_names_the_external_spec_and_every_docs_citation_resolves() -> None:
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    cited = [p for p in tracked if p.endswith((".py", ".md", ".sql", ".yml")) and not p.startswith("docs/")]
    anchors = {
        p.name: set(re.findall(r'<a id="([\w-]+)"></a>', p.read_text(encoding="utf-8")))
        for p in (ROOT / "docs").glob("*.md")
    }
    for rel in cited:
        text = (ROOT / rel).read_text(encoding="utf-8")
        assert "format" + "_spec" not in text, rel  # the external spec is not in the repository
        for name, anchor in CITATION.findall(text):
            assert name in anchors, f"{rel}: docs/{name}"
            assert not anchor or anchor in anchors[name], f"{rel}: docs/{name}#{anchor}"
