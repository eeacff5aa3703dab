"""The stages of a cycle, the names of its recorded actions and the choices its records take."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    COLLECTING = "collecting", _("Collecting candidates")  # 征集
    SHORTLISTING = "shortlisting", _("Shortlisting")  # 初定
    VOTING = "voting", _("Voting")  # 票决
    IMPLEMENTING = "implementing", _("Implementing")  # 实施
    SUPERVISING = "supervising", _("Supervising")  # 监督
    EVALUATING = "evaluating", _("Evaluating")  # 测评
    PUBLISHED = "published", _("Published")  # 公示


STAGE_ORDER = list(Stage.values)

# What each recorded action is called in the history (the verbs of ``livelihood.services``).
ACTION_LABELS = {
    "cycle_create": _("start the cycle"),
    "candidate_add": _("add a candidate"),
    "candidate_update": _("edit a candidate"),
    "shortlisting_start": _("start shortlisting"),
    "shortlist_set": _("set the shortlist"),
    "vote_open": _("open the vote"),
    "attendance_add": _("record attendance"),
    "ballot_cast": _("cast a ballot"),
    "paper_ballots_enter": _("enter paper ballots"),
    "vote_close": _("close the vote"),
    "tie_decide": _("decide a tie"),
    "implementation_start": _("start implementation"),
    "sub_item_add": _("add a sub-item"),
    "milestone_add": _("add a milestone"),
    "milestone_complete": _("complete a milestone"),
    "progress_record": _("record progress"),
    "supervision_start": _("start supervision"),
    "visit_record": _("record a supervision visit"),
    "evaluation_start": _("start evaluation"),
    "rating_record": _("rate a project"),
    "publish": _("publish the results"),
}


class ProposerKind(models.TextChoices):
    CONSTITUENT = "constituent", _("Constituent")
    DEPUTY = "deputy", _("Deputy")
    OPINION = "opinion", _("Constituent opinion")
    SUGGESTION = "suggestion", _("Deputy suggestion")
    DEPARTMENT = "department", _("Government department")


class VoteResult(models.TextChoices):
    SELECTED = "selected", _("Selected")
    NOT_SELECTED = "not_selected", _("Not selected")
    # Tied at the cut-off for the last places: the office must record a decision.
    TIE = "tie", _("Tied at the cut-off")


class Choice(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    ABSTAIN = "abstain", _("Abstain")


class BallotChannel(models.TextChoices):
    ONLINE = "online", _("Online")
    PAPER = "paper", _("Paper ballot")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")
