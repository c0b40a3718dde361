"""Dormitory labels as registrars write them, read into building, floor and room."""

from django.test import SimpleTestCase

from shouwang.people.dorms import dorm_label, parse_dorm
from shouwang.people.models import DormRoom


class ParseDormTestCase(SimpleTestCase):
    def test_it_reads_the_common_forms(self):
        cases = {
            "3号楼445": ("3号楼", 4, "445"),
            "3-445": ("3号楼", 4, "445"),
            "3#445": ("3号楼", 4, "445"),
            "3栋445": ("3号楼", 4, "445"),
            "B-312": ("B", 3, "312"),
            "B312": ("B", 3, "312"),
            "3栋4层445": ("3号楼", 4, "445"),
            "3栋2层15": ("3号楼", 2, "15"),
            "西苑3号楼445室": ("西苑3号楼", 4, "445"),
            "10号楼1205": ("10号楼", 12, "1205"),
            "A1-203": ("A1", 2, "203"),
            " 3号楼 445 ": ("3号楼", 4, "445"),
        }
        for text, expected in cases.items():
            with self.subTest(text=text):
                dorm = parse_dorm(text)
                self.assertTrue(dorm.parsed)
                self.assertEqual((dorm.building, dorm.floor, dorm.number), expected)

    def test_what_it_cannot_read_is_kept_as_given(self):
        for text in ("东区", "3楼445", "312"):
            with self.subTest(text=text):
                dorm = parse_dorm(text)
                self.assertFalse(dorm.parsed)
                self.assertEqual((dorm.building, dorm.floor, dorm.number), ("", None, text))

    def test_a_label_reads_back_to_the_same_room(self):
        for text in ("3号楼445", "3栋2层15", "B-312", "西苑3号楼445室", "东区"):
            with self.subTest(text=text):
                dorm = parse_dorm(text)
                again = parse_dorm(dorm_label(dorm.building, dorm.number, dorm.floor))
                self.assertEqual(again.key, dorm.key)
                self.assertEqual(again.floor, dorm.floor)

    def test_a_room_shows_without_a_stray_dash(self):
        self.assertEqual(str(DormRoom(building="3号楼", number="445", floor=4)), "3号楼-445")
        self.assertEqual(str(DormRoom(building="", number="3号楼445")), "3号楼445")
        self.assertEqual(str(DormRoom(building="3号楼", number="15", floor=2)), "3号楼-2层-15")
