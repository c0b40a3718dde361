"""The objects the access matrix's graduate rules name, in the personas'
college with its 2024 cohort (see `base.make_careers`): student_a (the
student persona, class A, counsellor_a's) and 王六 (class B, counsellor_b's)
are graduates; `careers_report` is student_a's report of an employment
agreement, waiting for counsellor_a, with its evidence `careers_evidence`."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from shouwang.careers import actions
from shouwang.careers.models import Destination

from .base import make_careers

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def agreement(name: str = "就业协议书.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def make(case) -> None:
    if getattr(case, "careers_report", None) is not None:
        return
    if getattr(case, "graduate_a", None) is None:
        make_careers(case)
    case.careers_report = actions.report_destination(
        case.graduate_a,
        Destination.AGREEMENT,
        organisation="太原软件科技有限公司",
        city="太原",
        files=[agreement()],
        acting_user=case.student,
    )
    case.careers_evidence = case.careers_report.evidence.get()
