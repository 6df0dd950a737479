from django.db import migrations, models

PATH_WIDTH = 8  # surveys.models.PATH_WIDTH at the time of this migration


def fill_paths(apps, schema_editor):
    """Give every existing unit its materialised path, one tree level at a time
    (roots first, then their children, ...), in bulk updates."""
    Unit = apps.get_model("surveys", "Unit")
    rows = list(Unit.objects.values_list("id", "parent_id"))
    children: dict[int | None, list[int]] = {}
    for unit_id, parent_id in rows:
        children.setdefault(parent_id, []).append(unit_id)
    paths: dict[int, str] = {}
    frontier = [(unit_id, "") for unit_id in children.get(None, [])]
    while frontier:
        nxt = []
        for unit_id, parent_path in frontier:
            if unit_id in paths:  # a cycle in old data: leave it where it was first reached
                continue
            paths[unit_id] = parent_path + f"{unit_id:0{PATH_WIDTH}d}."
            nxt.extend((child, paths[unit_id]) for child in children.get(unit_id, []))
        frontier = nxt
    units = [Unit(id=unit_id, path=path) for unit_id, path in paths.items()]
    Unit.objects.bulk_update(units, ["path"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0006_survey_rounds"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalunit",
            name="path",
            field=models.CharField(
                db_index=True, default="", editable=False, max_length=255, verbose_name="jalur pohon"
            ),
        ),
        migrations.AddField(
            model_name="unit",
            name="path",
            field=models.CharField(
                db_index=True, default="", editable=False, max_length=255, verbose_name="jalur pohon"
            ),
        ),
        migrations.RunPython(fill_paths, migrations.RunPython.noop),
    ]
