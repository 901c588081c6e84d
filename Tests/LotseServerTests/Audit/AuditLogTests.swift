import ConsoleKit
import Fluent
import Foundation
import LotseAPI
import SQLKit
import Testing
import Vapor

@testable import LotseServer

@Suite("The audit log: one's security events, and a chain that shows any tampering")
struct AuditLogTests {
    @Test("Sign-ins, a failed one and turning on the second factor are one's own events, newest first, without content")
    func ownEvents() async throws {
        try await withTestApp { t in
            let ada = try await t.participant("ada@example.org")
            let wrong = try await t.send(
                .POST, "api/v1/auth/login",
                json: Login(email: "ada@example.org", loginKey: TestCredentials(password: "not her password").loginKey))
            #expect(wrong.status == .unauthorized)
            // An address without an account leaves nothing: there is nobody it would be about.
            _ = try await t.send(
                .POST, "api/v1/auth/login",
                json: Login(email: "nobody@example.org", loginKey: TestCredentials().loginKey))
            let again = try await t.signIn("ada@example.org")
            let events = try await t.send(.GET, "api/v1/account/security-events", token: again)
                .decode([SecurityEvent].self)
            #expect(events.map(\.kind) == [.signIn, .signInFailed, .signIn])
            #expect(events[1].details == ["reason": "password"])
            #expect(events.map(\.sequence) == events.map(\.sequence).sorted(by: >))
            // Bob sees his own, not Ada's.
            let bob = try await t.participant("bob@example.org")
            let his = try await t.send(.GET, "api/v1/account/security-events", token: bob.token)
                .decode([SecurityEvent].self)
            #expect(his.map(\.kind) == [.signIn])
            #expect(try await t.send(.GET, "api/v1/account/security-events").status == .unauthorized)
            _ = ada
        }
    }

    @Test("Administrators read the log within their scope, and their reading is an entry of its own")
    func administratorsScope() async throws {
        try await withTestApp { t in
            let school = try await t.institution()
            _ = try await t.institution("Gymnasium Nord", domains: ["gn.de"], admin: "olaf@gn.de")
            _ = try await t.openProgram(in: school)
            let path = "api/v1/institutions/\(school.id)/audit"
            let read = try await t.send(.GET, path, token: school.admin.token)
            #expect(read.status == .ok, "\(read.text)")
            let entries = try read.decode([AuditEntry].self)
            // Only the school's: Ines reading it, opening and creating a program, joining — nothing of the other
            // institution or of sign-ins.
            #expect(entries.map(\.kind) == [.auditRead, .institutionAction, .institutionAction, .staffChanged])
            #expect(
                entries[1].details == [
                    "action": "program_status", "program": ProgramsTests.settings.name, "status": "open",
                ])
            #expect(entries[2].details["action"] == "program_created")
            #expect(entries.allSatisfy { $0.actorName == "Person ines@hs-rheinland.de" || $0.actorName == nil })
            #expect(entries[3].accountName == "Person ines@hs-rheinland.de" && entries[3].details["change"] == "joined")
            // Staff who are not admins may not read it; outsiders do not learn the institution exists.
            let sven = try await t.participant("sven@hs-rheinland.de")
            _ = try await t.send(
                .POST, "api/v1/institutions/\(school.id)/staff",
                json: InviteStaff(email: sven.email, role: .staff), token: school.admin.token)
            try await t.acceptStaffInvitation(as: sven)
            #expect(try await t.send(.GET, path, token: sven.token).errorCode == "programs.admin_only")
            let outsider = try await t.participant("xaver@example.org")
            #expect(try await t.send(.GET, path, token: outsider.token).status == .notFound)
            // A platform admin reads all of it.
            let root = try await t.participant("root@lotse.test")
            try await t.promote(root, to: .platformAdmin)
            let all = try await t.send(.GET, "api/v1/admin/audit", token: root.token).decode([AuditEntry].self)
            #expect(all.first?.kind == .auditRead && all.first?.actorName == "Person root@lotse.test")
            #expect(all.filter { $0.kind == .staffChanged }.count == 4)  // two admins, Sven invited and joining
            #expect(all.contains { $0.kind == .signIn })
            #expect(try await t.send(.GET, "api/v1/admin/audit", token: sven.token).status == .forbidden)
        }
    }

    /// Twelve events, the chain's end signed after the eighth and the twelfth.
    static func filledLog(_ t: TestContext) async throws -> AuditLog {
        let audit: AuditLog = t.app.make(on: t.app.db)
        for index in 1...12 {
            try await audit.record(.signIn, account: UUID(), details: ["n": String(index)])
            if index == 8 || index == 12 { #expect(try await audit.checkpoint()) }
        }
        #expect(try await !audit.checkpoint())  // nothing new to sign
        let intact = try await audit.verify()
        #expect(intact.problems.isEmpty && intact.entries == 12 && intact.checkpoints == 2)
        return audit
    }

    static func sql(_ t: TestContext) -> any SQLDatabase { t.app.db as! any SQLDatabase }

    /// Recomputes every hash from `sequence` on, as someone who rewrote the table would.
    static func rechain(_ t: TestContext, from sequence: Int) async throws {
        let entries = try await AuditEntryRecord.query(on: t.app.db).sort(\.$sequence).all()
        var previous = AuditLog.genesis
        for entry in entries {
            if entry.sequence >= sequence {
                entry.previousHash = previous
                entry.hash = AuditLog.hash(of: entry, after: previous)
                try await entry.save(on: t.app.db)
            }
            previous = entry.hash
        }
    }

    @Test("lotse audit verify finds an edited entry, a rewritten chain, an inserted and a removed entry, a cut-off end")
    func tampering() async throws {
        let cases: [(String, (TestContext) async throws -> Void, String)] = [
            (
                "edited",
                { t in
                    try await Self.sql(t).raw("UPDATE audit_entries SET details = '{\"n\":\"7\"}' WHERE sequence = 3")
                        .run()
                }, "Entry 3 was changed"
            ),
            (
                "edited, every later hash recomputed",
                { t in
                    try await Self.sql(t).raw("UPDATE audit_entries SET kind = 'password_changed' WHERE sequence = 5")
                        .run()
                    try await Self.rechain(t, from: 5)
                }, "The log up to entry 8 is not what the checkpoint in the database signed"
            ),
            (
                "inserted",
                { t in
                    // Entries 6… move up one place, a forged one takes 6, and the chain is recomputed.
                    try await Self.sql(t).raw("UPDATE audit_entries SET sequence = sequence + 100 WHERE sequence >= 6")
                        .run()
                    try await Self.sql(t).raw("UPDATE audit_entries SET sequence = sequence - 99 WHERE sequence >= 106")
                        .run()
                    let forged = AuditEntryRecord()
                    forged.sequence = 6
                    forged.atMilliseconds = 0
                    forged.kind = "sign_in"
                    forged.details = "{}"
                    forged.previousHash = ""
                    forged.hash = ""
                    try await forged.create(on: t.app.db)
                    try await Self.rechain(t, from: 6)
                }, "not what the checkpoint in the database signed"
            ),
            (
                "removed",
                { t in try await Self.sql(t).raw("DELETE FROM audit_entries WHERE sequence = 4").run() },
                "Entries 4 to 4 are missing"
            ),
            (
                "cut off, with the checkpoints in the database",
                { t in
                    try await Self.sql(t).raw("DELETE FROM audit_entries WHERE sequence > 9").run()
                    try await Self.sql(t).raw("DELETE FROM audit_checkpoints WHERE sequence > 9").run()
                }, "The log ends at entry 9, but a checkpoint in the checkpoint file vouches for entry 12"
            ),
            (
                "a checkpoint forged",
                { t in
                    try await Self.sql(t).raw("UPDATE audit_checkpoints SET signature = 'AAAA' WHERE sequence = 8")
                        .run()
                }, "The checkpoint at entry 8 in the database is not signed by the audit key"
            ),
        ]
        for (name, tamper, expected) in cases {
            try await withTestApp { t in
                let audit = try await Self.filledLog(t)
                try await tamper(t)
                let found = try await audit.verify()
                #expect(found.problems.contains { $0.contains(expected) }, "\(name): \(found.problems)")
                // The command says so and fails.
                var context = CommandContext(
                    console: Terminal(), input: CommandInput(arguments: ["lotse", "verify"]))
                context.application = t.app
                await #expect(throws: AuditVerificationFailed.self, "\(name)") {
                    try await AuditCommand().run(using: &context)
                }
            }
        }
    }

    @Test("Forty events recorded at once make one unbroken chain")
    func racingAppends() async throws {
        try await withTestApp { t in
            let audit: AuditLog = t.app.make(on: t.app.db)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<40 {
                    group.addTask {
                        try await audit.record(.signInFailed, account: UUID(), details: ["reason": "password"])
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await audit.checkpoint())
            let result = try await audit.verify()
            #expect(result.problems.isEmpty && result.entries == 40, "\(result.problems)")
            let sequences = try await AuditEntryRecord.query(on: t.app.db).sort(\.$sequence).all().map(\.sequence)
            #expect(sequences == Array(1...40))
            var context = CommandContext(console: Terminal(), input: CommandInput(arguments: ["lotse", "verify"]))
            context.application = t.app
            try await AuditCommand().run(using: &context)
        }
    }
}
