"""Signing in: failed logins locked out (django-axes), every sign-in event audited, password
rules for Thai users, a second factor (TOTP, django-otp) for wide-reaching accounts, and
sessions that end when idle. See docs/operations.md, "Sign-in", and docs/decisions/0011.

- `lockout`: the axes backend, handler (one limit per account, another per address) and
  the answer to a locked-out sign-in (a page, or JSON on the API).
- `events`: the audit rows for sign-in, failure, lockout and sign-out.
- `validators`: the password validators named in settings.AUTH_PASSWORD_VALIDATORS.
- `second_factor`: who needs one, and the TOTP devices (enrol, confirm, verify).
- `middleware`: the idle timeout, and the pages allowed before the second factor.
- `views`, `urls`: the enrolment and code pages, under /signin/.
"""
