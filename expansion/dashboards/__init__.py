"""Offline renderer for the Evidence pages in ``dashboards/`` (see docs/dashboards.md)."""

from expansion.dashboards.site import RenderIssue, RenderReport, render_site

__all__ = ["RenderIssue", "RenderReport", "render_site"]
