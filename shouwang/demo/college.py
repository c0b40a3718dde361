"""The seed's college: 信息学院 of 山西财经大学 in the spring term of 2021–22.

59 teachers and 997 students, as in the seed; the people it names (辅导员赵璞,
the donor 梁世婕, the author 付琳) where it puts them; everyone else made up.
Each step is a function of the `Demo` context; `COLLEGE_STEPS` runs them in order.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import count

from shouwang.accounts.actions import grant_role
from shouwang.accounts.models import Role
from shouwang.people.models import AdminClass, Branch, DegreeLevel, DormRoom, Person, Unit

from .context import Demo

UNIVERSITY = "山西财经大学"
COLLEGE = "信息学院"
CS, IM, EC, DS = "计算机科学与技术系", "信息管理系", "电子商务系", "数据科学系"
DEPARTMENTS = (CS, IM, EC, DS)
OFFICE, STUDENT_AFFAIRS, TEACHING_OFFICE = "学院办公室", "学生工作办公室", "教学科研办公室"
OFFICES = (OFFICE, STUDENT_AFFAIRS, TEACHING_OFFICE)

UNDERGRADUATE_BRANCH = "本科生党支部"
POSTGRADUATE_BRANCH = "研究生党支部"
STAFF_BRANCH = "教工党支部"
LEAGUE_COMMITTEE = "信息学院团委"

COUNSELLOR_NAME = "赵璞"  # 本科生党支部辅导员, on site for half a month
DONOR_NAME = "梁世婕"  # 2021级图书情报专硕, 共产党员, gave the supplies on 4月15日
AUTHOR_NAME = "付琳"  # wrote the article; here the league committee's secretary

# The lockdown falls in the spring term of 2021–22: a programme of N years is in
# its final year, and graduating, in grade SCENARIO_YEAR - N.
SCENARIO_YEAR = 2022
STUDENTS = 997
TEACHERS = 59

B, M, D = DegreeLevel.BACHELOR, DegreeLevel.MASTER, DegreeLevel.DOCTOR
UG = (2018, 2019, 2020, 2021)  # undergraduate grades


@dataclass(frozen=True)
class Programme:
    name: str
    short: str  # how class names begin: 计科2001, 图情专硕2021
    code: str  # two digits of the student number: 2020 01 02 15 is seat 15 of 计科2002
    department: str
    level: DegreeLevel
    years: int
    grades: tuple[int, ...]
    classes_per_grade: int
    sizes: tuple[int, int]
    female_share: float

    def class_name(self, grade: int, number: int) -> str:
        if self.level == B:
            return f"{self.short}{grade % 100:02d}{number:02d}"
        return f"{self.short}{grade}"  # postgraduates: one class a grade

    def graduating(self, grade: int) -> bool:
        return grade == SCENARIO_YEAR - self.years


PROGRAMMES = (
    Programme("计算机科学与技术", "计科", "01", CS, B, 4, UG, 2, (25, 35), 0.35),
    Programme("信息管理与信息系统", "信管", "02", IM, B, 4, UG, 2, (25, 35), 0.55),
    Programme("电子商务", "电商", "03", EC, B, 4, UG, 2, (25, 35), 0.6),
    Programme("数据科学与大数据技术", "大数据", "04", DS, B, 4, UG, 1, (25, 35), 0.35),
    Programme("管理科学与工程", "管工学硕", "11", IM, M, 3, (2019, 2020, 2021), 1, (14, 20), 0.5),
    Programme("图书情报", "图情专硕", "12", IM, M, 2, (2020, 2021), 1, (22, 28), 0.75),
    Programme("电子信息", "电子信息专硕", "13", CS, M, 3, (2019, 2020, 2021), 1, (12, 18), 0.3),
    Programme("管理科学与工程", "管工博士", "21", IM, D, 4, (2020, 2021), 1, (3, 5), 0.4),
)
DONOR_CLASS = "图情专硕2021"

# Who counsels which classes: one counsellor a grade for undergraduates, two
# sharing the first year, one for all postgraduates. Counsellors work in the
# student affairs office and are party members: the two who run the student
# branches (赵璞 the undergraduates', as the seed calls her) belong to them.
Counsels = Callable[[Programme, int], bool]
COUNSELLORS: tuple[tuple[str | None, str, Counsels], ...] = (
    (COUNSELLOR_NAME, UNDERGRADUATE_BRANCH, lambda p, g: p.level == B and g == 2020),
    (None, STAFF_BRANCH, lambda p, g: p.level == B and g == 2018),
    (None, STAFF_BRANCH, lambda p, g: p.level == B and g == 2019),
    (None, STAFF_BRANCH, lambda p, g: p.level == B and g == 2021 and p.short in ("计科", "信管")),
    (None, STAFF_BRANCH, lambda p, g: p.level == B and g == 2021 and p.short in ("电商", "大数据")),
    (None, POSTGRADUATE_BRANCH, lambda p, g: p.level != B),
)

# Posts held by one person each: (post, unit, kind). Leaders who teach are
# teachers and count among the 59.
# The college's leaders sit at the college's unit: a leader sees the people
# of their own unit and the units below it.
POSTS = (
    ("党委书记", COLLEGE, Person.Kind.STAFF),
    ("院长", COLLEGE, Person.Kind.TEACHER),
    ("党委副书记", COLLEGE, Person.Kind.STAFF),
    ("副院长（教学）", COLLEGE, Person.Kind.TEACHER),
    ("副院长（科研）", COLLEGE, Person.Kind.TEACHER),
    ("办公室主任", OFFICE, Person.Kind.STAFF),
    ("系统管理员", OFFICE, Person.Kind.STAFF),
    ("团委书记", STUDENT_AFFAIRS, Person.Kind.STAFF),
    ("教学秘书", TEACHING_OFFICE, Person.Kind.STAFF),
    ("科研秘书", TEACHING_OFFICE, Person.Kind.STAFF),
    ("研究生秘书", TEACHING_OFFICE, Person.Kind.STAFF),
)
LEADERS = ("党委书记", "院长", "党委副书记", "副院长（教学）", "副院长（科研）")
TEACHERS_BY_DEPARTMENT = {CS: 16, IM: 15, EC: 12, DS: 13}

PS = Person.PoliticalStatus
# (party members, probationary members) among a class, by level and year of
# study: undergraduates mostly join in their third and fourth years. Of the rest,
# LEAGUE_SHARE are League members (most undergraduates; postgraduates age out at 28).
PARTY_SHARES = {
    B: {1: (0.0, 0.0), 2: (0.01, 0.03), 3: (0.05, 0.05), 4: (0.10, 0.03)},
    M: {1: (0.28, 0.06), 2: (0.30, 0.04), 3: (0.32, 0.02)},
    D: {1: (0.5, 0.0), 2: (0.5, 0.0)},
}
LEAGUE_SHARE = {B: 0.92, M: 0.55, D: 0.0}

# Undergraduates live by gender in buildings A (men) and B (women), one floor a
# grade, the oldest lowest (so B-312 is a room of 2020 women); master's students
# in E and F; doctoral students and some master's students live off campus.
# Rooms take six and are filled evenly.
ROOM_BEDS = 6
MASTERS_ON_CAMPUS = 0.85


def build_units(demo: Demo) -> None:
    university = Unit.objects.create(name=UNIVERSITY, kind=Unit.Kind.UNIVERSITY)
    college = Unit.objects.create(name=COLLEGE, kind=Unit.Kind.COLLEGE, parent=university)
    below = [Unit(name=name, kind=Unit.Kind.DEPARTMENT, parent=college) for name in DEPARTMENTS]
    below += [Unit(name=name, kind=Unit.Kind.OFFICE, parent=college) for name in OFFICES]
    Unit.objects.bulk_create(below)
    demo.units = {unit.name: unit for unit in (university, college, *below)}


def build_branches(demo: Demo) -> None:
    """The three party branches and the league committee; the class league
    branches come with the classes."""
    college = demo.units[COLLEGE]
    names = (UNDERGRADUATE_BRANCH, POSTGRADUATE_BRANCH, STAFF_BRANCH)
    branches = [Branch(name=name, kind=Branch.Kind.PARTY, unit=college) for name in names]
    branches.append(Branch(name=LEAGUE_COMMITTEE, kind=Branch.Kind.LEAGUE, unit=college))
    Branch.objects.bulk_create(branches)
    demo.branches = {branch.name: branch for branch in branches}


def build_staff_and_teachers(demo: Demo) -> None:
    rng = demo.rng("staff")
    # Nobody made up shares a name with the seed's own people.
    demo.faker.names.update((COUNSELLOR_NAME, DONOR_NAME, AUTHOR_NAME))
    teacher_numbers, staff_numbers = count(1001), count(1001)

    def person(
        kind: str,
        unit: str,
        name: str | None = None,
        female: bool | None = None,
        status: str | None = None,
        branch: str = STAFF_BRANCH,
    ) -> Person:
        if female is None:
            female = rng.random() < 0.45
        if kind == Person.Kind.TEACHER:
            number = f"T{next(teacher_numbers)}"
        else:
            number = f"S{next(staff_numbers)}"
        status = status or _staff_status(rng, kind)
        made = Person(
            number=number,
            name=name or demo.faker.name(rng, female, single_share=0.4),
            kind=kind,
            gender=Person.Gender.FEMALE if female else Person.Gender.MALE,
            mobile=demo.faker.mobile(rng),
            political_status=status,
            unit=demo.units[unit],
            branch=demo.branches[branch] if status in Person.PARTY_STATUSES else None,
        )
        (demo.teachers if kind == Person.Kind.TEACHER else demo.staff).append(made)
        return made

    for post, unit, kind in POSTS:
        is_author = post == "团委书记"
        demo.posts[post] = person(
            kind,
            unit,
            name=AUTHOR_NAME if is_author else None,
            female=True if is_author else None,
            status=PS.PARTY_MEMBER if post in LEADERS or is_author else None,
        )
    for department, size in TEACHERS_BY_DEPARTMENT.items():
        for _ in range(size):
            person(Person.Kind.TEACHER, department)
    for name, branch, _counsels in COUNSELLORS:
        counsellor = person(
            Person.Kind.STAFF,
            STUDENT_AFFAIRS,
            name=name,
            female=True if name else rng.random() < 0.6,
            status=PS.PARTY_MEMBER,
            branch=branch,
        )
        demo.counsellors.append(counsellor)
    demo.posts[f"辅导员{COUNSELLOR_NAME}"] = demo.counsellors[0]
    if len(demo.teachers) != TEACHERS:
        raise ValueError(f"the seed has {TEACHERS} teachers, the tables make {len(demo.teachers)}")
    _insert(demo.teachers + demo.staff)


def _staff_status(rng: random.Random, kind: str) -> str:
    roll = rng.random()
    party = 0.6 if kind == Person.Kind.TEACHER else 0.7
    for share, status in (
        (party, PS.PARTY_MEMBER),
        (0.05, PS.DEMOCRATIC_PARTY),
        (0.03, PS.NONPARTISAN),
    ):
        if roll < share:
            return status
        roll -= share
    return PS.MASSES


def build_classes(demo: Demo) -> None:
    """Every class with its counsellor, its department and its league branch."""
    for programme in PROGRAMMES:
        for grade in programme.grades:
            counsellor = next(
                person
                for person, (_n, _b, counsels) in zip(demo.counsellors, COUNSELLORS, strict=True)
                if counsels(programme, grade)
            )
            for number in range(1, programme.classes_per_grade + 1):
                demo.classes.append(
                    AdminClass(
                        name=programme.class_name(grade, number),
                        grade=grade,
                        programme=programme.name,
                        degree_level=programme.level,
                        unit=demo.units[programme.department],
                        counsellor=counsellor,
                    )
                )
    AdminClass.objects.bulk_create(demo.classes)
    committee = demo.branches[LEAGUE_COMMITTEE]
    league = [
        Branch(name=f"{cls.name}团支部", kind=Branch.Kind.LEAGUE, unit=cls.unit, parent=committee)
        for cls in demo.classes
    ]
    Branch.objects.bulk_create(league)
    demo.branches.update((branch.name, branch) for branch in league)


def build_students(demo: Demo) -> None:
    rng = demo.rng("students")
    plan = [
        (programme, grade, number)
        for programme in PROGRAMMES
        for grade in programme.grades
        for number in range(1, programme.classes_per_grade + 1)
    ]
    sizes = _class_sizes(rng, [programme.sizes for programme, _g, _n in plan], STUDENTS)
    classes = {cls.name: cls for cls in demo.classes}
    for (programme, grade, number), size in zip(plan, sizes, strict=True):
        cls = classes[programme.class_name(grade, number)]
        year = SCENARIO_YEAR - grade
        party, probationary = PARTY_SHARES[programme.level][year]
        statuses = [PS.PARTY_MEMBER] * round(size * party)
        statuses += [PS.PROBATIONARY] * round(size * probationary)
        statuses += [
            PS.LEAGUE_MEMBER if rng.random() < LEAGUE_SHARE[programme.level] else PS.MASSES
            for _ in range(size - len(statuses))
        ]
        rng.shuffle(statuses)
        donor_seat = rng.randrange(size) if cls.name == DONOR_CLASS else None
        for seat, status in enumerate(statuses):
            female = rng.random() < programme.female_share
            name = None
            if seat == donor_seat:
                name, female, status = DONOR_NAME, True, PS.PARTY_MEMBER
            student = Person(
                number=f"{grade}{programme.code}{number:02d}{seat + 1:02d}",
                name=name or demo.faker.name(rng, female),
                kind=Person.Kind.STUDENT,
                gender=Person.Gender.FEMALE if female else Person.Gender.MALE,
                mobile=demo.faker.mobile(rng),
                political_status=status,
                unit=cls.unit,
                grade=grade,
                programme=programme.name,
                degree_level=programme.level,
                admin_class=cls,
                branch=_student_branch(demo, cls, status),
                graduating=programme.graduating(grade),
            )
            if seat == donor_seat:
                demo.posts["捐赠者"] = student
            demo.students.append(student)
    _insert(demo.students)


def _class_sizes(rng: random.Random, bounds: Sequence[tuple[int, int]], total: int) -> list[int]:
    """Random sizes within each class's bounds, then nudged one student at a time
    until they add up to `total` (the seed's 997)."""
    sizes = [rng.randint(low, high) for low, high in bounds]
    while (gap := total - sum(sizes)) != 0:
        step = 1 if gap > 0 else -1
        room = [i for i, (low, high) in enumerate(bounds) if low <= sizes[i] + step <= high]
        if not room:
            raise ValueError(f"classes cannot hold {total} students")
        sizes[rng.choice(room)] += step
    return sizes


def _student_branch(demo: Demo, cls: AdminClass, status: str) -> Branch | None:
    if status in Person.PARTY_STATUSES:
        level = UNDERGRADUATE_BRANCH if cls.degree_level == B else POSTGRADUATE_BRANCH
        return demo.branches[level]
    if status == PS.LEAGUE_MEMBER:
        return demo.branches[f"{cls.name}团支部"]
    return None


def build_dorm_rooms(demo: Demo) -> None:
    """Rooms for everyone on campus, classmates next to each other."""
    rng = demo.rng("dorm rooms")
    groups: dict[tuple[str, int], list[Person]] = {}
    for student in demo.students:
        female = student.gender == Person.Gender.FEMALE
        if student.degree_level == B:
            key = ("B" if female else "A", UG.index(student.grade) + 1)
        elif student.degree_level == M and rng.random() < MASTERS_ON_CAMPUS:
            key = ("F" if female else "E", 1)
        else:
            continue
        groups.setdefault(key, []).append(student)

    rooms: list[DormRoom] = []
    residents: list[tuple[DormRoom, list[Person]]] = []
    for (building, floor), people in sorted(groups.items()):
        for index, chunk in enumerate(_even_chunks(people, ROOM_BEDS)):
            room = DormRoom(building=building, floor=floor, number=f"{floor}{index + 1:02d}")
            rooms.append(room)
            residents.append((room, chunk))
    DormRoom.objects.bulk_create(rooms)
    for room, people in residents:
        for person in people:
            person.dorm_room = room
    Person.objects.bulk_update(
        [person for _room, people in residents for person in people], ["dorm_room"], batch_size=500
    )


def _even_chunks(people: list[Person], most: int) -> Iterable[list[Person]]:
    """As few rooms as hold everyone, filled evenly: 23 people make 6, 6, 6, 5 —
    never a room with one student left over."""
    rooms = math.ceil(len(people) / most)
    start = 0
    for index in range(rooms):
        size = len(people) // rooms + (index < len(people) % rooms)
        yield people[start : start + size]
        start += size


def build_logins(demo: Demo) -> None:
    """One login per role, each a person the walkthrough needs."""
    counsellor = demo.posts[f"辅导员{COUNSELLOR_NAME}"]
    own_classes = {cls.pk for cls in demo.classes if cls.counsellor == counsellor}
    student = next(
        (
            s
            for s in demo.students
            if s.dorm_room
            and (s.dorm_room.building, s.dorm_room.number) == ("B", "312")
            and s.admin_class_id in own_classes
            and s.political_status == PS.LEAGUE_MEMBER
        ),
        None,
    )
    if student is None:
        raise ValueError(f"no League member of {COUNSELLOR_NAME}'s classes lives in B-312")
    volunteer = next(
        s
        for s in demo.students
        if s.degree_level == B and s.grade == 2019 and s.is_party_member and s.dorm_room
    )
    teacher = next(t for t in demo.teachers if t.unit == demo.units[CS])

    demo.add_login(Role.STUDENT, student)
    demo.add_login(Role.TEACHER, teacher)
    demo.add_login(Role.COUNSELLOR, counsellor)
    volunteer_user = demo.add_login(Role.VOLUNTEER, volunteer)
    leader = demo.add_login(Role.LEADER, demo.posts["党委书记"])
    admin = demo.add_login(Role.ADMIN, demo.posts["系统管理员"], is_staff=True, is_superuser=True)
    grant_role(volunteer_user, Role.VOLUNTEER, acting_user=admin)
    grant_role(leader, Role.LEADER, acting_user=admin)


def _insert(people: list[Person]) -> None:
    # bulk_create skips Person.save(), which is what fills the pinyin search keys.
    for person in people:
        person.refresh_pinyin()
    Person.objects.bulk_create(people, batch_size=500)


COLLEGE_STEPS: tuple[Callable[[Demo], None], ...] = (
    build_units,
    build_branches,
    build_staff_and_teachers,
    build_classes,
    build_students,
    build_dorm_rooms,
    build_logins,
)
