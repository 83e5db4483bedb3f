"""Great Expectations data docs of the latest validation results.

GE 1.x renders data docs from an ephemeral context too: register a filesystem
site, put each check's ``ExpectationSuiteValidationResult`` in the context's
validation results store and build that site. The site is written beside its
target and swapped in whole, so a reader never sees a half-written folder.
The pages load Bootstrap and fonts from public CDNs; offline they show the
same content unstyled.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterable
from pathlib import Path

from data_quality.checks import CheckReport
from expansion.publish import replace_directory

SITE_NAME = "expansion_quality"


def render_data_docs(
    reports: Iterable[CheckReport], out_dir: Path, run_name: str, run_time: dt.datetime
) -> Path | None:
    """Render the reports that were evaluated into ``out_dir``; returns its index (or None)."""
    evaluated = [r for r in reports if r.validation is not None]
    if not evaluated:
        return None
    import great_expectations as gx
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    staging = out_dir.with_name(out_dir.name + ".rendering")
    shutil.rmtree(staging, ignore_errors=True)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    context = gx.get_context(mode="ephemeral")
    context.add_data_docs_site(
        SITE_NAME,
        {
            "class_name": "SiteBuilder",
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(staging),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        },
    )
    run_id = RunIdentifier(run_name=run_name, run_time=run_time)
    for report in evaluated:
        identifier = ValidationResultIdentifier(
            expectation_suite_identifier=ExpectationSuiteIdentifier(name=report.check.name),
            run_id=run_id,
            batch_identifier=".".join(report.check.asset),
        )
        context.validation_results_store.set(identifier, report.validation)
    context.build_data_docs(site_names=[SITE_NAME])
    # GE logs a page it fails to render instead of raising: count the pages.
    pages = list((staging / "validations").rglob("*.html"))
    if len(pages) != len(evaluated):
        shutil.rmtree(staging, ignore_errors=True)
        raise RuntimeError(
            f"GE rendered {len(pages)} of {len(evaluated)} validation pages; see the log above"
        )
    replace_directory(staging, out_dir)
    return out_dir / "index.html"
