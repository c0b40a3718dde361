import io
import zipfile
from xml.etree import ElementTree

from django.test import SimpleTestCase

from shouwang.lib.wordfile import NAMESPACE, WordDocument

W = f"{{{NAMESPACE}}}"


def body(data: bytes) -> ElementTree.Element:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = package.namelist()
        root = ElementTree.fromstring(package.read("word/document.xml"))  # noqa: S314
    assert {"[Content_Types].xml", "_rels/.rels", "word/document.xml"} <= set(names)
    return root


class WordDocumentTests(SimpleTestCase):
    def test_it_writes_headings_paragraphs_and_tables_in_order(self):
        document = WordDocument()
        document.heading("年终评比总结", level=0)
        document.paragraph("2022年学院工作要点")
        document.table(["名次", "举措"], [[1, "国家一流专业建设"], ["2（并列）", None]])
        document.bullet("获批3项", bold_lead="科研项目申报")
        root = body(bytes(document))
        texts = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p")]
        self.assertEqual(texts[:2], ["年终评比总结", "2022年学院工作要点"])
        self.assertIn("• 科研项目申报获批3项", texts)
        rows = [
            ["".join(t.text or "" for t in cell.iter(f"{W}t")) for cell in row.iter(f"{W}tc")]
            for row in root.iter(f"{W}tr")
        ]
        self.assertEqual(rows, [["名次", "举措"], ["1", "国家一流专业建设"], ["2（并列）", ""]])

    def test_it_escapes_what_xml_would_read_as_markup(self):
        document = WordDocument()
        document.paragraph("<w:p>a & b</w:p>")
        root = body(bytes(document))
        self.assertIn("<w:p>a & b</w:p>", [t.text for t in root.iter(f"{W}t")])
