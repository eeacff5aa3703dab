"""实施 to 公示: projects, progress by the unit, milestones and reminders, supervision, ratings and verdicts."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from core.errors import ActionRefused, PermissionRefused
from livelihood import selectors
from livelihood.models import CycleEvent, ProgressPhoto, ProgressUpdate, Project, ProjectRating, Stage
from livelihood.services.projects import milestone_add, milestone_complete, progress_record, sub_item_add
from livelihood.services.supervision import evaluation_start, publish, rating_record, supervision_start, visit_record


def png(name="site.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_selected_candidates_become_projects_with_unit_and_budget(street):
    cycle, projects = street.implementing(places=2, candidates=3)
    assert cycle.stage == Stage.IMPLEMENTING
    assert [(p.title, p.responsible_unit, p.budget) for p in projects] == [
        ("项目1", street.unit, 100),
        ("项目2", street.unit, 101),
    ]


def test_progress_by_the_responsible_unit_only(street, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _cycle, (project, _other) = street.implementing()
    # Owner and colleague: officers of the responsible unit.
    progress_record(project=project, percent=30, note="完成设计", actor=street.unit_officer, photos=[png()])
    progress_record(project=project, percent=45, note="开工", actor=street.colleague_officer)
    # Outsider: an officer of another unit; and a deputy.
    for outsider in (street.other_officer, street.add_deputies(1)[0]):
        with pytest.raises(PermissionRefused):
            progress_record(project=project, percent=90, note="越权", actor=outsider)
    project.refresh_from_db()
    assert project.progress_percent == 45
    assert ProgressUpdate.objects.filter(project=project).count() == 2
    assert ProgressPhoto.objects.count() == 1
    assert CycleEvent.objects.filter(action="progress_record", project=project).count() == 2


def test_bad_progress_writes_nothing(street, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _cycle, (project, _other) = street.implementing()
    not_an_image = SimpleUploadedFile("notes.png", b"plain text", content_type="image/png")
    with pytest.raises(ValidationError) as error:
        progress_record(project=project, percent=50, note="附件有误", actor=street.unit_officer, photos=[not_an_image])
    assert "photos" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        progress_record(project=project, percent=101, note="超过", actor=street.unit_officer)
    assert "percent" in error.value.message_dict
    assert not ProgressUpdate.objects.exists()
    project.refresh_from_db()
    assert project.progress_percent == 0


def test_overdue_milestones_feed_reminders(street):
    today = timezone.localdate()
    _cycle, (project, other) = street.implementing()
    late = milestone_add(project=project, title="完成招标", due_date=today - timedelta(days=3), actor=street.office)
    done = milestone_add(project=project, title="完成设计", due_date=today - timedelta(days=9), actor=street.office)
    milestone_add(project=other, title="竣工", due_date=today + timedelta(days=30), actor=street.unit_officer)
    due_on_the_day = milestone_add(project=other, title="进场", due_date=today, actor=street.unit_officer)
    milestone_complete(milestone=done, actor=street.unit_officer)
    with pytest.raises(ActionRefused):
        milestone_complete(milestone=done, actor=street.unit_officer)
    with pytest.raises(PermissionRefused):
        milestone_complete(milestone=late, actor=street.other_officer)
    assert list(selectors.overdue_milestones(today)) == [late]
    assert list(selectors.overdue_milestones(today + timedelta(days=1))) == [late, due_on_the_day]


@pytest.mark.postgres
def test_overdue_milestones_can_use_the_partial_index(street):
    from django.db import connection

    street.implementing()
    query = selectors.overdue_milestones(timezone.localdate())
    with connection.cursor() as cursor:
        # Tiny tables are always scanned; forbid that to see whether the index serves the query at all.
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = query.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "milestone_open_due_idx" in plan, plan


def test_sub_items(street):
    _cycle, (project, _other) = street.implementing()
    sub_item_add(project=project, title="A小区", budget=40, actor=street.office)
    sub_item_add(project=project, title="B小区", actor=street.unit_officer)
    with pytest.raises(PermissionRefused):
        sub_item_add(project=project, title="C小区", actor=street.other_officer)
    assert list(project.sub_items.values_list("title", flat=True)) == ["A小区", "B小区"]


def test_supervision_visits(street):
    _cycle, (project, _other) = street.implementing()
    owner, colleague = street.deputy_users[:2]
    today = timezone.localdate()
    visit_record(project=project, deputy=owner.deputy, visited_on=today, findings="围挡不规范", actor=owner)
    with pytest.raises(PermissionRefused):
        visit_record(project=project, deputy=owner.deputy, visited_on=today, findings="代填", actor=colleague)
    visit_record(project=project, deputy=colleague.deputy, visited_on=today, findings="代录", actor=street.office)
    with pytest.raises(ValidationError):
        visit_record(
            project=project, deputy=owner.deputy, visited_on=today + timedelta(days=1), findings="未来", actor=owner
        )
    assert project.supervision_visits.count() == 2


def test_ratings_once_per_deputy_in_the_evaluation_stage_then_verdicts(street):
    cycle, (first, second) = street.implementing(present=4)
    d1, d2, d3, d4 = street.deputy_users
    with pytest.raises(ActionRefused):  # not yet the evaluation stage
        rating_record(project=first, deputy=d1.deputy, rating="satisfied", actor=d1)
    supervision_start(cycle=cycle, actor=street.office)
    evaluation_start(cycle=cycle, actor=street.office)
    with pytest.raises(PermissionRefused):
        rating_record(project=first, deputy=d1.deputy, rating="satisfied", actor=d2)
    # First project: 2 满意 of 4 is exactly half → not 满意; 满意 + 基本满意 = 4 of 4 → 基本满意.
    for user, rating in (
        (d1, "satisfied"),
        (d2, "satisfied"),
        (d3, "basically_satisfied"),
        (d4, "basically_satisfied"),
    ):
        rating_record(project=first, deputy=user.deputy, rating=rating, actor=user)
    # Second project: 1 满意 + 1 基本满意 of 4 is exactly half → 不满意. The office enters d4's paper form.
    for user, rating in ((d1, "satisfied"), (d2, "basically_satisfied"), (d3, "unsatisfied")):
        rating_record(project=second, deputy=user.deputy, rating=rating, actor=user)
    paper = rating_record(project=second, deputy=d4.deputy, rating="unsatisfied", actor=street.office)
    assert paper.entered_by == street.office
    with pytest.raises(ActionRefused):
        rating_record(project=first, deputy=d1.deputy, rating="unsatisfied", actor=d1)
    with pytest.raises(ActionRefused):  # nor can the office enter a second form for them
        rating_record(project=first, deputy=d1.deputy, rating="unsatisfied", actor=street.office)
    with pytest.raises(PermissionRefused):  # a unit does not rate its own work
        rating_record(project=first, deputy=d1.deputy, rating="satisfied", actor=street.unit_officer)
    assert ProjectRating.objects.get(project=first, deputy=d1.deputy).rating == "satisfied"
    publish(cycle=cycle, actor=street.office)
    assert dict(Project.objects.values_list("title", "verdict")) == {
        "项目1": "basically_satisfied",
        "项目2": "unsatisfied",
    }
    with pytest.raises(ActionRefused):  # the evaluation is over
        rating_record(project=first, deputy=d4.deputy, rating="satisfied", actor=d4)
