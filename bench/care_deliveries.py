"""Benchmark: a day's meal deliveries for 2,000 isolations and every team's route list.

    .venv/bin/python bench/care_deliveries.py [--isolations 2000] [--smoke]

Sets up a throwaway database (SQLite in a temporary folder, or DATABASE_URL,
which must name an empty PostgreSQL database) with --isolations students, each
isolated in a dorm room of their own across 20 buildings of 10 floors, a meal
plan of three slots and one volunteer team per building. Then times:

1. `care.actions.generate_deliveries` for the day: one delivery per isolation
   per slot (6,000 for 2,000 isolations), and the same call again, which must
   make nothing new;
2. every team's route list, as a member of the team opens it on the phone
   (`GET /care/routes/` through the Django test client, rendered);

Target for 2,000 isolations: generation plus all route lists under 2 s.
--smoke runs 200 isolations and checks every count: CI runs it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path

from _common import build_university, loadavg, machine, report, setup_django

BUILDINGS = 20
FLOORS = 10
TARGET_S = 2.0
DAY = dt.date(2022, 4, 15)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--isolations", type=int, default=2000)
    parser.add_argument("--smoke", action="store_true", help="200 isolations; every count checked")
    args = parser.parse_args()
    if args.smoke:
        args.isolations = 200

    with tempfile.TemporaryDirectory(prefix="shouwang-care-") as tmp:
        setup_django(Path(tmp))
        from django.core.management import call_command
        from django.db import connection, transaction
        from django.test import Client
        from django.urls import reverse

        from shouwang.accounts.models import User
        from shouwang.care import actions
        from shouwang.care.models import BuildingTeam, Isolation, MealDelivery, MealSlot
        from shouwang.lib.clock import beijing
        from shouwang.people.models import DormRoom, Person
        from shouwang.volunteers.models import Membership, Team

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        with transaction.atomic():
            build_university(args.isolations)
            students = list(Person.objects.filter(kind=Person.Kind.STUDENT).order_by("pk"))
            per_building = -(-len(students) // BUILDINGS)
            per_floor = -(-per_building // FLOORS)
            rooms = DormRoom.objects.bulk_create(
                [
                    DormRoom(
                        building=f"{n // per_building + 1}号楼",
                        number=f"{(n % per_building) // per_floor + 1}{n % per_floor + 1:02d}",
                    )
                    for n in range(len(students))
                ],
                batch_size=2000,
            )
            start = beijing(2022, 4, 14, 8)
            Isolation.objects.bulk_create(
                [
                    Isolation(
                        person=person,
                        dorm_room=room,
                        reason="密切接触",
                        dietary_note="清真" if n % 10 == 0 else "",
                        started_at=start,
                        planned_end=DAY + dt.timedelta(days=6),
                    )
                    for n, (person, room) in enumerate(zip(students, rooms, strict=True))
                ],
                batch_size=2000,
            )
            for name, hour in (("早餐", 7), ("午餐", 11), ("晚餐", 17)):
                MealSlot.objects.create(name=name, time=dt.time(hour, 30))
            members = []
            for building in sorted({room.building for room in rooms}):
                team = Team.objects.create(name=f"{building}送餐队", kind=Team.Kind.BRIGADE)
                BuildingTeam.objects.create(building=building, team=team)
                lead = Person.objects.create(
                    number=f"V{team.pk:05d}", name=f"志愿者{team.pk}", kind="student"
                )
                Membership.objects.create(team=team, person=lead, is_lead=True)
                members.append(
                    User.objects.create(
                        username=lead.number, person=lead, must_change_password=False
                    )
                )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        setup_s = time.perf_counter() - started
        print(f"{args.isolations} isolations in {BUILDINGS} buildings, set up in {setup_s:.1f} s")
        print(f"{machine()}; load average {loadavg()}")

        started = time.perf_counter()
        made = actions.generate_deliveries(DAY)
        generate_s = time.perf_counter() - started
        started = time.perf_counter()
        again = actions.generate_deliveries(DAY)
        again_s = time.perf_counter() - started

        clients = []
        for user in members:
            client = Client()
            client.force_login(user)
            clients.append(client)
        stops = 0
        started = time.perf_counter()
        for client in clients:
            response = client.get(reverse("care:routes"), {"date": DAY.isoformat()})
            if response.status_code != 200:
                raise SystemExit(f"route list: {response.status_code}")
            stops += response.content.count(b'data-testid="stop"')
        routes_s = time.perf_counter() - started

        report("generate the day's deliveries", generate_s, f"{made} deliveries")
        report("generate again (nothing new)", again_s, f"{again} new")
        report(f"all {len(clients)} route lists (rendered)", routes_s, f"{stops} stops")
        total = generate_s + routes_s
        report("generation + route lists", total)

        if args.smoke:
            wanted = args.isolations * 3
            checks = {
                "deliveries made": (made, wanted),
                "deliveries stored": (MealDelivery.objects.filter(date=DAY).count(), wanted),
                "made again": (again, 0),
                "stops on the route lists": (stops, wanted),
            }
            wrong = {name: pair for name, pair in checks.items() if pair[0] != pair[1]}
            if wrong:
                raise SystemExit(f"wrong counts (got, wanted): {wrong}")
            print("smoke: every count is right")
        elif args.isolations == 2000:
            verdict = "met" if total < TARGET_S else "NOT met"
            print(f"target: under {TARGET_S:.0f} s ({connection.vendor}): {total:.2f} s, {verdict}")


if __name__ == "__main__":
    main()
