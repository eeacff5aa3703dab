"""Build the people and the suggestions the tests need, through the services, as users would."""

from dataclasses import dataclass

from core.roles import Role
from deputies.services import deputy_create
from organisation.models import StationKind, UnitKind
from organisation.services import station_create
from suggestions import services
from suggestions.models import ReplyClass, State


@dataclass
class World:
    """A hub with two area stations, three deputies, three units and one account per relationship."""

    hub: object
    station_a: object
    station_b: object
    lead_deputy: object
    cosigner_deputy: object
    other_deputy_record: object
    lead_unit: object
    co_unit: object
    other_unit: object
    deputy: object  # the lead deputy's account
    cosigner: object
    other_deputy: object
    lead_officer: object
    co_officer: object
    other_officer: object
    office: object
    leader: object
    staff_a: object  # station staff of the lead deputy's station
    staff_b: object  # station staff of another station
    admin: object

    def users(self) -> dict:
        return {
            "deputy": self.deputy,
            "cosigner": self.cosigner,
            "other_deputy": self.other_deputy,
            "lead_officer": self.lead_officer,
            "co_officer": self.co_officer,
            "other_officer": self.other_officer,
            "office": self.office,
            "leader": self.leader,
            "staff_a": self.staff_a,
            "staff_b": self.staff_b,
            "admin": self.admin,
        }


def build_world(make_user, *, suffix: str = "") -> World:
    lead_deputy = deputy_create(name=f"王建国{suffix}")
    cosigner_deputy = deputy_create(name=f"李秀英{suffix}")
    other_deputy_record = deputy_create(name=f"张伟{suffix}")
    hub = station_create(name=f"代表之家{suffix}", kind=StationKind.HUB, address="中心路1号")
    station_a = station_create(
        name=f"东片区实践站{suffix}",
        kind=StationKind.AREA,
        address="东路2号",
        parent=hub,
        resident_deputies=[lead_deputy, cosigner_deputy],
    )
    station_b = station_create(
        name=f"西片区实践站{suffix}",
        kind=StationKind.AREA,
        address="西路3号",
        parent=hub,
        resident_deputies=[other_deputy_record],
    )
    office = make_user(Role.OFFICE, username=f"office{suffix}")
    lead_unit = services.unit_create(actor=office, name=f"区住建局{suffix}", kind=UnitKind.DEPARTMENT)
    co_unit = services.unit_create(actor=office, name=f"区交通局{suffix}", kind=UnitKind.DEPARTMENT)
    other_unit = services.unit_create(actor=office, name=f"某社区居委会{suffix}", kind=UnitKind.COMMUNITY)
    return World(
        hub=hub,
        station_a=station_a,
        station_b=station_b,
        lead_deputy=lead_deputy,
        cosigner_deputy=cosigner_deputy,
        other_deputy_record=other_deputy_record,
        lead_unit=lead_unit,
        co_unit=co_unit,
        other_unit=other_unit,
        deputy=make_user(Role.DEPUTY, deputy=lead_deputy, username=f"deputy{suffix}"),
        cosigner=make_user(Role.DEPUTY, deputy=cosigner_deputy, username=f"cosigner{suffix}"),
        other_deputy=make_user(Role.DEPUTY, deputy=other_deputy_record, username=f"otherdeputy{suffix}"),
        lead_officer=make_user(Role.UNIT_OFFICER, unit=lead_unit, username=f"leadofficer{suffix}"),
        co_officer=make_user(Role.UNIT_OFFICER, unit=co_unit, username=f"coofficer{suffix}"),
        other_officer=make_user(Role.UNIT_OFFICER, unit=other_unit, username=f"otherofficer{suffix}"),
        office=office,
        leader=make_user(Role.LEADER, username=f"leader{suffix}"),
        staff_a=make_user(Role.STATION_STAFF, stations=[station_a], username=f"staffa{suffix}"),
        staff_b=make_user(Role.STATION_STAFF, stations=[station_b], username=f"staffb{suffix}"),
        admin=make_user(Role.ADMIN, username=f"admin{suffix}"),
    )


# The path through the lifecycle to each state: (state reached, step to get there from the previous one).
def _draft(w, title="关于加装老旧小区电梯的建议"):
    return services.suggestion_create(
        actor=w.deputy,
        title=title,
        content="东片区多个老旧小区六层无电梯，老人上下楼困难，建议统筹加装。",
        category="urban_construction",
        cosigners=[w.cosigner_deputy],
    )


def drive(w: World, state: str, *, title: str = "关于加装老旧小区电梯的建议", reply_class: str = ReplyClass.A):
    """A suggestion by ``w.deputy`` brought to ``state`` through the services.

    ``rehandling`` is reached through a first 不满意; ``closed`` through a first 满意.
    """
    s = _draft(w, title)
    if state == State.DRAFT:
        return s
    services.suggestion_cosign(suggestion=s, actor=w.cosigner, accept=True)
    if state == State.WITHDRAWN:
        return services.suggestion_withdraw(suggestion=s, actor=w.deputy, reason="已通过其他渠道解决")
    s = services.suggestion_submit(suggestion=s, actor=w.deputy)
    if state == State.SUBMITTED:
        return s
    if state == State.RETURNED:
        return services.suggestion_return(suggestion=s, actor=w.office, reason="属个人诉求，不作为代表建议")
    s = services.suggestion_assign(suggestion=s, actor=w.office, lead_unit=w.lead_unit, co_units=[w.co_unit])
    if state == State.ASSIGNED:
        return s
    s = services.suggestion_acknowledge(suggestion=s, actor=w.lead_officer)
    if state == State.IN_PROGRESS:
        return s
    services.suggestion_reply(suggestion=s, actor=w.lead_officer, reply_class=reply_class, content="已列入今年计划。")
    s.refresh_from_db()
    if state == State.REPLIED:
        return s
    if state == State.REHANDLING:
        services.suggestion_evaluate(suggestion=s, actor=w.deputy, rating="unsatisfied", comment="答复不具体")
    else:
        services.suggestion_evaluate(suggestion=s, actor=w.deputy, rating="satisfied")
    s.refresh_from_db()
    assert s.state == state, (s.state, state)
    return s


def handled(
    w: World,
    *,
    deputy_user=None,
    unit=None,
    officer=None,
    title: str = "建议",
    reply: bool = True,
    reply_class: str = ReplyClass.A,
    late: bool = False,
    contacted: bool = False,
    first_rating: str | None = None,
    second_rating: str | None = None,
):
    """One suggestion taken as far as asked: assigned to ``unit``, replied (late if asked), rated once,
    re-handled and rated again — all through the services (a late reply: its deadline is moved into the
    past first, as if the months had gone by)."""
    from datetime import timedelta

    from django.utils import timezone

    from suggestions.models import Suggestion

    deputy_user = deputy_user or w.deputy
    officer = officer or w.lead_officer
    s = services.suggestion_create(actor=deputy_user, title=title, content="内容", category="traffic")
    services.suggestion_submit(suggestion=s, actor=deputy_user)
    services.suggestion_assign(suggestion=s, actor=w.office, lead_unit=unit or w.lead_unit)
    services.suggestion_acknowledge(suggestion=s, actor=officer)
    if not reply:
        return s
    if late:
        Suggestion.objects.filter(pk=s.pk).update(reply_due=timezone.localdate() - timedelta(days=1))
    services.suggestion_reply(suggestion=s, actor=officer, reply_class=reply_class, content="答复", contacted=contacted)
    if first_rating:
        services.suggestion_evaluate(suggestion=s, actor=deputy_user, rating=first_rating)
        if second_rating:
            services.suggestion_reply(suggestion=s, actor=officer, reply_class=reply_class, content="再次答复")
            services.suggestion_evaluate(suggestion=s, actor=deputy_user, rating=second_rating)
    s.refresh_from_db()
    return s
