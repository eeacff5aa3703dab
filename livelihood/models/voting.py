"""The vote (票决): the session, who was present, the ballots and their choices.

Votes are secret: results expose counts, the office audit exposes who voted, and only the
deputy sees their own choices.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from livelihood.models.choices import BallotChannel, Choice
from livelihood.models.cycle import Candidate, YearCycle


class VotingSession(models.Model):
    """The meeting at which deputies vote on the shortlist (票决); one per cycle."""

    cycle = models.OneToOneField(
        YearCycle, on_delete=models.PROTECT, related_name="voting_session", verbose_name=_("cycle")
    )
    opened_at = models.DateTimeField(_("opened at"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Set when the vote closed with a tie at the cut-off and cleared when the office decides it.
    tie_pending = models.BooleanField(_("tie awaiting a decision"), default=False)
    tie_decision_note = models.TextField(_("tie decision"), blank=True)

    class Meta:
        verbose_name = _("voting session")
        verbose_name_plural = _("voting sessions")
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return str(self.cycle)

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Attendance(models.Model):
    """A deputy present at the voting session; only they may vote, and they set the majority."""

    session = models.ForeignKey(
        VotingSession, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("session")
    )
    deputy = models.ForeignKey(
        "deputies.Deputy", on_delete=models.PROTECT, related_name="livelihood_attendance", verbose_name=_("deputy")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "deputy"],
                name="unique_attendance",
                violation_error_message=_("This deputy is already recorded as present."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.deputy_id}"


class Ballot(models.Model):
    """One deputy's ballot in a session: who and when are auditable; how is in ``choices``."""

    session = models.ForeignKey(
        VotingSession, on_delete=models.PROTECT, related_name="ballots", verbose_name=_("session")
    )
    deputy = models.ForeignKey(
        "deputies.Deputy", on_delete=models.PROTECT, related_name="livelihood_ballots", verbose_name=_("deputy")
    )
    channel = models.CharField(
        pgettext_lazy("ballot", "channel"), max_length=10, choices=BallotChannel.choices, default=BallotChannel.ONLINE
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cast_at = models.DateTimeField(_("cast at"), auto_now_add=True)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["cast_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "deputy"],
                name="one_ballot_per_deputy",
                violation_error_message=_("This deputy has already voted."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.deputy_id}"


class BallotChoice(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices", verbose_name=_("ballot"))
    candidate = models.ForeignKey(
        Candidate, on_delete=models.PROTECT, related_name="ballot_choices", verbose_name=_("candidate")
    )
    choice = models.CharField(_("choice"), max_length=10, choices=Choice.choices)

    class Meta:
        verbose_name = _("ballot choice")
        verbose_name_plural = _("ballot choices")
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "candidate"],
                name="one_choice_per_candidate",
                violation_error_message=_("A ballot has one choice per candidate."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.ballot_id} · {self.candidate_id}"
