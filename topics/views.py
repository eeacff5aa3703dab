"""The 热点 pages: the period's hot topics, and one topic with its trend, sources, opinions and actions."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core import charts, clock
from core.pages import run_service
from core.roles import Role
from liaison.models import OpinionSource
from topics import selectors, services
from topics.forms import DEFAULT_DAYS, DraftSuggestionForm, KeySupervisionForm, MergeForm, PeriodForm, SplitForm

TREND_TOPICS = 5
TOPIC_OPINIONS = 100


def _hot_topics_only(user) -> None:
    if not selectors.can_see_hot_topics(user):
        raise PermissionDenied


def _month_labels(axis) -> list[str]:
    return [f"{year % 100:02d}/{month:02d}" for year, month in axis]


@login_required
def hot(request):
    user = request.user
    _hot_topics_only(user)
    form = PeriodForm(request.GET or None)
    status = 200
    days, date_to = DEFAULT_DAYS, clock.today()
    if form.is_bound:
        if form.is_valid():
            days = form.cleaned_data["days"] or DEFAULT_DAYS
            date_to = form.cleaned_data["date_to"] or date_to
        else:
            status = 400
    date_from = date_to - timedelta(days=days - 1)
    rows = selectors.hot_topics(user, date_from=date_from, date_to=date_to) if status == 200 else []
    chart = None
    if rows:
        top = rows[:TREND_TOPICS]
        axis, series = selectors.monthly_trend(user, [h.topic.pk for h in top], date_to=date_to)
        chart = charts.line_chart(
            _month_labels(axis),
            [charts.Series(f"#{h.topic.pk} {h.topic.title[:12]}", series[h.topic.pk]) for h in top],
            title=_("Opinions by month, top topics"),
            empty_message=_("No data yet"),
        )
    context = {"form": form, "rows": rows, "chart": chart, "date_from": date_from, "date_to": date_to}
    return render(request, "topics/hot.html", context, status=status)


ACTIONS = {
    "merge": MergeForm,
    "split": SplitForm,
    "suggestion": DraftSuggestionForm,
    "supervise": KeySupervisionForm,
}


@login_required
def detail(request, pk):
    user = request.user
    _hot_topics_only(user)
    topic = selectors.topics_visible_to(user).select_related("suggestion").filter(pk=pk).first()
    if topic is None:
        raise Http404(_("No such topic."))
    opinions = list(selectors.topic_opinions(user, topic)[:TOPIC_OPINIONS])
    opinion_ids = [o.pk for o in opinions]
    forms_ = {
        "merge": MergeForm(),
        "split": SplitForm(opinion_ids=opinion_ids),
        "suggestion": DraftSuggestionForm(),
        "supervise": KeySupervisionForm(),
    }
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            messages.error(request, _("Unknown action."))
            return redirect("topics:detail", topic.pk)
        kwargs = {"opinion_ids": opinion_ids} if action == "split" else {}
        form = forms_[action] = ACTIONS[action](request.POST, **kwargs)
        if form.is_valid():
            data = form.cleaned_data

            def act():
                if action == "merge":
                    others = list(selectors.topics_visible_to(user).filter(pk__in=data["others"]))
                    if len(others) != len(data["others"]):
                        from django.core.exceptions import ValidationError

                        raise ValidationError({"others": [_("No such topic: check the numbers.")]})
                    return services.topic_merge(actor=user, topic=topic, others=others)
                if action == "split":
                    return services.topic_split(
                        actor=user, topic=topic, opinion_ids=data["opinions"], title=data["title"]
                    )
                if action == "suggestion":
                    return services.topic_draft_suggestion(
                        actor=user, topic=topic, deputy=data["deputy"], title=data["title"]
                    )
                return services.topic_key_supervise(actor=user, topic=topic, note=data["note"])

            outcome = run_service(request, form, act)
            if outcome.ok:
                messages.success(request, _("Saved."))
                target = outcome.result if action == "split" else topic
                return redirect("topics:detail", target.pk)
            status = outcome.status
        else:
            status = 400
    today = clock.today()
    axis, series = selectors.monthly_trend(user, [topic.pk], date_to=today)
    sources = selectors.topic_sources(user, topic)
    channels = dict(OpinionSource.choices)
    context = {
        "topic": topic,
        "opinions": opinions,
        "shown_all": len(opinions) < TOPIC_OPINIONS,
        "forms": forms_,
        "events": selectors.topic_events(topic),
        "sources": sources,
        "channels": [(channels.get(code, code), n) for code, n in sources["channels"]],
        "trend": charts.line_chart(
            _month_labels(axis),
            [charts.Series(_("Opinions"), series[topic.pk])],
            title=_("Opinions by month"),
            empty_message=_("No data yet"),
        ),
        "stations_chart": charts.hbar_chart(
            [name for name, _n in sources["stations"][:12]],
            [n for _name, n in sources["stations"][:12]],
            title=_("Opinions by station"),
            empty_message=_("No data yet"),
        ),
        "may_correct": services.can_correct(user),
        "may_draft": user.has_role(Role.OFFICE) and topic.suggestion_id is None,
        "may_supervise": user.has_role(Role.LEADER) and topic.suggestion_id is not None,
    }
    return render(request, "topics/detail.html", context, status=status)
