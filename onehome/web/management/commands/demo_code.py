"""`onehome demo_code`: the current second-factor code of the demo users (their TOTP
device holds the demo's published secret, onehome/demo/logins.py); nobody else's."""

from binascii import unhexlify

from django.core.management.base import BaseCommand
from django_otp.oath import TOTP

from onehome.demo.logins import DEMO_TOTP_SECRET, demo_totp_key


class Command(BaseCommand):
    help = "Print the current 6-digit code of the demo logins' second factor."

    def handle(self, *args, **options):
        totp = TOTP(unhexlify(demo_totp_key()))
        left = 30 - int(totp.time) % 30
        self.stdout.write(f"{totp.token():06d}")
        self.stderr.write(f"(demo secret {DEMO_TOTP_SECRET}; valid for {left} more seconds)")
