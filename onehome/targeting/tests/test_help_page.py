"""Labels, not codes (issue 15): targeting pages name indicators, catalogues and dimensions,
explain H, A and M0 through a help page (Thai and English) generated from the catalogue."""

from django.conf import settings

from onehome.targeting import catalogue_files


def test_area_page_shows_indicator_labels_and_links_to_help(client, run, worker):
    client.force_login(worker)
    body = client.get(f"/targeting/runs/{run.pk}/areas/").content.decode()
    assert "รายได้เฉลี่ยของคนในครัวเรือนต่อปี" in body  # bmn22 by its label
    assert "bmn22" not in body and "tpmap_2018 " not in body and "· tpmap_2018" not in body
    assert "TPMAP 2018" in body  # the catalogue by its name
    assert f'href="/targeting/help/?catalogue={run.spec_name}"' in body
    assert f'href="/targeting/help/?catalogue={run.spec_name}#M0"' in body


def test_help_page_in_thai_lists_every_indicator_with_its_label(client, worker):
    client.force_login(worker)
    response = client.get("/targeting/help/", {"catalogue": "tpmap_2018"})
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="th">' in body
    for anchor in ('id="H"', 'id="A"', 'id="M0"', 'id="k"', 'id="union"'):
        assert anchor in body
    assert "H × A" in body and "สุขภาพ" in body  # M0 = H × A; the dimensions in Thai
    labels = catalogue_files.indicator_labels("tpmap_2018")
    assert labels["bmn22"] == "รายได้เฉลี่ยของคนในครัวเรือนต่อปี"
    for indicator_id, label in labels.items():
        assert f'id="indicator-{indicator_id}"><td>{label}</td>' in body
    assert "1/15" in body  # bmn22's weight, from the catalogue


def test_help_page_in_english(client, worker):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(worker)
    response = client.get("/targeting/help/", {"catalogue": "global_mpi"})
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="en">' in body
    assert "headcount ratio" in body and "The union rule" in body
    assert "Global MPI" in body
    assert body.count('id="indicator-') == len(catalogue_files.catalogue("global_mpi").indicators)
    assert "has no electricity" in body and "1/18" in body
