"""Queue the night's alerts in the outbox and deliver them to the configured webhook.

The asset sits downstream of the dbt marts, so a blocking check that fails
upstream (a data-integrity error) means no alert goes out that night. A
calibration breach does not block: it quarantines the trigger, whose alerts
are queued as held (``held_quarantined``) and not sent; so are the alerts of
an account under an outreach hold (``held_outreach``, with the reasons).
"""

import os

import dagster as dg

from expansion.alerts import WEBHOOK_URL_ENV, deliver_pending, queue_alerts
from expansion.clock import utc_now
from orchestration.defs.dbt import warehouse_dbt_models
from orchestration.resources import WarehouseResource


@dg.asset(
    group_name="serving",
    deps=[warehouse_dbt_models],
    kinds={"duckdb"},
    description=(
        "`alerts.outbox`: one row per alert ever raised (keyed by a stable dedupe key), with its "
        f"delivery status; posted to the webhook in `{WEBHOOK_URL_ENV}` when one is configured."
    ),
)
def alerts_outbox(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    webhook_url = os.environ.get(WEBHOOK_URL_ENV) or None
    with warehouse.connect() as con:
        queued = queue_alerts(con, utc_now())
        report = deliver_pending(con, webhook_url, utc_now)
    if webhook_url is None and report.pending:
        context.log.info(f"{report.pending} alerts wait in the outbox: {WEBHOOK_URL_ENV} is unset")
    if report.held:
        context.log.info(f"{report.held} alerts held in the outbox: their triggers are quarantined")
    if report.held_outreach:
        context.log.info(
            f"{report.held_outreach} alerts held in the outbox: their accounts are under an "
            "outreach hold (see alerts_outbox.hold_reasons)"
        )
    return dg.MaterializeResult(
        metadata={
            "newly_queued": queued,
            "sent": report.sent,
            "failed": report.failed,
            "pending": report.pending,
            "held_quarantined": report.held,
            "held_outreach": report.held_outreach,
        }
    )


defs = dg.Definitions(assets=[alerts_outbox])
