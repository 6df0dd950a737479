from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SsoConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "skm.sso"
    label = "sso"
    verbose_name = _("Masuk tunggal (SSO)")
