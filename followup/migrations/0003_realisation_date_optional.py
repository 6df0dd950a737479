"""A realised ("Sudah") item no longer needs a realisation date: the units'
own reports often have none (issue 23), and the product must not invent one."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0002_plan_unsur_exact_nrr"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="realisation",
            name="rtl_realisation_sudah_has_date",
        ),
    ]
