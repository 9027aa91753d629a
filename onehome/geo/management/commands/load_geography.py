"""`onehome load_geography`: all 77 provinces, 928 districts and 7,436 sub-districts."""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from onehome.geo.services import load_geography


class Command(BaseCommand):
    help = "Load provinces, districts, sub-districts (geothai) and inspection regions."

    def handle(self, *args, **options):
        with tqdm(total=77 + 928 + 7436, desc="geography", unit="area") as bar:
            counts = load_geography(progress=bar.update)
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
