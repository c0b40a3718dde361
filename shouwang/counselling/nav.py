from django.utils.translation import gettext_lazy as _

from shouwang.core.nav import CARE, Entry, register

from .access import uses_referrals

register(Entry(CARE, _("Referrals"), "counselling:referral_list", uses_referrals, order=60))
