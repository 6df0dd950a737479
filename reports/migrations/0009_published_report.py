import django.db.models.deletion
from django.db import migrations, models

import reports.models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0008_report_sections"),
        ("surveys", "0009_round_tallies"),
    ]

    operations = [
        migrations.CreateModel(
            name="PublishedReport",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[("pdf_survey", "Laporan SKM (PDF)")],
                        default="pdf_survey",
                        max_length=20,
                        verbose_name="jenis",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Sedang disiapkan"),
                            ("running", "Sedang dibuat"),
                            ("done", "Tersedia"),
                            ("failed", "Gagal"),
                        ],
                        default="pending",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "file",
                    models.FileField(
                        blank=True,
                        max_length=255,
                        upload_to=reports.models.published_report_upload_to,
                        verbose_name="berkas",
                    ),
                ),
                ("sha256", models.CharField(blank=True, max_length=64, verbose_name="sidik SHA-256")),
                ("size", models.PositiveBigIntegerField(blank=True, null=True, verbose_name="ukuran (bita)")),
                ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="percobaan")),
                ("error", models.TextField(blank=True, verbose_name="alasan gagal")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="dibuat")),
                ("started_at", models.DateTimeField(blank=True, null=True, verbose_name="mulai dibuat")),
                ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="selesai")),
                (
                    "publication",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="published_reports",
                        to="surveys.roundpublication",
                        verbose_name="publikasi",
                    ),
                ),
            ],
            options={
                "verbose_name": "laporan terbit",
                "verbose_name_plural": "laporan terbit",
                "ordering": ["publication", "kind"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("publication", "kind"), name="publishedreport_one_per_publication_kind"
                    )
                ],
            },
        ),
    ]
