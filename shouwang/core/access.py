"""Which background jobs each user sees: the ones they started, nobody else's.

A job's subject (a roster import, a password issue) has its own page and its
own rules for who sees it; the job's page is its starter's alone."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from .models import BackgroundJob

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser


def jobs_for_user(user: AbstractBaseUser | AnonymousUser) -> QuerySet[BackgroundJob]:
    if not user.is_authenticated:
        return BackgroundJob.objects.none()
    return BackgroundJob.objects.filter(started_by_id=user.pk)


def get_job_for_user(request: HttpRequest, pk: int) -> BackgroundJob:
    return get_object_or_404(jobs_for_user(request.user), pk=pk)
