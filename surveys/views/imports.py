"""Upload of CSV/XLSX respondent files by unit staff."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ..access import unit_get_writable
from ..forms import ImportUploadForm
from ..importing import ImportFileError
from ..selectors import import_batch_list, period_current_open
from ..services import import_batch_create


@login_required
def import_upload(request, unit_code: str):
    unit = unit_get_writable(user=request.user, code=unit_code)
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["berkas"]
            try:
                result = import_batch_create(
                    fh=upload.file,
                    filename=upload.name,
                    unit=unit,
                    period=form.cleaned_data["periode"],
                    create_services=form.cleaned_data["buat_layanan"],
                    force=form.cleaned_data["impor_ulang"],
                    user=request.user,
                )
            except ImportFileError as exc:
                errors = exc.errors
                status = 400
            else:
                batch = result.batch
                messages.success(
                    request,
                    _("%(n)d jawaban dari '%(f)s' diimpor ke periode %(p)s.")
                    % {"n": batch.rows, "f": batch.filename, "p": batch.period.label},
                )
                if result.created_services:
                    messages.info(request, _("Jenis layanan baru: %(s)s") % {"s": ", ".join(result.created_services)})
                return redirect("surveys:import_upload", unit_code=unit.code)
        else:
            status = 400
    else:
        current = period_current_open()
        form = ImportUploadForm(initial={"periode": current.pk if current else None})
    page = Paginator(import_batch_list(unit=unit), 20).get_page(request.GET.get("hal"))
    return render(
        request,
        "surveys/collection/import.html",
        {"unit": unit, "form": form, "errors": errors, "page": page},
        status=status,
    )
