"""HTML forms of the shopper app (Flask-WTF: every one carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length

LANGUAGE_CHOICES = [SelectChoice("fr", "Français"), SelectChoice("en", "English"),
                    SelectChoice("pt", "Português")]


class RegisterForm(FlaskForm):
    first_name = StringField(_l("First name"), validators=[InputRequired(), Length(max=80)])
    last_name = StringField(_l("Last name"), validators=[InputRequired(), Length(max=80)])
    email = EmailField(_l("Email"), validators=[InputRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"),
                             validators=[InputRequired(), Length(min=8, max=128)])
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES, default="en")


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[InputRequired(), Email()])
    password = PasswordField(_l("Password"), validators=[InputRequired()])
