import Fluent
import Foundation
import LotseAPI
import LotseCrypto
import Testing
import Vapor

@testable import LotseServer

@Suite("Engagements: from inquiry to closing review")
struct EngagementFlowTests {
    @Test(
        "A client's inquiry becomes an agreed engagement: first meeting (a real booking), agreement, a revision, confirmation"
    )
    func inquiryToAgreement() async throws {
        try await withTestApp { t in
            let coach = try await t.coach("coach@example.org")
            try await t.publishProfile(coach, slug: "mara-coach")
            let client = try await t.participant("client@example.org")
            let engagement = try await t.inquire(from: client, to: coach, text: "Neue Stelle in Hamburg")

            // The coach sees the inquiry and opens its goals with the conversation key.
            let listed = try await t.send(.GET, "api/v1/engagements", token: coach.token).decode([Engagement].self)
            #expect(listed.map(\.id) == [engagement.id])
            #expect(listed[0].status == .inquiry && listed[0].initiatedBy == .client)
            #expect(listed[0].clients.map(\.userId) == [client.id])
            let items = try await t.send(.GET, engagement.path + "/items", token: coach.token)
                .decode([EngagementItem].self)
            let inquiry = try #require(items.first { $0.kind == .inquiry })
            let opened = try EngagementCipher.open(
                try #require(inquiry.sealed), as: EngagementText.self, engagement: engagement.id, key: engagement.key,
                authorKey: client.keys.signing.publicKey)
            #expect(opened.text == "Neue Stelle in Hamburg")

            // First meeting: the coach proposes free times; the client asks for others instead.
            let type = try await makeBookable(t, coach)
            func propose(_ times: [Date]) async throws -> Booking {
                try await t.send(
                    .POST, "api/v1/proposals",
                    json: ProposeTimes(id: UUID(), engagementId: engagement.id, sessionTypeId: type, starts: times),
                    token: coach.token
                ).decode(Booking.self)
            }
            func seen() async throws -> FirstMeeting? {
                try await t.send(.GET, engagement.path, token: client.token).decode(Engagement.self).firstMeeting
            }
            let earlier = try await propose([moment("2026-11-24T09:00:00Z")])
            let expected = FirstMeeting(
                at: moment("2026-11-24T09:00:00Z"), format: .online, location: nil, acceptedAt: nil,
                bookingId: earlier.id)
            let proposedMeeting = try await seen()
            #expect(proposedMeeting == expected)
            let otherTime = try await t.send(.POST, "api/v1/bookings/\(earlier.id)/cancel", token: client.token)
            #expect(otherTime.status == .ok)
            #expect(try await seen() == nil)
            let waiting = try await t.send(.GET, "api/v1/notifications", token: coach.token)
                .decode(NotificationList.self)
            #expect(waiting.items.contains { $0.kind == .otherTimeAsked && $0.engagementId == engagement.id })

            // Proposed again; the client picks one: it is booked, and it holds the hour like any session.
            let times = [moment("2026-11-25T09:00:00Z"), moment("2026-11-26T10:00:00Z")]
            let second = try await propose(times)
            let slots = "api/v1/engagements/\(engagement.id)/slots?sessionType=\(type)"
            let freeBefore = try await t.send(.GET, slots, token: client.token).decode(FreeSlots.self).starts
            #expect(freeBefore.contains(times[1]))
            let notTheCoach = try await t.send(
                .POST, "api/v1/bookings/\(second.id)/accept", json: PickTime(startsAt: times[1]), token: coach.token)
            #expect(notTheCoach.errorCode == "engagements.client_only")
            let picked = try await t.send(
                .POST, "api/v1/bookings/\(second.id)/accept", json: PickTime(startsAt: times[1]), token: client.token)
            #expect(try picked.decode(Booking.self).status == .confirmed)
            let meeting = try #require(try await seen())
            #expect(meeting.at == times[1] && meeting.bookingId == second.id && meeting.acceptedAt != nil)
            let freeAfter = try await t.send(.GET, slots, token: client.token).decode(FreeSlots.self).starts
            #expect(!freeAfter.contains(times[1]))
            let sameHour = try await t.send(
                .POST, "api/v1/bookings",
                json: CreateBooking(id: UUID(), engagementId: engagement.id, sessionTypeId: type, startsAt: times[1]),
                token: client.token)
            #expect(sameHour.errorCode == "scheduling.slot_unavailable")
            // A later session is a session, not the first meeting.
            _ = try await book(t, engagement.id, type, at: "2026-11-27T10:00:00Z", by: client)
            #expect(try await seen()?.bookingId == second.id)

            // Agreement: version 1, then a revision; confirming the old version is refused.
            let scope = try engagement.seal(EngagementText(text: "Die ersten 100 Tage"), by: coach)
            let proposal = ProposeAgreement(
                sessions: 5, fee: Price(amount: 60_000, currency: "EUR", per: .engagement), startsOn: "2026-12-01",
                endsOn: "2027-03-10", scope: scope)
            let first = try await t.send(.PUT, engagement.path + "/agreement", json: proposal, token: coach.token)
                .decode(Engagement.self)
            #expect(first.status == .agreementProposed && first.agreement?.version == 1)
            // A retried proposal changes nothing.
            let retried = try await t.send(.PUT, engagement.path + "/agreement", json: proposal, token: coach.token)
                .decode(Engagement.self)
            #expect(retried.agreement?.version == 1)
            var revised = proposal
            revised.sessions = 6
            revised.scope = try engagement.seal(EngagementText(text: "Sechs Sitzungen"), by: coach)
            #expect(
                try await t.send(.PUT, engagement.path + "/agreement", json: revised, token: coach.token)
                    .decode(Engagement.self).agreement?.version == 2)
            let stale = try await t.send(
                .POST, engagement.path + "/agreement/confirm", json: ConfirmAgreement(version: 1), token: client.token)
            #expect(stale.status == .conflict && stale.errorCode == "engagements.agreement_changed")
            let backwards = ProposeAgreement(
                sessions: 6, fee: nil, startsOn: "2027-03-10", endsOn: "2026-12-01", scope: revised.scope)
            let badDates = try await t.send(.PUT, engagement.path + "/agreement", json: backwards, token: coach.token)
            #expect(badDates.status == .badRequest && badDates.field == "endsOn")

            let active = try await t.send(
                .POST, engagement.path + "/agreement/confirm", json: ConfirmAgreement(version: 2), token: client.token
            )
            .decode(Engagement.self)
            #expect(active.status == .active)
            #expect(active.clients.first?.confirmedVersion == 2)
            // The coach can no longer change the agreement once the work has started.
            let late = try await t.send(.PUT, engagement.path + "/agreement", json: proposal, token: coach.token)
            #expect(late.errorCode == "engagements.wrong_status")

            let timeline = try await t.send(.GET, engagement.path + "/timeline", token: client.token)
                .decode([EngagementEvent].self).map(\.kind)
            #expect(
                timeline == [
                    .inquirySent, .meetingProposed, .meetingProposed, .meetingAccepted, .agreementProposed,
                    .agreementProposed,
                    .agreementConfirmed, .started,
                ])
        }
    }

    @Test("The coach declines politely with a sealed reason; a retry answers the same and nothing else changes")
    func declineWithReason() async throws {
        try await withTestApp { t in
            let coach = try await t.coach("coach@example.org")
            try await t.publishProfile(coach, slug: "busy-coach")
            let client = try await t.participant("client@example.org")
            let engagement = try await t.inquire(from: client, to: coach)
            let reason = try engagement.seal(EngagementText(text: "Leider keine freien Termine"), by: coach)
            for _ in 0..<2 {
                let declined = try await t.send(
                    .POST, engagement.path + "/decline", json: DeclineEngagement(reason: reason), token: coach.token)
                #expect(declined.status == .ok)
                #expect(try declined.decode(Engagement.self).status == .declined)
            }
            let seen = try await t.send(.GET, engagement.path, token: client.token).decode(Engagement.self)
            let text = try EngagementCipher.open(
                try #require(seen.declineReason), as: EngagementText.self, engagement: engagement.id,
                key: engagement.key, authorKey: coach.keys.signing.publicKey)
            #expect(text.text == "Leider keine freien Termine")
            let events = try await t.send(.GET, engagement.path + "/timeline", token: client.token)
                .decode([EngagementEvent].self)
            #expect(events.filter { $0.kind == .declined }.count == 1)
            let type = try await makeBookable(t, coach)
            let afterwards = try await t.send(
                .POST, "api/v1/proposals",
                json: ProposeTimes(
                    id: UUID(), engagementId: engagement.id, sessionTypeId: type,
                    starts: [t.clock.now.addingTimeInterval(86_400)]),
                token: coach.token)
            #expect(afterwards.errorCode == "scheduling.engagement_ended")
        }
    }

    @Test("An inquiry retried with the same ID answers 200 with the first; another coach's ID or a wrong key fails")
    func inquiryIsIdempotent() async throws {
        try await withTestApp { t in
            let coach = try await t.coach("coach@example.org")
            try await t.publishProfile(coach, slug: "retry-coach")
            let client = try await t.participant("client@example.org")
            let id = UUID()
            let (conversation, key) = try t.newConversation(client, with: [coach])
            let engagement = TestEngagement(
                id: id, conversation: conversation.id, key: key, coach: coach, clients: [client])
            let request = CreateInquiry(
                id: id, profileId: coach.id, conversation: conversation,
                inquiry: try engagement.seal(EngagementText(text: "Hallo"), by: client))
            let statuses = try await [1, 2].asyncMap { _ in
                try await t.send(.POST, "api/v1/inquiries", json: request, token: client.token).status
            }
            #expect(statuses == [.created, .ok])
            #expect(try await EngagementRecord.query(on: t.app.db).count() == 1)
            #expect(try await EngagementItemRecord.query(on: t.app.db).count() == 1)

            // Sealed by someone else than the requester, or under a key epoch that does not exist: 400/409.
            let (other, _) = try t.newConversation(client, with: [coach])
            var forged = CreateInquiry(
                id: UUID(), profileId: coach.id, conversation: other,
                inquiry: try engagement.seal(EngagementText(text: "x"), by: coach))
            let wrongAuthor = try await t.send(.POST, "api/v1/inquiries", json: forged, token: client.token)
            #expect(wrongAuthor.status == .badRequest && wrongAuthor.field == "inquiry.author")
            forged.inquiry = try engagement.seal(EngagementText(text: "x"), by: client, epoch: 2)
            let wrongEpoch = try await t.send(.POST, "api/v1/inquiries", json: forged, token: client.token)
            #expect(wrongEpoch.errorCode == "messaging.stale_epoch")
            forged.inquiry = try engagement.seal(EngagementText(text: "x"), by: client)
            forged.profileId = UUID()
            let noProfile = try await t.send(.POST, "api/v1/inquiries", json: forged, token: client.token)
            #expect(noProfile.status == .notFound && noProfile.errorCode == "directory.profile_not_found")
        }
    }

    @Test("The workspace: goals with progress and milestones, tasks, reviews, feedback, a closing review")
    func workspace() async throws {
        try await withTestApp { t in
            let coach = try await t.coach("coach@example.org")
            let client = try await t.participant("client@example.org")
            let engagement = try await t.invite([client], by: coach)

            // Nothing but notes before the agreement.
            let early = try await t.saveItem(
                SaveEngagementItem(kind: .goal, sealed: try engagement.seal(EngagementText(title: "x"), by: client)),
                in: engagement, as: client)
            #expect(early.errorCode == "engagements.wrong_status")
            try await t.agree(engagement)

            let goalID = UUID()
            let goal = SaveEngagementItem(
                kind: .goal,
                sealed: try engagement.seal(EngagementText(title: "Im Team ankommen"), id: goalID, by: client),
                progress: 10)
            #expect(try await t.saveItem(goal, id: goalID, in: engagement, as: client).status == .created)
            #expect(try await t.saveItem(goal, id: goalID, in: engagement, as: client).status == .ok)  // a retry

            // The coach moves the goal on from revision 1; the client's edit based on revision 1 is then refused.
            var coachEdit = goal
            coachEdit.progress = 40
            coachEdit.baseRevision = 1
            let edited = try await t.saveItem(coachEdit, id: goalID, in: engagement, as: coach)
            #expect(try edited.decode(EngagementItem.self).revision == 2)
            var clientEdit = goal
            clientEdit.progress = 30
            clientEdit.baseRevision = 1
            let conflict = try await t.saveItem(clientEdit, id: goalID, in: engagement, as: client)
            #expect(conflict.status == .conflict && conflict.errorCode == "engagements.revision_conflict")
            let outOfRange = SaveEngagementItem(kind: .goal, sealed: goal.sealed, progress: 101, baseRevision: 2)
            #expect(try await t.saveItem(outOfRange, id: goalID, in: engagement, as: client).field == "progress")

            let milestoneID = UUID()
            let milestone = SaveEngagementItem(
                kind: .milestone,
                sealed: try engagement.seal(EngagementText(title: "Erstes Teammeeting"), id: milestoneID, by: coach),
                dueAt: t.clock.now.addingTimeInterval(7 * 86_400), parentId: goalID)
            #expect(try await t.saveItem(milestone, id: milestoneID, in: engagement, as: coach).status == .created)
            let taskID = UUID()
            let task = SaveEngagementItem(
                kind: .task,
                sealed: try engagement.seal(EngagementText(title: "Stärken notieren"), id: taskID, by: coach),
                status: .open, dueAt: t.clock.now.addingTimeInterval(3 * 86_400))
            #expect(try await t.saveItem(task, id: taskID, in: engagement, as: coach).status == .created)
            let wrongField = SaveEngagementItem(kind: .task, sealed: task.sealed, rating: 3)
            #expect(try await t.saveItem(wrongField, in: engagement, as: coach).field == "rating")

            let dashboard = try await t.send(.GET, engagement.path, token: client.token).decode(Engagement.self)
            #expect(dashboard.openTasks == 1 && dashboard.progress == 40)
            #expect(dashboard.nextDueAt == task.dueAt)
            let agenda = try await t.send(.GET, "api/v1/engagements/agenda", token: client.token)
                .decode([EngagementItem].self)
            #expect(agenda.map(\.id) == [taskID, milestoneID])

            // The client marks the task done: it leaves the agenda and the timeline says so.
            var done = task
            done.status = .done
            done.baseRevision = 1
            let completed = try await t.saveItem(done, id: taskID, in: engagement, as: client).decode(
                EngagementItem.self)
            #expect(completed.completedAt != nil)
            #expect(
                try await t.send(.GET, "api/v1/engagements/agenda", token: client.token).decode([EngagementItem].self)
                    .map(\.id) == [milestoneID])

            let reviewID = UUID()
            let review = SaveEngagementItem(
                kind: .review,
                sealed: try engagement.seal(EngagementText(text: "Gute Fortschritte"), id: reviewID, by: coach))
            #expect(try await t.saveItem(review, id: reviewID, in: engagement, as: coach).status == .created)
            // Only its author changes a review.
            var rewritten = review
            rewritten.sealed = try engagement.seal(EngagementText(text: "anders"), id: reviewID, by: client)
            rewritten.baseRevision = 1
            #expect(
                try await t.saveItem(rewritten, id: reviewID, in: engagement, as: client).errorCode
                    == "engagements.author_only")

            let feedbackID = UUID()
            let noRating = SaveEngagementItem(
                kind: .feedback,
                sealed: try engagement.seal(EngagementText(text: "Hilfreich"), id: feedbackID, by: client))
            #expect(try await t.saveItem(noRating, id: feedbackID, in: engagement, as: client).field == "rating")
            var feedback = noRating
            feedback.rating = 5
            feedback.sessionOn = "2026-11-18"
            #expect(try await t.saveItem(feedback, id: feedbackID, in: engagement, as: client).status == .created)

            // Closing: a closing review, then the coach closes; afterwards only closing reviews and reading.
            let closingID = UUID()
            let closing = SaveEngagementItem(
                kind: .closing,
                sealed: try engagement.seal(EngagementText(text: "Ziel erreicht"), id: closingID, by: client))
            #expect(try await t.saveItem(closing, id: closingID, in: engagement, as: client).status == .created)
            #expect(
                try await t.send(.POST, engagement.path + "/close", token: client.token).errorCode
                    == "engagements.coach_only")
            let closed = try await t.send(.POST, engagement.path + "/close", token: coach.token).decode(Engagement.self)
            #expect(closed.status == .closed)
            #expect(try await t.send(.POST, engagement.path + "/close", token: coach.token).status == .ok)
            let afterClose = SaveEngagementItem(
                kind: .task, sealed: try engagement.seal(EngagementText(title: "x"), by: coach), status: .open)
            #expect(try await t.saveItem(afterClose, in: engagement, as: coach).errorCode == "engagements.wrong_status")

            // The server stored only ciphertext: no plaintext word is anywhere in its database.
            let stored = try await EngagementItemRecord.query(on: t.app.db).all().compactMap(\.sealed).joined()
            for word in ["Team", "Stärken", "Fortschritte", "Hilfreich", "erreicht"] {
                #expect(!stored.contains(word))
            }
            let kinds = try await t.send(.GET, engagement.path + "/timeline", token: coach.token)
                .decode([EngagementEvent].self).map(\.kind)
            #expect(
                kinds.suffix(8) == [
                    .itemAdded, .itemAdded, .itemAdded, .itemCompleted, .itemAdded, .itemAdded, .itemAdded, .closed,
                ])
        }
    }

    @Test(
        "A coach's private note: sealed with a key only the coach derives, invisible to the client, not in the timeline"
    )
    func privateNotes() async throws {
        try await withTestApp { t in
            let coach = try await t.coach("coach@example.org")
            let client = try await t.participant("client@example.org")
            let engagement = try await t.invite([client], by: coach)
            let noteID = UUID()
            let sealed = try EngagementCipher.sealPrivate(
                EngagementText(text: "Wirkt erschöpft"), id: noteID, engagement: engagement.id, author: coach.id,
                keys: coach.keys)
            let note = SaveEngagementItem(kind: .note, sealed: sealed)
            #expect(try await t.saveItem(note, id: noteID, in: engagement, as: coach).status == .created)
            // A note sealed with the shared key would be readable by the client: refused.
            let shared = SaveEngagementItem(
                kind: .note, sealed: try engagement.seal(EngagementText(text: "x"), by: coach))
            #expect(try await t.saveItem(shared, in: engagement, as: coach).field == "sealed.epoch")
            let byClient = try EngagementCipher.sealPrivate(
                EngagementText(text: "x"), id: UUID(), engagement: engagement.id, author: client.id, keys: client.keys)
            #expect(
                try await t.saveItem(
                    SaveEngagementItem(kind: .note, sealed: byClient), id: byClient.id, in: engagement, as: client
                )
                .errorCode == "engagements.coach_only")

            let coachItems = try await t.send(.GET, engagement.path + "/items", token: coach.token)
                .decode([EngagementItem].self)
            let stored = try #require(coachItems.first { $0.id == noteID }?.sealed)
            let text = try EngagementCipher.openPrivate(
                stored, as: EngagementText.self, engagement: engagement.id, keys: coach.keys)
            #expect(text.text == "Wirkt erschöpft")
            // Not even the conversation key opens it.
            #expect(throws: (any Error).self) {
                try EngagementCipher.open(
                    stored, as: EngagementText.self, engagement: engagement.id, key: engagement.key,
                    authorKey: coach.keys.signing.publicKey)
            }
            let clientItems = try await t.send(.GET, engagement.path + "/items", token: client.token)
                .decode([EngagementItem].self)
            #expect(!clientItems.contains { $0.kind == .note })
            let timeline = try await t.send(.GET, engagement.path + "/timeline", token: client.token).text
            #expect(!timeline.contains(noteID.uuidString))
            let deleted = try await t.send(.DELETE, engagement.path + "/items/\(noteID)", token: client.token)
            #expect(deleted.status == .notFound)
        }
    }

    @Test("A program template becomes milestones due on its days; an intake questionnaire is answered sealed")
    func templatesAndIntake() async throws {
        try await withTestApp { t in
            let coach = try await t.coach("coach@example.org")
            let client = try await t.participant("client@example.org")
            let templateID = UUID()
            let steps = [1, 30, 60, 90, 100].map { ProgramStep(day: $0, title: "Check-in Tag \($0)", kind: .checkIn) }
            let template = SaveProgramTemplate(
                name: "Die ersten 100 Tage", description: "Begleitung im neuen Job",
                steps: [ProgramStep(day: 0, title: "Start", kind: .milestone)] + steps.reversed())
            let created = try await t.send(.PUT, "api/v1/templates/\(templateID)", json: template, token: coach.token)
            #expect(created.status == .created)
            #expect(try created.decode(ProgramTemplate.self).steps.map(\.day) == [0, 1, 30, 60, 90, 100])
            let forbidden = try await t.send(.PUT, "api/v1/templates/\(UUID())", json: template, token: client.token)
            #expect(forbidden.errorCode == "engagements.coach_only")
            var tooLate = template
            tooLate.steps = [ProgramStep(day: 5_000, title: "x", kind: .milestone)]
            #expect(
                try await t.send(.PUT, "api/v1/templates/\(UUID())", json: tooLate, token: coach.token).field
                    == "steps.day")

            let engagement = try await t.invite([client], by: coach)
            let apply = ApplyProgram(templateId: templateID, startsOn: "2027-01-04")
            let applied = try await t.send(.POST, engagement.path + "/program", json: apply, token: coach.token)
                .decode(Engagement.self)
            #expect(applied.program?.steps.count == 6)
            #expect(
                try await t.send(.POST, engagement.path + "/program", json: apply, token: coach.token).status == .ok)
            let other = ApplyProgram(templateId: templateID, startsOn: "2027-02-01")
            #expect(
                try await t.send(.POST, engagement.path + "/program", json: other, token: coach.token).errorCode
                    == "engagements.program_applied")
            let milestones = try await t.send(.GET, engagement.path + "/items", token: client.token)
                .decode([EngagementItem].self).filter { $0.kind == .milestone }.sorted {
                    ($0.step ?? 0) < ($1.step ?? 0)
                }
            #expect(milestones.count == 6)
            let start = try EngagementsService.day("2027-01-04", field: "")
            #expect(
                milestones.map(\.dueAt)
                    == [0, 1, 30, 60, 90, 100].map { start.addingTimeInterval(Double($0) * 86_400 + 43_200) })
            #expect(milestones.allSatisfy { $0.sealed == nil && $0.status == .open })

            // Intake: the coach's questions are copied in; the client's answers are sealed.
            let questionnaireID = UUID()
            let questions = [
                Question(id: UUID(), text: "Was soll sich ändern?", kind: .text),
                Question(id: UUID(), text: "Wie zufrieden sind Sie heute?", kind: .scale),
            ]
            let answersEarly = SaveEngagementItem(
                kind: .intake, sealed: try engagement.seal(EngagementText(text: "{}"), by: client))
            #expect(
                try await t.saveItem(answersEarly, id: answersEarly.sealed!.id, in: engagement, as: client).errorCode
                    == "engagements.intake_not_sent")
            #expect(
                try await t.send(
                    .PUT, "api/v1/questionnaires/\(questionnaireID)",
                    json: SaveQuestionnaire(title: "Aufnahme", questions: questions),
                    token: coach.token
                ).status == .created)
            let sent = try await t.send(
                .POST, engagement.path + "/intake", json: SendIntake(questionnaireId: questionnaireID),
                token: coach.token
            )
            .decode(Engagement.self)
            #expect(sent.intake?.questions == questions)
            let answerID = UUID()
            let answers = SaveEngagementItem(
                kind: .intake,
                sealed: try engagement.seal(EngagementText(text: "Mehr Klarheit"), id: answerID, by: client))
            #expect(try await t.saveItem(answers, id: answerID, in: engagement, as: client).status == .created)
            let coachSees = try await t.send(.GET, engagement.path + "/items", token: coach.token).decode(
                [EngagementItem].self)
            #expect(coachSees.contains { $0.id == answerID })
            // Deleting the questionnaire later leaves the copy the engagement was sent.
            #expect(
                try await t.send(.DELETE, "api/v1/questionnaires/\(questionnaireID)", token: coach.token).status
                    == .noContent)
            #expect(
                try await t.send(.GET, engagement.path, token: client.token).decode(Engagement.self).intake?.title
                    == "Aufnahme")
        }
    }

    @Test("A group: one coach, several clients in one conversation; feedback stays between its author and the coach")
    func groupEngagement() async throws {
        try await withTestApp { t in
            let coach = try await t.coach("coach@example.org")
            let anna = try await t.participant("anna@example.org")
            let ben = try await t.participant("ben@example.org")
            let cleo = try await t.participant("cleo@example.org")
            let group = try await t.invite([anna, ben], by: coach)
            let fetched = try await t.send(.GET, group.path, token: ben.token).decode(Engagement.self)
            #expect(fetched.isGroup && Set(fetched.clients.map(\.userId)) == [anna.id, ben.id])
            let conversation = try await t.send(.GET, "api/v1/conversations/\(group.conversation)", token: anna.token)
                .decode(Conversation.self)
            #expect(Set(conversation.members.map(\.userId)) == [coach.id, anna.id, ben.id])

            // Active only once everyone confirmed.
            let proposal = ProposeAgreement(
                sessions: 4, fee: nil, startsOn: nil, endsOn: nil,
                scope: try group.seal(EngagementText(text: "Workshop"), by: coach))
            #expect(try await t.send(.PUT, group.path + "/agreement", json: proposal, token: coach.token).status == .ok)
            let half = try await t.send(
                .POST, group.path + "/agreement/confirm", json: ConfirmAgreement(version: 1), token: anna.token
            )
            .decode(Engagement.self)
            #expect(half.status == .agreementProposed)
            let all = try await t.send(
                .POST, group.path + "/agreement/confirm", json: ConfirmAgreement(version: 1), token: ben.token
            )
            .decode(Engagement.self)
            #expect(all.status == .active)

            let feedbackID = UUID()
            let feedback = SaveEngagementItem(
                kind: .feedback, sealed: try group.seal(EngagementText(text: "Zu schnell"), id: feedbackID, by: anna),
                rating: 3)
            #expect(try await t.saveItem(feedback, id: feedbackID, in: group, as: anna).status == .created)
            let benSees = try await t.send(.GET, group.path + "/items", token: ben.token).decode([EngagementItem].self)
            #expect(!benSees.contains { $0.id == feedbackID })
            let coachSees = try await t.send(.GET, group.path + "/items", token: coach.token).decode(
                [EngagementItem].self)
            #expect(coachSees.contains { $0.id == feedbackID })

            // Adding Cleo adds her to the conversation, which then needs a new key epoch before anyone writes.
            try await t.lookUp(cleo, by: coach)
            let added = try await t.send(
                .POST, group.path + "/clients", json: AddEngagementClients(clients: [cleo.id]), token: coach.token
            )
            .decode(Engagement.self)
            #expect(added.clients.count == 3)
            let rotated = try await t.send(.GET, "api/v1/conversations/\(group.conversation)", token: cleo.token)
                .decode(Conversation.self)
            #expect(rotated.needsNewKey)
            let stale = SaveEngagementItem(
                kind: .task, sealed: try group.seal(EngagementText(title: "x"), by: coach), status: .open)
            #expect(try await t.saveItem(stale, in: group, as: coach).errorCode == "messaging.stale_epoch")
            // Ben leaves; a one-to-one engagement does not take more clients.
            #expect(try await t.send(.DELETE, group.path + "/clients/\(ben.id)", token: ben.token).status == .noContent)
            #expect(try await t.send(.GET, group.path, token: ben.token).status == .notFound)
            let again = try await t.send(.DELETE, group.path + "/clients/\(ben.id)", token: coach.token)
            #expect(again.status == .notFound && again.errorCode == "engagements.client_not_found")
            let single = try await t.invite([ben], by: coach)
            let notGroup = try await t.send(
                .POST, single.path + "/clients", json: AddEngagementClients(clients: [cleo.id]), token: coach.token)
            #expect(notGroup.errorCode == "engagements.not_group")
        }
    }
}

extension Sequence where Element: Sendable {
    /// Maps in order, one after the other.
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
