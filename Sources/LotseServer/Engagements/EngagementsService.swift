import Fluent
import Foundation
import LotseAPI
import SQLKit

/// The rules of coaching relationships: who is in one, how it moves from inquiry to agreement to work to its close,
/// and who may see and change what. The server never reads free text (docs/engagements.md).
struct EngagementsService {
    let db: any Database
    let now: @Sendable () -> Date
    let events: EventHub
    let messaging: MessagingService
    let directory: DirectoryService
    let notifications: NotificationsService

    static let maximumSealed = 64 * 1024

    typealias Place = EngagementMembership.Place

    var membership: EngagementMembership { EngagementMembership(db: db) }

    // MARK: Starting

    /// A prospective client's inquiry to a coach from the directory; a retry returns the first engagement.
    func inquire(_ input: CreateInquiry, by client: UUID) async throws -> (Engagement, isNew: Bool) {
        if let existing = try await EngagementRecord.find(input.id, on: db) {
            guard try await membership.place(of: client, in: existing) == .client else {
                throw EngagementsError.idConflict
            }
            return (try await wire(existing, for: client), false)
        }
        let coach = try await directory.published(id: input.profileId).id
        guard coach != client else { throw EngagementsError.membersMismatch }
        guard Set(input.conversation.members).subtracting([client]) == [coach] else {
            throw EngagementsError.membersMismatch
        }
        try check(input.inquiry, by: client, epoch: 1, needsNewKey: false, id: input.inquiry.id, field: "inquiry")
        // A published coach takes inquiries from anyone: the directory is the relationship.
        try await startConversation(input.conversation, by: client, for: [coach, client], checked: false)
        return try await start(
            id: input.id, conversation: input.conversation.id, coach: coach, clients: [client], isGroup: false,
            initiatedBy: .client, requester: client
        ) { db, time in
            let item = EngagementItemRecord(
                id: input.inquiry.id, engagement: input.id, kind: .inquiry, author: client, sealed: input.inquiry,
                at: time)
            try await item.create(on: db)
            try await EngagementEventRecord(engagement: input.id, kind: .inquirySent, actor: client, at: time)
                .create(on: db)
        }
    }

    /// A coach invites clients to a one-to-one or group engagement; a retry returns the first engagement.
    func invite(_ input: CreateEngagement, by coach: UserRecord) async throws -> (Engagement, isNew: Bool) {
        let coachID = try coach.requireID()
        if let existing = try await EngagementRecord.find(input.id, on: db) {
            guard existing.coachID == coachID else { throw EngagementsError.idConflict }
            return (try await wire(existing, for: coachID), false)
        }
        guard coach.role == .coach else { throw EngagementsError.coachOnly }
        let clients = Array(Set(input.conversation.members).subtracting([coachID]))
        guard !clients.isEmpty, input.isGroup || clients.count == 1 else { throw EngagementsError.membersMismatch }
        try await startConversation(input.conversation, by: coachID, for: [coachID] + clients)
        return try await start(
            id: input.id, conversation: input.conversation.id, coach: coachID, clients: clients,
            isGroup: input.isGroup, initiatedBy: .coach, requester: coachID
        ) { db, time in
            try await EngagementEventRecord(engagement: input.id, kind: .invited, actor: coachID, at: time)
                .create(on: db)
        }
    }

    /// Starts the engagement's conversation, or takes the requester's existing one, which must have exactly the
    /// engagement's people: anyone else in it could read everything sealed with its keys.
    private func startConversation(
        _ input: CreateConversation, by requester: UUID, for people: [UUID], checked: Bool = true
    ) async throws {
        let (conversation, _) = try await messaging.create(input, by: requester, checked: checked)
        guard Set(conversation.members.map(\.userId)) == Set(people), !conversation.needsNewKey else {
            throw EngagementsError.membersMismatch
        }
    }

    /// A mentoring program's pair starts working together: the mentor in the coach's place, the mentee as the
    /// client, active from the start (the program is their agreement), the program's steps as milestones from
    /// `program.startsOn`. The programs feature checked that the two are an active pair; a retry, or the partner
    /// starting at the same moment, returns the first engagement.
    func startPair(
        id: UUID, conversation input: CreateConversation, mentor: UUID, mentee: UUID, by requester: UUID,
        program: EngagementProgram
    ) async throws -> (Engagement, isNew: Bool) {
        if let existing = try await EngagementRecord.find(id, on: db) {
            guard try await membership.place(of: requester, in: existing) != nil else {
                throw EngagementsError.idConflict
            }
            return (try await wire(existing, for: requester), false)
        }
        let day = try Self.day(program.startsOn, field: "startsOn")
        try await startConversation(input, by: requester, for: [mentor, mentee], checked: false)
        return try await start(
            id: id, conversation: input.id, coach: mentor, clients: [mentee], isGroup: false, initiatedBy: .program,
            requester: requester, status: .active, program: program
        ) { db, time in
            try await Self.milestones(program.steps, from: day, in: id, by: requester, at: time, on: db)
            try await EngagementEventRecord(engagement: id, kind: .started, actor: requester, at: time).create(on: db)
        }
    }

    /// Each step of a program as a milestone due on its day, at noon UTC (so the date is the same in every European
    /// and American time zone).
    private static func milestones(
        _ steps: [ProgramStep], from day: Date, in id: UUID, by author: UUID, at time: Date, on db: any Database
    ) async throws {
        for (index, step) in steps.enumerated() {
            let item = EngagementItemRecord(
                id: UUID(), engagement: id, kind: .milestone, author: author, sealed: nil, at: time)
            item.step = index
            item.status = .open
            item.dueAt = day.addingTimeInterval(Double(step.day) * 86_400 + 12 * 3_600)
            try await item.create(on: db)
        }
    }

    private func start(
        id: UUID, conversation: UUID, coach: UUID, clients: [UUID], isGroup: Bool,
        initiatedBy: Engagement.InitiatedBy, requester: UUID, status: EngagementStatus = .inquiry,
        program: EngagementProgram? = nil,
        _ also: @Sendable @escaping (any Database, Date) async throws -> Void
    ) async throws -> (Engagement, isNew: Bool) {
        let time = now()
        let record = EngagementRecord()
        record.id = id
        record.conversationID = conversation
        record.coachID = coach
        record.isGroup = isGroup
        record.status = status
        record.program = program.map(JSONText.encode)
        record.initiatedBy = initiatedBy
        record.createdAt = time
        record.updatedAt = time
        do {
            try await db.transaction { db in
                try await record.create(on: db)
                try await clients.map { EngagementClientRecord(engagement: id, user: $0, at: time) }.create(on: db)
                try await also(db, time)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // The same request raced itself, or the conversation already belongs to another engagement.
            guard let existing = try await EngagementRecord.find(id, on: db),
                try await membership.place(of: requester, in: existing) != nil
            else { throw EngagementsError.idConflict }
            return (try await wire(existing, for: requester), false)
        }
        notify(id, [coach] + clients)
        let kind: NotificationKind =
            switch initiatedBy {
            case .client: .inquiry
            case .coach: .invited
            case .program: .pairStarted
            }
        try await tell(kind, in: record, by: requester)
        return (try await wire(record, for: requester), true)
    }

    // MARK: Reading

    /// Every engagement the account coaches or is a client in, most recently changed first.
    func engagements(of userID: UUID) async throws -> [Engagement] {
        let asClient = try await EngagementClientRecord.query(on: db).filter(\.$userID == userID).all(\.$engagementID)
        let records = try await EngagementRecord.query(on: db)
            .group(.or) { $0.filter(\.$coachID == userID).filter(\.$id ~~ asClient) }
            .sort(\.$updatedAt, .descending).all()
        return try await wire(records, for: userID)
    }

    /// One engagement, for its coach and clients only.
    func engagement(_ id: UUID, for userID: UUID) async throws -> Engagement {
        let (record, _) = try await membership.require(id, userID)
        return try await wire(record, for: userID)
    }

    /// The engagement's timeline, oldest first, without what the requester may not see.
    func timeline(of id: UUID, for userID: UUID) async throws -> [EngagementEvent] {
        let (record, place) = try await membership.require(id, userID)
        let events = try await EngagementEventRecord.query(on: db).filter(\.$engagementID == id).sort(\.$at).all()
        return try events.filter { event in
            guard let kind = event.itemKind else { return true }
            return Self.isVisible(kind: kind, author: event.actorID, to: userID, place: place, coach: record.coachID)
        }.map { try $0.wire }
    }

    // MARK: Moving on

    /// The coach proposes the agreement, or a new version that every client must confirm again.
    func proposeAgreement(_ id: UUID, _ input: ProposeAgreement, by userID: UUID) async throws -> Engagement {
        try await transition(id, by: userID, as: .coach, from: [.inquiry, .agreementProposed]) {
            record, conversation in
            guard (1...500).contains(input.sessions) else {
                throw RequestError.invalid(field: "sessions", reason: "not between 1 and 500")
            }
            if let fee = input.fee { try DirectoryInput.price(fee, field: "fee") }
            let starts = try input.startsOn.map { try Self.day($0, field: "startsOn") }
            let ends = try input.endsOn.map { try Self.day($0, field: "endsOn") }
            if let starts, let ends, ends < starts {
                throw RequestError.invalid(field: "endsOn", reason: "before startsOn")
            }
            let current = try record.agreement.map { try JSONText.decode(Agreement.self, $0) }
            if let current, current.sessions == input.sessions, current.fee == input.fee,
                current.startsOn == input.startsOn, current.endsOn == input.endsOn, current.scope == input.scope
            {
                return nil  // a retry
            }
            try check(input.scope, by: userID, conversation: conversation, field: "scope")
            let agreement = Agreement(
                version: (current?.version ?? 0) + 1, sessions: input.sessions, fee: input.fee,
                startsOn: input.startsOn, endsOn: input.endsOn, scope: input.scope, proposedAt: now())
            record.agreement = JSONText.encode(agreement)
            record.status = .agreementProposed
            return .agreementProposed
        }
    }

    /// A client confirms the version they read; once every client has, the work starts.
    func confirmAgreement(_ id: UUID, _ input: ConfirmAgreement, by userID: UUID) async throws -> Engagement {
        try await transition(id, by: userID, as: .client, from: [.agreementProposed, .active]) { record, _ in
            guard let agreement = try record.agreement.map({ try JSONText.decode(Agreement.self, $0) }) else {
                throw EngagementsError.wrongStatus(current: record.status.rawValue)
            }
            guard input.version == agreement.version else {
                throw EngagementsError.agreementChanged(current: agreement.version)
            }
            let clients = try await EngagementClientRecord.query(on: db).filter(\.$engagementID == id).all()
            guard let mine = clients.first(where: { $0.userID == userID }) else { throw EngagementsError.clientOnly }
            guard mine.confirmedVersion != agreement.version else { return nil }
            mine.confirmedVersion = agreement.version
            try await mine.save(on: db)
            try await EngagementEventRecord(engagement: id, kind: .agreementConfirmed, actor: userID, at: now())
                .create(on: db)
            try await tell(.agreementConfirmed, in: record, by: userID)
            if record.status == .agreementProposed, clients.allSatisfy({ $0.confirmedVersion == agreement.version }) {
                record.status = .active
                return .started
            }
            return nil
        }
    }

    /// The coach declines, or the client of a one-to-one inquiry withdraws.
    func decline(_ id: UUID, _ input: DeclineEngagement, by userID: UUID) async throws -> Engagement {
        let (record, place) = try await membership.require(id, userID)
        let target: EngagementStatus = place == .coach ? .declined : .withdrawn
        if record.status == target { return try await wire(record, for: userID) }
        if place == .client, record.isGroup { throw EngagementsError.notGroup }
        return try await transition(id, by: userID, as: place, from: [.inquiry, .agreementProposed]) {
            record, conversation in
            if let reason = input.reason {
                try check(reason, by: userID, conversation: conversation, field: "reason")
                record.declineReason = JSONText.encode(reason)
            }
            record.status = target
            return place == .coach ? .declined : .withdrawn
        }
    }

    /// The coach closes the engagement once the work is done.
    func close(_ id: UUID, by userID: UUID) async throws -> Engagement {
        let (record, _) = try await membership.require(id, userID)
        if record.status == .closed { return try await wire(record, for: userID) }
        return try await transition(id, by: userID, as: .coach, from: [.active]) { record, _ in
            record.status = .closed
            return .closed
        }
    }

    /// The coach sends one of their questionnaires; its questions are copied, so later edits do not change it.
    func sendIntake(_ id: UUID, _ input: SendIntake, by userID: UUID) async throws -> Engagement {
        try await transition(id, by: userID, as: .coach, from: EngagementStatus.ongoing) { record, _ in
            guard let questionnaire = try await QuestionnaireRecord.find(input.questionnaireId, on: db),
                questionnaire.coachID == userID
            else { throw EngagementsError.questionnaireNotFound }
            let current = try record.intake.map { try JSONText.decode(EngagementIntake.self, $0) }
            let wire = try questionnaire.wire
            guard current?.questionnaireId != wire.id || current?.questions != wire.questions else { return nil }
            record.intake = JSONText.encode(
                EngagementIntake(questionnaireId: wire.id, title: wire.title, questions: wire.questions, sentAt: now()))
            return .intakeSent
        }
    }

    /// A mentoring program's pair is complete on the program's date: the engagement closes (goals, tasks and texts
    /// stay readable; the closing reviews can still be written). Closed already changes nothing.
    func completePair(_ id: UUID) async throws {
        guard let record = try await EngagementRecord.find(id, on: db), record.status != .closed else { return }
        record.status = .closed
        record.updatedAt = now()
        try await db.transaction { db in
            try await record.save(on: db)
            try await EngagementEventRecord(engagement: id, kind: .closed, actor: record.coachID, at: now())
                .create(on: db)
        }
        notify(id, try await membership.participants(of: record))
    }

    /// The coach applies a program: each step becomes a milestone due on its day (``milestones(_:from:in:by:at:on:)``).
    func applyProgram(_ id: UUID, _ input: ApplyProgram, by userID: UUID) async throws -> Engagement {
        try await transition(id, by: userID, as: .coach, from: EngagementStatus.ongoing) {
            record, _ in
            let day = try Self.day(input.startsOn, field: "startsOn")
            guard let template = try await ProgramTemplateRecord.find(input.templateId, on: db),
                template.coachID == userID
            else { throw EngagementsError.templateNotFound }
            if let current = try record.program.map({ try JSONText.decode(EngagementProgram.self, $0) }) {
                guard current.templateId == input.templateId, current.startsOn == input.startsOn else {
                    throw EngagementsError.programApplied
                }
                return nil
            }
            let steps = try JSONText.decode([ProgramStep].self, template.steps)
            record.program = JSONText.encode(
                EngagementProgram(
                    templateId: input.templateId, name: template.name, startsOn: input.startsOn, steps: steps))
            try await Self.milestones(steps, from: day, in: id, by: userID, at: now(), on: db)
            return .programApplied
        }
    }

    /// The coach adds clients to a group; they join its conversation (whose next sender starts a key epoch for them).
    func addClients(_ id: UUID, _ input: AddEngagementClients, by userID: UUID) async throws -> Engagement {
        let (record, place) = try await membership.require(id, userID)
        guard place == .coach else { throw EngagementsError.coachOnly }
        guard record.isGroup else { throw EngagementsError.notGroup }
        guard EngagementStatus.ongoing.contains(record.status) else {
            throw EngagementsError.wrongStatus(current: record.status.rawValue)
        }
        let present = try await membership.clientIDs(of: id)
        let added = Set(input.clients).subtracting(present + [record.coachID])
        guard !added.isEmpty else { return try await wire(record, for: userID) }
        _ = try await messaging.addMembers(record.conversationID, AddMembers(members: Array(added)), by: userID)
        return try await transition(
            id, by: userID, as: .coach, from: EngagementStatus.ongoing
        ) { record, _ in
            let time = now()
            record.updatedAt = time  // saved by `transition`: dashboards list it as changed
            for client in added {
                try await EngagementClientRecord(engagement: id, user: client, at: time).create(on: db)
                try await EngagementEventRecord(engagement: id, kind: .clientAdded, actor: userID, at: time)
                    .create(on: db)
            }
            return nil
        }
    }

    /// The coach removes a client from a group, or a client leaves it.
    func removeClient(_ id: UUID, client: UUID, by userID: UUID) async throws {
        let (record, place) = try await membership.require(id, userID)
        guard place == .coach || client == userID else { throw EngagementsError.coachOnly }
        guard record.isGroup else { throw EngagementsError.notGroup }
        guard
            let clientRecord = try await EngagementClientRecord.query(on: db).filter(\.$engagementID == id)
                .filter(\.$userID == client).first()
        else { throw EngagementsError.clientNotFound }
        let everyone = try await membership.participants(of: record)
        try await messaging.removeMember(record.conversationID, member: client, by: userID)
        try await db.transaction { db in
            try await clientRecord.delete(on: db)
            try await EngagementEventRecord(engagement: id, kind: .clientRemoved, actor: userID, at: now())
                .create(on: db)
            record.updatedAt = now()
            try await record.save(on: db)
        }
        notify(id, everyone)
    }

    /// Runs a change of an engagement that `place` may make in one of the `statuses`: `change` edits the record
    /// and names the event to log, or nil when there is nothing to do (a retry).
    func transition(
        _ id: UUID, by userID: UUID, as required: Place, from statuses: Set<EngagementStatus>,
        _ change: (EngagementRecord, ConversationRecord) async throws -> EngagementEvent.Kind?
    ) async throws -> Engagement {
        let (record, place) = try await membership.require(id, userID)
        guard place == required else { throw required == .coach ? EngagementsError.coachOnly : .clientOnly }
        guard statuses.contains(record.status) else {
            throw EngagementsError.wrongStatus(current: record.status.rawValue)
        }
        guard let conversation = try await ConversationRecord.find(record.conversationID, on: db) else {
            throw EngagementsError.notFound
        }
        if let event = try await change(record, conversation) {
            record.updatedAt = now()
            try await record.save(on: db)
            try await EngagementEventRecord(engagement: id, kind: event, actor: userID, at: now()).create(on: db)
            if let kind = Self.waitingStep(after: event) { try await tell(kind, in: record, by: userID) }
        } else if record.hasChanges {
            record.updatedAt = now()
            try await record.save(on: db)
        }
        notify(id, try await membership.participants(of: record))
        return try await wire(record, for: userID)
    }

    // MARK: Who is where

    func notify(_ id: UUID, _ people: [UUID]) {
        events.send(.engagement(id: id), to: people)
    }

    /// Posts what now waits for the other side: the clients when the coach acted, the coach when a client did.
    func tell(_ kind: NotificationKind, in record: EngagementRecord, by actor: UUID) async throws {
        let id = try record.requireID()
        let people = actor == record.coachID ? try await membership.clientIDs(of: id) : [record.coachID]
        try await notifications.post(kind, in: id, by: actor, to: people)
    }

    /// The step an event leaves waiting for someone, if any.
    static func waitingStep(after event: EngagementEvent.Kind) -> NotificationKind? {
        switch event {
        case .inquirySent: .inquiry
        case .invited: .invited
        case .meetingProposed: .timesProposed
        case .meetingAccepted: .booked
        case .agreementProposed: .agreementProposed
        case .agreementConfirmed: .agreementConfirmed
        case .started: .started
        case .declined: .declined
        case .withdrawn: .withdrawn
        case .intakeSent: .questionnaire
        case .closed: .closed
        case .programApplied, .clientAdded, .clientRemoved, .itemAdded, .itemCompleted: nil
        }
    }

    /// Who may see an item: private notes their author only; feedback and intake answers their author and the
    /// coach (so people in a group do not read each other's); everything else everyone in the engagement.
    static func isVisible(kind: EngagementItemKind, author: UUID, to userID: UUID, place: Place, coach: UUID) -> Bool {
        switch kind {
        case .note: author == userID
        case .feedback, .intake: author == userID || place == .coach
        default: true
        }
    }

    // MARK: Checks

    /// A sealed value must be the requester's, under the conversation's current key (or their private key where
    /// `allowPrivate`), with the expected ID, and of a sane size.
    func check(
        _ sealed: SealedContent, by userID: UUID, conversation: ConversationRecord, id: UUID? = nil,
        allowPrivate: Bool = false, field: String
    ) throws {
        if allowPrivate, sealed.epoch == 0 {
            try check(sealed, by: userID, epoch: 0, needsNewKey: false, id: id, field: field)
        } else {
            try check(
                sealed, by: userID, epoch: conversation.epoch, needsNewKey: conversation.needsNewKey, id: id,
                field: field)
        }
    }

    func check(_ sealed: SealedContent, by userID: UUID, epoch: Int, needsNewKey: Bool, id: UUID?, field: String)
        throws
    {
        guard sealed.author == userID else { throw EngagementsError.sealedMismatch(field: field + ".author") }
        if let id, sealed.id != id { throw EngagementsError.sealedMismatch(field: field + ".id") }
        guard Int(sealed.epoch) == epoch, !needsNewKey || epoch == 0 else {
            throw MessagingError.staleEpoch(current: epoch)
        }
        let ciphertext = try Validate.base64(sealed.ciphertext, field: field + ".ciphertext", minimum: 28)
        _ = try Validate.base64(sealed.signature, field: field + ".signature", minimum: 64, maximum: 64)
        guard ciphertext.count <= Self.maximumSealed else { throw RequestError.tooLarge }
    }

    /// A `yyyy-mm-dd` day as its midnight in UTC.
    static func day(_ text: String, field: String) throws -> Date {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]),
            let day = Int(parts[2]), (2000...2199).contains(year)
        else { throw RequestError.invalid(field: field, reason: "not a date of the form 2026-12-01") }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let components = DateComponents(year: year, month: month, day: day)
        guard components.isValidDate(in: calendar), let date = calendar.date(from: components) else {
            throw RequestError.invalid(field: field, reason: "not a date of the form 2026-12-01")
        }
        return date
    }
}
