"""Hot topics (热点问题): opinions grouped by the problem they raise, across grids, stations and channels.

A ``Topic`` is the centroid of its members (``TopicTerm``: the sum of their unit TF-IDF vectors, term by
term, and ``norm_sq``, the squared length of that sum); ``TermCount`` holds the document frequencies the
weights come from. Every opinion placed belongs to exactly one topic (``TopicMember``, keyed by the
opinion). A member placed or confirmed by staff (a merge or a split) is ``pinned``: neither the placement
task nor a rebuild ever moves it again, so corrections stick.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

TERM_MAX_LENGTH = 40
# The ``TermCount`` row that counts the opinions placed (the N of the inverse document frequency).
DOCUMENTS = ""


class Topic(models.Model):
    title = models.CharField(_("title"), max_length=200)
    keywords = models.CharField(_("keywords"), max_length=200, blank=True)
    size = models.PositiveIntegerField(_("opinions"), default=0)
    norm_sq = models.FloatField(default=0.0)
    first_received_on = models.DateField(_("first received on"), null=True, blank=True)
    last_received_on = models.DateField(_("last received on"), null=True, blank=True)
    suggestion = models.ForeignKey(
        "suggestions.Suggestion",
        verbose_name=_("suggestion"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="topics",
    )
    corrected = models.BooleanField(_("corrected by staff"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["-last_received_on", "-id"]

    def __str__(self) -> str:
        return self.title


class TopicMember(models.Model):
    opinion = models.OneToOneField(
        "liaison.Opinion",
        verbose_name=_("opinion"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="topic_membership",
    )
    topic = models.ForeignKey(Topic, verbose_name=_("topic"), on_delete=models.CASCADE, related_name="members")
    # Copied from the opinion (never changed after it is saved) so that a period's counts read the
    # memberships alone, in date order.
    received_on = models.DateField(_("received on"), null=True)
    station = models.ForeignKey(
        "organisation.Station", verbose_name=_("station"), null=True, on_delete=models.CASCADE, related_name="+"
    )
    grid = models.ForeignKey(
        "organisation.Grid", verbose_name=_("grid"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    score = models.FloatField(_("similarity"), default=0.0)
    pinned = models.BooleanField(_("placed by staff"), default=False)
    placed_at = models.DateTimeField(_("placed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("topic member")
        verbose_name_plural = _("topic members")
        indexes = [
            models.Index(fields=["topic", "opinion"], name="topic_member_topic"),
            models.Index(fields=["received_on", "topic"], name="topic_member_received"),
        ]

    def __str__(self) -> str:
        return f"{self.opinion_id} → {self.topic_id}"


class TopicTerm(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="terms")
    term = models.CharField(max_length=TERM_MAX_LENGTH)
    weight = models.FloatField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "term"], name="topic_term_unique")]
        # The inverted index: a term's postings (topic, weight) read from the index alone.
        indexes = [models.Index(fields=["term", "topic", "weight"], name="topic_term_postings")]

    def __str__(self) -> str:
        return f"{self.topic_id} {self.term} {self.weight:.3f}"


class TermCount(models.Model):
    term = models.CharField(max_length=TERM_MAX_LENGTH, primary_key=True)
    documents = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.term} {self.documents}"


class TopicEventKind(models.TextChoices):
    MERGED = "merged", _("Topics merged")
    SPLIT = "split", _("Opinions split off")
    SUGGESTION = "suggestion", _("Drafted as a suggestion")
    KEY_SUPERVISION = "key_supervision", _("Key supervision set")


class TopicEvent(models.Model):
    """Append-only record of what staff did to a topic."""

    topic = models.ForeignKey(Topic, verbose_name=_("topic"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=TopicEventKind.choices)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        "accounts.User", verbose_name=_("by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("topic event")
        verbose_name_plural = _("topic events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.topic_id} {self.kind}"
