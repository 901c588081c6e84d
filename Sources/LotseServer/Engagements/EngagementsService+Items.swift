import Fluent
import Foundation
import LotseAPI

extension EngagementsService {
    /// The items the requester may see, oldest first.
    func items(of id: UUID, for userID: UUID) async throws -> [EngagementItem] {
        let (record, place) = try await membership.require(id, userID)
        return try await EngagementItemRecord.query(on: db).filter(\.$engagementID == id).sort(\.$createdAt).all()
            .filter {
                Self.isVisible(kind: $0.kind, author: $0.authorID, to: userID, place: place, coach: record.coachID)
            }
            .map { try $0.wire }
    }

    /// Open tasks and milestones with a due date across the account's engagements, soonest first: the dashboards'
    /// "next steps".
    func agenda(for userID: UUID) async throws -> [EngagementItem] {
        let engagements = try await engagements(of: userID).filter { $0.status == .active }
        guard !engagements.isEmpty else { return [] }
        return try await EngagementItemRecord.query(on: db).filter(\.$engagementID ~~ engagements.map(\.id))
            .filter(\.$kind ~~ [.task, .milestone]).filter(\.$status == .open).filter(\.$dueAt != nil)
            .sort(\.$dueAt).limit(100).all().map { try $0.wire }
    }

    /// Creates (`isNew`) or updates an item. Saving the same thing again changes nothing; an update based on an old
    /// revision is refused, so no one overwrites a change they have not seen.
    func saveItem(_ input: SaveEngagementItem, id itemID: UUID, in id: UUID, by userID: UUID) async throws
        -> (EngagementItem, isNew: Bool)
    {
        let (record, place) = try await membership.require(id, userID)
        guard let conversation = try await ConversationRecord.find(record.conversationID, on: db) else {
            throw EngagementsError.notFound
        }
        let existing = try await EngagementItemRecord.find(itemID, on: db)
        if let existing {
            guard existing.engagementID == id, existing.kind == input.kind,
                Self.isVisible(
                    kind: existing.kind, author: existing.authorID, to: userID, place: place, coach: record.coachID)
            else { throw EngagementsError.idConflict }
            if existing.matches(input) { return (try existing.wire, false) }
        }
        try Self.checkShape(input)
        try rules(for: input.kind, place: place, status: record.status, intakeSent: record.intake != nil)
        if let existing {
            guard Self.isShared(existing.kind) || existing.authorID == userID else { throw EngagementsError.authorOnly }
            guard input.baseRevision == existing.revision else {
                throw EngagementsError.revisionConflict(current: existing.revision)
            }
        }
        if let sealed = input.sealed, sealed != existing?.sealedContent {
            try check(
                sealed, by: userID, conversation: conversation, id: itemID, allowPrivate: input.kind == .note,
                field: "sealed")
            guard (input.kind == .note) == (sealed.epoch == 0) else {
                throw EngagementsError.sealedMismatch(field: "sealed.epoch")
            }
        } else if input.sealed == nil, existing?.step == nil {
            throw RequestError.invalid(field: "sealed", reason: "missing")
        }
        if let parent = input.parentId {
            guard input.kind == .milestone,
                let goal = try await EngagementItemRecord.find(parent, on: db), goal.engagementID == id,
                goal.kind == .goal
            else { throw RequestError.invalid(field: "parentId", reason: "not a goal of this engagement") }
        }
        let time = now()
        let item =
            existing ?? EngagementItemRecord(id: itemID, engagement: id, kind: input.kind, author: userID, at: time)
        let wasDone = item.status == .done
        item.apply(input, at: time)
        if existing != nil { item.revision += 1 }
        let event: EngagementEvent.Kind? =
            existing == nil ? .itemAdded : (!wasDone && item.status == .done ? .itemCompleted : nil)
        do {
            try await db.transaction { db in
                try await item.save(on: db)
                if let event, input.kind != .note {  // a private note leaves no trace in the shared timeline
                    try await EngagementEventRecord(engagement: id, kind: event, actor: userID, item: item, at: time)
                        .create(on: db)
                }
                record.updatedAt = time
                try await record.save(on: db)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // A retry raced the first attempt: answer with what it stored, if it is the same thing.
            guard existing == nil, let stored = try await EngagementItemRecord.find(itemID, on: db),
                stored.engagementID == id, stored.matches(input)
            else { throw EngagementsError.idConflict }
            return (try stored.wire, false)
        }
        if input.kind != .note { notify(id, try await membership.participants(of: record)) }
        return (try item.wire, existing == nil)
    }

    /// Deletes an item: its author, or the coach for goals, milestones and tasks. The inquiry stays.
    func deleteItem(_ itemID: UUID, in id: UUID, by userID: UUID) async throws {
        let (record, place) = try await membership.require(id, userID)
        guard let item = try await EngagementItemRecord.find(itemID, on: db), item.engagementID == id,
            Self.isVisible(kind: item.kind, author: item.authorID, to: userID, place: place, coach: record.coachID)
        else { throw EngagementsError.itemNotFound }
        guard item.kind != .inquiry, item.authorID == userID || (Self.isShared(item.kind) && place == .coach) else {
            throw EngagementsError.authorOnly
        }
        try await db.transaction { db in
            try await item.delete(on: db)
            try await EngagementEventRecord.query(on: db).filter(\.$itemID == itemID).delete()
            record.updatedAt = now()
            try await record.save(on: db)
        }
        if item.kind != .note { notify(id, try await membership.participants(of: record)) }
    }

    /// Goals, milestones and tasks belong to everyone in the engagement; the rest to their author.
    static func isShared(_ kind: EngagementItemKind) -> Bool {
        [.goal, .milestone, .task].contains(kind)
    }

    /// Who may write which kind, and when.
    private func rules(for kind: EngagementItemKind, place: Place, status: EngagementStatus, intakeSent: Bool) throws {
        switch kind {
        case .inquiry:
            throw RequestError.invalid(field: "kind", reason: "written only with the inquiry itself")
        case .note:
            guard place == .coach else { throw EngagementsError.coachOnly }
        case .intake:
            guard place == .client else { throw EngagementsError.clientOnly }
            guard intakeSent else { throw EngagementsError.intakeNotSent }
            guard EngagementStatus.ongoing.contains(status) else {
                throw EngagementsError.wrongStatus(current: status.rawValue)
            }
        case .closing:
            guard [.active, .closed].contains(status) else {
                throw EngagementsError.wrongStatus(current: status.rawValue)
            }
        case .goal, .milestone, .task, .review, .feedback:
            guard status == .active else { throw EngagementsError.wrongStatus(current: status.rawValue) }
        }
    }

    /// Each kind takes its own plain fields and no others.
    private static func checkShape(_ input: SaveEngagementItem) throws {
        let allowed: Set<String> =
            switch input.kind {
            case .goal: ["status", "progress"]
            case .milestone: ["status", "dueAt", "parentId"]
            case .task: ["status", "dueAt"]
            case .feedback: ["rating", "sessionOn"]
            case .inquiry, .intake, .review, .note, .closing: []
            }
        let given: [(String, Bool)] = [
            ("status", input.status != nil), ("progress", input.progress != nil), ("dueAt", input.dueAt != nil),
            ("rating", input.rating != nil), ("sessionOn", input.sessionOn != nil), ("parentId", input.parentId != nil),
        ]
        for (field, isGiven) in given where isGiven && !allowed.contains(field) {
            throw RequestError.invalid(field: field, reason: "not used by a \(input.kind.rawValue)")
        }
        if let progress = input.progress, !(0...100).contains(progress) {
            throw RequestError.invalid(field: "progress", reason: "not between 0 and 100")
        }
        if input.kind == .feedback {
            guard let rating = input.rating, (1...5).contains(rating) else {
                throw RequestError.invalid(field: "rating", reason: "not between 1 and 5")
            }
        }
        if let sessionOn = input.sessionOn { _ = try day(sessionOn, field: "sessionOn") }
    }
}

extension EngagementItemRecord {
    convenience init(
        id: UUID, engagement: UUID, kind: EngagementItemKind, author: UUID, sealed: SealedContent? = nil, at time: Date
    ) {
        self.init()
        self.id = id
        self.engagementID = engagement
        self.kind = kind
        self.authorID = author
        self.sealed = sealed.map(JSONText.encode)
        self.revision = 1
        self.createdAt = time
        self.updatedAt = time
        if [.goal, .milestone, .task].contains(kind) { status = .open }
        if kind == .goal { progress = 0 }
    }

    var sealedContent: SealedContent? {
        sealed.flatMap { try? JSONText.decode(SealedContent.self, $0) }
    }

    /// Whether saving `input` would change nothing.
    func matches(_ input: SaveEngagementItem) -> Bool {
        (input.sealed == nil || input.sealed == sealedContent)
            && (input.status ?? status) == status && (input.progress ?? progress) == progress
            && input.dueAt == dueAt && input.rating == rating && input.sessionOn == sessionOn
            && input.parentId == parentID
    }

    func apply(_ input: SaveEngagementItem, at time: Date) {
        if let sealed = input.sealed { self.sealed = JSONText.encode(sealed) }
        if let status = input.status {
            if status == .done, self.status != .done { completedAt = time }
            if status == .open { completedAt = nil }
            self.status = status
        }
        if let progress = input.progress { self.progress = progress }
        dueAt = input.dueAt
        rating = input.rating
        sessionOn = input.sessionOn
        parentID = input.parentId
        updatedAt = time
    }

    var wire: EngagementItem {
        get throws {
            EngagementItem(
                id: try requireID(), engagementId: engagementID, kind: kind, author: authorID, sealed: sealedContent,
                status: status, progress: progress, dueAt: dueAt, rating: rating, sessionOn: sessionOn,
                parentId: parentID, step: step, revision: revision, createdAt: createdAt, updatedAt: updatedAt,
                completedAt: completedAt)
        }
    }
}

extension EngagementEventRecord {
    var wire: EngagementEvent {
        get throws {
            EngagementEvent(id: try requireID(), kind: kind, actor: actorID, itemId: itemID, itemKind: itemKind, at: at)
        }
    }
}
