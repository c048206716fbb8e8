"""Looked-after children: SSDA903 episodes and looked-after reviews.

Dataset tables: ``episodes`` → :class:`Episode`; ``lac_reviews`` →
:class:`LookedAfterReview`. An episode carries legal status, placement,
provider and reasons exactly as SSDA903 codes them.

A child's episodes must not overlap. A portable database constraint cannot
say so (an exclusion constraint is PostgreSQL-only), so: the partial unique
constraint allows one *open* episode per child; :meth:`Episode.clean` and
the dataset import refuse overlaps.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from diogel.dataset import schema

from .base import EditableRecord, code_field, in_order
from .organisation import LocalAuthority
from .people import Child


class Episode(EditableRecord):
    """An episode of being looked after, from ``decom`` to ``dec`` (blank while open)."""

    la = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="episodes")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="episodes")
    decom = models.DateField("began (DECOM)", null=True, blank=True)
    rne = code_field(schema.RNE, "reason for new episode (RNE)")
    legal_status = code_field(schema.LEGAL_STATUS, "legal status (LS)")
    cin = code_field(schema.PRIMARY_NEED, "category of need (CIN)")
    placement = code_field(schema.PLACEMENT, "placement type (PLACE)")
    place_provider = code_field(schema.PLACE_PROVIDER, "placement provider (PLACE_PROVIDER)")
    dec = models.DateField("ceased (DEC)", null=True, blank=True)
    rec = code_field(schema.REASON_EPISODE_CEASED, "reason ceased (REC)")
    reason_place_change = code_field(schema.REASON_PLACE_CHANGE, "reason for placement change (REASON_PLACE_CHANGE)")
    home_post = models.CharField("home postcode, partial (HOME_POST)", max_length=10, blank=True, default="")
    pl_post = models.CharField("placement postcode, partial (PL_POST)", max_length=10, blank=True, default="")
    urn = models.CharField("placement URN (URN)", max_length=20, blank=True, default="")

    class Meta:
        ordering = ("la", "child", "decom")
        constraints = (
            in_order("dec", "decom", "cases_episode_ceased_after_began"),
            models.UniqueConstraint(
                fields=["child"], condition=Q(dec__isnull=True), name="cases_episode_one_open_per_child"
            ),
        )

    def clean(self) -> None:
        """Refuse an episode that overlaps another episode of the same child.

        Two episodes overlap unless one ceases on or before the day the other
        begins (a same-day change is a new episode starting on the old DEC).
        """
        super().clean()
        if self.child_id is None or self.decom is None:
            return
        others = Episode.objects.filter(child_id=self.child_id).exclude(pk=self.pk)
        # Another episode overlaps when it begins before this one ceases and ceases after this one begins.
        if self.dec is not None:
            others = others.filter(decom__lt=self.dec)
        overlapping = others.filter(Q(dec__isnull=True) | Q(dec__gt=self.decom)).order_by("decom").first()
        if overlapping is not None:
            raise ValidationError(
                f"This episode overlaps the child's episode that began on {overlapping.decom}.", code="overlap"
            )


class LookedAfterReview(EditableRecord):
    """A review of a looked-after child and the child's participation (``lac_reviews``)."""

    la = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="lac_reviews")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="lac_reviews")
    review_date = models.DateField("held (REVIEW_DATE)", null=True, blank=True)
    participation = code_field(schema.REVIEW_CODE, "participation (REVIEW_CODE)")

    class Meta:
        verbose_name = "looked-after review"
