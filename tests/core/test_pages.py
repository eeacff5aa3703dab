"""core.pages.run_service: a service's refusal becomes form errors or a message, with its status."""

import pytest
from django import forms
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from core.errors import ActionRefused, PermissionRefused
from core.pages import Outcome, add_errors, errors_text, run_service


class PersonForm(forms.Form):
    name = forms.CharField()
    age = forms.IntegerField()


@pytest.fixture
def request_():
    request = RequestFactory().post("/")
    request._messages = CookieStorage(request)
    return request


@pytest.fixture
def form():
    form = PersonForm({"name": "张三", "age": "30"})
    assert form.is_valid()
    return form


def shown(request) -> list[str]:
    return [str(message) for message in request._messages]


def raising(exc):
    def call():
        raise exc

    return call


def test_success_returns_the_result_and_touches_nothing(request_, form):
    outcome = run_service(request_, form, lambda: 42)
    assert outcome == Outcome(result=42)
    assert outcome.ok and outcome.status is None
    assert not form.errors and shown(request_) == []


def test_field_errors_go_on_their_fields_and_the_rest_are_non_field_errors(request_, form):
    exc = ValidationError({"name": ["太长", "有空格"], "elsewhere": "不在表单上", "__all__": "总体错误"})
    outcome = run_service(request_, form, raising(exc))
    assert not outcome.ok and outcome.status == 400 and outcome.result is None
    assert form.errors["name"] == ["太长", "有空格"]
    assert form.non_field_errors() == ["不在表单上", "总体错误"]
    assert "age" not in form.errors
    assert "name" not in form.cleaned_data


def test_a_plain_validation_error_is_a_non_field_error(request_, form):
    outcome = run_service(request_, form, raising(ValidationError(["一", "二"])))
    assert outcome.status == 400
    assert form.non_field_errors() == ["一", "二"]


def test_without_a_form_validation_errors_are_one_message(request_):
    exc = ValidationError({"name": ["一"], "age": ["二", "三"]})
    assert run_service(request_, None, raising(exc)).status == 400
    assert shown(request_) == ["一；二；三"]


def test_the_separator_of_that_message_can_be_chosen(request_):
    run_service(request_, None, raising(ValidationError(["一", "二"])), separator=" ")
    assert shown(request_) == ["一 二"]


@pytest.mark.parametrize(("exc", "status"), [(ActionRefused("现在不行"), 409), (PermissionRefused("现在不行"), 403)])
def test_refusals_go_on_the_form_by_default(request_, form, exc, status):
    outcome = run_service(request_, form, raising(exc))
    assert outcome.status == status
    assert form.non_field_errors() == ["现在不行"]
    assert shown(request_) == []


@pytest.mark.parametrize(("exc", "status"), [(ActionRefused("现在不行"), 409), (PermissionRefused("现在不行"), 403)])
def test_refusals_can_be_shown_as_messages_instead(request_, form, exc, status):
    outcome = run_service(request_, form, raising(exc), refusals="messages")
    assert outcome.status == status
    assert not form.errors
    assert shown(request_) == ["现在不行"]


def test_without_a_form_refusals_are_messages(request_):
    assert run_service(request_, None, raising(ActionRefused("不行"))).status == 409
    assert shown(request_) == ["不行"]


def test_a_refused_permission_can_raise_the_403_page(request_, form):
    with pytest.raises(PermissionDenied, match="无权"):
        run_service(request_, form, raising(PermissionRefused("无权")), raise_forbidden=True)
    assert not form.errors and shown(request_) == []


def test_raise_forbidden_leaves_an_action_refused_alone(request_, form):
    outcome = run_service(request_, form, raising(ActionRefused("不行")), raise_forbidden=True)
    assert outcome.status == 409
    assert form.non_field_errors() == ["不行"]


def test_other_exceptions_pass_through(request_, form):
    with pytest.raises(KeyError):
        run_service(request_, form, raising(KeyError("x")))


def test_an_unknown_refusals_mode_is_a_programming_error(request_, form):
    with pytest.raises(ValueError):
        run_service(request_, form, lambda: None, refusals="nowhere")


def test_add_errors_and_errors_text_on_their_own(form):
    add_errors(form, ValidationError({"age": "太小"}))
    assert form.errors["age"] == ["太小"]
    assert errors_text(ValidationError({"a": ["一"], "b": ["二"]})) == "一；二"
