"""The whole Find Reviewer story through the typed stubs, against the real server: the
pipeline feeds, the portal asks, the reviewer answers by token, the business opens and
reports; then time passes on the test clock: reminder, expiry, manual reminder, decline."""

from __future__ import annotations

import pytest
from support import expect, ServerProcess, reply_token

import findreviewer
from findreviewer import RpcError, StatusCode
from findreviewer import v1

HOUR = 3600
ANN = "ann@mail.example"


@pytest.fixture(scope="module")
def story_server() -> ServerProcess:
    process = ServerProcess("--test-clock")
    yield process
    process.cleanup()


def test_the_whole_story(story_server: ServerProcess) -> None:
    server = story_server
    with (findreviewer.Channel(server.address, key=server.key("reviews-ingest")) as ingest_channel,
          findreviewer.Channel(server.address, key=server.key("business-portal")) as portal_channel,
          findreviewer.Channel(server.address, key=server.key("consumer-site")) as consumer_channel,
          findreviewer.Channel(server.address, key=server.key("admin")) as admin_channel):
        ingest = findreviewer.FindReviewerStub(ingest_channel)
        portal = findreviewer.FindReviewerStub(portal_channel)
        consumer = findreviewer.FindReviewerStub(consumer_channel)
        admin = findreviewer.AdminStub(admin_channel)

        # -- the reviews pipeline
        business = ingest.upsert_business(v1.UpsertBusinessRequest(business=v1.Business(
            id="acme", display_name="Acme Travel", notification_email="team@acme.example", locale="en",
            plan=v1.PLAN_FREE)))
        assert business.created and not business.business.intro_acknowledged
        assert ingest.upsert_reviewer(v1.UpsertReviewerRequest(reviewer=v1.Reviewer(
            id="ann", display_name="Ann Andersson", email=ANN, locale="en"))).created
        for review_id, source, title in [("r1", v1.REVIEW_SOURCE_ORGANIC, "Never got our room"),
                                         ("r2", v1.REVIEW_SOURCE_PLATFORM_INVITATION, "Slow check-in"),
                                         ("r3", v1.REVIEW_SOURCE_BUSINESS_INVITATION, "Noisy")]:
            published = ingest.publish_review(v1.PublishReviewRequest(review=v1.Review(
                id=review_id, business_id="acme", reviewer_id="ann", rating=1, title=title,
                text="It went wrong.", experience_date="2026-10-01", source=source)))
            assert published.review.id == review_id
        # The pipeline may not act as the portal.
        expect(StatusCode.PERMISSION_DENIED, ingest.get_review, v1.GetReviewRequest(business_id="acme", review_id="r1"))

        # -- the portal: introduction first
        intro = portal.get_introduction(v1.GetIntroductionRequest(business_id="acme"))
        assert not intro.acknowledged and "5 days" in intro.text
        ask = v1.CreateInfoRequestRequest(
            business_id="acme", review_id="r1",
            message="Hello! We cannot find your booking. Could you share its number and your name?",
            requested_fields=[v1.REQUESTED_FIELD_REFERENCE_NUMBER, v1.REQUESTED_FIELD_FULL_NAME],
            reference_label="Booking number")
        refused = expect(StatusCode.FAILED_PRECONDITION, portal.create_info_request, ask)
        assert refused.reason == "INTRODUCTION_NOT_ACKNOWLEDGED" and refused.description
        acknowledged = portal.acknowledge_introduction(v1.AcknowledgeIntroductionRequest(business_id="acme"))
        assert acknowledged.business.intro_acknowledged

        platform = v1.CreateInfoRequestRequest()
        platform.CopyFrom(ask)
        platform.review_id = "r2"
        assert expect(StatusCode.FAILED_PRECONDITION, portal.create_info_request, platform).reason == "PLATFORM_INVITED_REVIEW"

        created = portal.create_info_request(ask, idempotency_key="portal-7f3a").request
        assert created.status == v1.REQUEST_STATUS_PENDING
        assert created.deadline_at == created.created_at + 120 * HOUR
        # The same key again (a retry): the same request, not a second one.
        assert portal.create_info_request(ask, idempotency_key="portal-7f3a").request.id == created.id
        assert expect(StatusCode.FAILED_PRECONDITION, portal.create_info_request, ask).reason == "REQUEST_ALREADY_OPEN"
        report = v1.CreateReportRequest(business_id="acme", review_id="r1", reason=v1.REPORT_REASON_NOT_GENUINE_EXPERIENCE,
                                        explanation="No booking matches this review.", acknowledge_guidelines=True)
        assert expect(StatusCode.FAILED_PRECONDITION, portal.create_report, report).reason == "FIND_REVIEWER_TRY_REQUIRED"

        # -- the consumer site: the reviewer follows the link in the email
        token = reply_token(server.data_dir, ANN)
        seen = consumer.view_request_by_token(v1.ViewRequestByTokenRequest(token=token)).request
        assert (seen.request_id, seen.business_display_name, seen.reference_label) == (created.id, "Acme Travel", "Booking number")
        assert list(seen.requested_fields) == [v1.REQUESTED_FIELD_REFERENCE_NUMBER, v1.REQUESTED_FIELD_FULL_NAME]
        expect(StatusCode.PERMISSION_DENIED, consumer.get_info_request,
               v1.GetInfoRequestRequest(business_id="acme", request_id=created.id))
        replied = consumer.reply_to_request(v1.ReplyToRequestRequest(
            token=token, reference_number="BK-4711", full_name="Ann Andersson"))
        assert replied.request.status == v1.REQUEST_STATUS_ANSWERED
        expect(StatusCode.FAILED_PRECONDITION, consumer.reply_to_request,
               v1.ReplyToRequestRequest(token=token, full_name="Again"))

        # -- the portal opens the reply
        answered = portal.get_info_request(v1.GetInfoRequestRequest(business_id="acme", request_id=created.id)).request
        assert answered.status == v1.REQUEST_STATUS_ANSWERED and answered.reply_available
        assert not answered.HasField("reply")  # content only once opened
        opened = portal.open_reply(v1.OpenReplyRequest(business_id="acme", request_id=created.id)).request
        assert (opened.reply.reference_number, opened.reply.full_name) == ("BK-4711", "Ann Andersson")
        assert opened.opened_at > 0
        view = portal.get_review(v1.GetReviewRequest(business_id="acme", review_id="r1")).view
        assert view.find_reviewer.contacted and view.find_reviewer.reply.reference_number == "BK-4711"
        assert view.find_reviewer.can_report_not_genuine
        timeline = portal.get_timeline(v1.GetTimelineRequest(business_id="acme", request_id=created.id)).entries
        assert [entry.kind for entry in timeline] == [
            v1.TIMELINE_EVENT_KIND_CREATED, v1.TIMELINE_EVENT_KIND_ANSWERED, v1.TIMELINE_EVENT_KIND_REPLY_OPENED]
        # Business-facing answers never carry the reviewer's email or token.
        for message in (created, answered, opened, view):
            assert ANN.encode() not in message.SerializeToString()
            assert token.encode() not in message.SerializeToString()

        # -- the report, now that Find Reviewer was tried
        filed = portal.create_report(report).report
        assert filed.status == v1.REPORT_STATUS_OPEN and filed.review_id == "r1"
        assert [r.id for r in portal.list_reports(v1.ListReportsRequest(business_id="acme")).reports] == [filed.id]
        public = consumer.get_public_review(v1.GetPublicReviewRequest(review_id="r1")).review
        assert public.reviewer_contacted and public.title == "Never got our room"

        # -- time: reminder on day 3, expiry on day 5, one manual reminder, then a decline
        second = portal.create_info_request(v1.CreateInfoRequestRequest(
            business_id="acme", review_id="r3", message="Which room were you in?",
            requested_fields=[v1.REQUESTED_FIELD_REFERENCE_NUMBER])).request
        second_token = reply_token(server.data_dir, ANN, after=1)
        assert admin.advance_clock(v1.AdvanceClockRequest(seconds=72 * HOUR)).transitions_applied == 1
        reminded = portal.get_info_request(v1.GetInfoRequestRequest(business_id="acme", request_id=second.id)).request
        assert reminded.reminder_sent_at > 0 and reminded.status == v1.REQUEST_STATUS_PENDING
        admin.advance_clock(v1.AdvanceClockRequest(seconds=48 * HOUR))
        expired = portal.get_info_request(v1.GetInfoRequestRequest(business_id="acme", request_id=second.id)).request
        assert expired.status == v1.REQUEST_STATUS_EXPIRED
        # Viewing shows the state; replying needs a pending request.
        assert consumer.view_request_by_token(v1.ViewRequestByTokenRequest(token=second_token)).request.status == \
            v1.REQUEST_STATUS_EXPIRED
        assert expect(StatusCode.FAILED_PRECONDITION, consumer.reply_to_request,
                      v1.ReplyToRequestRequest(token=second_token, reference_number="12")).reason
        again = portal.send_manual_reminder(v1.SendManualReminderRequest(business_id="acme", request_id=second.id)).request
        assert again.status == v1.REQUEST_STATUS_PENDING and again.manual_reminder_sent_at > 0
        declined = consumer.decline_request(v1.DeclineRequestRequest(token=second_token)).request
        assert declined.status == v1.REQUEST_STATUS_DECLINED
        assert expect(StatusCode.FAILED_PRECONDITION, portal.send_manual_reminder,
                      v1.SendManualReminderRequest(business_id="acme", request_id=second.id)).reason

        counts = portal.list_info_requests(v1.ListInfoRequestsRequest(business_id="acme"))
        assert {c.status: c.count for c in counts.counts if c.count} == {
            v1.REQUEST_STATUS_ANSWERED: 1, v1.REQUEST_STATUS_DECLINED: 1}
        assert [r.id for r in counts.requests] == [second.id, created.id]  # newest first


def test_the_portal_through_the_async_stub(story_server: ServerProcess) -> None:
    import asyncio

    async def run() -> None:
        async with (findreviewer.AsyncChannel(story_server.address, key=story_server.key("reviews-ingest")) as ingest_channel,
                    findreviewer.AsyncChannel(story_server.address, key=story_server.key("business-portal")) as portal_channel):
            ingest = findreviewer.AsyncFindReviewerStub(ingest_channel)
            portal = findreviewer.AsyncFindReviewerStub(portal_channel)
            await ingest.upsert_business(v1.UpsertBusinessRequest(business=v1.Business(
                id="async-co", display_name="Async Co", notification_email="a@async.example", locale="sv")))
            await ingest.upsert_reviewer(v1.UpsertReviewerRequest(reviewer=v1.Reviewer(
                id="bo", display_name="Bo", email="bo@mail.example")))
            await ingest.publish_review(v1.PublishReviewRequest(review=v1.Review(
                id="a1", business_id="async-co", reviewer_id="bo", rating=2, title="Meh",
                source=v1.REVIEW_SOURCE_ORGANIC)))
            created = await portal.create_info_request(v1.CreateInfoRequestRequest(
                business_id="async-co", review_id="a1", message="Vilket bokningsnummer?",
                requested_fields=[v1.REQUESTED_FIELD_EMAIL], acknowledge_intro=True))
            assert created.request.status == v1.REQUEST_STATUS_PENDING
            with pytest.raises(RpcError) as caught:
                await portal.get_info_request(v1.GetInfoRequestRequest(business_id="acme", request_id=created.request.id))
            assert caught.value.code == StatusCode.NOT_FOUND  # another business's id: not revealed

    asyncio.run(run())
