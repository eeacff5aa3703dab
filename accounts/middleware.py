from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class DefaultLanguageMiddleware(LocaleMiddleware):
    """Chinese unless the user chose otherwise with the language switcher.

    Django's ``LocaleMiddleware`` follows the browser's Accept-Language header, so an
    office PC with an English system would get English pages. Here only the language
    cookie written by ``set_language`` counts; without it the language is
    ``settings.LANGUAGE_CODE`` (zh-hans).
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = settings.LANGUAGE_CODE
        if chosen and translation.check_for_language(chosen):
            try:
                language = translation.get_supported_language_variant(chosen)
            except LookupError:
                pass
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
