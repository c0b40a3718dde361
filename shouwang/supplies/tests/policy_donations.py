"""Donors and donations. The donor register is for leaders, admins and store
keepers (404 for anyone else's view of a donor, 403 for its lists and
forms). A donation is seen by those who run its college's supplies and by
its donor: the student persona gave `supply_donation`, and may open it, its
photos and its thank-you letter, but runs nothing of it (403). The others
do not see it (404)."""

import io

from django.core.files.base import ContentFile
from PIL import Image

from shouwang.policy import MANAGERS_ONLY, Rule, expect
from shouwang.supplies.models import DonationPhoto

from .objects import make


def make_objects(case) -> None:
    make(case)
    if getattr(case, "supply_photo", None) is not None:
        return
    case.supply_donor = case.supply_pledge.donor
    out = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 40, 40)).save(out, "PNG")
    case.supply_photo = DonationPhoto(donation=case.supply_donation, name="到货.png")
    case.supply_photo.file.save("到货.png", ContentFile(out.getvalue()), save=True)


# The register's pages: leaders and admins (no persona keeps a store).
REGISTER = expect(404, leader=200, admin=200)
# The student persona's own gift: theirs to see, the college's to run.
GIFT = expect(404, student=200, leader=200, admin=200)
RUN_GIFT = expect(404, student=403, leader=302, admin=302)
# An outside company's pledge: the college's alone.
PLEDGE = expect(404, leader=200, admin=200)
RUN_PLEDGE = expect(404, leader=302, admin=302)


def _photo(case, persona):
    return [case.supply_donation.pk, case.supply_photo.pk]


RULES = [
    Rule("supplies:donor_list", MANAGERS_ONLY),
    Rule("supplies:donor_new", MANAGERS_ONLY),
    Rule("supplies:donor_detail", REGISTER, target="supply_donor"),
    # Opening the form shows the contact in full: a recorded read.
    Rule("supplies:donor_edit", REGISTER, target="supply_donor"),
    Rule(
        "supplies:donor_contact",
        REGISTER,
        method="post",
        target="supply_donor",
        data={"reason": "核对捐赠物资到货时间"},
    ),
    # Everyone lists the donations they may see: a student their own gifts.
    Rule("supplies:donation_list", expect(200)),
    Rule("supplies:donation_new", MANAGERS_ONLY),
    Rule("supplies:donation_detail", GIFT, target="supply_donation"),
    Rule("supplies:donation_detail", PLEDGE, target="supply_pledge"),
    Rule("supplies:donation_receive", PLEDGE, target="supply_pledge"),
    # Counted in already: back to its page with the reason.
    Rule("supplies:donation_receive", RUN_GIFT, target="supply_donation"),
    Rule(
        "supplies:donation_cancel",
        RUN_PLEDGE,
        method="post",
        target="supply_pledge",
        data={"reason": "捐赠方取消"},
    ),
    # Not a pledge any more: refused with a message.
    Rule("supplies:donation_cancel", RUN_GIFT, method="post", target="supply_donation"),
    # No photo chosen: back to the page with the reason.
    Rule("supplies:donation_photo_add", RUN_GIFT, method="post", target="supply_donation"),
    Rule("supplies:donation_photo", GIFT, target=_photo),
    Rule("supplies:donation_certificate", GIFT, target="supply_donation"),
    # A pledge has no letter yet.
    Rule("supplies:donation_certificate", expect(404), target="supply_pledge"),
    Rule("supplies:donation_publish", RUN_GIFT, method="post", target="supply_donation"),
]
