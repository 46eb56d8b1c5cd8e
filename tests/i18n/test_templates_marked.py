"""What the translated pages show is all marked for translation, and the check finds what is not."""

from pathlib import Path

import pytest

from tests.i18n.unmarked import unmarked

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# The pages of the manager's capture flow, the CX lead's triage, an action owner's pages,
# sign-in, password and error pages, the frame every page shares, and every page a
# customer sees; the executive's and CX lead's reporting (dashboard, board pack, digest).
TRANSLATED = [
    "base.html",
    "registration/login.html",
    "immersion/language.html",
    "immersion/home_manager.html",
    "immersion/_home_sessions.html",
    "immersion/sessions/today.html",
    "immersion/sessions/_card.html",
    "immersion/sessions/detail.html",
    "immersion/sessions/complete.html",
    "journal/capture.html",
    "journal/_tiles.html",
    "journal/_prompts.html",
    "journal/_text_field.html",
    "journal/_photo_thumb.html",
    "journal/_source_badge.html",
    "journal/_session_observations.html",
    "journal/_observation_card.html",
    "journal/outbox.html",
    "insights/_form_errors.html",
    "insights/triage_queue.html",
    "insights/triage_observation.html",
    "insights/_triage_help.html",
    "insights/_impact.html",
    "insights/_status.html",
    "insights/_themes_inline.html",
    "insights/_theme_choices.html",
    "insights/_revisit_of.html",
    "insights/_photos.html",
    "insights/_pager.html",
    "insights/my_actions.html",
    "insights/action_detail.html",
    "insights/action_complete.html",
    "insights/_home_actions.html",
    "insights/_revisit_outcome.html",
    "insights/_revisit_outcome_line.html",
    "immersion/home_no_role.html",
    "403.html",
    "403_csrf.html",
    "404.html",
    "500.html",
    "registration/locked_out.html",
    "registration/password_reset_form.html",
    "registration/password_reset_done.html",
    "registration/password_reset_confirm.html",
    "registration/password_reset_complete.html",
    "registration/password_change_form.html",
    "registration/password_change_done.html",
    "insights/public/you_said_we_did.html",
    "insights/public/_promise.html",
    "insights/public/_fix_photos.html",
    "insights/public/tell_us.html",
    "insights/public/report_status.html",
    "insights/public/too_many.html",
    "insights/public/promise_versions.html",
    "insights/public/poster.html",
    "insights/public/audit_statement.html",
    "immersion/api/tokens.html",
    "immersion/design/form.html",
    "immersion/design/programme_detail.html",
    "immersion/design/programmes.html",
    "immersion/design/session_types.html",
    "immersion/home_auditor.html",
    "immersion/home_cx_lead.html",
    "immersion/home_executive.html",
    "immersion/sessions/calendar.html",
    "immersion/sessions/form.html",
    "immersion/sessions/list.html",
    "immersion/sessions/state_form.html",
    "immersion/email/reminder.txt",
    "immersion/email/reminder_subject.txt",
    "insights/_action_rows.html",
    "insights/_cx_lead_summary.html",
    "insights/_evidence_thumb.html",
    "insights/action_edit.html",
    "insights/action_list.html",
    "insights/audits/_photo.html",
    "insights/audits/detail.html",
    "insights/audits/item.html",
    "insights/audits/list.html",
    "insights/notification_settings.html",
    "insights/policy_edit.html",
    "insights/policy_list.html",
    "insights/promise_form.html",
    "insights/promise_list.html",
    "insights/public_photos/photo_edit.html",
    "insights/public_photos/photo_list.html",
    "insights/revisit_list.html",
    "insights/theme_edit.html",
    "insights/theme_list.html",
    "insights/triage_team_settings.html",
    "insights/triage_teams.html",
    "insights/verify_queue.html",
    "insights/webhook_detail.html",
    "insights/webhook_form.html",
    "insights/webhook_list.html",
    "journal/observation_delete.html",
    "journal/observation_detail.html",
    "journal/observation_edit.html",
    "journal/observation_list.html",
    "registration/password_reset_email.html",
    "registration/password_reset_subject.txt",
    "insights/dashboard/dashboard.html",
    "insights/dashboard/_figure.html",
    "insights/dashboard/_headline.html",
    "insights/dashboard/_feelings_legend.html",
    "insights/dashboard/_themes.html",
    "insights/dashboard/_revisits.html",
    "insights/dashboard/digest_email.html",
    "insights/board_pack/board_pack.html",
    "insights/journey/journey.html",
    "insights/journey/_track.html",
    "insights/dashboard/digest_email.txt",
    "insights/board_pack/board_pack_email.txt",
    "insights/email/notification.txt",
]


@pytest.mark.parametrize("name", TRANSLATED)
def test_every_word_the_page_shows_is_marked_for_translation(name):
    assert unmarked((TEMPLATES / name).read_text()) == []


def test_the_check_finds_text_attributes_and_english_defaults():
    source = (
        '<p>Hello</p><img alt="A shelf"><a title="{% translate \'Next\' %}">→</a>'
        '{{ name|default:"nobody" }}{% translate "Marked" %}'
        "{% blocktranslate %}Also {{ marked }}{% endblocktranslate %}"
        "<script>var word = 'code';</script>{# a comment #}"
    )

    assert unmarked(source) == ["Hello", "A shelf", "nobody"]
