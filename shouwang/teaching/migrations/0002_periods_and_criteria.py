"""The periods of a college's day and the criteria of an observation, as most
colleges set them; an admin changes them in the Django admin."""

import datetime as dt

from django.db import migrations

# 第1节 08:00–08:45 … 第11节 21:20–22:05: 45-minute periods, a 10-minute break,
# and a longer break mid-morning, at noon and at dinner.
PERIODS = [
    (1, "08:00", "08:45"),
    (2, "08:55", "09:40"),
    (3, "10:10", "10:55"),
    (4, "11:05", "11:50"),
    (5, "14:30", "15:15"),
    (6, "15:25", "16:10"),
    (7, "16:30", "17:15"),
    (8, "17:25", "18:10"),
    (9, "19:30", "20:15"),
    (10, "20:25", "21:10"),
    (11, "21:20", "22:05"),
]
CRITERIA = ["教学准备", "教学内容", "教学方法与平台运用", "课堂互动与管理", "教学效果"]


def defaults(apps, schema_editor):
    Period = apps.get_model("teaching", "Period")
    Criterion = apps.get_model("teaching", "Criterion")
    for number, starts, ends in PERIODS:
        Period.objects.get_or_create(
            number=number,
            defaults={
                "starts": dt.time.fromisoformat(starts),
                "ends": dt.time.fromisoformat(ends),
            },
        )
    for order, name in enumerate(CRITERIA, start=1):
        Criterion.objects.get_or_create(name=name, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [("teaching", "0001_initial")]

    operations = [migrations.RunPython(defaults, migrations.RunPython.noop)]
