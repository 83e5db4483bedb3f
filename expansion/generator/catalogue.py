"""The synthetic company's product catalogue and feature list (static reference data).

The core platform comes in three tiers (``tier_rank`` 1-3) whose plan limits
grow tenfold per tier; modules are priced per seat, add-ons per capacity pack
and services as flat annual fees. Prices are annual list prices in USD.

Tier-gated features name the *lowest* tier that unlocks them; a higher tier of
the core family includes everything a lower tier unlocks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Product:
    product_id: str
    product_name: str
    product_family: str
    tier_rank: int
    unit: str
    list_price_arr: float
    limit_events_monthly: int | None = None
    limit_integrations: int | None = None
    limit_environments: int | None = None
    limit_storage_gb: float | None = None


@dataclass(frozen=True)
class Feature:
    feature_id: str
    feature_name: str
    is_core: bool
    unlocking_product_id: str | None
    use_case: str


CORE_TIERS: tuple[Product, ...] = (
    Product("prod_core_starter", "Platform Starter", "core", 1, "seat", 360.0,
            250_000, 5, 1, 100.0),
    Product("prod_core_growth", "Platform Growth", "core", 2, "seat", 600.0,
            2_500_000, 20, 3, 1_000.0),
    Product("prod_core_enterprise", "Platform Enterprise", "core", 3, "seat", 960.0,
            25_000_000, 100, 10, 10_000.0),
)  # fmt: skip
MODULES: tuple[Product, ...] = (
    Product("prod_analytics", "Advanced Analytics", "module", 1, "seat", 120.0),
    Product("prod_automation", "Workflow Automation", "module", 1, "seat", 150.0),
    Product("prod_governance", "Data Governance", "module", 1, "seat", 96.0),
    Product("prod_ai_assistant", "AI Assistant", "module", 1, "seat", 180.0),
)
CAPACITY_PACK = Product(
    "prod_addon_capacity", "Capacity Pack", "addon", 1, "usage", 2_400.0, 1_000_000, 5, 2, None
)
STORAGE_PACK = Product(
    "prod_addon_storage",
    "Storage Pack (1 TB)",
    "addon",
    1,
    "usage",
    1_200.0,
    None,
    None,
    None,
    1_000.0,
)
PREMIUM_SUPPORT = Product("prod_svc_premium_support", "Premium Support", "service", 1, "flat",
                          18_000.0)  # fmt: skip
TECHNICAL_ACCOUNT_MANAGER = Product(
    "prod_svc_tam", "Technical Account Manager", "service", 2, "flat", 48_000.0
)

PRODUCTS: tuple[Product, ...] = (
    *CORE_TIERS,
    *MODULES,
    CAPACITY_PACK,
    STORAGE_PACK,
    PREMIUM_SUPPORT,
    TECHNICAL_ACCOUNT_MANAGER,
)
PRODUCT_INDEX: dict[str, int] = {p.product_id: i for i, p in enumerate(PRODUCTS)}
"""Position of each product in :data:`PRODUCTS`; subscription arrays store these."""

LIST_PRICES = np.array([p.list_price_arr for p in PRODUCTS])
TIER_PRODUCT = np.array([PRODUCT_INDEX[p.product_id] for p in CORE_TIERS])
"""Product index of core tier ``t`` (0-based: 0 Starter, 1 Growth, 2 Enterprise)."""
MODULE_PRODUCT = np.array([PRODUCT_INDEX[p.product_id] for p in MODULES])

LIMIT_DIMENSIONS = ("events", "integrations", "environments", "storage")
"""Usage dimensions with a plan limit, in the column order of :data:`TIER_LIMITS`."""
TIER_LIMITS = np.array(
    [
        [p.limit_events_monthly, p.limit_integrations, p.limit_environments, p.limit_storage_gb]
        for p in CORE_TIERS
    ],
    dtype="float64",
)
"""Plan limit per core tier (rows) and dimension (columns of :data:`LIMIT_DIMENSIONS`)."""


def _features(unlocking: str | None, use_case: str, *names: str) -> tuple[Feature, ...]:
    return tuple(
        Feature(
            "feat_" + name.lower().replace(" ", "_").replace("/", "_"),
            name,
            unlocking is None,
            unlocking,
            use_case,
        )
        for name in names
    )


CORE_FEATURES = _features(
    None, "core workflow", "Dashboards", "Reports", "Alerts", "Search", "Comments",
    "Integrations Hub", "API Access", "Mobile App", "User Roles", "Data Import",
)  # fmt: skip
GROWTH_FEATURES = _features(
    "prod_core_growth", "scale", "Sandbox Environments", "Custom Fields", "Advanced Permissions"
)
ENTERPRISE_FEATURES = _features(
    "prod_core_enterprise", "security and compliance", "SAML SSO", "SCIM Provisioning",
    "Audit Log", "Dedicated Environment", "Data Residency",
)  # fmt: skip
MODULE_FEATURES: tuple[tuple[Feature, ...], ...] = (
    _features("prod_analytics", "analytics", "Cohort Analysis", "Forecasting", "Custom Metrics"),
    _features("prod_automation", "automation", "Workflow Builder", "Scheduled Jobs", "Webhooks"),
    _features("prod_governance", "governance", "Data Lineage", "Retention Policies",
              "Approval Flows"),
    _features("prod_ai_assistant", "AI", "AI Summaries", "AI Chat", "Anomaly Detection"),
)  # fmt: skip

FEATURES: tuple[Feature, ...] = (
    *CORE_FEATURES,
    *GROWTH_FEATURES,
    *ENTERPRISE_FEATURES,
    *(f for module in MODULE_FEATURES for f in module),
)
FEATURE_INDEX: dict[str, int] = {f.feature_id: i for i, f in enumerate(FEATURES)}
CORE_FEATURE_INDICES = np.array([FEATURE_INDEX[f.feature_id] for f in CORE_FEATURES])
MODULE_FEATURE_INDICES = np.array(
    [[FEATURE_INDEX[f.feature_id] for f in module] for module in MODULE_FEATURES]
)
"""``[module, k]`` → feature index of the module's k-th feature."""
ENTERPRISE_FEATURE_INDICES = np.array([FEATURE_INDEX[f.feature_id] for f in ENTERPRISE_FEATURES])
