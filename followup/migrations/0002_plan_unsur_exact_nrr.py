"""Plan priorities keep the exact NRR (integer sum and answered count) instead
of a 4-decimal copy rounded half-even that was rounded again for print."""

from django.db import migrations, models
from django.db.models import Count, Sum


def snapshot_from_responses(apps, schema_editor):
    """Fill the sum and count of each existing priority row from the plan's responses."""
    PlanUnsur = apps.get_model("followup", "PlanUnsur")
    Response = apps.get_model("surveys", "Response")
    for row in PlanUnsur.objects.exclude(code__isnull=True).exclude(code="").select_related("plan"):
        field = row.code.lower()
        agg = Response.objects.filter(unit_id=row.plan.unit_id, period_id=row.plan.period_id).aggregate(
            total=Sum(field), answered=Count(field)
        )
        if agg["answered"]:
            row.nrr_total, row.nrr_answered = agg["total"], agg["answered"]
            row.save(update_fields=["nrr_total", "nrr_answered"])


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0001_initial"),
        ("surveys", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="planunsur",
            name="nrr_answered",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="jumlah responden yang menjawab"),
        ),
        migrations.AddField(
            model_name="planunsur",
            name="nrr_total",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="jumlah nilai jawaban"),
        ),
        migrations.RunPython(snapshot_from_responses, migrations.RunPython.noop),
        migrations.RemoveField(model_name="planunsur", name="converted"),
        migrations.RemoveField(model_name="planunsur", name="grade"),
        migrations.RemoveField(model_name="planunsur", name="grade_label"),
        migrations.RemoveField(model_name="planunsur", name="nrr"),
        migrations.AlterField(
            model_name="plan",
            name="weight_mode",
            field=models.CharField(
                choices=[("exact", "exact"), ("0.111", "0.111"), ("0.11", "0.11")],
                default="exact",
                max_length=5,
                verbose_name="mode bobot",
            ),
        ),
    ]
