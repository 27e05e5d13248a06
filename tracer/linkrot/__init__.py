"""Link-rot checks: classify a stored link, confirm deaths over time, schedule, report.

Only the light vocabulary is re-exported here, so `tracer.settings` can import
`CheckSettings` without pulling in the HTTP layer; the runner lives in
`tracer.linkrot.scheduling.run`.
"""

from tracer.linkrot.outcomes import Outcome
from tracer.linkrot.settings import CheckSettings

__all__ = ["CheckSettings", "Outcome"]
