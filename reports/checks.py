"""Start-up checks: the PDF reports cannot be printed without a Simplified Chinese font."""

from django.core.checks import Error, register

from reports.pdf.fonts import INSTALL_HINT, FontsUnavailable, pdf_font_families


@register("reports")
def cjk_font_installed(app_configs, **kwargs):
    """Fail at start-up (``manage.py check``, ``runserver``, ``migrate``) when no CJK font is installed.

    Without one WeasyPrint would print every Chinese character as an empty box.
    """
    try:
        pdf_font_families()
    except FontsUnavailable:
        return [
            Error(
                "No Simplified Chinese font is installed, so the PDF reports cannot be printed.",
                hint=INSTALL_HINT,
                id="reports.E001",
            )
        ]
    return []
