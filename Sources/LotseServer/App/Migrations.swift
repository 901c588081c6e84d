import Fluent

/// Every migration, in the order it shipped. A shipped migration is never edited; changes come as new ones at the end.
enum Migrations {
    static func add(to migrations: Migrations_) {
        migrations.add(CreateUsers())  // #2 accounts with login-key hash, TOTP secret
        migrations.add(CreateAuthSessions())  // #2 signed-in devices
        migrations.add(CreateAccountTokens())  // #2 verification, reset and sign-in challenge tokens
        migrations.add(CreateRecoveryCodes())  // #2 two-factor recovery codes
        migrations.add(CreateThrottles())  // #2 rate limits and lockout shared by all instances
        migrations.add(CreateMessaging())  // #3 account keys, conversations, sealed messages, attachments, drafts
        migrations.add(CreateFormerMembers())  // #3 signing keys of people who left, to verify their old messages
        migrations.add(CreateDirectory())  // #4 coaches' public profiles, photos and search terms
        migrations.add(CreateEngagements())  // #4 engagements, their items and timeline, questionnaires, templates
        migrations.add(CreateScheduling())  // #5 availability, session types, bookings, claims, series, reminders
        migrations.add(CreateCalls())  // #6 who is in an engagement's call and who waits
        migrations.add(CreateTechChecks())  // #6 each person's latest tech check
        migrations.add(CreateLookupGrants())  // #16 whom a coach looked up by address, and so may write to
        migrations.add(CreateKeyHistory())  // #16 every key version of every account, to verify what it signed
    }
}

typealias Migrations_ = FluentKit.Migrations
