"""The access pages: break-glass, its review queue, notifications, and LA administration (two-factor included).

Thin: every read is a function of :mod:`.queries` (scoped to the actor), every change a service of
:mod:`diogel.access.services` (which checks the actor's right to make it and writes the audit entry).
A page meant for another role answers 403 with a sentence saying who it is for; a record the actor
may not touch answers 404, whether or not it exists.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from diogel.access import services as access
from diogel.access.auth import services as auth
from diogel.access.auth.services import IssuedLink
from diogel.access.clock import today
from diogel.access.errors import NotFound
from diogel.access.models import BreakGlassGrant
from diogel.access.roles import Role
from diogel.access.services import BREAK_GLASS_HOURS
from diogel.cases.models import LocalAuthority
from diogel.errors import UserError

from . import queries, services
from .forms import (
    AccessibleForm,
    AgreementForm,
    BreakGlassForm,
    InvolvementEndForm,
    InvolvementStartForm,
    MembershipForm,
    ReviewForm,
    SealForm,
    TwoFactorResetForm,
    agency_kind_label,
)

GET_POST = require_http_methods(["GET", "HEAD", "POST"])


def _user(request: HttpRequest) -> Any:
    return request.user


def la_name(la: LocalAuthority) -> str:
    return la.name_cy if (get_language() or "").startswith("cy") and la.name_cy else la.name_en


def _person(user: Any) -> str:
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return f"{full} ({user.get_username()})" if full else user.get_username()


def _refused(request: HttpRequest, title: str, message: str) -> HttpResponse:
    return render(request, "accessui/refused.html", {"title": title, "message": message}, status=403)


def _summary(*forms: AccessibleForm | None) -> list[tuple[str, str]]:
    return [item for f in forms if f is not None and f.is_bound for item in f.summary()]


# --- break-glass -----------------------------------------------------------------------------------

REFUSAL = gettext_noop(
    "Emergency access cannot be given to a child with this identifier. Check the identifier; "
    "if it is right, ask the child's team or the duty manager."
)


@login_required
@GET_POST
def break_glass(request: HttpRequest) -> HttpResponse:
    """Ask for emergency access to a child of one's own LA; lists the actor's active grants."""
    user = _user(request)
    las = queries.break_glass_las(user)
    if not las:
        return _refused(
            request,
            _("Emergency access"),
            _("Emergency access is for social workers, team managers and independent reviewing officers."),
        )
    form = BreakGlassForm(request.POST if request.method == "POST" else None, las=[(la.pk, la_name(la)) for la in las])
    already: int | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        child_id = queries.break_glass_child_id(user, data["la"], data["child_ref"])
        if child_id is not None and queries.can_see(user, child_id):
            already = child_id
        else:
            try:
                if child_id is None:
                    raise NotFound()
                grant = access.break_glass_request(
                    actor=user, child_id=child_id, reason=data["reason"], hours=data["hours"]
                )
            except NotFound:
                la = next((la for la in las if la.pk == data["la"]), None)
                services.break_glass_refused(actor=user, la=la, child_ref=data["child_ref"], child_id=child_id)
                form.add_error("child_ref", _(REFUSAL))
            except UserError as e:
                form.add_error(None, str(e))
            else:
                return redirect(f"{reverse('accessui:break_glass')}?granted={grant.pk}")
    granted = None
    wanted = request.GET.get("granted", "")
    if wanted.isdigit():
        granted = queries.my_grant(user, int(wanted))
    context = {
        "form": form,
        "errors": _summary(form),
        "already": already,
        "granted": granted,
        "grants": queries.my_active_grants(user),
        "max_hours": BREAK_GLASS_HOURS,
    }
    return render(request, "accessui/break_glass.html", context)


# --- reviews ---------------------------------------------------------------------------------------


def _review_form(grant: BreakGlassGrant, data: Any = None) -> ReviewForm:
    return ReviewForm(data, auto_id=f"id_g{grant.pk}_%s")


def _reviews_page(request: HttpRequest, failed: ReviewForm | None = None, failed_id: int | None = None) -> HttpResponse:
    user = _user(request)
    rows = [
        (g, failed if failed is not None and g.pk == failed_id else _review_form(g)) for g in queries.review_queue(user)
    ]
    context = {"rows": rows, "closed": queries.closed_reviews(user), "errors": _summary(failed)}
    return render(request, "accessui/reviews.html", context)


def _not_a_manager(request: HttpRequest) -> HttpResponse:
    return _refused(request, _("Emergency access reviews"), _("Emergency access is reviewed by team managers."))


@login_required
@require_GET
def reviews(request: HttpRequest) -> HttpResponse:
    """The grants awaiting the manager's review, each with its form, and recent closed reviews."""
    if not queries.manages_a_team(_user(request)):
        return _not_a_manager(request)
    return _reviews_page(request)


@login_required
@require_POST
def review(request: HttpRequest, grant_id: int) -> HttpResponse:
    user = _user(request)
    if not queries.manages_a_team(user):
        return _not_a_manager(request)
    try:
        grant = queries.queued_grant(user, grant_id)
    except NotFound:
        messages.info(request, _("This emergency access is not awaiting your review (it may have been closed)."))
        return redirect("accessui:reviews")
    form = _review_form(grant, request.POST)
    if form.is_valid():
        justified = form.cleaned_data["decision"] == "justified"
        try:
            access.break_glass_review(actor=user, grant=grant, justified=justified, note=form.cleaned_data["note"])
        except UserError as e:
            form.add_error(None, str(e))
        else:
            if justified:
                messages.success(request, _("The review is closed: justified."))
            else:
                messages.success(request, _("The review is closed: not justified. The access has ended."))
            return redirect("accessui:reviews")
    return _reviews_page(request, failed=form, failed_id=grant.pk)


# --- notifications ---------------------------------------------------------------------------------


@login_required
@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    items = queries.my_notifications(_user(request))
    unread = sum(1 for n in items if n.read_at is None)
    return render(request, "accessui/notifications.html", {"items": items, "unread": unread})


@login_required
@require_GET
def notification(request: HttpRequest, notification_id: int) -> HttpResponse:
    """One notification, marked read as it is opened."""
    user = _user(request)
    n = services.notification_mark_read(actor=user, notification=queries.my_notification(user, notification_id))
    grant = n.grant
    can_review = (
        grant is not None
        and grant.review == BreakGlassGrant.Review.PENDING
        and any(g.pk == grant.pk for g in queries.review_queue(user))
    )
    return render(request, "accessui/notification.html", {"n": n, "grant": grant, "can_review": can_review})


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_all_read(actor=_user(request))
    messages.success(request, _("All your notifications are marked as read."))
    return redirect("accessui:notifications")


# --- LA administration -----------------------------------------------------------------------------


def _not_an_admin(request: HttpRequest) -> HttpResponse:
    return _refused(
        request,
        _("Access administration"),
        _("These pages are for your local authority's administrators."),
    )


def la_admin_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The LA administration pages: refused, with a sentence, to anyone who administers no LA. (Which LA is
    checked by the queries: another LA's page is "not found".)"""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not queries.administered_las(_user(request)):
            return _not_an_admin(request)
        return view(request, *args, **kwargs)

    return wrapped


def _admin_context(request: HttpRequest, la_id: int, section: str) -> dict[str, Any]:
    la = queries.administered_la(_user(request), la_id)  # NotFound unless the actor administers it
    return {"la": la, "la_name": la_name(la), "section": section}


@login_required
@require_GET
def admin_index(request: HttpRequest) -> HttpResponse:
    las = queries.administered_las(_user(request))
    if not las:
        return _not_an_admin(request)
    return render(request, "accessui/admin_index.html", {"las": [(la, la_name(la)) for la in las]})


def _membership_form(request: HttpRequest, la_id: int, data: Any = None) -> MembershipForm:
    user = _user(request)
    return MembershipForm(
        data,
        users=[(u.pk, _person(u)) for u in queries.la_users(user, la_id)],
        teams=[(t.pk, t.name) for t in queries.la_teams(user, la_id)],
        agencies=[(a.pk, f"{a.name} ({agency_kind_label(a.kind)})") for a in queries.la_agencies(user, la_id)],
    )


@login_required
@GET_POST
@la_admin_only
def memberships(request: HttpRequest, la_id: int) -> HttpResponse:
    user = _user(request)
    context = _admin_context(request, la_id, "memberships")
    form = _membership_form(request, la_id, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        role = Role(data["role"])
        person = next(u for u in queries.la_users(user, la_id) if u.pk == data["user"])
        team = next((t for t in queries.la_teams(user, la_id) if t.pk == data["team"]), None)
        agency = next((a for a in queries.la_agencies(user, la_id) if a.pk == data["agency"]), None)
        try:
            access.membership_grant(
                actor=user,
                user=person,
                role=role,
                la=context["la"],
                team=team,
                agency=agency if role == Role.PARTNER else None,
                identifiable=bool(data["identifiable"]) and role == Role.PERFORMANCE_OFFICER,
            )
        except UserError as e:
            form.add_error(None, str(e))
        else:
            messages.success(
                request,
                _("%(person)s now holds the role %(role)s.") % {"person": _person(person), "role": role.label},
            )
            if auth.needs_two_factor(person) and not auth.has_device(person):
                messages.info(
                    request,
                    _(
                        "%(person)s needs two-factor authentication to sign in: issue them a set-up link "
                        "under Two-factor authentication."
                    )
                    % {"person": _person(person)},
                )
            return redirect("accessui:memberships", la_id=la_id)
    context |= {"form": form, "errors": _summary(form), "rows": queries.la_memberships(user, la_id)}
    return render(request, "accessui/memberships.html", context)


@login_required
@require_POST
@la_admin_only
def membership_revoke(request: HttpRequest, la_id: int, membership_id: int) -> HttpResponse:
    user = _user(request)
    m = queries.la_membership(user, la_id, membership_id)
    try:
        access.membership_revoke(actor=user, membership=m)
    except UserError as e:
        messages.error(request, str(e))
    else:
        messages.success(
            request,
            _("%(person)s no longer holds the role %(role)s.")
            % {"person": _person(m.user), "role": Role(m.role).label},
        )
    return redirect("accessui:memberships", la_id=la_id)


@login_required
@GET_POST
@la_admin_only
def agreements(request: HttpRequest, la_id: int) -> HttpResponse:
    user = _user(request)
    context = _admin_context(request, la_id, "agreements")
    form = AgreementForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            access.agreement_create(
                actor=user,
                la=context["la"],
                agency_kind=data["agency_kind"],
                purpose=data["purpose"].strip(),
                sections=data["sections"],
                starts_on=data["starts_on"],
                expires_on=data["expires_on"],
                signed_for_la_by=data["signed_for_la_by"].strip(),
                signed_for_agency_by=data["signed_for_agency_by"].strip(),
            )
        except UserError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("The information-sharing agreement has been recorded."))
            return redirect("accessui:agreements", la_id=la_id)
    rows = [(r, agency_kind_label(r.agreement.agency_kind)) for r in queries.la_agreements(user, la_id)]
    context |= {"form": form, "errors": _summary(form), "rows": rows}
    return render(request, "accessui/agreements.html", context)


def _end_form(involvement_id: int, data: Any = None) -> InvolvementEndForm:
    return InvolvementEndForm(data, initial={"ended_on": today()}, auto_id=f"id_i{involvement_id}_%s")


def _involvements_page(
    request: HttpRequest,
    la_id: int,
    form: InvolvementStartForm | None = None,
    failed: InvolvementEndForm | None = None,
    failed_id: int | None = None,
) -> HttpResponse:
    user = _user(request)
    context = _admin_context(request, la_id, "involvements")
    agencies = [(a.pk, f"{a.name} ({agency_kind_label(a.kind)})") for a in queries.la_agencies(user, la_id)]
    if form is None:
        form = InvolvementStartForm(initial={"started_on": today()}, agencies=agencies)
    rows = [
        (i, None if i.ended_on else (failed if failed is not None and i.pk == failed_id else _end_form(i.pk)))
        for i in queries.la_involvements(user, la_id)
    ]
    context |= {"form": form, "rows": rows, "errors": _summary(form, failed)}
    return render(request, "accessui/involvements.html", context)


@login_required
@GET_POST
@la_admin_only
def involvements(request: HttpRequest, la_id: int) -> HttpResponse:
    user = _user(request)
    if request.method != "POST":
        return _involvements_page(request, la_id)
    agencies = queries.la_agencies(user, la_id)
    form = InvolvementStartForm(
        request.POST, agencies=[(a.pk, f"{a.name} ({agency_kind_label(a.kind)})") for a in agencies]
    )
    if form.is_valid():
        data = form.cleaned_data
        child = queries.la_child(user, la_id, data["child_ref"])
        if child is None:
            form.add_error("child_ref", _("There is no child with this identifier in your local authority."))
        else:
            try:
                access.involvement_start(
                    actor=user,
                    child=child,
                    agency=next(a for a in agencies if a.pk == data["agency"]),
                    started_on=data["started_on"],
                    reason=data["reason"].strip(),
                )
            except UserError as e:
                form.add_error(None, str(e))
            else:
                messages.success(
                    request, _("The involvement with child %(child)s is recorded.") % {"child": child.child_ref}
                )
                return redirect("accessui:involvements", la_id=la_id)
    return _involvements_page(request, la_id, form=form)


@login_required
@require_POST
@la_admin_only
def involvement_end(request: HttpRequest, la_id: int, involvement_id: int) -> HttpResponse:
    user = _user(request)
    inv = queries.la_involvement(user, la_id, involvement_id)
    form = _end_form(inv.pk, request.POST)
    if form.is_valid():
        try:
            access.involvement_end(actor=user, involvement=inv, ended_on=form.cleaned_data["ended_on"])
        except UserError as e:
            form.add_error("ended_on", str(e))
        else:
            messages.success(
                request, _("The involvement with child %(child)s has ended.") % {"child": inv.child.child_ref}
            )
            return redirect("accessui:involvements", la_id=la_id)
    return _involvements_page(request, la_id, failed=form, failed_id=inv.pk)


@login_required
@GET_POST
@la_admin_only
def seals(request: HttpRequest, la_id: int) -> HttpResponse:
    user = _user(request)
    context = _admin_context(request, la_id, "seals")
    people = queries.la_users(user, la_id)
    form = SealForm(request.POST if request.method == "POST" else None, users=[(u.pk, _person(u)) for u in people])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        child = queries.la_child(user, la_id, data["child_ref"])
        if child is None:
            form.add_error("child_ref", _("There is no child with this identifier in your local authority."))
        else:
            try:
                access.record_seal(
                    actor=user,
                    child=child,
                    reason=data["reason"],
                    named_users=[u for u in people if u.pk in set(data["named_users"])],
                    note=data["note"].strip(),
                )
            except UserError as e:
                form.add_error(None, str(e))
            else:
                messages.success(request, _("The record of child %(child)s is sealed.") % {"child": child.child_ref})
                return redirect("accessui:seals", la_id=la_id)
    context |= {"form": form, "errors": _summary(form), "rows": queries.la_seals(user, la_id)}
    return render(request, "accessui/seals.html", context)


@login_required
@require_POST
@la_admin_only
def unseal(request: HttpRequest, la_id: int, seal_id: int) -> HttpResponse:
    user = _user(request)
    seal = queries.la_seal(user, la_id, seal_id)
    access.record_unseal(actor=user, child=seal.child)
    messages.success(request, _("The record of child %(child)s is no longer sealed.") % {"child": seal.child.child_ref})
    return redirect("accessui:seals", la_id=la_id)


# --- two-factor ------------------------------------------------------------------------------------


@login_required
@require_GET
@la_admin_only
def two_factor(request: HttpRequest, la_id: int) -> HttpResponse:
    """Everyone of the LA and the state of their two-factor set-up, each linked to their page."""
    context = _admin_context(request, la_id, "two_factor")
    context["rows"] = queries.la_two_factor(_user(request), la_id)
    return render(request, "accessui/two_factor.html", context)


@login_required
@GET_POST
@la_admin_only
def two_factor_person(request: HttpRequest, la_id: int, user_id: int) -> HttpResponse:
    """One person's two-factor: issue a one-time set-up link, or reset (with a reason) after a lost phone.

    The link is shown once, in the answer to the POST that made it: only its hash is stored.
    """
    user = _user(request)
    context = _admin_context(request, la_id, "two_factor")
    person = queries.la_person(user, la_id, user_id)  # NotFound unless a person of this LA
    form = TwoFactorResetForm(request.POST if request.POST.get("action") == "reset" else None)
    issued: IssuedLink | None = None
    problem = ""
    if request.method == "POST":
        try:
            if request.POST.get("action") == "reset":
                if form.is_valid():
                    issued = auth.two_factor_reset(
                        actor=user, user=person, la=context["la"], reason=form.cleaned_data["reason"]
                    )
            else:
                issued = auth.setup_link_issue(actor=user, user=person, la=context["la"])
        except UserError as e:  # not allowed (one's own, a system administrator), or nothing to do
            problem = str(e)
    context |= {
        "person": person,
        "person_label": _person(person),
        "row": queries.two_factor_row(user, la_id, person.pk),
        "is_self": person.pk == user.pk,
        "form": form,
        "errors": [("#main", problem)] if problem else _summary(form),
        "issued": issued,
        "link": request.build_absolute_uri(reverse("login-setup-link", args=[issued.token])) if issued else "",
        "reset": issued is not None and request.POST.get("action") == "reset",
    }
    return render(request, "accessui/two_factor_person.html", context)
