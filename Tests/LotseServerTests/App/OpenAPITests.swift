import Crypto
import Fluent
import Foundation
import LotseAPI
import LotseCrypto
import Testing
import Vapor
import VaporTesting
import Yams

@testable import LotseServer

/// openapi/lotse.yaml is the contract; these tests keep it true. schemathesis (scripts/test) then fuzzes the running
/// server against it.
@Suite("The OpenAPI document")
struct OpenAPITests {
    static func document() throws -> [String: Any] {
        let text = try String(contentsOfFile: repositoryRoot + "/openapi/lotse.yaml", encoding: .utf8)
        return try #require(try Yams.load(yaml: text) as? [String: Any])
    }

    static func operations(_ document: [String: Any]) throws -> [String: [String: Any]] {
        var result: [String: [String: Any]] = [:]
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        for (path, methods) in paths {
            for (method, operation) in methods {
                let vaporPath = path.replacingOccurrences(of: "{", with: ":").replacingOccurrences(of: "}", with: "")
                result["\(method.uppercased()) \(vaporPath)"] = operation as? [String: Any]
            }
        }
        return result
    }

    @Test("Every API route is documented, and every documented route exists")
    func routesMatch() async throws {
        try await withTestApp { t in
            let pages = Set(WebClient.pages.map { "GET /" + $0 })
            let routes = Set(
                t.app.routes.all.map { "\($0.method.rawValue) /" + $0.path.map(\.description).joined(separator: "/") }
            ).subtracting(pages)
            let documented = Set(try Self.operations(Self.document()).keys)
            #expect(routes.subtracting(documented).sorted() == [], "routes missing from openapi/lotse.yaml")
            #expect(documented.subtracting(routes).sorted() == [], "documented operations the server lacks")
        }
    }

    @Test(
        "Every operation that needs a session documents 401, one with a path parameter 400, and every error response uses the Error schema"
    )
    func errorsDocumented() throws {
        let document = try Self.document()
        for (name, operation) in try Self.operations(document) {
            let responses = try #require(operation["responses"] as? [String: Any], "\(name) has no responses")
            let isPublic = (operation["security"] as? [Any])?.isEmpty == true
            if !isPublic { #expect(responses["401"] != nil, "\(name) needs a session but documents no 401") }
            // A parameter in the path can be malformed (not a UUID, control characters): the answer is 400.
            if name.contains(" /api/"), name.contains(":") {
                #expect(responses["400"] != nil, "\(name) takes a path parameter but documents no 400")
            }
            for (status, response) in responses where status.hasPrefix("4") || status.hasPrefix("5") {
                let reference = (response as? [String: Any])?["$ref"] as? String
                #expect(reference?.hasPrefix("#/components/responses/") == true, "\(name) \(status)")
            }
            #expect(operation["operationId"] != nil, "\(name) has no operationId")
        }
    }

    @Test("The wire types encode exactly the properties their schemas name")
    func schemasMatchWireTypes() throws {
        let schemas = try #require((Self.document()["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let account = Account(
            id: UUID(), email: "a@example.org", displayName: "A", role: .coach, coachTitle: .mentor, language: .de,
            isTwoFactorEnabled: true, mustEnableTwoFactor: false, recoveryCodesLeft: 10, createdAt: Date())
        let kdf = KDFParameters(salt: "AAAAAAAAAAAAAAAAAAAAAA==")
        let wrapped = WrappedConversationKey(
            member: UUID(), epoch: 1, distributor: UUID(), ephemeralPublicKey: "e", wrappedKey: "w", signature: "s")
        let member = ConversationMember(
            userId: UUID(), displayName: "A", agreementKey: "a", signingKey: "s", deliveredSeq: 1, readSeq: 1)
        let former = FormerMember(userId: UUID(), displayName: "B", signingKey: "s", leftAt: Date())
        let conversation = Conversation(
            id: UUID(), creator: UUID(), members: [member], formerMembers: [former], epoch: 1, needsNewKey: false,
            lastSeq: 1, lastMessageAt: Date(), createdAt: Date())
        let message = Message(
            id: UUID(), conversation: UUID(), sender: UUID(), epoch: 1, seq: 1, ciphertext: "c", signature: "s",
            attachments: [], sentAt: Date())
        let samples: [(String, any Encodable)] = [
            ("Account", account),
            (
                "AccountSummary",
                AccountSummary(
                    id: UUID(), email: "a@example.org", displayName: "A", role: .client, isEmailVerified: true,
                    isTwoFactorEnabled: false, createdAt: Date())
            ),
            ("SignedInSession", SignedInSession(token: "t", csrfToken: "c", expiresAt: Date(), account: account)),
            (
                "LoginResult",
                LoginResult(
                    status: .signedIn, challenge: "c",
                    session: SignedInSession(token: nil, csrfToken: "c", expiresAt: Date(), account: account))
            ),
            (
                "SessionSummary",
                SessionSummary(
                    id: UUID(), isCurrent: true, userAgent: "u", ipAddress: "127.0.0.1", createdAt: Date(),
                    lastSeenAt: Date(), expiresAt: Date())
            ),
            (
                "ServerKnowledge",
                ServerKnowledge(
                    generatedAt: Date(),
                    account: KnownAccount(
                        id: UUID(), email: "a@example.org", displayName: "Ada", role: .client, language: .de,
                        createdAt: Date(), emailVerifiedAt: nil, isTwoFactorEnabled: false),
                    sessions: [], securityEvents: [],
                    conversations: [
                        KnownConversation(
                            id: UUID(), members: ["Carla"], joinedAt: Date(), messages: 3, messagesSent: 2, bytes: 900,
                            attachments: 1, attachmentBytes: 20_000, firstMessageAt: Date(), lastMessageAt: nil)
                    ],
                    engagements: [
                        KnownEngagement(
                            id: UUID(), coachName: "Carla", clientNames: ["Ada"], status: .active, createdAt: Date())
                    ],
                    bookings: [
                        KnownBooking(
                            id: UUID(), engagementId: UUID(), title: "Coaching", startsAt: Date(), durationMinutes: 60,
                            status: "confirmed", format: "online", location: nil)
                    ],
                    programs: [
                        KnownParticipation(
                            programName: "Mentoring", institutionName: "HS", role: .mentee, state: .registered,
                            joinedAt: nil, answers: [RegistrationAnswer(questionId: UUID(), values: ["de"])])
                    ],
                    keyVersions: [
                        KeyVersion(
                            version: 1, agreementKey: "a", signingKey: "s", validFrom: Date(), validUntil: Date())
                    ],
                    notifications: [
                        KnownNotification(kind: .booked, about: UUID(), createdAt: Date(), readAt: Date())
                    ],
                    techCheck: TechCheck(
                        userId: UUID(),
                        report: TechCheckReport(
                            camera: .passed, microphone: .passed, speaker: .passed, connection: .passed, route: .direct,
                            roundTripMilliseconds: 20),
                        checkedAt: Date()))
            ),
            (
                "PrivacyNotice",
                PrivacyNotice(
                    operatorName: "Praxis Berger", operatorContact: "Hauptstr. 1, 50667 Köln, kontakt@example.org",
                    dataProtectionContact: "dsb@example.org",
                    retention: PrivacyNotice.Retention(
                        unconfirmedSignUp: 7, idleSession: 14, longestSession: 90, abandonedInquiry: 30,
                        inquiryNotice: 7, endedEngagement: 365))
            ),
            ("DataExport", DataExport(id: UUID(), scope: .engagement, engagementId: UUID())),
            (
                "AuditEntry",
                AuditEntry(
                    sequence: 9, kind: .staffChanged, at: Date(), accountName: "Sven", actorName: "Ines",
                    details: ["change": "invited"])
            ),
            (
                "SecurityEvent",
                SecurityEvent(
                    sequence: 3, kind: .signInFailed, at: Date(), actorName: "Ada", details: ["reason": "password"])
            ),
            ("KDFParameters", kdf),
            (
                "RegisterAccount",
                RegisterAccount(
                    email: "a@example.org", displayName: "A", role: .coach, coachTitle: .coach, language: .en, kdf: kdf,
                    loginKey: "k", programCode: "c")
            ),
            (
                "CreateFirstAdmin",
                CreateFirstAdmin(
                    setupToken: "s", email: "a@example.org", displayName: "A", language: .en, kdf: kdf, loginKey: "k")
            ),
            ("Login", Login(email: "a@example.org", loginKey: "k", transport: .cookie)),
            ("LoginSecondFactor", LoginSecondFactor(challenge: "c", code: "123456", recoveryCode: "r")),
            ("CompletePasswordReset", CompletePasswordReset(token: "t", kdf: kdf, loginKey: "k", wrappedKeys: "w")),
            ("ChangePassword", ChangePassword(currentLoginKey: "k", kdf: kdf, loginKey: "k", wrappedKeys: "w")),
            (
                "SetUpKeys",
                SetUpKeys(agreementKey: "a", signingKey: "s", passwordWrappedKeys: "p", recoveryWrappedKeys: "r")
            ),
            ("OwnKeys", OwnKeys(agreementKey: "a", signingKey: "s", passwordWrappedKeys: "p", createdAt: Date())),
            ("PublicKeys", PublicKeys(userId: UUID(), displayName: "A", agreementKey: "a", signingKey: "s")),
            ("RequestRecoveryKeys", RequestRecoveryKeys(token: "t")),
            (
                "RecoveryKeys",
                RecoveryKeys(userId: UUID(), agreementKey: "a", signingKey: "s", recoveryWrappedKeys: "r")
            ),
            ("WrappedConversationKey", wrapped),
            ("CreateConversation", CreateConversation(id: UUID(), members: [UUID()], keys: [wrapped])),
            ("ConversationMember", member),
            ("FormerMember", former),
            ("Conversation", conversation),
            ("RotateConversationKey", RotateConversationKey(epoch: 2, keys: [wrapped])),
            ("AddMembers", AddMembers(members: [UUID()])),
            ("MarkConversation", MarkConversation(readSeq: 1, deliveredSeq: 1)),
            ("SendMessage", SendMessage(id: UUID(), epoch: 1, ciphertext: "c", signature: "s", attachments: [])),
            ("Message", message),
            ("MessagePage", MessagePage(messages: [message], hasMore: false)),
            ("Draft", Draft(epoch: 1, id: UUID(), ciphertext: "c", signature: "s", updatedAt: Date())),
            ("SaveDraft", SaveDraft(epoch: 1, id: UUID(), ciphertext: "c", signature: "s")),
            ("Attachment", Attachment(id: UUID(), size: 28)),
            ("UpdateAccount", UpdateAccount(displayName: "A", language: .de)),
            ("ChangeRole", ChangeRole(role: .coach, coachTitle: .trainer)),
            ("TwoFactorSetup", TwoFactorSetup(secret: "s", otpauthURI: "otpauth://")),
            ("TwoFactorCode", TwoFactorCode(code: "123456")),
            ("RecoveryCodes", RecoveryCodes(codes: [])),
            ("SetupStatus", SetupStatus(needsAdmin: true)),
            ("Health", Health(status: "ok", database: "sqlite")),
            ("Accepted", Accepted(status: "verified")),
            ("PreLogin", PreLogin(email: "a@example.org")),
            ("VerifyEmail", VerifyEmail(token: "t")),
            ("RequestPasswordReset", RequestPasswordReset(email: "a@example.org")),
            ("Error", APIError(code: "c", message: "m")),
        ]
        try Self.expectMatches(samples, schemas)
    }

    @Test("The programs' wire types encode exactly the properties their schemas name")
    func programSchemasMatchWireTypes() throws {
        let schemas = try #require((Self.document()["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let settings = ProgramSettings(
            name: "P", startsOn: "2027-03-01", endsOn: "2027-08-31",
            steps: [ProgramStep(day: 0, title: "Kick-off", kind: .milestone)])
        let question = RegistrationQuestion(id: UUID(), kind: .topics, label: "T", options: ["AI"], use: .weight)
        let sealedAnswers = SealedAnswers(
            sealed: SealedContent(id: UUID(), author: UUID(), epoch: 1, ciphertext: "c", signature: "s"),
            keys: [
                WrappedConversationKey(
                    member: UUID(), epoch: 1, distributor: UUID(), ephemeralPublicKey: "e", wrappedKey: "w",
                    signature: "s")
            ], authorSigningKey: "k")
        let answer = RegistrationAnswer(questionId: UUID(), values: ["AI"], slots: [1], number: 2)
        let reason = CriterionPoints(questionId: UUID(), label: "T", points: 1, maxPoints: 2)
        let person = MatchPerson(participantId: UUID(), userId: UUID(), displayName: "A")
        let pair = ProposedPair(
            menteeId: UUID(), menteeName: "A", mentorId: UUID(), mentorName: "B", score: 1, reasons: [reason],
            isPinned: false)
        let samples: [(String, any Encodable)] = [
            (
                "CreateInstitution",
                CreateInstitution(id: UUID(), name: "I", allowedDomains: ["x.de"], adminEmail: "a@x.de")
            ),
            ("Institution", Institution(id: UUID(), name: "I", allowedDomains: [], myRole: .admin, createdAt: Date())),
            ("InviteStaff", InviteStaff(email: "a@x.de", role: .staff)),
            ("StaffMember", StaffMember(email: "a@x.de", displayName: "A", role: .staff, hasJoined: true)),
            ("AcceptStaffInvitation", AcceptStaffInvitation(token: "t")),
            ("ProgramSettings", settings),
            ("ProgramHeadcount", ProgramHeadcount(mentees: 1, mentors: 1, invited: 0)),
            (
                "Program",
                Program(
                    id: UUID(), institutionId: UUID(), institutionName: "I", status: .open, settings: settings,
                    invitationCode: "c", headcount: ProgramHeadcount(mentees: 1, mentors: 1, invited: 0),
                    createdAt: Date())
            ),
            ("ChangeProgramStatus", ChangeProgramStatus(status: .open)),
            (
                "ProgramInvitation",
                ProgramInvitation(
                    programId: UUID(), name: "P", description: "", institutionName: "I", isOpen: true, role: .mentor,
                    hasJoined: false)
            ),
            ("JoinProgram", JoinProgram(role: .mentee)),
            (
                "ProgramParticipant",
                ProgramParticipant(
                    id: UUID(), userId: UUID(), displayName: "A", email: "a@x.de", role: .mentee, state: .registered,
                    source: .list, guardianConsent: .confirmed, freeText: sealedAnswers)
            ),
            ("SealedAnswers", sealedAnswers),
            ("ImportParticipants", ImportParticipants(csv: "")),
            ("ImportedParticipants", ImportedParticipants(added: 1, alreadyThere: 0)),
            (
                "JoinableProgram",
                JoinableProgram(programId: UUID(), name: "P", institutionName: "I", source: .domain, role: .mentee)
            ),
            ("RegistrationQuestion", question),
            ("RegistrationQuestions", RegistrationQuestions(questions: [question])),
            ("RegistrationAnswer", answer),
            (
                "Registration",
                Registration(
                    answers: [answer], guardianEmail: "a@x.de", sealedAnswers: sealedAnswers,
                    consent: Registration.consentVersion)
            ),
            ("RetentionSettings", RetentionSettings(endedEngagementDays: 90)),
            ("ChangeRetentionSettings", ChangeRetentionSettings(endedEngagementDays: 90)),
            ("ErasureStatus", ErasureStatus(scheduled: true, requestedAt: Date(), deletesAt: Date())),
            ("RequestErasure", RequestErasure(loginKey: "a2V5")),
            ("CancelErasure", CancelErasure(token: "abc")),
            (
                "Consent",
                Consent(
                    id: UUID(), purpose: .programAnswers, subjectId: UUID(), subjectName: "P",
                    textVersion: Registration.consentVersion, givenAt: Date(), withdrawnAt: Date())
            ),
            (
                "GuardianConsent",
                GuardianConsent(
                    participantName: "A", programName: "P", programDescription: "", institutionName: "I",
                    isConfirmed: false)
            ),
            ("GuardianToken", GuardianToken(token: "t")),
            (
                "RegistrationForm",
                RegistrationForm(
                    programId: UUID(), programName: "P", participantId: UUID(), role: .mentor, questions: [question],
                    answers: [answer],
                    isComplete: true, isEditable: true, guardianEmail: "a@x.de", guardianConsent: .pending,
                    staffKeys: [PublicKeys(userId: UUID(), displayName: "S", agreementKey: "a", signingKey: "s")],
                    sealedAnswers: sealedAnswers, consentGivenAt: Date())
            ),
            ("CriterionPoints", reason),
            ("PairChoice", PairChoice(menteeId: UUID(), mentorId: UUID())),
            ("ProposeMatching", ProposeMatching(everyoneFirst: true, pins: [])),
            ("ProposedPair", pair),
            ("UnmatchedParticipant", UnmatchedParticipant(id: UUID(), displayName: "A", possibleMentors: 0)),
            ("MatchPerson", person),
            (
                "ProgramMatch",
                ProgramMatch(
                    id: UUID(), programId: UUID(), programName: "P", mentee: person, mentor: person, state: .waiting,
                    origin: .staff, score: 1, waitingFor: [.mentee], respondBy: Date(), engagementId: UUID(),
                    createdAt: Date())
            ),
            ("PairMeeting", PairMeeting(bookingId: UUID(), startsAt: Date(), met: true)),
            ("AnswerMeeting", AnswerMeeting(met: false)),
            (
                "StartPairWork",
                StartPairWork(conversation: CreateConversation(id: UUID(), members: [UUID()], keys: []))
            ),
            ("PublishMatches", PublishMatches(pairs: [])),
            ("PublishedMatches", PublishedMatches(created: 1, alreadyPublished: 0)),
            (
                "MentorSuggestion",
                MentorSuggestion(
                    mentorId: UUID(), displayName: "A", score: 1, reasons: [reason], placesLeft: 1, isRequested: false)
            ),
            ("RequestMentor", RequestMentor(mentorId: UUID())),
            ("ReportFigure", ReportFigure(key: "k", value: 1, isHidden: false)),
            (
                "ReportPair",
                ReportPair(
                    menteeName: "A", mentorName: "B", state: .active, daysActive: 1, daysToFirstSession: 1,
                    daysSinceActivity: 0, health: .onTrack)
            ),
            (
                "ProgramReport",
                ProgramReport(
                    programId: UUID(), generatedAt: Date(),
                    figures: [ReportFigure(key: "k", value: 1, isHidden: false)],
                    pairs: [ReportPair(menteeName: "A", mentorName: "B", state: .active, daysActive: 1)])
            ),
            (
                "MyProgram",
                MyProgram(
                    programId: UUID(), name: "P", institutionName: "I", role: .mentee, status: .open,
                    matchingMode: .review, isRegistrationComplete: true)
            ),
            (
                "MatchingProposal",
                MatchingProposal(
                    pairs: [pair], unmatched: [], incomplete: 0, total: 1, greedyTotal: 1, greedyMatched: 1)
            ),
        ]
        try Self.expectMatches(samples, schemas)
    }

    @Test("The directory's and engagements' wire types encode exactly the properties their schemas name")
    func engagementSchemasMatchWireTypes() throws {
        let schemas = try #require((Self.document()["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let price = Price(amount: 100, currency: "EUR", per: .session)
        let sealed = SealedContent(id: UUID(), author: UUID(), epoch: 1, ciphertext: "c", signature: "s")
        let participant = EngagementParticipant(userId: UUID(), displayName: "A", confirmedVersion: 1)
        let meeting = FirstMeeting(
            at: Date(), format: .inPerson, location: "Köln", acceptedAt: Date(), bookingId: UUID())
        let agreement = Agreement(
            version: 1, sessions: 5, fee: price, startsOn: "2026-12-01", endsOn: "2027-01-01", scope: sealed,
            proposedAt: Date())
        let step = ProgramStep(day: 30, title: "Check-in", kind: .checkIn)
        let program = EngagementProgram(templateId: UUID(), name: "100 Tage", startsOn: "2026-12-01", steps: [step])
        let question = Question(id: UUID(), text: "Was?", kind: .text)
        let intake = EngagementIntake(questionnaireId: UUID(), title: "T", questions: [question], sentAt: Date())
        let profile = DirectoryProfile(
            id: UUID(), slug: "s", displayName: "A", headline: "h", bio: "b", topics: ["t"], languages: ["de"],
            formats: [.online], location: "Köln", rate: price, timeZone: "Europe/Berlin", hasPhoto: true,
            isPublished: true, updatedAt: Date())
        let conversation = CreateConversation(id: UUID(), members: [UUID()], keys: [])
        let samples: [(String, any Encodable)] = [
            ("Price", price),
            ("DirectoryProfile", profile),
            (
                "SaveDirectoryProfile",
                SaveDirectoryProfile(
                    slug: "s", headline: "h", bio: "b", topics: [], languages: ["de"], formats: [.online],
                    location: "Köln", rate: price, timeZone: "Europe/Berlin", isPublished: true)
            ),
            ("DirectoryPage", DirectoryPage(profiles: [profile], total: 1)),
            ("SealedContent", sealed),
            ("EngagementParticipant", participant),
            ("FirstMeeting", meeting),
            ("Agreement", agreement),
            ("ProgramStep", step),
            ("EngagementProgram", program),
            ("Question", question),
            ("EngagementIntake", intake),
            (
                "Engagement",
                Engagement(
                    id: UUID(), conversationId: UUID(), coach: participant, clients: [participant], isGroup: false,
                    status: .active, initiatedBy: .client, firstMeeting: meeting, agreement: agreement,
                    declineReason: sealed, intake: intake, program: program, openTasks: 1, nextDueAt: Date(),
                    progress: 50, createdAt: Date(), updatedAt: Date())
            ),
            (
                "EngagementItem",
                EngagementItem(
                    id: UUID(), engagementId: UUID(), kind: .milestone, author: UUID(), sealed: sealed, status: .open,
                    progress: 0, dueAt: Date(), rating: 5, sessionOn: "2026-12-01", parentId: UUID(), step: 0,
                    revision: 1, createdAt: Date(), updatedAt: Date(), completedAt: Date())
            ),
            (
                "SaveEngagementItem",
                SaveEngagementItem(
                    kind: .task, sealed: sealed, status: .open, progress: 1, dueAt: Date(), rating: 1,
                    sessionOn: "2026-12-01", parentId: UUID(), baseRevision: 1)
            ),
            (
                "EngagementEvent",
                EngagementEvent(
                    id: UUID(), kind: .itemAdded, actor: UUID(), itemId: UUID(), itemKind: .task, at: Date())
            ),
            (
                "CreateInquiry",
                CreateInquiry(id: UUID(), profileId: UUID(), conversation: conversation, inquiry: sealed)
            ),
            ("CreateEngagement", CreateEngagement(id: UUID(), conversation: conversation, isGroup: true)),
            (
                "ProposeAgreement",
                ProposeAgreement(sessions: 1, fee: price, startsOn: "2026-12-01", endsOn: "2026-12-02", scope: sealed)
            ),
            ("ConfirmAgreement", ConfirmAgreement(version: 1)),
            ("DeclineEngagement", DeclineEngagement(reason: sealed)),
            ("SendIntake", SendIntake(questionnaireId: UUID())),
            ("ApplyProgram", ApplyProgram(templateId: UUID(), startsOn: "2026-12-01")),
            ("AddEngagementClients", AddEngagementClients(clients: [UUID()])),
            ("Questionnaire", Questionnaire(id: UUID(), title: "T", questions: [question], updatedAt: Date())),
            ("SaveQuestionnaire", SaveQuestionnaire(title: "T", questions: [question])),
            (
                "ProgramTemplate",
                ProgramTemplate(id: UUID(), name: "N", description: "D", steps: [step], updatedAt: Date())
            ),
            ("SaveProgramTemplate", SaveProgramTemplate(name: "N", description: "D", steps: [step])),
        ]
        try Self.expectMatches(samples, schemas)
    }

    @Test("The scheduling wire types encode exactly the properties their schemas name")
    func schedulingSchemasMatchWireTypes() throws {
        let schemas = try #require((Self.document()["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let price = Price(amount: 9_000, currency: "EUR", per: .session)
        let range = TimeRange(start: "09:00", end: "12:00")
        let weekly = WeeklyHours(weekday: 1, start: "09:00", end: "12:00")
        let exception = DateException(date: "2026-12-24", hours: [range])
        let person = BookingPerson(userId: UUID(), displayName: "A")
        let booking = Booking(
            id: UUID(), engagementId: UUID(), coachId: UUID(), people: [person], sessionTypeId: UUID(), title: "T",
            status: .confirmed, startsAt: Date(), endsAt: Date(), durationMinutes: 60, format: .inPerson,
            location: "Köln", proposedStarts: [Date()], timeZone: "Europe/Berlin", seriesId: UUID(), occurrence: 1,
            changeableUntil: Date(), createdBy: UUID(), cancelledBy: UUID(), sequence: 0, updatedAt: Date())
        let samples: [(String, any Encodable)] = [
            ("TimeRange", range),
            ("WeeklyHours", weekly),
            ("DateException", exception),
            (
                "Availability",
                Availability(
                    timeZone: "Europe/Berlin", weekly: [weekly], exceptions: [exception], bufferBeforeMinutes: 0,
                    bufferAfterMinutes: 15, minimumNoticeMinutes: 60, horizonDays: 30, slotStepMinutes: 30,
                    changeNoticeHours: 24, updatedAt: Date())
            ),
            (
                "UpdateAvailability",
                UpdateAvailability(
                    timeZone: "Europe/Berlin", weekly: [weekly], exceptions: [exception], bufferBeforeMinutes: 0,
                    bufferAfterMinutes: 15, minimumNoticeMinutes: 60, horizonDays: 30, slotStepMinutes: 30,
                    changeNoticeHours: 24)
            ),
            (
                "SessionType",
                SessionType(
                    id: UUID(), coachId: UUID(), name: "N", durationMinutes: 60, format: .inPerson, location: "Köln",
                    price: price, isActive: true, updatedAt: Date())
            ),
            (
                "SaveSessionType",
                SaveSessionType(
                    name: "N", durationMinutes: 60, format: .inPerson, location: "Köln", price: price, isActive: true)
            ),
            ("FreeSlots", FreeSlots(sessionTypeId: UUID(), timeZone: "Europe/Berlin", starts: [Date()])),
            ("BookingPerson", person),
            ("Booking", booking),
            ("CreateBooking", CreateBooking(id: UUID(), engagementId: UUID(), sessionTypeId: UUID(), startsAt: Date())),
            ("ProposeTimes", ProposeTimes(id: UUID(), engagementId: UUID(), sessionTypeId: UUID(), starts: [Date()])),
            ("PickTime", PickTime(startsAt: Date())),
            (
                "CreateSeries",
                CreateSeries(
                    id: UUID(), engagementId: UUID(), sessionTypeId: UUID(), firstStartsAt: Date(), intervalWeeks: 2,
                    count: 10)
            ),
            ("BookingSeries", BookingSeries(id: UUID(), intervalWeeks: 2, count: 10, bookings: [booking])),
            (
                "CalendarSettings",
                CalendarSettings(timeZone: "Europe/Berlin", reminderOffsetsMinutes: [60], hasFeed: true)
            ),
            ("UpdateCalendarSettings", UpdateCalendarSettings(timeZone: "Europe/Berlin", reminderOffsetsMinutes: [60])),
            ("CalendarFeed", CalendarFeed(url: "https://lotse.example/calendar/t.ics")),
        ]
        try Self.expectMatches(samples, schemas)
    }

    @Test("The video wire types encode exactly the properties their schemas name")
    func videoSchemasMatchWireTypes() throws {
        let schemas = try #require((Self.document()["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let server = ICEServer(urls: ["turn:t.example:3478"], username: "1:u", credential: "c")
        let peer = CallPeer(id: UUID(), user: UUID(), admitted: true, connected: true)
        let report = TechCheckReport(
            camera: .passed, microphone: .denied, speaker: .skipped, connection: .passed, route: .relay,
            roundTripMilliseconds: 12)
        try Self.expectMatches(
            [
                ("ICEServer", server),
                ("ICEConfiguration", ICEConfiguration(iceServers: [server], expiresAt: Date())),
                ("CallPeer", peer),
                ("CallRoom", CallRoom(engagement: UUID(), peers: [peer])),
                ("CallSignal", Self.callSignal),
                ("TechCheckReport", report),
                ("TechCheck", TechCheck(userId: UUID(), report: report, checkedAt: Date())),
            ],
            schemas)
    }

    static let callSignal = CallSignal(
        id: UUID(), engagement: UUID(), from: UUID(), to: UUID(), author: UUID(), epoch: 1, ciphertext: "c",
        signature: "s")

    @Test("Every WebSocket event encodes as one of the variants the document lists, and every variant is used")
    func socketEventsMatchTheDocument() throws {
        let schemas = try #require((Self.document()["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let message = Message(
            id: UUID(), conversation: UUID(), sender: UUID(), epoch: 1, seq: 1, ciphertext: "c", signature: "s",
            attachments: [], sentAt: Date())
        let server: [ServerEvent] = [
            .hello(online: [UUID()]), .message(message), .ack(id: UUID(), seq: 1, message: message),
            .error(id: UUID(), code: "c", message: "m"), .typing(conversation: UUID(), user: UUID()),
            .presence(user: UUID(), online: true),
            .receipt(conversation: UUID(), user: UUID(), deliveredSeq: 1, readSeq: 1), .conversation(id: UUID()),
            .engagement(id: UUID()), .room(CallRoom(engagement: UUID(), peers: [])), .signal(Self.callSignal), .pong,
            .notifications(
                unread: 1,
                latest: NotificationItem(
                    id: UUID(), kind: .inquiry, engagementId: UUID(), actorName: "Jonas", createdAt: Date(),
                    read: false)),
        ]
        let client: [ClientEvent] = [
            .send(conversation: UUID(), message: SendMessage(id: UUID(), epoch: 1, ciphertext: "c", signature: "s")),
            .typing(conversation: UUID()), .mark(conversation: UUID(), deliveredSeq: 1, readSeq: 1),
            .join(engagement: UUID(), peer: UUID()), .admit(engagement: UUID(), peer: UUID()),
            .leave(engagement: UUID(), peer: UUID()), .signal(Self.callSignal), .ping,
        ]
        for (name, events) in [("ServerEvent", server.map { $0 as any Encodable }), ("ClientEvent", client)] {
            let variants = try #require((schemas[name] as? [String: Any])?["oneOf"] as? [[String: Any]])
            var byType: [String: [String: Any]] = [:]
            for variant in variants {
                let properties = try #require(variant["properties"] as? [String: Any])
                let type = try #require((properties["type"] as? [String: Any])?["const"] as? String)
                byType[type] = variant
            }
            var used: Set<String> = []
            for event in events {
                let encoded = try #require(
                    try JSONSerialization.jsonObject(with: JSONEncoder().encode(event)) as? [String: Any])
                let type = try #require(encoded["type"] as? String)
                let variant = try #require(byType[type], "\(name) \(type) is not documented")
                used.insert(type)
                let properties = Set((variant["properties"] as? [String: Any])?.keys.map { $0 } ?? [])
                #expect(Set(encoded.keys) == properties, "\(name) \(type)")
                #expect(Set(variant["required"] as? [String] ?? []).isSubset(of: encoded.keys), "\(name) \(type)")
            }
            #expect(
                used == Set(byType.keys), "\(name): documented but not sampled \(Set(byType.keys).subtracting(used))")
        }
    }

    /// Each sample must encode exactly the properties its schema names, the required ones among them.
    static func expectMatches(_ samples: [(String, any Encodable)], _ schemas: [String: Any]) throws {
        for (name, sample) in samples {
            let schema = try #require(schemas[name] as? [String: Any], "no schema \(name)")
            let properties = Set((schema["properties"] as? [String: Any])?.keys.map { $0 } ?? [])
            let required = Set(schema["required"] as? [String] ?? [])
            let encoded = try #require(
                try JSONSerialization.jsonObject(with: JSONEncoder().encode(sample)) as? [String: Any])
            let keys = Set(encoded.keys)
            #expect(
                keys.subtracting(properties).isEmpty, "\(name) encodes undocumented \(keys.subtracting(properties))")
            #expect(required.isSubset(of: keys), "\(name) lacks required \(required.subtracting(keys))")
            #expect(properties == keys, "\(name): the sample should set every documented property")
        }
    }

    @Test("The byte-format patterns accept what LotseCrypto really makes, and refuse a byte too many")
    func bytePatternsFitRealValues() throws {
        let schemas = try #require((Self.document()["components"] as? [String: Any])?["schemas"] as? [String: Any])
        func matches(_ name: String, _ value: String) throws -> Bool {
            let pattern = try #require((schemas[name] as? [String: Any])?["pattern"] as? String, "\(name)")
            return value.range(of: pattern, options: .regularExpression) != nil
        }
        let keys = AccountKeyPair()
        let id = UUID()
        let wrapped = try keys.wrap(with: SymmetricKey(size: .bits256), userID: id)
        let message = try MessageEnvelope.seal(
            .init(kind: .chat, text: "Hallo"), conversation: UUID(), sender: id, epoch: 1, key: ConversationKey(),
            signingKey: keys.signing)
        for _ in 0..<20 {
            let point = P256.KeyAgreement.PrivateKey().publicKey.x963Representation
            #expect(try matches("Point", point.base64EncodedString()))
            #expect(try !matches("Point", (point + Data([0])).base64EncodedString()))
            let signature = try P256.Signing.PrivateKey().signature(for: Data("x".utf8)).rawRepresentation
            #expect(try matches("Signature", signature.base64EncodedString()))
        }
        #expect(try matches("SealedAccountKeys", wrapped))
        #expect(try matches("Sealed", message.ciphertext))
        #expect(try matches("Signature", message.signature))
        #expect(try !matches("Sealed", "not base64!"))
        let item = try EngagementCipher.seal(
            EngagementText(title: "Ziel"), id: UUID(), engagement: UUID(), author: id, epoch: 1, key: ConversationKey(),
            signingKey: keys.signing)
        let note = try EngagementCipher.sealPrivate(
            EngagementText(text: "Notiz"), id: UUID(), engagement: UUID(), author: id, keys: keys)
        for sealed in [item, note] {
            #expect(try matches("Sealed", sealed.ciphertext))
            #expect(try matches("Signature", sealed.signature))
        }
    }

    @Test("The server serves the document at /openapi.yaml")
    func served() async throws {
        try await withTestApp { t in
            let response = try await t.send(.GET, "openapi.yaml")
            #expect(response.status == .ok)
            #expect(response.text.hasPrefix("openapi: 3.1.0"))
            #expect(response.headers.contentType?.subType == "yaml")
        }
    }
}
