"""Members' pages take their figures from the releases the refresh stored (publish/stored_release.py): with
disclosure control made to fail, every page that shows controlled figures is still served, from the store."""

from __future__ import annotations

from webhelpers import YEARS, http_client

PAGES = ("/scorecard?year={y}", "/briefing?year={y}", "/areas?year={y}", "/sufficiency?year={y}")


def test_member_pages_are_served_from_the_stored_releases(app, base_url, monkeypatch):
    from careboard.publish import stored_release

    def refuse(*_args, **_kwargs):
        raise AssertionError("disclosure control was run again instead of reading the stored release")

    monkeypatch.setattr(stored_release, "build_release", refuse)
    app.state.web.briefings.clear()  # forget releases and pages other tests had this app build
    client = http_client(base_url, "member")
    try:
        for path in [p.format(y=y) for y in YEARS for p in PAGES] + ["/data-quality"]:
            r = client.get(path)
            assert r.status_code == 200, (path, r.status_code)
        scorecard = client.get(f"/scorecard?year={YEARS[-1]}").text
        assert ">c<" in scorecard.replace(" ", "")  # controlled figures, hidden ones marked
    finally:
        client.close()
