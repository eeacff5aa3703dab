"""Pages of a deputy's 双联 contact work: linked constituents and voter contacts (联系选民).

A deputy sees and keeps their own; station staff those of their stations' deputies; the
office and administrators everyone's; leaders read. The services decide every change.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.masking import mask_phone
from core.pages import run_service
from core.roles import Role
from duties.forms import ConstituentLinkForm, VoterContactForm
from duties.models import CONSTITUENT_LINKS_MIN, VOTER_CONTACTS_PER_YEAR
from duties.selectors import contact_deputies_for, voter_contact_counts, voter_contacts_visible_to
from duties.services import contacts as contact_services

PAGE_SIZE = 50
VIEW_ROLES = (Role.STATION_STAFF, Role.OFFICE, Role.LEADER, Role.ADMIN, Role.DEPUTY)


def _year(request) -> int:
    """The year asked for in ``?year=``, or this year; anything else falls back to this year."""
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except (TypeError, ValueError):
        return this_year
    return year if 2000 <= year <= this_year else this_year


def _years() -> range:
    """The years offered in the year picker: this year and the four before it."""
    this_year = timezone.localdate().year
    return range(this_year, this_year - 5, -1)


def _as_id(value) -> int:
    """A posted or queried id; 0 (matches nothing) when missing or not a number."""
    value = str(value or "")
    return int(value) if value.isdecimal() else 0


def _require_viewer(user) -> None:
    if not user.has_role(*VIEW_ROLES):
        raise PermissionDenied(_("This page is not available for your role."))


def _status(counts: dict) -> dict:
    return {
        **counts,
        "contacts_met": counts["contacts"] >= VOTER_CONTACTS_PER_YEAR,
        "links_met": counts["links"] >= CONSTITUENT_LINKS_MIN,
    }


@login_required
def contact_overview(request):
    """Every deputy the user may see, with this year's contacts against the yearly requirement."""
    user = request.user
    _require_viewer(user)
    if user.has_role(Role.DEPUTY):
        return redirect("liaison:contact_deputy", user.deputy_id)
    year = _year(request)
    deputies = contact_deputies_for(user).filter(is_active=True).order_by("name", "id")
    query = (request.GET.get("q") or "").strip()
    if query:
        deputies = deputies.filter(name__contains=query)
    page_obj = Paginator(deputies, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = voter_contact_counts([d.id for d in page_obj], year)
    rows = [{"deputy": d, **_status(counts[d.id])} for d in page_obj]
    return render(
        request,
        "liaison/reception/contacts.html",
        {
            "rows": rows,
            "page_obj": page_obj,
            "year": year,
            "q": query,
            "years": _years(),
            "contacts_required": VOTER_CONTACTS_PER_YEAR,
            "links_required": CONSTITUENT_LINKS_MIN,
        },
    )


def _apply(request, form, service, success: str, **extra) -> bool:
    """Run ``service`` with the form's data; service errors go back onto the form."""
    if form is not None and not form.is_valid():
        return False
    data = form.cleaned_data if form is not None else {}
    outcome = run_service(
        request, form, lambda: service(actor=request.user, **data, **extra), refusals="messages", raise_forbidden=True
    )
    if not outcome.ok:
        return False
    messages.success(request, success)
    return True


@login_required
def contact_deputy(request, pk):
    """One deputy's linked constituents and the year's voter contacts, with forms for those who keep them."""
    user = request.user
    _require_viewer(user)
    deputy = get_object_or_404(contact_deputies_for(user), pk=pk)
    year = _year(request)
    may_keep = contact_services.can_keep_contacts(user, deputy)
    links = deputy.constituent_links.order_by("name", "id")
    # ``?edit=<id>`` (or a posted correction) puts one of the deputy's contacts into the form.
    editing = None
    if may_keep and request.POST.get("action") == "update":
        editing = get_object_or_404(deputy.voter_contacts.all(), pk=_as_id(request.POST.get("id")))
    elif may_keep and request.GET.get("edit"):
        editing = deputy.voter_contacts.filter(pk=_as_id(request.GET["edit"])).first()
    contact_form = VoterContactForm(
        links=links,
        prefix="contact",
        initial={field: getattr(editing, field) for field in contact_services.CONTACT_FIELDS} if editing else None,
    )
    link_form = ConstituentLinkForm(prefix="link")
    if request.method == "POST":
        if not may_keep:
            raise PermissionDenied(_("You may record contacts only for yourself or for the deputies of your stations."))
        action = request.POST.get("action")
        done = False
        if action == "contact":
            contact_form = VoterContactForm(request.POST, links=links, prefix="contact")
            recorded = _("The contact was recorded.")
            done = _apply(request, contact_form, contact_services.voter_contact_record, recorded, deputy=deputy)
        elif action == "update":
            contact_form = VoterContactForm(request.POST, links=links, prefix="contact")
            corrected = _("The contact was corrected.")
            done = _apply(request, contact_form, contact_services.voter_contact_update, corrected, contact=editing)
        elif action == "link":
            link_form = ConstituentLinkForm(request.POST, prefix="link")
            linked = _("The constituent was linked.")
            done = _apply(request, link_form, contact_services.constituent_link_add, linked, deputy=deputy)
        elif action == "delete_contact":
            contact = get_object_or_404(deputy.voter_contacts.all(), pk=_as_id(request.POST.get("id")))
            removed = _("The contact was removed.")
            done = _apply(request, None, contact_services.voter_contact_delete, removed, contact=contact)
        elif action == "remove_link":
            link = get_object_or_404(links, pk=_as_id(request.POST.get("id")))
            unlinked = _("The constituent was unlinked.")
            done = _apply(request, None, contact_services.constituent_link_remove, unlinked, link=link)
        else:
            messages.error(request, _("Unknown action."))
        if done:
            return redirect(f"{request.path}?year={year}")
    contacts = list(voter_contacts_visible_to(user).filter(deputy=deputy, date__year=year).order_by("-date", "-id"))
    # The deputy entered their linked constituents and calls them; everyone else sees masked numbers.
    own = user.has_role(Role.DEPUTY) and user.deputy_id == deputy.id
    link_rows = [{"link": link, "phone": link.phone if own else mask_phone(link.phone)} for link in links]
    counts = _status(voter_contact_counts([deputy.id], year)[deputy.id])
    return render(
        request,
        "liaison/reception/contact_deputy.html",
        {
            "deputy": deputy,
            "year": year,
            "years": _years(),
            "contacts": contacts,
            "link_rows": link_rows,
            "counts": counts,
            "contacts_required": VOTER_CONTACTS_PER_YEAR,
            "links_required": CONSTITUENT_LINKS_MIN,
            "may_keep": may_keep,
            "contact_form": contact_form,
            "editing": editing,
            "link_form": link_form,
        },
    )
