"""The sign-in forms: username and password, then a six-digit code (or a recovery code)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from . import recovery, totp


class PasswordForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150, strip=True)
    password = forms.CharField(label=_("Password"), max_length=4096, strip=False, widget=forms.PasswordInput)


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=32)

    def clean_code(self) -> str:
        code = totp.normalise_code(self.cleaned_data["code"])
        if len(code) != totp.DIGITS or not code.isascii() or not code.isdigit():
            raise forms.ValidationError(_("Enter the 6-digit code from your authenticator app."))
        return code


class RecoveryCodeForm(forms.Form):
    """A recovery code as typed (any case, with or without hyphens); the service normalises it."""

    recovery_code = forms.CharField(
        label=_("Recovery code"),
        max_length=64,
        error_messages={"required": _("Enter one of your recovery codes.")},
    )

    def clean_recovery_code(self) -> str:
        typed: str = self.cleaned_data["recovery_code"]
        if not recovery.normalise_code(typed):
            raise forms.ValidationError(
                _("Enter a recovery code as it was shown: 12 letters and digits, for example 7kq2-9xmd-4hvb.")
            )
        return typed
