"""Regions (GB/T 2260 administrative divisions) and the agencies that publish reports."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Substr

region_code_validator = RegexValidator(
    r"^\d{6}(\d{3})?$",
    "区划代码应为 6 位数字（GB/T 2260）；乡镇街道可用 9 位数字。",
)
credit_code_validator = RegexValidator(
    r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$",
    "统一社会信用代码应为 18 位（数字与大写字母，不含 I、O、S、V、Z）。",
)


class Region(models.Model):
    """An administrative division: province, city, county or township."""

    class Level(models.TextChoices):
        PROVINCE = "province", "省"
        CITY = "city", "市"
        COUNTY = "county", "县"
        TOWNSHIP = "township", "乡"

    code = models.CharField(
        "区划代码", max_length=9, unique=True, validators=[region_code_validator]
    )
    name = models.CharField("名称", max_length=100)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级区划",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    # "/320000/320800/320813/": subtree filters become one indexed prefix match.
    path = models.CharField("路径", max_length=255, editable=False, db_index=False)

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]
        indexes = [
            # Subtree filters: path LIKE '/320000/320800/%' (region filter, scopes).
            models.Index(
                fields=["path"],
                name="agencies_region_path_idx",
                opclasses=["varchar_pattern_ops"],
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("id")), name="agencies_region_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    def save(self, *args, **kwargs) -> None:
        # The path is derived data the subtree queries depend on, so it is kept right on
        # every write, including a move, together with the descendants' paths.
        old_path = self.path
        self.path = self.compute_path()
        with transaction.atomic():
            super().save(*args, **kwargs)
            if old_path and old_path != self.path:
                Region.objects.filter(path__startswith=old_path).exclude(
                    pk=self.pk
                ).update(
                    path=Concat(Value(self.path), Substr("path", len(old_path) + 1))
                )

    def compute_path(self) -> str:
        prefix = self.parent.path if self.parent is not None else "/"
        return f"{prefix}{self.code}/"


class Agency(models.Model):
    """An administrative agency that publishes an annual report."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", "人民政府"
        GENERAL_OFFICE = "general_office", "政府办公厅(室)"
        DEPARTMENT = "department", "政府工作部门"
        TOWNSHIP = "township", "乡镇人民政府/街道办事处"
        OTHER = "other", "其他"

    name = models.CharField("机关名称", max_length=200)
    region = models.ForeignKey(
        Region,
        verbose_name="所属区划",
        on_delete=models.PROTECT,
        related_name="agencies",
    )
    kind = models.CharField("机关类别", max_length=20, choices=Kind.choices)
    sector = models.CharField(
        "领域", max_length=50, blank=True, help_text="如：卫生健康"
    )
    # NULL, not "", when absent: the unique constraint must ignore agencies without one.
    credit_code = models.CharField(  # noqa: DJ001
        "统一社会信用代码",
        max_length=18,
        blank=True,
        null=True,
        validators=[credit_code_validator],
    )
    active_from = models.PositiveSmallIntegerField(
        "起始年度",
        null=True,
        blank=True,
        help_text="从哪一年度起应报送年报；空表示一直",
    )
    active_until = models.PositiveSmallIntegerField(
        "终止年度",
        null=True,
        blank=True,
        help_text="撤销或合并后的最后年度；空表示仍在",
    )

    class Meta:
        verbose_name = "机关"
        verbose_name_plural = "机关"
        ordering = ["region__code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"], name="agencies_agency_unique_name_in_region"
            ),
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=Q(credit_code__isnull=False) & ~Q(credit_code=""),
                name="agencies_agency_unique_credit_code",
            ),
            models.CheckConstraint(
                condition=Q(active_from__isnull=True)
                | Q(active_until__isnull=True)
                | Q(active_from__lte=F("active_until")),
                name="agencies_agency_active_years_ordered",
            ),
        ]
        indexes = [
            # Matching report titles to the registry: exact name look-ups.
            models.Index(fields=["name"], name="agencies_agency_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # An empty string would collide with other empty strings under the unique constraint.
        if self.credit_code == "":
            self.credit_code = None
        super().save(*args, **kwargs)

    def is_active_in(self, year: int) -> bool:
        """Whether the agency was due to report for `year`."""
        return (self.active_from is None or self.active_from <= year) and (
            self.active_until is None or year <= self.active_until
        )


class AgencyAlias(models.Model):
    """Another name an agency goes by in report titles (e.g. without the city prefix)."""

    agency = models.ForeignKey(
        Agency, verbose_name="机关", on_delete=models.CASCADE, related_name="aliases"
    )
    name = models.CharField("别名", max_length=200)

    class Meta:
        verbose_name = "机关别名"
        verbose_name_plural = "机关别名"
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "name"], name="agencies_agencyalias_unique_per_agency"
            ),
        ]
        indexes = [
            # Matching report titles to the registry: alias look-ups by exact name.
            models.Index(fields=["name"], name="agencies_agencyalias_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's role and where it applies: the province, a city's subtree, or one agency."""

    class Role(models.TextChoices):
        PROVINCE_ADMIN = "province_admin", "省级管理员"
        CITY_REVIEWER = "city_reviewer", "市级审核员"
        AGENCY_FILER = "agency_filer", "填报单位"

    user = models.OneToOneField(
        "auth.User",
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="membership",
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        Region,
        verbose_name="管辖区划",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text="市级审核员：所辖市（含下级）；省级管理员可留空表示全部",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name="所属机关",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text="填报单位：本机关",
    )

    class Meta:
        verbose_name = "用户角色"
        verbose_name_plural = "用户角色"
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="city_reviewer") | Q(region__isnull=False),
                name="agencies_membership_reviewer_has_region",
            ),
            models.CheckConstraint(
                condition=~Q(role="agency_filer") | Q(agency__isnull=False),
                name="agencies_membership_filer_has_agency",
            ),
        ]

    def __str__(self) -> str:
        where = self.agency or self.region or "全部"
        return f"{self.user}：{self.get_role_display()}（{where}）"
