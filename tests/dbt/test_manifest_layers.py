"""The dbt graph flows one way, and every model says what it is: read from dbt's manifest.

Layers, lowest first: staging, intermediate, marts (the folder under models/).
A model reads only its own layer or a lower one - a mart is never upstream of an
intermediate or staging model, so a change to what is published cannot change
what is computed. Every model has a description, and every mart (what the
serving database publishes) has an enforced contract. A column that must not be
null says so as a ``not_null`` constraint, checked by its model's (or seed's) one
``not_null_columns`` test (macros/tests/test_not_null_columns.sql), not by a
``not_null`` test of its own - unless that test has a ``where`` or a severity.
Unit tests live in their folder's ``_<folder>__unit_tests.yml`` or, where a
folder's tests are many, in ``_<folder>__<concept>__unit_tests.yml`` files
(``_health__score__unit_tests.yml``).
The map of the warehouse (docs/warehouse.md) names every model and seed folder.

The project is parsed once (``dbt parse``, no database touched); the rules are a
pure function of the manifest, pinned on a hand-made manifest too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from dbt.cli.main import dbtRunner

REPO_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
LAYERS = ("staging", "intermediate", "marts")
"""Lowest first: a model may read models of its own layer and of the layers before it."""


def manifest_violations(manifest: Mapping[str, Any]) -> list[str]:
    """Every breach of the layering, description and contract rules, one sentence each."""
    models = {
        unique_id: node
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "model"
    }
    violations = []
    for node in sorted(models.values(), key=lambda node: node["name"]):
        layer = _layer(node)
        if not node.get("description", "").strip():
            violations.append(f"{node['name']} has no description")
        if layer == "marts" and not node["config"].get("contract", {}).get("enforced"):
            violations.append(f"mart {node['name']} has no enforced contract")
        for upstream_id in node["depends_on"]["nodes"]:
            upstream = models.get(upstream_id)
            if upstream is not None and LAYERS.index(_layer(upstream)) > LAYERS.index(layer):
                violations.append(
                    f"{layer} model {node['name']} reads {_layer(upstream)} model "
                    f"{upstream['name']}"
                )
    violations += not_null_violations(manifest)
    for unit_test in sorted(manifest.get("unit_tests", {}).values(), key=lambda t: t["name"]):
        path = Path(unit_test["original_file_path"])
        folder = path.parent.name
        if not re.fullmatch(rf"_{re.escape(folder)}(__[a-z0-9_]+)?__unit_tests\.yml", path.name):
            violations.append(
                f"unit test {unit_test['name']} is in {path.name}, not _{folder}__unit_tests.yml "
                f"or _{folder}__<concept>__unit_tests.yml"
            )
    return violations


def not_null_violations(manifest: Mapping[str, Any]) -> list[str]:
    """Columns that must not be null are declared as constraints and checked by one test.

    A model or seed with a ``not_null`` constraint has the ``not_null_columns`` test (else
    nothing checks the constraint on a view, a seed or Spark); a plain ``not_null`` test
    on a column (no ``where``, severity error) is one dbt node per column where the
    constraint costs one query per model."""
    tests = [node for node in manifest["nodes"].values() if node["resource_type"] == "test"]
    checked = {
        test["attached_node"]
        for test in tests
        if test.get("test_metadata", {}).get("name") == "not_null_columns"
    }
    violations = []
    for unique_id, node in sorted(manifest["nodes"].items()):
        if node["resource_type"] not in ("model", "seed"):
            continue
        constrained = [
            column["name"]
            for column in node.get("columns", {}).values()
            if any(constraint["type"] == "not_null" for constraint in column["constraints"])
        ]
        if constrained and unique_id not in checked:
            violations.append(
                f"{node['name']} has not_null constraints ({', '.join(constrained)}) "
                "but no not_null_columns test"
            )
    for test in sorted(tests, key=lambda test: test["name"]):
        config = test["config"]
        plain = not config.get("where") and config.get("severity", "ERROR").upper() == "ERROR"
        if test.get("test_metadata", {}).get("name") == "not_null" and plain:
            violations.append(
                f"{test['name']}: declare {test['column_name']} not null as a constraint "
                "(constraints: [type: not_null]), checked by not_null_columns"
            )
    return violations


def _layer(node: Mapping[str, Any]) -> str:
    """The folder under models/ (fqn: project, layer, domain..., name)."""
    layer = node["fqn"][1]
    if layer not in LAYERS:
        raise ValueError(f"model {node['name']} is in no layer: models/{layer}/")
    return layer


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    target = tmp_path_factory.mktemp("manifest")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
        result = dbtRunner().invoke(
            [
                "parse",
                "--project-dir", str(DBT_PROJECT_DIR),
                "--profiles-dir", str(DBT_PROJECT_DIR),
                "--target", "lint",
                "--target-path", str(target),
                "--log-path", str(target / "logs"),
                "--no-partial-parse",
                "--quiet",
            ]
        )  # fmt: skip
    assert result.success, result.exception
    return json.loads((target / "manifest.json").read_text())


def test_the_project_keeps_the_rules(manifest: dict[str, Any]) -> None:
    assert (
        sum(
            _layer(n) == "marts"
            for n in manifest["nodes"].values()
            if n["resource_type"] == "model"
        )
        > 20
    )
    assert manifest_violations(manifest) == []


def _model(layer: str, name: str, reads: tuple[str, ...] = (), **config: Any) -> dict[str, Any]:
    return {
        "resource_type": "model",
        "name": name,
        "fqn": ["expansion", layer, "domain", name],
        "description": f"One row per thing: {name}.",
        "config": {"contract": {"enforced": layer == "marts"}, **config},
        "depends_on": {"nodes": [f"model.expansion.{upstream}" for upstream in reads]},
    }


def _manifest(*models: dict[str, Any]) -> dict[str, Any]:
    return {"nodes": {f"model.expansion.{model['name']}": model for model in models}}


def test_an_intermediate_model_reading_a_mart_is_refused() -> None:
    manifest = _manifest(
        _model("staging", "stg_a"),
        _model("intermediate", "int_b", reads=("stg_a",)),
        _model("marts", "mart_c", reads=("int_b",)),
        _model("intermediate", "int_d", reads=("mart_c", "int_b")),
        _model("marts", "mart_e", reads=("mart_c", "int_d")),
    )
    assert manifest_violations(manifest) == ["intermediate model int_d reads marts model mart_c"]


def test_a_staging_model_reading_an_intermediate_one_is_refused() -> None:
    manifest = _manifest(
        _model("intermediate", "int_b"),
        _model("staging", "stg_a", reads=("int_b",)),
    )
    assert manifest_violations(manifest) == ["staging model stg_a reads intermediate model int_b"]


def test_a_unit_test_outside_its_folders_unit_tests_file_is_refused() -> None:
    manifest = _manifest(_model("intermediate", "int_b")) | {
        "unit_tests": {
            "unit_test.expansion.int_b.placed": {
                "name": "placed",
                "original_file_path": "../models/intermediate/revenue/_revenue__unit_tests.yml",
            },
            "unit_test.expansion.int_b.placed_by_concept": {
                "name": "placed_by_concept",
                "original_file_path": (
                    "../models/intermediate/revenue/_revenue__movements__unit_tests.yml"
                ),
            },
            "unit_test.expansion.int_b.misplaced": {
                "name": "misplaced",
                "original_file_path": "../models/intermediate/revenue/_revenue__models.yml",
            },
            "unit_test.expansion.int_b.in_another_folders_file": {
                "name": "in_another_folders_file",
                "original_file_path": (
                    "../models/intermediate/revenue/_health__score__unit_tests.yml"
                ),
            },
        }
    }
    assert manifest_violations(manifest) == [
        "unit test in_another_folders_file is in _health__score__unit_tests.yml, not "
        "_revenue__unit_tests.yml or _revenue__<concept>__unit_tests.yml",
        "unit test misplaced is in _revenue__models.yml, not _revenue__unit_tests.yml "
        "or _revenue__<concept>__unit_tests.yml",
    ]


def test_a_model_without_a_description_and_a_mart_without_a_contract_are_refused() -> None:
    undescribed = _model("intermediate", "int_b") | {"description": "  "}
    uncontracted = _model("marts", "mart_c", contract={"enforced": False})
    assert manifest_violations(_manifest(undescribed, uncontracted)) == [
        "int_b has no description",
        "mart mart_c has no enforced contract",
    ]


def _test(name: str, model: str, column: str | None = None, **config: Any) -> dict[str, Any]:
    return {
        "resource_type": "test",
        "name": f"{name}_{model}" + (f"_{column}" if column else ""),
        "test_metadata": {"name": name},
        "attached_node": f"model.expansion.{model}",
        "column_name": column,
        "config": {"severity": "ERROR", "where": None, **config},
    }


def test_a_not_null_constraint_nothing_checks_and_a_plain_not_null_test_are_refused() -> None:
    constrained = {"name": "arr_usd", "constraints": [{"type": "not_null"}]}
    plain = {"name": "segment", "constraints": []}
    checked = _model("intermediate", "int_b") | {"columns": {"arr_usd": constrained}}
    unchecked = _model("intermediate", "int_c") | {
        "columns": {"arr_usd": constrained, "segment": plain}
    }
    manifest = _manifest(checked, unchecked)
    manifest["nodes"] |= {
        f"test.expansion.{test['name']}": test
        for test in (
            _test("not_null_columns", "int_b"),
            _test("not_null", "int_c", "segment"),
            _test("not_null", "int_c", "arr_usd", where="arr_usd > 0"),
            _test("not_null", "int_b", "arr_usd", severity="warn"),
        )
    }
    assert manifest_violations(manifest) == [
        "int_c has not_null constraints (arr_usd) but no not_null_columns test",
        "not_null_int_c_segment: declare segment not null as a constraint "
        "(constraints: [type: not_null]), checked by not_null_columns",
    ]


WAREHOUSE_MAP = REPO_ROOT / "docs" / "warehouse.md"


def folders_missing_from_map(manifest: Mapping[str, Any], warehouse_map: str) -> list[str]:
    """The model and seed folders of the manifest that the map's tables do not name
    (each as a code span, e.g. `models/marts/revenue`, `seeds/quality`). dbt gives paths
    relative to dbt_project/ (``../models/...``); the map names them from the repository."""
    folders = {
        Path(node["original_file_path"]).parent.as_posix().removeprefix("../")
        for node in manifest["nodes"].values()
        if node["resource_type"] in ("model", "seed")
    }
    return sorted(folder for folder in folders if f"`{folder}`" not in warehouse_map)


def test_the_warehouse_map_names_every_model_and_seed_folder(manifest: dict[str, Any]) -> None:
    assert folders_missing_from_map(manifest, WAREHOUSE_MAP.read_text()) == []


def test_a_folder_the_map_does_not_name_is_reported() -> None:
    manifest = {
        "nodes": {
            "model.expansion.int_b": {
                "resource_type": "model",
                "original_file_path": "models/intermediate/renewals/int_b.sql",
            },
            "seed.expansion.s": {
                "resource_type": "seed",
                "original_file_path": "seeds/quality/s.csv",
            },
        }
    }
    assert folders_missing_from_map(manifest, "| `seeds/quality` |") == [
        "models/intermediate/renewals"
    ]
