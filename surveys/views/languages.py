"""Admin pages of the questionnaire's further languages (issue 20 point 6):
the list with a form to add one, and per language its texts to translate,
group by group (the SKM, the SPKP, the SPAK, the units' extra questions)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from skm.rules.instruments_data import BUILTIN

from ..access import user_unit_access
from ..languages import CODE_MAX, EXTRA_GROUP, NAME_MAX, TRANSLATION_MAX, SourceText, builtin_sources, source_digest
from ..selectors_languages import (
    extra_questions_to_translate,
    language_progress,
    questionnaire_language_get,
    questionnaire_language_list,
    sources_for_questions,
    text_rows,
)
from ..services_languages import questionnaire_language_create, questionnaire_language_update, questionnaire_texts_save

EXTRA_PER_PAGE = 10  # extra questions per page of the "tambahan" group


def _require_admin(request) -> None:
    if not user_unit_access(user=request.user).is_admin:
        raise PermissionDenied(_("Hanya admin yang dapat mengelola bahasa kuesioner."))


def _apply_errors(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class LanguageForm(forms.Form):
    # Lengths and the code's form are checked by the service, with its own messages.
    code = forms.CharField(
        label=gettext_lazy("Kode bahasa"),
        required=False,
        help_text=gettext_lazy("Huruf kecil, misalnya jv (Basa Jawa), su (Basa Sunda), ban (Basa Bali)."),
        widget=forms.TextInput(attrs={"maxlength": CODE_MAX, "autocapitalize": "none", "spellcheck": "false"}),
    )
    name = forms.CharField(
        label=gettext_lazy("Nama bahasa untuk responden"),
        required=False,
        help_text=gettext_lazy("Ditulis dalam bahasa itu sendiri, misalnya Basa Jawa."),
        widget=forms.TextInput(attrs={"maxlength": NAME_MAX}),
    )


class LanguageEditForm(forms.Form):
    name = LanguageForm.base_fields["name"]
    active = forms.BooleanField(label=gettext_lazy("Tampilkan pada kuesioner"), required=False)


@login_required
@require_http_methods(["GET", "POST"])
def language_list(request):
    _require_admin(request)
    form = LanguageForm()
    status = 200
    if request.method == "POST":
        form = LanguageForm(request.POST)
        if form.is_valid():
            try:
                language = questionnaire_language_create(
                    user=request.user, code=form.cleaned_data["code"], name=form.cleaned_data["name"]
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Bahasa %(name)s ditambahkan. Terjemahkan teks kuesionernya di bawah ini.")
                    % {"name": language.name},
                )
                return redirect("surveys:language_texts", language.code)
        status = 400
    languages = list(questionnaire_language_list())
    progress = language_progress(languages=languages)
    rows = [{"language": lang, "progress": progress[lang.pk].total} for lang in languages]
    return render(request, "surveys/languages/list.html", {"rows": rows, "form": form}, status=status)


def _field_name(key: str) -> str:
    return "t-" + key.replace(":", "-")


class TextsForm(forms.Form):
    """One input per text of the shown group; each carries the fingerprint of the
    Indonesian the admin saw (``seen``), so a text reworded meanwhile is not saved blindly."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.keys = {}
        for row in rows:
            name = _field_name(row.source.key)
            self.keys[name] = row.source.key
            widget = forms.TextInput if row.source.is_short else forms.Textarea(attrs={"rows": 3})
            self.fields[name] = forms.CharField(required=False, strip=False, widget=widget, initial=row.text)

    def changes(self) -> dict[str, str]:
        """{key: translation} of the inputs the admin changed. An outdated translation
        is shown apart with its input empty: left so, it stays as it is (not shown).
        A text the POST does not carry at all is left as it is."""
        return {
            self.keys[name]: self.cleaned_data[name]
            for name in self.changed_data
            if name in self.keys and name in self.data
        }

    def seen(self) -> dict[str, str]:
        """{key: fingerprint of the Indonesian shown} of the texts the POST carries one for."""
        return {key: self.data["s-" + name[2:]] for name, key in self.keys.items() if "s-" + name[2:] in self.data}

    def lines(self):
        """[(row, bound field, fingerprint)] in the page's order."""
        return [(row, self[_field_name(row.source.key)], source_digest(row.source.text)) for row in self.rows]


def _groups() -> list[tuple[str, str]]:
    """(group code, title) of the translation page's tabs."""
    return [*((i.code, f"{i.code} – {i.name.id}") for i in BUILTIN), (EXTRA_GROUP, _("Pertanyaan tambahan unit"))]


def _sources(group: str, page_number) -> tuple[list[SourceText], object, dict[int, object]]:
    """The shown group's sources, the page of extra questions (or None) and {question id: question}."""
    if group != EXTRA_GROUP:
        return [s for s in builtin_sources() if s.group == group], None, {}
    page = Paginator(extra_questions_to_translate(), EXTRA_PER_PAGE).get_page(page_number)
    questions = list(page.object_list)
    return sources_for_questions(questions), page, {q.pk: q for q in questions}


def _blocks(lines, questions: dict) -> list[dict]:
    """The page's inputs grouped as a respondent meets them: the instrument (its
    name and shared answers), then item by item, or question by question."""
    blocks: list[dict] = []
    for row, field, seen in lines:
        s = row.source
        head = s.question_id if s.group == EXTRA_GROUP else s.item
        if not blocks or blocks[-1]["head"] != head:
            # An item's block opens with its short name: "U1 · Persyaratan".
            title = s.text if s.part == "name" else ""
            blocks.append({"head": head, "title": title, "question": questions.get(s.question_id), "lines": []})
        blocks[-1]["lines"].append({"row": row, "field": field, "seen": seen})
    return blocks


def _save_language(request, language, edit_form: LanguageEditForm) -> bool:
    if not edit_form.is_valid():
        return False
    try:
        questionnaire_language_update(
            language=language,
            user=request.user,
            name=edit_form.cleaned_data["name"],
            active=edit_form.cleaned_data["active"],
        )
    except ValidationError as exc:
        _apply_errors(edit_form, exc)
        return False
    messages.success(request, _("Bahasa %(code)s disimpan.") % {"code": language.code})
    return True


def _save_texts(request, language, texts_form: TextsForm) -> bool:
    if not texts_form.is_valid():
        return False
    try:
        saved = questionnaire_texts_save(
            language=language, user=request.user, texts=texts_form.changes(), seen_sources=texts_form.seen()
        )
    except ValidationError as exc:
        for key, errors in exc.message_dict.items():
            name = _field_name(key)
            texts_form.add_error(name if name in texts_form.fields else None, errors)
        return False
    if not saved.changed:
        messages.info(request, _("Tidak ada terjemahan yang berubah."))
    if saved.created or saved.updated:
        messages.success(request, _("%(n)d terjemahan disimpan.") % {"n": saved.created + saved.updated})
    if saved.removed:
        messages.info(
            request,
            _("%(n)d terjemahan dihapus; teks itu kembali tampil dalam bahasa Indonesia.") % {"n": saved.removed},
        )
    return True


@login_required
@require_http_methods(["GET", "POST"])
def language_texts(request, code: str):
    _require_admin(request)
    language = questionnaire_language_get(code=code)
    groups = _groups()
    group = request.GET.get("bagian") or groups[0][0]
    if group not in dict(groups):
        group = groups[0][0]
    sources, page, questions = _sources(group, request.GET.get("halaman") or 1)
    rows = text_rows(language=language, sources=sources)
    query = {"bagian": group, **({"halaman": page.number} if page is not None and page.number > 1 else {})}
    back = f"{reverse('surveys:language_texts', args=[language.code])}?{urlencode(query)}"
    texts_form = TextsForm(rows=rows)
    edit_form = LanguageEditForm(initial={"name": language.name, "active": language.active})
    status = 200
    if request.method == "POST":
        if request.POST.get("aksi") == "bahasa":
            edit_form = LanguageEditForm(request.POST)
            saved = _save_language(request, language, edit_form)
        else:
            texts_form = TextsForm(request.POST, rows=rows)
            saved = _save_texts(request, language, texts_form)
        if saved:
            return redirect(back)
        status = 400
    progress = language_progress(languages=[language])[language.pk]
    tabs = [
        {"code": g, "title": title, "progress": progress.groups.get(g), "current": g == group} for g, title in groups
    ]
    return render(
        request,
        "surveys/languages/texts.html",
        {
            "language": language,
            "progress": progress.total,
            "tabs": tabs,
            "group": group,
            "page": page,
            "blocks": _blocks(texts_form.lines(), questions),
            "form": texts_form,
            "edit_form": edit_form,
            "translation_max": TRANSLATION_MAX,
        },
        status=status,
    )
