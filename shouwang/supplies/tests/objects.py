"""The objects the access matrix's supplies rules name, in the personas' college
(whose stores the leader persona runs; no persona keeps a store):

- `supply_store`, the college's store, holding the seed's catalogue;
- `supply_donation`, received there: student_a's (the student persona's) gift
  of 免洗手消毒液, named in public; `supply_pledge`, an outside company's
  pledge not yet counted in;
- `supply_request`, the student persona's own request, issued on
  `supply_slip`; `supply_open_request`, counsellor_b's, submitted for class B's team;
- `supply_stocktake`, a count of the store."""

from __future__ import annotations

from decimal import Decimal

from shouwang.supplies import actions
from shouwang.supplies.models import Donor, Store

from .base import make_catalogue


def make(case) -> None:
    if getattr(case, "supply_store", None) is not None:
        return
    make_catalogue(case)
    case.supply_store = store = Store.objects.create(
        name="学院物资仓库", kind=Store.Kind.WAREHOUSE, unit=case.college
    )
    case.supply_item = case.sanitizer
    donation = actions.pledge(
        actions.donor_for(case.student_a),
        [actions.Pledge(case.sanitizer, Decimal(1), "箱")],
        unit=case.college,
        acting_user=case.leader,
    )
    line = donation.lines.get()
    case.supply_donation = actions.receive_donation(
        donation, store, {line.pk: actions.Count(Decimal(24))}, acting_user=case.leader
    )
    case.supply_batch = line.batches.get()
    company = actions.save_donor(
        Donor(kind=Donor.Kind.COMPANY, name="某某科技有限公司", contact_phone="13800000000"),
        acting_user=case.leader,
    )
    case.supply_pledge = actions.pledge(
        company,
        [actions.Pledge(case.suits, Decimal(50))],
        unit=case.college,
        acting_user=case.leader,
    )
    request = actions.submit_request(
        case.student_a,
        [actions.Asked(case.sanitizer, Decimal(2))],
        purpose="宿舍消杀",
        for_person=case.student_a,
        acting_user=case.student,
    )
    actions.decide_request(request, {request.lines.get().pk: Decimal(2)}, acting_user=case.leader)
    case.supply_slip = actions.issue(request, store, acting_user=case.leader)
    case.supply_request = request
    case.supply_open_request = actions.submit_request(
        case.counsellor_b,
        [actions.Asked(case.suits, Decimal(2))],
        purpose="楼栋值守",
        for_unit=case.college,
        acting_user=case.counsellor_b_user,
    )
    case.supply_stocktake = actions.record_stocktake(
        store, {case.supply_batch: Decimal(22)}, acting_user=case.leader
    )
