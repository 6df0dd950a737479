"""The unit's extra questions page: staff add and edit, supervisors read."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ..access import unit_get_for_user
from ..extra import MAX_ACTIVE
from ..models import ExtraQuestion
from ..selectors import extra_question_list
from ..services_extra import (
    extra_question_create,
    extra_question_has_answers,
    extra_question_set_active,
    extra_question_update,
)


class ExtraQuestionForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Pertanyaan"), max_length=300)
    text_en = forms.CharField(
        label=gettext_lazy("Pertanyaan dalam bahasa Inggris (tidak wajib)"), max_length=300, required=False
    )
    kind = forms.ChoiceField(label=gettext_lazy("Jenis jawaban"), choices=ExtraQuestion.Kind.choices)
    choices = forms.CharField(
        label=gettext_lazy("Pilihan jawaban (satu per baris)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Hanya untuk pilihan tunggal dan ganda: 2 sampai 20 pilihan, masing-masing paling banyak 100 karakter."
        ),
    )
    required = forms.BooleanField(label=gettext_lazy("Wajib dijawab"), required=False)
    order = forms.IntegerField(label=gettext_lazy("Urutan"), required=False, min_value=0, max_value=999)

    def choice_list(self) -> list[str]:
        return [line for line in (self.cleaned_data.get("choices") or "").splitlines() if line.strip()]

    @classmethod
    def initial_for(cls, question: ExtraQuestion) -> dict:
        return {
            "text": question.text,
            "text_en": question.text_en,
            "kind": question.kind,
            "choices": "\n".join(question.choices or []),
            "required": question.required,
            "order": question.order,
        }


def _apply_errors(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
@require_http_methods(["GET", "POST"])
def extra_questions(request, unit_code: str):
    unit, can_write = unit_get_for_user(user=request.user, code=unit_code)
    questions = list(extra_question_list(unit=unit))
    edit_id = request.GET.get("ubah", "")
    editing = next((q for q in questions if str(q.pk) == edit_id), None)
    form = ExtraQuestionForm(initial=ExtraQuestionForm.initial_for(editing) if editing else {"kind": "single"})
    status = 200
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied(_("Anda hanya dapat melihat unit ini, tidak mengubahnya."))
        action = request.POST.get("aksi", "")
        if action in ("nonaktifkan", "aktifkan"):
            question = get_object_or_404(ExtraQuestion, unit=unit, pk=request.POST.get("id") or 0)
            try:
                extra_question_set_active(question=question, user=request.user, active=action == "aktifkan")
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Pertanyaan %(code)s disimpan.") % {"code": question.code})
            return redirect("surveys:extra_questions", unit.code)
        form = ExtraQuestionForm(request.POST)
        target = None
        if request.POST.get("id"):
            target = get_object_or_404(ExtraQuestion, unit=unit, pk=request.POST.get("id"))
            editing = target
        if form.is_valid():
            data = form.cleaned_data
            try:
                if target is None:
                    saved = extra_question_create(
                        unit=unit,
                        user=request.user,
                        text=data["text"],
                        text_en=data["text_en"],
                        kind=data["kind"],
                        choices=form.choice_list(),
                        required=data["required"],
                    )
                else:
                    saved = extra_question_update(
                        question=target,
                        user=request.user,
                        text=data["text"],
                        text_en=data["text_en"],
                        kind=data["kind"],
                        choices=form.choice_list(),
                        required=data["required"],
                        order=data["order"],
                    )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Pertanyaan %(code)s disimpan.") % {"code": saved.code})
                return redirect("surveys:extra_questions", unit.code)
        status = 400
    rows = [{"question": q, "answered": extra_question_has_answers(q)} for q in questions]
    return render(
        request,
        "surveys/collection/extra_questions.html",
        {
            "unit": unit,
            "can_write": can_write,
            "rows": rows,
            "form": form,
            "editing": editing,
            "max_active": MAX_ACTIVE,
            "active_count": sum(1 for q in questions if q.active),
        },
        status=status,
    )
