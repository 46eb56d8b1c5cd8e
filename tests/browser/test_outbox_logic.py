"""The outbox module on its own, driven in the browser with a transport the test controls:
order, backoff, and removal only on the server's confirmation."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

# Three entries, a transport scripted per call, one flush; returns what was sent and kept.
SCENARIO = """
async ([answers, force]) => {
  const Outbox = window.ImmersionOutbox;
  const scope = "test-scope";
  await Outbox.clearScope(scope);
  for (const name of ["first", "second", "third"]) {
    await Outbox.add({key: name, scope, type: "observation", url: "/nowhere/",
                      sessionId: "1", label: name, fields: [["what_happened", name]],
                      photos: []});
    await new Promise(resolve => setTimeout(resolve, 2));
  }
  const sent = [];
  const transport = (url, data) => {
    sent.push(data.get("what_happened"));
    const answer = answers[sent.length - 1];
    if (answer === "network") return Promise.reject(new Error("network"));
    return Promise.resolve(answer);
  };
  const state = {scope, csrf: "token"};
  const before = Date.now();
  await Outbox.flush({transport, state, force});
  const kept = await Outbox.list(scope);
  return {
    sent,
    kept: kept.map(e => ({key: e.key, state: e.state, attempts: e.attempts,
                          message: e.message, waitMs: e.nextAttemptAt - before})),
  };
}
"""
SAVED = {"status": 200, "body": {"saved": True, "observation": 1, "next": "/"}}


@pytest.fixture
def outbox_page(page, live_server):
    page.goto("/accounts/login/")
    page.wait_for_function("() => window.ImmersionOutbox !== undefined")
    return page


def run(page, answers, force=True):
    return page.evaluate(SCENARIO, [answers, force])


def test_entries_are_sent_oldest_first_and_removed_when_confirmed(outbox_page):
    result = run(outbox_page, [SAVED, SAVED, SAVED])

    assert result == {"sent": ["first", "second", "third"], "kept": []}


def test_no_answer_keeps_the_entry_and_holds_back_the_ones_behind_it(outbox_page):
    result = run(outbox_page, [SAVED, "network"])

    assert result["sent"] == ["first", "second"]
    assert [(e["key"], e["state"], e["attempts"]) for e in result["kept"]] == [
        ("second", "waiting", 1),
        ("third", "waiting", 0),
    ]


def test_a_success_without_the_observation_id_is_not_a_confirmation(outbox_page):
    page_instead = {"status": 200, "body": None}

    result = run(outbox_page, [page_instead, SAVED, SAVED])

    assert [(e["key"], e["state"]) for e in result["kept"]] == [("first", "failed")]
    assert "did not confirm" in result["kept"][0]["message"]


def test_a_refusal_is_kept_with_the_servers_reason_and_the_rest_still_go(outbox_page):
    refused = {
        "status": 422,
        "body": {"saved": False, "errors": {"photos": [{"message": "notes.jpg: not a photo."}]}},
    }

    result = run(outbox_page, [refused, SAVED, SAVED])

    assert result["sent"] == ["first", "second", "third"]
    assert result["kept"] == [
        {
            "key": "first",
            "state": "refused",
            "attempts": 1,
            "message": "notes.jpg: not a photo.",
            "waitMs": result["kept"][0]["waitMs"],
        }
    ]


@pytest.mark.parametrize(("status", "reason"), [(403, "may not add"), (404, "no longer exists")])
def test_forbidden_or_gone_is_shown_as_a_refusal(outbox_page, status, reason):
    result = run(outbox_page, [{"status": status, "body": None}, SAVED, SAVED])

    assert result["kept"][0]["state"] == "refused"
    assert reason in result["kept"][0]["message"]


def test_a_server_error_waits_and_tries_again_later(outbox_page):
    result = run(outbox_page, [{"status": 503, "body": None}])

    first = result["kept"][0]
    assert (first["state"], first["attempts"]) == ("waiting", 1)
    assert 4_000 <= first["waitMs"] <= 6_000
    assert result["sent"] == ["first"]


def test_a_flush_that_is_not_forced_respects_the_wait(outbox_page):
    run(outbox_page, ["network"])

    sent = outbox_page.evaluate(
        """async () => {
          const sent = [];
          const transport = (url, data) => { sent.push(data.get("what_happened"));
                                             return Promise.reject(new Error("network")); };
          await ImmersionOutbox.flush({transport, state: {scope: "test-scope", csrf: "t"}});
          return sent;
        }"""
    )

    # "first" waits out its backoff; the ones behind it wait behind it.
    assert sent == ["second"]


def test_the_wait_doubles_up_to_five_minutes(outbox_page):
    delays = outbox_page.evaluate("() => [1, 2, 3, 4, 7, 20].map(ImmersionOutbox.backoff)")

    assert delays == [5_000, 10_000, 20_000, 40_000, 300_000, 300_000]


def test_server_errors_stop_after_a_bounded_number_of_tries(outbox_page):
    states = outbox_page.evaluate(
        """async () => {
          const Outbox = window.ImmersionOutbox;
          const scope = "test-scope";
          await Outbox.clearScope(scope);
          await Outbox.add({key: "only", scope, type: "observation", url: "/x/",
                            sessionId: "1", label: "only", fields: [], photos: []});
          const transport = () => Promise.resolve({status: 500, body: null});
          const states = [];
          for (let i = 0; i < Outbox.MAX_SERVER_ATTEMPTS; i++) {
            await Outbox.flush({transport, state: {scope, csrf: "t"}, force: true});
            states.push((await Outbox.get("only")).state);
          }
          return states;
        }"""
    )

    assert states[:-1] == ["waiting"] * (len(states) - 1)
    assert states[-1] == "failed"


def test_a_signed_out_phone_sends_nothing(outbox_page):
    result = outbox_page.evaluate(
        """async () => {
          const sent = [];
          const transport = () => { sent.push(1); return Promise.resolve({status: 200}); };
          const report = await ImmersionOutbox.flush({transport, state: {scope: ""}});
          return {sent, signedOut: report.signedOut};
        }"""
    )

    assert result == {"sent": [], "signedOut": True}
