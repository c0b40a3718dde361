"""The objects the access matrix's employer and position rules name, in the
personas' college with its graduating cohort (tests/base.py: the student
persona, 张三, is a graduate seeking work):

- `employer` (with a contact phone) and its `position`, from `make_careers`;
- `office_import`, an employer list the employment office uploaded (only the
  office and admins see it), and `leader_import`, one the leader persona
  uploaded, already committed."""

from __future__ import annotations

from shouwang.careers.models import Employer, EmployerImport

from .base import make_careers


def make(case) -> None:
    if getattr(case, "office_import", None) is not None:
        return
    if getattr(case, "graduate_a", None) is None:
        make_careers(case)
    Employer.objects.filter(pk=case.employer.pk).update(
        contact_name="王经理", contact_phone="13912340000", contact_email="hr@example.com"
    )
    case.employer.refresh_from_db()
    case.office_import = EmployerImport.objects.create(
        filename="招聘单位.xlsx", uploaded_by=case.office, status=EmployerImport.Status.CHECKED
    )
    case.leader_import = EmployerImport.objects.create(
        filename="双选会单位.xlsx",
        uploaded_by=case.leader,
        status=EmployerImport.Status.COMMITTED,
    )
