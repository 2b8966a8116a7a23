"""Human-readable reports built from the warehouse."""

from __future__ import annotations

from gongkai.reports.auditor import AuditorReportStats, write_auditor_report

__all__ = ["AuditorReportStats", "write_auditor_report"]
