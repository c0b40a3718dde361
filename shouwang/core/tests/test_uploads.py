import io
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import SimpleTestCase
from openpyxl import Workbook
from PIL import Image

from shouwang.core.uploads import DOCUMENTS, IMAGES, AllowedUpload

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


def xlsx() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def zipped(*parts: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for part in parts:
            archive.writestr(part, "<x/>")
    return buffer.getvalue()


class AllowedUploadTests(SimpleTestCase):
    documents = AllowedUpload(DOCUMENTS, max_bytes=1024 * 1024)

    def refusal(self, validator, name: str, content: bytes) -> str:
        with self.assertRaises(ValidationError) as raised:
            validator(SimpleUploadedFile(name, content))
        return str(raised.exception.code)

    def test_real_documents_and_images_pass(self):
        for name, content in [
            ("通知.pdf", PDF),
            ("名单.xlsx", xlsx()),
            ("方案.docx", zipped("[Content_Types].xml", "word/document.xml")),
            ("照片.PNG", png()),
        ]:
            with self.subTest(name=name):
                upload = SimpleUploadedFile(name, content)
                self.documents(upload)
                self.assertEqual(upload.tell(), 0, "the check leaves the file at its start")

    def test_a_program_renamed_pdf_is_refused_by_its_content(self):
        self.assertEqual(
            self.refusal(self.documents, "通知.pdf", b"MZ\x90\x00" + b"\0" * 200), "file_content"
        )

    def test_a_zip_renamed_docx_is_refused(self):
        self.assertEqual(self.refusal(self.documents, "方案.docx", zipped("a.txt")), "file_content")

    def test_an_image_named_pdf_is_refused(self):
        self.assertEqual(self.refusal(self.documents, "通知.pdf", png()), "file_content")

    def test_other_kinds_are_refused_by_name(self):
        for name in ("setup.exe", "通知", "脚本.js", "压缩包.zip"):
            with self.subTest(name=name):
                self.assertEqual(self.refusal(self.documents, name, PDF), "file_type")

    def test_a_file_over_the_limit_is_refused_with_both_sizes(self):
        small = AllowedUpload(DOCUMENTS, max_bytes=100)
        with self.assertRaises(ValidationError) as raised:
            small(SimpleUploadedFile("通知.pdf", PDF + b" " * 200))
        self.assertEqual(raised.exception.code, "file_size")
        self.assertIn("100", raised.exception.messages[0])

    def test_images_only_refuses_a_pdf(self):
        images = AllowedUpload(IMAGES, max_bytes=1024 * 1024)
        self.assertEqual(self.refusal(images, "通知.pdf", PDF), "file_type")
