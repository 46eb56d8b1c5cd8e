"""The load test's verdict and figures, checked without a server."""

import pytest

from tests.load.summary import (
    CAPTURE,
    CAPTURE_WITH_PHOTO,
    Sample,
    Stored,
    figures_by_kind,
    percentile,
    problems,
    read_samples,
    report,
    saved_posts,
)


def post(ok=True, status=200, photo=False, millis=100.0):
    return Sample(CAPTURE_WITH_PHOTO if photo else CAPTURE, millis, status, ok)


def test_percentiles_take_the_nearest_rank():
    values = list(range(100, 0, -1))  # 1..100, unordered

    assert percentile(values, 50) == 50
    assert percentile(values, 95) == 95
    assert percentile(values, 99) == 99
    assert percentile(values, 100) == 100


def test_a_percentile_of_few_values_is_one_of_them_never_an_interpolation():
    assert percentile([10.0, 20.0, 30.0], 50) == 20.0
    assert percentile([10.0, 20.0, 30.0], 99) == 30.0
    assert percentile([7.0], 50) == 7.0


def test_a_percentile_of_nothing_is_refused():
    with pytest.raises(ValueError, match="No values"):
        percentile([], 50)


def test_figures_are_given_per_request_kind_with_errors_and_server_errors():
    samples = [
        Sample("dashboard", 100, 200, True),
        Sample("dashboard", 300, 502, False),
        Sample("dashboard", 200, 0, False),
        post(millis=50),
    ]

    dashboard, capture = sorted(figures_by_kind(samples), key=lambda f: f.kind, reverse=True)

    assert (dashboard.requests, dashboard.errors, dashboard.server_errors) == (3, 2, 1)
    assert (dashboard.p50, dashboard.p95, dashboard.p99) == (200, 300, 300)
    assert (capture.kind, capture.requests, capture.p50) == (CAPTURE, 1, 50)


def test_saved_posts_count_only_capture_posts_the_site_answered_as_saved():
    samples = [
        post(),
        post(photo=True),
        post(ok=False, status=409),
        Sample("dashboard", 1, 200, True),
    ]

    assert saved_posts(samples) == (2, 1)


def test_a_run_passes_when_every_saved_post_is_one_stored_row():
    samples = [post(), post(photo=True), post(ok=False, status=0)]

    assert problems(samples, Stored(observations=2, photos=1)) == []


def test_a_post_stored_but_not_answered_as_saved_fails_the_run():
    found = problems([post(), post(ok=False, status=0)], Stored(observations=2, photos=0))

    assert found == ["1 capture posts were answered as saved but 2 observations are stored."]


def test_a_saved_post_missing_from_the_database_fails_the_run():
    found = problems([post(), post()], Stored(observations=1, photos=0))

    assert found == ["2 capture posts were answered as saved but 1 observations are stored."]


def test_a_lost_photo_fails_the_run():
    found = problems([post(photo=True)], Stored(observations=1, photos=0))

    assert found == ["1 posts with a photo were saved but 0 photos are stored."]


def test_any_server_error_fails_the_run_even_when_the_rows_match():
    samples = [post(), Sample("dashboard", 5, 500, False)]

    assert problems(samples, Stored(observations=1, photos=0)) == [
        "1 responses were server errors (5xx)."
    ]


def test_a_run_that_saved_nothing_fails():
    assert problems([], Stored(observations=0, photos=0)) == [
        "No capture post was saved, so the run proves nothing."
    ]


def test_the_report_shows_each_kind_and_the_verdict():
    samples = [post(millis=120), Sample("dashboard", 80, 200, True)]

    text = report(samples, Stored(observations=1, photos=0))

    assert "capture: post" in text
    assert "dashboard" in text
    assert "capture posts saved: 1 (0 with a photo)" in text
    assert text.endswith("PASS: no server error, and every saved post is one stored row.")


def test_samples_are_read_back_as_locust_wrote_them(tmp_path):
    path = tmp_path / "samples.jsonl"
    path.write_text('["capture: post", 12.5, 200, true]\n["dashboard", 3.0, 0, false]\n')

    assert read_samples(path) == [post(millis=12.5), Sample("dashboard", 3.0, 0, False)]
