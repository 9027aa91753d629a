"""API tokens (django-rest-knox; docs/decisions/0012-api-tokens-knox.md): issued by
`POST /api/token/`, shown once in that answer and never again, stored as a SHA-512 digest
and a 15-character prefix, expiring after ONEHOME_TOKEN_TTL_HOURS, revoked by a password
change, by their owner (the "API tokens" page, `/api/token/logout/` and `logout-all/`) and
by an administrator (the admin site).

- `services`: issue and revoke (every create and delete is audited and notified by the
  receivers in `onehome.access.user_changes`, whatever path it comes from).
- `selectors`: a user's tokens, as the page lists them (prefix, issued, expiry).
- `views`, `api`, `urls`: the page and the API endpoints.
"""
