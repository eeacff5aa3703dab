"""The office-driven stage moves that need nothing but the stage table, by action name (for the API and pages)."""

from livelihood.services.candidates import shortlisting_start
from livelihood.services.projects import implementation_start
from livelihood.services.supervision import evaluation_start, publish, supervision_start

STAGE_SERVICES = {
    "shortlisting_start": shortlisting_start,
    "implementation_start": implementation_start,
    "supervision_start": supervision_start,
    "evaluation_start": evaluation_start,
    "publish": publish,
}
