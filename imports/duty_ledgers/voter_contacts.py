"""The voter contacts ledger (联系选民台账): one row per contact of a deputy with voters (双联).

A row names the deputy, the day, how the voters were contacted, how many people, what it was about and,
optionally, which of the deputy's linked constituents it was with. It is checked as the product checks a
contact: the user keeps contacts for that deputy (a deputy of their stations; the office for anyone), the
date is not in the future nor before the years contacts are kept, the subject is given, 1 to 500 people.
Rows are written through ``duties.services.contacts``.

Key: the deputy and the ledger's own number (登记编号) when there is one, else deputy, day, way and the
subject; a corrected numbered row may change everything but the deputy.
"""

import datetime as dt
from collections import defaultdict

from django.utils.translation import gettext as _

from core import clock
from deputies.models import ConstituentLink, Deputy
from deputies.selectors import deputies_visible_to
from duties.models import VoterContact, VoterContactWay
from duties.services.contacts import voter_contact_record, voter_contact_update
from imports.duty_ledgers import common
from imports.models import ImportBatch, ImportedRecord, LedgerKind
from imports.reading import CellError, Column, parse_int
from organisation.access import DESK_EVERYWHERE

KIND = LedgerKind.VOTER_CONTACTS
MAX_SUBJECT = 200
MAX_NOTE = 2000
SYNONYMS = {
    VoterContactWay.IN_PERSON: ("当面", "面谈", "见面", "当面沟通"),
    VoterContactWay.HOME_VISIT: ("走访", "入户", "上门走访", "上门"),
    VoterContactWay.PHONE: ("电话", "电话联系", "打电话"),
    VoterContactWay.WECHAT: ("微信联系", "微信群", "网络"),
    VoterContactWay.MEETING: ("座谈", "座谈会", "恳谈会", "座谈恳谈会"),
}


def columns() -> list[Column]:
    ways = common.choice_labels(VoterContactWay.choices)
    return [
        Column("number", "登记编号", ("台账编号", "编号"), help="有则填写，更正时据此识别同一条记录"),
        Column("deputy", "代表姓名", ("代表", "姓名", "联系代表"), required=True, help="本站的代表"),
        Column("date", "联系日期", ("日期", "时间", "联系时间"), required=True, kind="date", help="不能晚于今天"),
        Column(
            "way",
            "联系方式",
            ("方式", "联系形式"),
            required=True,
            kind="choice",
            choices=tuple(ways.values()),
        ),
        Column("people", "联系人数", ("人数", "联系选民人数", "选民人数"), kind="int", help="1 至 500，不填为 1"),
        Column(
            "subject",
            "联系事由",
            ("事由", "主要内容", "联系内容", "内容", "主题"),
            required=True,
            width=30,
            help="简要说明，200 字以内",
        ),
        Column("constituent", "双联对象", ("联系对象", "联系群众", "双联群众"), help="可不填；须是该代表的双联群众"),
        Column("note", "备注", ("情况说明", "说明"), width=30, help="可不填"),
    ]


def _keepable(actor):
    if actor.has_role(*DESK_EVERYWHERE):
        return Deputy.objects.all()
    return deputies_visible_to(actor)


def template_lists(actor) -> dict[str, list[str]]:
    return {"deputy": list(_keepable(actor).order_by("name").values_list("name", flat=True).distinct())}


def state(contact: VoterContact) -> dict:
    return {
        "deputy": contact.deputy_id,
        "date": contact.date.isoformat(),
        "way": contact.way,
        "people": contact.people,
        "subject": contact.subject,
        "constituent": contact.constituent_id,
        "note": contact.note,
    }


def _row_values(reader: common.RowReader, names: common.Names, kept: set, links: dict, ways: dict) -> dict | None:
    number = reader.text("number", 50)
    deputy = names.deputy(reader, "deputy")
    if deputy is not None and deputy not in kept:
        reader.problem("deputy", _("Not a deputy of your stations: you record contacts for those deputies only."))
    day = reader.date("date")  # not in the future, not before EARLIEST_CONTACT (the first year events are kept)
    way = reader.choice("way", ways, SYNONYMS, required=_("Choose how the voters were contacted."))
    people = reader.read("people", parse_int, 1)
    if not 1 <= people <= 500:
        reader.problem("people", _("Enter between 1 and 500 people."))
    subject = reader.text("subject", MAX_SUBJECT, required=_("Say briefly what the contact was about."))
    constituent = None
    name = reader.text("constituent", 50)
    if name and deputy is not None:
        matches = links.get((deputy, name), [])
        if not matches:
            reader.problem(
                "constituent", _("「%(name)s」 is not one of this deputy's linked constituents.") % {"name": name}
            )
        elif len(matches) > 1:
            reader.problem(
                "constituent",
                _("Several of this deputy's linked constituents are named 「%(name)s」; enter this row in the product.")
                % {"name": name},
            )
        else:
            constituent = matches[0]
    note = reader.text("note", MAX_NOTE)
    if reader.found:
        return None
    return {
        "number": number,
        "state": {
            "deputy": deputy,
            "date": day.isoformat(),
            "way": way,
            "people": people,
            "subject": subject,
            "constituent": constituent,
            "note": note,
        },
    }


def _key(values: dict) -> str:
    s = values["state"]
    if values["number"]:
        return f"{s['deputy']}|no|{values['number']}"
    return f"{s['deputy']}|{s['date']}|{s['way']}|{common.digest(s['subject'])}"


def check(rows, *, actor, errors: list[CellError]):
    """The rows' plans, ``CHUNK`` at a time; every problem goes into ``errors``. Writes nothing."""
    names = common.Names.load(actor)
    kept = set(_keepable(actor).values_list("id", flat=True))
    links = defaultdict(list)
    for link_id, deputy_id, name in ConstituentLink.objects.filter(deputy_id__in=kept).values_list(
        "id", "deputy_id", "name"
    ):
        links[(deputy_id, name)].append(link_id)
    header = common.header_of(columns())
    ways = common.choice_labels(VoterContactWay.choices)
    today = clock.today()
    keys = common.Keys()
    chunk: list[common.Plan] = []
    for row in rows:
        reader = common.RowReader(row, header, today)
        values = _row_values(reader, names, kept, links, ways)
        if not reader.flush(errors):
            continue
        key = _key(values)
        if keys.repeated(key, row, header["number"] if values["number"] else header["subject"], errors):
            continue
        chunk.append(common.Plan(row=row, key=key, fingerprint=common.fingerprint(values["state"]), values=values))
        if len(chunk) == common.CHUNK:
            common.match_existing(chunk, KIND, "voter_contact")
            yield chunk
            chunk = []
    if chunk:
        common.match_existing(chunk, KIND, "voter_contact")
        yield chunk


def write(plans: list[common.Plan], *, batch: ImportBatch, actor) -> None:
    """Record or correct each row's contact through the contact services (caller's transaction)."""
    deputies = Deputy.objects.in_bulk({p.values["state"]["deputy"] for p in plans})
    links = ConstituentLink.objects.in_bulk({p.values["state"]["constituent"] for p in plans} - {None})
    header = common.header_of(columns())
    for plan in plans:
        values = plan.values["state"]
        fields = {
            "date": dt.date.fromisoformat(values["date"]),
            "way": values["way"],
            "subject": values["subject"],
            "people": values["people"],
            "constituent": links.get(values["constituent"]),
            "note": values["note"],
        }
        if plan.action == "create":
            with common.through_service(plan, header):
                contact = voter_contact_record(deputy=deputies[values["deputy"]], actor=actor, **fields)
            common.new_record(plan, kind=KIND, batch=batch, voter_contact=contact)
        elif plan.action == "update":
            contact = plan.record.voter_contact
            before = state(contact)
            with common.through_service(plan, header):
                voter_contact_update(contact=contact, actor=actor, **fields)
            common.mark_updated(plan.record, plan, batch=batch, state=before)


def undo_blockers(batch: ImportBatch) -> list[str]:
    reasons = common.later_import_blocker(batch, KIND)
    created, corrected = common.touched_by(batch, KIND)
    for record in (created | corrected).exclude(voter_contact=None).select_related("voter_contact"):
        if common.fingerprint(state(record.voter_contact)) != record.fingerprint:
            reasons.append(_("Some of its contacts have been changed in the product since."))
            break
    return reasons


def undo(batch: ImportBatch) -> None:
    created, corrected = common.touched_by(batch, KIND)
    for record in corrected.select_for_update(of=("self",)).select_related("voter_contact"):
        previous = common.unmark_updated(record)
        contact = record.voter_contact
        if contact is not None:
            contact.date = dt.date.fromisoformat(previous["date"])
            for name in ("way", "people", "subject", "note"):
                setattr(contact, name, previous[name])
            contact.constituent_id = previous["constituent"]
            contact.save(update_fields=["date", "way", "people", "subject", "note", "constituent"])
    contact_ids = list(created.exclude(voter_contact=None).values_list("voter_contact_id", flat=True))
    ImportedRecord.objects.filter(id__in=created.values("id")).delete()
    VoterContact.objects.filter(id__in=contact_ids).delete()
