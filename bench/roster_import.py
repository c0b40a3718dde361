"""Benchmark: roster import of a generated registrar export (dry run, then commit).

    .venv/bin/python bench/roster_import.py [--rows 30000] [--smoke]

Builds a throwaway SQLite database in a temporary folder (or uses DATABASE_URL,
which must name an empty database), writes an .xlsx roster as registrars send
it (title row, Chinese headers, numbers as floats, phones with +86 and dashes,
short political statuses, a few bad rows, a footer), then times
`import_roster FILE` and `import_roster FILE --commit`, and a second commit of
the same file, which must change nothing. --smoke runs 500 rows and checks the
outcome: CI runs it. The full run fails if the two timed steps together take
longer than the target. BENCH_VERBOSE=1 prints the dry run's row errors.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import re
import sys
import tempfile
import time
from pathlib import Path

from _common import machine

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 15.0
STUDENTS_PER_CLASS = 40
CLASSES_PER_COUNSELLOR = 4

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彩春菊兰凤洁"
    "梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦"
    "黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪"
    "澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽"
    "浩宇轩然子涵博文昊天俊杰鑫磊"
)
COLLEGES = [
    "信息学院",
    "会计学院",
    "金融学院",
    "经济学院",
    "管理科学与工程学院",
    "统计学院",
    "法学院",
    "文化传播学院",
    "外国语学院",
    "公共管理学院",
]
PROGRAMMES = [
    "计算机科学与技术",
    "会计学",
    "金融学",
    "经济学",
    "信息管理与信息系统",
    "统计学",
    "法学",
    "新闻学",
    "英语",
    "行政管理",
]
SHORT = ["计科", "会计", "金融", "经济", "信管", "统计", "法学", "新闻", "英语", "行管"]
STATUSES = ["群众"] * 6 + ["团员"] * 10 + ["共青团员"] * 3 + ["党员", "预备党员", "中共党员"]
HEADER = [
    "序号",
    "学号",
    "姓名",
    "人员类别",
    "性别",
    "手机号码",
    "政治面貌",
    "学院",
    "年级",
    "专业",
    "培养层次",
    "班级",
    "辅导员工号",
    "宿舍",
    "支部",
    "是否毕业班",
    "学籍状态",
]


def messy_mobile(rng: random.Random) -> object:
    digits = f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"
    style = rng.randrange(6)
    if style == 0:
        return float(digits)  # a number cell
    if style == 1:
        return f"+86 {digits}"
    if style == 2:
        return f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"
    if style == 3:
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    return digits


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in text)


def generate(rows: int, seed: int = 20240901) -> tuple[bytes, dict[str, int]]:
    """A roster of about `rows` data rows and what importing it must report."""
    from openpyxl import Workbook

    rng = random.Random(seed)
    classes = max(1, rows // (STUDENTS_PER_CLASS + 1))
    counsellors = -(-classes // CLASSES_PER_COUNSELLOR)
    students = rows - counsellors
    book = Workbook(write_only=True)
    sheet = book.create_sheet("学生名单")
    sheet.append(["山西财经大学2024-2025学年第一学期学生花名册（导出）"])
    sheet.append(HEADER)

    def name() -> str:
        return rng.choice(SURNAMES) + "".join(
            rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2)))
        )

    teacher_rows = []
    for index in range(counsellors):
        college = index % len(COLLEGES)
        teacher_rows.append(
            [
                "",
                f"T{10000 + index}",
                name(),
                "教师",
                rng.choice("男女"),
                messy_mobile(rng),
                rng.choice(["中共党员", "党员", "群众"]),
                COLLEGES[college],
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "否",
                "在职",
            ]
        )
    # Half of the counsellors come before their students, half after.
    half = len(teacher_rows) // 2
    body = teacher_rows[:half]
    expected_invalid = 0
    serial = 0
    for index in range(students):
        class_index = index // STUDENTS_PER_CLASS % classes
        college = class_index % len(COLLEGES)
        grade = 2021 + class_index % 4
        class_name = f"{SHORT[college]}{grade % 100:02d}{class_index // len(COLLEGES) % 99 + 1:02d}"
        number = f"{grade}{college:02d}{index:05d}"
        serial += 1
        row = [
            serial,
            float(number) if index % 3 == 0 else (full_width(number) if index % 7 == 0 else number),
            name(),
            "学生" if index % 5 else "",
            rng.choice(["男", "女", "M", "F"]),
            messy_mobile(rng),
            rng.choice(STATUSES),
            COLLEGES[college],
            float(grade) if index % 2 else f"{grade}级",
            PROGRAMMES[college],
            "本科",
            class_name,
            # A class's counsellor is stated on some rows and left blank on others.
            f"T{10000 + class_index // CLASSES_PER_COUNSELLOR}" if index % 4 == 0 else "",
            f"{rng.choice('ABCDEFGH')}-{rng.randrange(100, 700)}",
            "",
            "是" if grade == 2021 else "否",
            "在校",
        ]
        # A few bad rows, of the kinds registrars send.
        if index % 2000 == 17:
            row[5] = "138001380"  # too short
            expected_invalid += 1
        elif index % 2000 == 523:
            row[1] = body[-1][1]  # the previous row's number again
            expected_invalid += 1
        elif index % 2000 == 1111:
            row[12] = "T99999"  # no such counsellor
            expected_invalid += 1
        elif index % 2000 == 1500:
            row[4] = "未知"
            expected_invalid += 1
        body.append(row)
        if index % 997 == 0:
            body.append([None] * len(HEADER))  # a blank row
    body.extend(teacher_rows[half:])
    for row in body:
        sheet.append(row)
    sheet.append([])
    sheet.append([f"合计：{len(body)}人"])
    sheet.append(["制表人：学生处", None, None, None, None, None, None, None, "审核人：王老师"])
    out = io.BytesIO()
    book.save(out)
    total = students + counsellors
    expected = {
        "valid": total - expected_invalid,
        "invalid": expected_invalid,
        "classes": classes,
    }
    return out.getvalue(), expected


def setup_django(workdir: Path) -> None:
    os.environ["VAR_DIR"] = str(workdir)
    if not os.environ.get("DATABASE_URL"):
        os.environ["SQLITE_PATH"] = str(workdir / "bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shouwang.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from shouwang.people.models import Branch, Person, Unit

    if Person.objects.exists():
        sys.exit("the benchmark database must be empty")
    university = Unit.objects.create(name="山西财经大学", kind=Unit.Kind.UNIVERSITY)
    for college in COLLEGES:
        Unit.objects.create(name=college, kind=Unit.Kind.COLLEGE, parent=university)
    Branch.objects.create(name="本科生党支部", kind=Branch.Kind.PARTY)


def run(path: Path, commit: bool) -> tuple[float, str]:
    from django.core.management import call_command

    out = io.StringIO()
    started = time.perf_counter()
    call_command("import_roster", str(path), *(["--commit"] if commit else []), stdout=out)
    return time.perf_counter() - started, out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=30_000)
    parser.add_argument("--smoke", action="store_true", help="500 rows, outcome checked; for CI")
    args = parser.parse_args()
    rows = 500 if args.smoke else args.rows

    with tempfile.TemporaryDirectory(prefix="shouwang-bench-") as tmp:
        workdir = Path(tmp)
        started = time.perf_counter()
        data, expected = generate(rows)
        path = workdir / "roster.xlsx"
        path.write_bytes(data)
        seconds = time.perf_counter() - started
        print(f"generated {path.name}: {len(data) / 1e6:.1f} MB in {seconds:.1f} s")
        setup_django(workdir)
        print(f"machine: {machine()}")

        dry, dry_out = run(path, commit=False)
        commit, commit_out = run(path, commit=True)
        again, again_out = run(path, commit=True)

        from shouwang.people.models import AdminClass, Person

        summary = dry_out.strip().splitlines()[-1]
        if os.environ.get("BENCH_VERBOSE"):
            print(dry_out)
        print(f"rows: {rows}; {summary}")
        print(f"dry run:  {dry:6.2f} s  {rows / dry:8.0f} rows/s")
        committed = commit_out.strip().splitlines()[-1]
        print(f"commit:   {commit:6.2f} s  {rows / commit:8.0f} rows/s   {committed}")
        print(f"total:    {dry + commit:6.2f} s  (target {TARGET_SECONDS:.0f} s for 30,000 rows)")
        print(f"re-commit:{again:6.2f} s  {again_out.strip().splitlines()[-1]}")

        found = dict(re.findall(r"(valid|invalid): (\d+)", summary))
        problems = []
        if {k: int(v) for k, v in found.items()} != {k: expected[k] for k in ("valid", "invalid")}:
            problems.append(f"expected valid {expected['valid']}, invalid {expected['invalid']}")
        if Person.objects.count() != expected["valid"]:
            problems.append(f"{Person.objects.count()} people stored, expected {expected['valid']}")
        if AdminClass.objects.count() != expected["classes"]:
            problems.append(f"{AdminClass.objects.count()} classes, expected {expected['classes']}")
        if AdminClass.objects.filter(counsellor=None).exists():
            problems.append("a class has no counsellor")
        if "created 0, updated 0" not in again_out:
            problems.append("committing the same file again changed something")
        if not args.smoke and rows >= 30_000 and dry + commit > TARGET_SECONDS:
            problems.append(f"over the {TARGET_SECONDS:.0f} s target")
        for problem in problems:
            print(f"FAIL: {problem}")
        return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
