"""`onehome audit verify`: recompute the audit log's hash chains and name the first row that
does not hold (exit status 1), or print the last row of each chain, to keep elsewhere."""

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from onehome.access import audit_chain
from onehome.access.models import AuditEvent


class Command(BaseCommand):
    help = "The audit log: `verify` checks its hash chains."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="subcommand", required=True)
        verify = commands.add_parser(
            "verify", help="Recompute the hash chains; name the first row that does not hold."
        )
        verify.add_argument(
            "--start",
            action="append",
            default=[],
            metavar="CHAIN:HASH",
            help="once old rows have been archived: the hash the first remaining row of a "
            "chain links to (that of its last archived row); once per chain",
        )
        verify.add_argument(
            "--expect",
            action="append",
            default=[],
            metavar="ID:HASH",
            help="a chain's last row as an earlier verify printed it: it must still be there "
            "with that hash (kept elsewhere, it shows a chain cut short or rewritten)",
        )
        verify.add_argument(
            "--no-progress", action="store_true", help="no progress bar (it is shown on a tty)"
        )

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "verify":
            self.verify(
                starts=dict(_pairs(options["start"], "--start", "CHAIN:HASH")),
                expected=_pairs(options["expect"], "--expect", "ID:HASH"),
                progress=not options["no_progress"] and sys.stderr.isatty(),
            )

    def verify(self, *, starts: dict[int, str], expected: list, progress: bool) -> None:
        total = AuditEvent.objects.count() if progress else None
        with tqdm(total=total, desc="audit chain", unit="row", disable=not progress) as bar:
            rows = audit_chain.rows_in_order(AuditEvent.objects.all())
            result = audit_chain.check(AuditEvent, _counted(rows, bar), starts=starts)
        if result.broken is not None:
            raise CommandError(
                f"audit log: the chain is broken at row {result.broken.row_id}: "
                f"{result.broken.problem}. Rows before it verify."
            )
        for row_id, kept in expected:
            now = AuditEvent.objects.filter(pk=row_id).values_list("hash", flat=True).first()
            if now != kept:
                state = "is gone" if now is None else f"now has hash {now[:12]}…"
                raise CommandError(
                    f"audit log: row {row_id}, kept with hash {kept[:12]}…, {state}: "
                    "the log was cut short or rewritten from there on."
                )
        self.stdout.write(
            f"audit log: {result.rows} rows on {len(result.heads)} chains, every chain holds. "
            "The last row of each (keep these; --expect ID:HASH checks one later):"
        )
        for chain, (row_id, last) in sorted(result.heads.items()):
            self.stdout.write(f"  chain {chain}: {row_id}:{last}")


def _pairs(given: list[str], option: str, form: str) -> list[tuple[int, str]]:
    pairs = []
    for item in given:
        number, _colon, value = item.rpartition(":")
        if not number.isdigit() or len(value) != 64:
            raise CommandError(f"{option} {item}: expected {form} (a number, 64 hex digits)")
        pairs.append((int(number), value))
    return pairs


def _counted(rows, bar):
    for row in rows:
        bar.update()
        yield row
