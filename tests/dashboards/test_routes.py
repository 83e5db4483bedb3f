"""Page routes, output files and relative links."""

from pathlib import PurePosixPath

import pytest

from expansion.dashboards.routes import (
    fill_route,
    output_file,
    page_segments,
    relative_href,
    route_segment,
    site_path_route,
    template_params,
)


@pytest.mark.parametrize(
    ("path", "segments"),
    [
        ("index.md", ()),
        ("nrr.md", ("nrr",)),
        ("accounts/index.md", ("accounts",)),
        ("accounts/[account_id].md", ("accounts", "[account_id]")),
    ],
)
def test_page_segments(path, segments):
    assert page_segments(PurePosixPath(path)) == segments


def test_template_params_and_filled_route():
    segments = ("accounts", "[account_id]")
    assert template_params(segments) == ("account_id",)
    assert fill_route(segments, {"account_id": "A-001"}) == ("accounts", "A-001")


def test_values_become_safe_file_names():
    assert route_segment("A/B c") == "A%2FB%20c"
    assert route_segment("..") == "%2E%2E"
    with pytest.raises(ValueError):
        route_segment("")


def test_each_page_is_a_folder_index():
    assert output_file(()) == PurePosixPath("index.html")
    assert output_file(("accounts", "A-001")) == PurePosixPath("accounts/A-001/index.html")


def test_site_paths_map_to_routes():
    assert site_path_route("/") == ()
    assert site_path_route("/accounts/A-001/") == ("accounts", "A-001")
    assert site_path_route("/accounts/A%2FB") == ("accounts", "A%2FB")


def test_relative_hrefs_work_from_file_urls():
    account = ("accounts", "A-001")
    assert relative_href(account, output_file(())) == "../../index.html"
    assert relative_href((), output_file(account)) == "accounts/A-001/index.html"
    assert relative_href(account, PurePosixPath("assets")) == "../../assets"
    assert relative_href((), output_file(("accounts", "A%2FB"))) == "accounts/A%252FB/index.html"


def test_a_link_between_pages_that_share_folders_climbs_only_above_them():
    assert relative_href(("accounts", "A-001"), output_file(("accounts", "A-002"))) == (
        "../A-002/index.html"
    )
    assert relative_href(("accounts", "A-001"), output_file(("accounts", "A-001"))) == (
        "index.html"
    )
    assert relative_href(("accounts",), output_file(("accounts", "A-001"))) == "A-001/index.html"
    assert relative_href(("triggers", "x", "y"), output_file(("accounts",))) == (
        "../../../accounts/index.html"
    )
    assert relative_href(("assets",), PurePosixPath("assets")) == "."
