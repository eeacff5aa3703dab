"""Reading a PDF back: its text, its fonts and its glyphs, with pypdf only."""

from io import BytesIO

from pypdf import PdfReader
from pypdf.generic import ContentStream, IndirectObject


def reader(data: bytes) -> PdfReader:
    return PdfReader(BytesIO(data))


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in reader(data).pages]


def flat(text: str) -> str:
    """Text without whitespace: extraction puts line breaks and spaces where the layout wrapped."""
    return "".join(text.split())


def _resolve(obj):
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def fonts(data: bytes) -> dict[str, set[str]]:
    """Every font used on any page (forms included) → the FontFile keys of its descriptor."""
    found: dict[str, set[str]] = {}

    def visit(resources):
        resources = _resolve(resources) or {}
        for font in (_resolve(resources.get("/Font")) or {}).values():
            font = _resolve(font)
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = _resolve(_resolve(font["/DescendantFonts"])[0]).get("/FontDescriptor")
            keys = {k for k in (_resolve(descriptor) or {}) if str(k).startswith("/FontFile")}
            found[str(font.get("/BaseFont"))] = keys
        for xobject in (_resolve(resources.get("/XObject")) or {}).values():
            xobject = _resolve(xobject)
            if xobject.get("/Subtype") == "/Form" and "/Resources" in xobject:
                visit(xobject["/Resources"])

    for page in reader(data).pages:
        visit(page.get("/Resources"))
    return found


def _string_bytes(operand) -> bytes:
    if isinstance(operand, bytes):
        return bytes(operand)
    original = getattr(operand, "original_bytes", None)
    if original is not None:
        return original
    return str(operand).encode("latin-1", "replace")


# What WeasyPrint writes for a character the font lacks: glyph 0 (.notdef, drawn as an empty box) or,
# when Pango found no glyph at all, 0xFFFF (past the last glyph of any CJK font, also drawn as .notdef).
MISSING_GLYPHS = (0x0000, 0xFFFF)


def notdef_glyphs(data: bytes) -> int:
    """How many glyphs drawn with a composite (Identity-H) font are missing glyphs (tofu boxes)."""
    pdf = reader(data)
    count = 0

    def walk(content_owner, resources):
        nonlocal count
        resources = _resolve(resources) or {}
        font_dict = _resolve(resources.get("/Font")) or {}
        contents = content_owner.get_contents() if hasattr(content_owner, "get_contents") else content_owner
        if contents is None:
            return
        composite = False
        for operands, operator in ContentStream(contents, pdf).operations:
            if operator == b"Tf":
                font = _resolve(font_dict.get(operands[0]))
                composite = font is not None and font.get("/Subtype") == "/Type0"
            elif operator in (b"Tj", b"'", b'"', b"TJ") and composite:
                items = operands[0] if operator == b"TJ" else [operands[-1]]
                for item in items:
                    if isinstance(item, int | float) or not hasattr(item, "__len__"):
                        continue
                    raw = _string_bytes(item)
                    glyphs = [raw[i] << 8 | raw[i + 1] for i in range(0, len(raw) - 1, 2)]
                    count += sum(1 for glyph in glyphs if glyph in MISSING_GLYPHS)
            elif operator == b"Do":
                xobject = _resolve((_resolve(resources.get("/XObject")) or {}).get(operands[0]))
                if xobject is not None and xobject.get("/Subtype") == "/Form":
                    walk(xobject, xobject.get("/Resources", resources))

    for page in pdf.pages:
        walk(page, page.get("/Resources"))
    return count
