"""Finding the knee in the load test's steps (e2e/load/knee.py)."""

from __future__ import annotations

from e2e.load.knee import Endpoint, Step, endpoints_table, failures_below, knee, passed_limit


def _step(users: int, p95: float, failures: int = 0, requests: int = 300) -> Step:
    total = Endpoint("all requests", requests, failures, p95 / 3, p95, p95 * 1.5)
    inbox = Endpoint("inbox", requests - 100, failures, p95 / 3, p95, p95 * 1.5)
    sign_in = Endpoint("sign in", 100, 0, p95, p95 * 2, p95 * 3)
    return Step(users, 30.0, (sign_in, inbox), total)


RAMP = [_step(10, 40), _step(20, 90), _step(30, 480), _step(40, 900), _step(50, 300)]


def test_the_knee_is_the_last_step_before_the_p95_first_passed_the_limit() -> None:
    found = knee(RAMP, 500)
    assert found is RAMP[2]
    assert passed_limit(RAMP, 500)


def test_a_later_step_back_under_the_limit_does_not_move_the_knee() -> None:
    assert knee(RAMP, 500) is not RAMP[4]


def test_a_ramp_that_never_passed_the_limit_reports_its_top_not_a_knee() -> None:
    calm = RAMP[:3]
    assert knee(calm, 500) is calm[-1]
    assert not passed_limit(calm, 500)


def test_no_knee_when_even_the_first_step_was_over_the_limit() -> None:
    assert knee([_step(10, 800)], 500) is None
    assert failures_below([_step(10, 800, failures=3)], None) == 0


def test_failures_are_counted_up_to_the_knee_and_not_after() -> None:
    ramp = [_step(10, 40, failures=1), _step(20, 90, failures=2), _step(30, 700, failures=50)]
    assert knee(ramp, 500) is ramp[1]
    assert failures_below(ramp, ramp[1]) == 3


def test_requests_per_second_are_of_the_step_alone() -> None:
    assert _step(10, 40, requests=600).rps == 20.0


def test_the_endpoints_table_lists_the_busiest_first_with_their_own_rate() -> None:
    rows = endpoints_table(_step(10, 40)).splitlines()[2:]
    assert rows[0].startswith("| inbox | 6.7 |")
    assert rows[1].startswith("| sign in | 3.3 |")


def test_a_step_round_trips_through_the_json_the_locust_process_writes() -> None:
    step = _step(20, 90, failures=1)
    raw = {
        "users": 20,
        "seconds": 30.0,
        "endpoints": [vars(e) for e in step.endpoints],
        "total": vars(step.total),
    }
    assert Step.from_json(raw) == step
