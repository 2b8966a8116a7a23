"""What a run has to do on a lake: the one place that decides it, step by step.

The flow (flows/pipeline.py) asks before each step: the files to land and to quarantine once the inbox is
discovered, the raw parts to stage once they are landed, the build once they are staged. The preflight
(gongkai.run.preflight) asks every step at once before the orchestrator is started (:meth:`Work.anything`): when no
step has anything to do, the steps before a step change nothing, so each answer is the one the flow would get.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from gongkai.ingest.discovery import Candidate, Discovery
from gongkai.ingest.quarantine import is_quarantined
from gongkai.lake import Lake
from gongkai.run.changes import BuildPlan, plan_build


@dataclass
class Work:
    """The work of a run on ``lake`` for what discovery ``found`` in the inbox (nothing, for a web-only run)."""

    lake: Lake
    found: Discovery

    def to_land(self) -> list[Candidate]:
        """The new files."""
        return self.found.new

    @cached_property
    def to_quarantine(self) -> list[Candidate]:
        """The files too large to land that no earlier run quarantined (the answer before this run quarantines
        them: the summary counts them as quarantined, the others as duplicates)."""
        return [candidate for candidate in self.found.oversize if not is_quarantined(self.lake, candidate)]

    def to_stage(self) -> list[Path]:
        """The raw parts not staged yet."""
        from gongkai.staging.stage import pending_parts  # imported here: the stage module imports every reader

        return pending_parts(self.lake)

    def build(self) -> BuildPlan:
        """The rebuilds the lake's inputs need (gongkai.run.changes)."""
        return plan_build(self.lake)

    def anything(self) -> bool:
        """Whether a run would change anything: something to land, quarantine or stage, or a build to do (asked in
        that order, the cheapest first)."""
        return bool(self.to_land() or self.to_quarantine or self.to_stage() or self.build().needed)
