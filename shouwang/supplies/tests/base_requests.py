"""The requests tests' college: the supplies test college with stock in the
store (48 bottles of sanitizer, 100 suits, 2 boxes of noodles), and helpers
that fill in the request, decision and issue forms as a person would."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import reverse

from shouwang.accounts.models import User
from shouwang.notify.models import Message
from shouwang.supplies import actions
from shouwang.supplies.models import Item, Store, SupplyRequest

from .base import SuppliesTestCase


def line_data(lines: list[tuple[Item, str, str]], extra: int = 1) -> dict[str, Any]:
    """The line formset's POST data: (item, quantity, unit) rows and `extra` blank ones."""
    data: dict[str, Any] = {
        "lines-TOTAL_FORMS": str(len(lines) + extra),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "30",
    }
    for index, (item, quantity, unit) in enumerate(lines):
        data[f"lines-{index}-item"] = str(item.pk)
        data[f"lines-{index}-quantity"] = quantity
        data[f"lines-{index}-unit"] = unit
    return data


class RequestsTestCase(SuppliesTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for item, quantity in ((cls.sanitizer, 48), (cls.suits, 100), (cls.noodles, 48)):
            actions.receive(
                cls.store, item, Decimal(quantity), source="采购", acting_user=cls.keeper
            )

    def ask(self, user: User, lines: list[tuple[Item, str, str]], **fields: Any):
        """Fill in and send the request form as `user`."""
        self.login(user)
        data = {"for_whom": "self", "purpose": "宿舍消杀", **fields, **line_data(lines)}
        return self.client.post(reverse("supplies:request_new"), data)

    def last_request(self) -> SupplyRequest:
        return SupplyRequest.objects.order_by("-pk").first()  # type: ignore[return-value]

    def decide(
        self,
        user: User,
        request: SupplyRequest,
        approved: dict[Item, tuple[str, str]],
        *,
        note: str = "",
        refuse: bool = False,
    ):
        """Fill in the decision form as `user`: per item, (quantity, unit) approved."""
        self.login(user)
        data: dict[str, Any] = {"note": note}
        for line in request.lines.select_related("item"):
            quantity, unit = approved.get(line.item, ("0", line.item.base_unit))
            data[f"approved_{line.pk}"] = quantity
            data[f"unit_{line.pk}"] = unit
        data["refuse" if refuse else "approve"] = "1"
        return self.client.post(reverse("supplies:request_decide", args=[request.pk]), data)

    def issue(
        self,
        user: User,
        request: SupplyRequest,
        store: Store,
        batches: dict[Item, Any] | None = None,
    ):
        """Fill in the issue form as `user`: the store and, per item, a batch's stock row."""
        self.login(user)
        data: dict[str, Any] = {"store": str(store.pk)}
        for line in request.lines.select_related("item"):
            stock = (batches or {}).get(line.item)
            data[f"batch_{line.pk}"] = str(stock.pk) if stock else ""
        return self.client.post(reverse("supplies:request_issue", args=[request.pk]), data)

    def messages_to(self, person) -> list[str]:
        return list(
            Message.objects.filter(recipient=person, kind="supplies")
            .order_by("pk")
            .values_list("title", flat=True)
        )
