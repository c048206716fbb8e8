"""Create the 22 Welsh local authorities from ``diogel.dataset.schema.local_authorities()``."""

from django.db import migrations


def create_local_authorities(apps, schema_editor):
    from diogel.dataset.schema import local_authorities

    LocalAuthority = apps.get_model("cases", "LocalAuthority")
    for la in local_authorities():
        LocalAuthority.objects.update_or_create(code=la.code, defaults={"name_en": la.name_en, "name_cy": la.name_cy})


def remove_local_authorities(apps, schema_editor):
    from diogel.dataset.schema import local_authorities

    LocalAuthority = apps.get_model("cases", "LocalAuthority")
    LocalAuthority.objects.filter(code__in=[la.code for la in local_authorities()]).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(create_local_authorities, remove_local_authorities)]
