"""Reading the 上课时间 cell of 正方 and 强智 timetable exports."""

from __future__ import annotations

from django.test import SimpleTestCase
from django.utils import translation

from shouwang.teaching.actions import SlotRow
from shouwang.teaching.timetable import TimetableError, parse_time, parse_weeks, slot_hours

ALL_16 = tuple(range(1, 17))
ODD_16 = tuple(range(1, 17, 2))
EVEN_16 = tuple(range(2, 17, 2))


def slot(weekday, first, last, weeks, weeks_text, location=""):
    return SlotRow(weekday, first, last, tuple(weeks), weeks_text, location)


class ParseTimeTestCase(SimpleTestCase):
    def setUp(self):
        translation.activate("en")
        self.addCleanup(translation.deactivate)

    def test_it_reads_the_usual_cell(self):
        self.assertEqual(
            parse_time("星期二第3-4节{1-16周}", "A-201"), [slot(2, 3, 4, ALL_16, "1-16周", "A-201")]
        )

    def test_it_reads_every_kind_of_cell_the_exports_write(self):
        cases = {
            "星期一第1-2节{1-16周}": [slot(1, 1, 2, ALL_16, "1-16周")],
            "星期三第5-6节{1-8,10-16周}": [
                slot(3, 5, 6, [*range(1, 9), *range(10, 17)], "1-8,10-16周")
            ],
            "星期四第1-2节{1-8周,10-16周}": [
                slot(4, 1, 2, [*range(1, 9), *range(10, 17)], "1-8,10-16周")
            ],
            "星期五第3-4节{1-16周(单)}": [slot(5, 3, 4, ODD_16, "1-16周(单)")],
            "星期五第3-4节{1-16周(双)}": [slot(5, 3, 4, EVEN_16, "1-16周(双)")],
            "星期二第1-2节{1-16单周}": [slot(2, 1, 2, ODD_16, "1-16周(单)")],
            "星期二第1-2节{2-16双周}": [slot(2, 1, 2, EVEN_16, "2-16周(双)")],
            "周一第1,2节{第1-16周|单周}": [slot(1, 1, 2, ODD_16, "1-16周(单)")],
            "周一第1,2,3节{第1-16周}": [slot(1, 1, 3, ALL_16, "1-16周")],
            "星期五第3节{1-16周}": [slot(5, 3, 3, ALL_16, "1-16周")],
            "周二3-4节{1-16周}": [slot(2, 3, 4, ALL_16, "1-16周")],
            "周二3-4节 1-16周": [slot(2, 3, 4, ALL_16, "1-16周")],
            "星期日第9-11节{3周}": [slot(7, 9, 11, [3], "3周")],
            "星期天第1-2节{3,5,7周}": [slot(7, 1, 2, [3, 5, 7], "3,5,7周")],
            "周六 第 1 - 2 节 [1-4周]": [slot(6, 1, 2, range(1, 5), "1-4周")],
            # Full-width digits and brackets, as some exports write them.
            "星期二第３－４节｛１－１６周｝": [slot(2, 3, 4, ALL_16, "1-16周")],
            "星期二第3-4节（1-16周）": [slot(2, 3, 4, ALL_16, "1-16周")],
        }
        for cell, slots in cases.items():
            with self.subTest(cell=cell):
                self.assertEqual(parse_time(cell), slots)

    def test_it_reads_several_slots_in_one_cell(self):
        expected = [slot(2, 3, 4, ALL_16, "1-16周"), slot(4, 1, 2, ODD_16, "1-16周(单)")]
        for cell in (
            "星期二第3-4节{1-16周};星期四第1-2节{1-16周(单)}",
            "星期二第3-4节{1-16周}；星期四第1-2节{1-16周(单)}",
            "星期二第3-4节{1-16周}\n星期四第1-2节{1-16周(单)}",
            # A cleaned cell holds its new lines as spaces.
            "星期二第3-4节{1-16周} 星期四第1-2节{1-16周(单)}",
            "星期二第3-4节{1-16周},星期四第1-2节{1-16周(单)}",
            "星期二第3-4节{1-16周};星期四第1-2节{1-16周(单)};",
        ):
            with self.subTest(cell=cell):
                self.assertEqual(parse_time(cell), expected)

    def test_each_slot_takes_its_own_place_when_the_places_match_the_slots(self):
        slots = parse_time("星期二第3-4节{1-16周};星期四第1-2节{1-8周}", "A-201;B-105")
        self.assertEqual([s.location for s in slots], ["A-201", "B-105"])
        slots = parse_time("星期二第3-4节{1-16周};星期四第1-2节{1-8周}", "腾讯会议")
        self.assertEqual([s.location for s in slots], ["腾讯会议", "腾讯会议"])

    def test_it_refuses_what_it_does_not_understand_saying_what(self):
        cases = {
            "": "no class time given",
            "星期二第3-4节": "the weeks are missing",
            "星期八第1-2节{1-16周}": "is not a class time such as",
            "第3-4节{1-16周}": "is not a class time such as",
            "星期二{1-16周}": "is not a class time such as",
            "Tuesday 3-4": "is not a class time such as",
            "周一第1,3节{1-16周}": "do not follow each other",
            "星期二第4-3节{1-16周}": "periods run from 1 to 16",
            "星期二第0-1节{1-16周}": "periods run from 1 to 16",
            "星期二第3-4节{16-1周}": "weeks run from 1 to 30",
            "星期二第3-4节{1-40周}": "weeks run from 1 to 30",
            "星期二第3-4节{1-16周单双}": "odd and even weeks at once",
            "星期二第3-4节{1-16周 另行通知}": "is not a week or a range of weeks",
            "星期二第3-4节{2周(单)}": "no week is left",
            "星期二第3-4节{1-16周};待定": "“待定” is not a class time",
        }
        for cell, message in cases.items():
            with self.subTest(cell=cell), self.assertRaisesMessage(TimetableError, message):
                parse_time(cell)

    def test_the_error_quotes_the_cell(self):
        with self.assertRaisesMessage(TimetableError, "“星期二第3-4节”"):
            parse_time("星期二第3-4节")


class WeeksTestCase(SimpleTestCase):
    def test_single_weeks_and_ranges_mix(self):
        self.assertEqual(parse_weeks("{1,3,5-7周}"), ((1, 3, 5, 6, 7), "1,3,5-7周"))

    def test_parity_applies_to_every_range(self):
        self.assertEqual(parse_weeks("{1-4,9-12周(单)}"), ((1, 3, 9, 11), "1-4,9-12周(单)"))

    def test_the_same_weeks_written_differently_are_kept_alike(self):
        self.assertEqual(parse_weeks("{1-16周(单)}"), parse_weeks("{第1-16周|单周}"))
        self.assertEqual(parse_weeks("{1-16周(单)}"), parse_weeks("1-16单周"))


class SlotHoursTestCase(SimpleTestCase):
    def test_hours_are_periods_times_weeks(self):
        slots = parse_time("星期二第3-4节{1-16周};星期四第1-3节{1-16周(单)}")
        self.assertEqual(slot_hours(slots), 2 * 16 + 3 * 8)
