"""Django admin: reference data (LAs, teams, partner agencies, workers) is editable; case records are read-only.

Case records are changed only through services (which check permissions and
write the audit trail), never directly in the admin.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from . import models


@admin.register(models.LocalAuthority)
class LocalAuthorityAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "name_cy")
    search_fields = ("code", "name_en", "name_cy")
    readonly_fields = ("created_at", "updated_at", "version")


@admin.register(models.Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "la", "active")
    list_filter = ("la", "active")
    search_fields = ("name",)
    readonly_fields = ("created_at", "updated_at", "version")


@admin.register(models.PartnerAgency)
class PartnerAgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "la")
    list_filter = ("kind",)
    search_fields = ("name",)
    readonly_fields = ("created_at", "updated_at", "version")


@admin.register(models.Worker)
class WorkerAdmin(admin.ModelAdmin):
    list_display = ("worker_ref", "name", "la", "team", "active")
    list_filter = ("la", "active")
    search_fields = ("worker_ref", "name")
    raw_id_fields = ("user", "team")
    readonly_fields = ("created_at", "updated_at", "version")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Lets staff look at case records; every change goes through the services."""

    list_per_page = 50

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


for _model in (
    models.Child,
    models.Person,
    models.FamilyRelationship,
    models.Address,
    models.Referral,
    models.Assessment,
    models.StrategyDiscussion,
    models.Section47Enquiry,
    models.Conference,
    models.ConferenceSubject,
    models.ConferenceInvitation,
    models.Registration,
    models.CoreGroupMeeting,
    models.CPReview,
    models.Episode,
    models.LookedAfterReview,
    models.CarePlan,
    models.Allocation,
    models.Visit,
    models.SchoolChange,
    models.EducationOutcome,
    models.CareLeaverContact,
    models.FeedbackAnswer,
    models.PopulationEstimate,
):
    admin.site.register(_model, ReadOnlyAdmin)
