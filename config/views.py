"""Error pages (400, 403, 404, 500, and 403 for a stale form token) in Chinese, in the admin's look.

400/403/404 render with the request (the admin's header and user links when the user is
logged in) and show the project's own message when the exception carries one in Chinese;
Django's internal English messages are not shown. 500 renders from plain constants: no
request context, no database, since whatever failed may fail again.
"""

from __future__ import annotations

import logging
import re

from django.contrib import admin
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotFound,
    HttpResponseServerError,
)
from django.template import loader

logger = logging.getLogger(__name__)
_CHINESE = re.compile(r"[\u4e00-\u9fff]")


def project_message(exception: BaseException | None) -> str:
    """The exception's message when the project wrote it (in Chinese), else ""."""
    if exception is None or not exception.args:
        return ""
    message = exception.args[0]
    return message if isinstance(message, str) and _CHINESE.search(message) else ""


def _site_context() -> dict[str, object]:
    return {
        "site_header": admin.site.site_header,
        "site_title": admin.site.site_title,
        "site_url": None,
    }


def _page(request: HttpRequest, template: str, exception: BaseException | None) -> str:
    context: dict[str, object] = {
        **_site_context(),
        "message": project_message(exception),
        "request_path": request.path,
    }
    try:
        context.update(admin.site.each_context(request))
    except Exception:  # an error page must render even so
        logger.exception("error page without the admin's context")
    return loader.get_template(template).render(context, request)


def bad_request(request: HttpRequest, exception: BaseException) -> HttpResponse:
    return HttpResponseBadRequest(_page(request, "400.html", exception))


def permission_denied(request: HttpRequest, exception: BaseException) -> HttpResponse:
    return HttpResponseForbidden(_page(request, "403.html", exception))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a stale or missing form token ("页面已过期"), in the admin's look;
    Django's `reason` is English and internal, so it is logged, not shown."""
    logger.info("CSRF failure on %s: %s", request.path, reason)
    return HttpResponseForbidden(_page(request, "403_csrf.html", None))


def page_not_found(request: HttpRequest, exception: BaseException) -> HttpResponse:
    return HttpResponseNotFound(_page(request, "404.html", exception))


def server_error(request: HttpRequest) -> HttpResponse:
    return HttpResponseServerError(
        loader.get_template("500.html").render(_site_context())
    )
