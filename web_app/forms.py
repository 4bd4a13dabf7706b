"""HTML forms of the shopper app (Flask-WTF: every one carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
import phonenumbers
from wtforms import EmailField, PasswordField, SelectField, StringField, TelField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, Optional, ValidationError

LANGUAGE_CHOICES = [SelectChoice("fr", "Français"), SelectChoice("en", "English"),
                    SelectChoice("pt", "Português")]


class RegisterForm(FlaskForm):
    first_name = StringField(_l("First name"), validators=[InputRequired(), Length(max=80)])
    last_name = StringField(_l("Last name"), validators=[InputRequired(), Length(max=80)])
    email = EmailField(_l("Email"), validators=[InputRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"),
                             validators=[InputRequired(), Length(min=8, max=128)])
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES, default="en")
    phone = TelField(_l("Mobile phone, to write to us on WhatsApp (optional)"),
                     validators=[Optional(), Length(max=30)])

    def validate_phone(self, field: TelField) -> None:
        """Keep the number in E.164; a national number is read in the chosen language's
        country (French: France, Portuguese: Portugal, English: the United Kingdom)."""
        region = {"fr": "FR", "pt": "PT", "en": "GB"}.get(self.language.data, "GB")
        try:
            number = phonenumbers.parse(field.data, region)
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_possible_number(number):
            raise ValidationError(_l("This is not a phone number. Write it with its country "
                                     "code, for example +33 6 12 34 56 78."))
        field.data = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[InputRequired(), Email()])
    password = PasswordField(_l("Password"), validators=[InputRequired()])
