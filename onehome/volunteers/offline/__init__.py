"""The volunteer's phone app, offline: restore (`package`), sync (`services`, `edits`),
the field-by-field merge (`merge`), the review queue (`review`) and the app's pages
(`views`: the shell, its manifest and service worker; the script is in
static/volunteers/offline/)."""
