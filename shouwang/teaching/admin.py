"""The college's settings of teaching: the times of its periods (节次) and the
criteria supervisors rate lessons on."""

from django.contrib import admin

from .models import Criterion, Period


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ("number", "starts", "ends")


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ("name", "order")
