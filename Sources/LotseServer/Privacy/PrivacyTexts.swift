import Vapor

/// The privacy feature's mails and errors, in German and English.
extension Texts {
    static let privacy = Texts(
        english: [
            "privacy.consent_not_found": "You have given no such consent.",
            "privacy.coach_only": "Only coaches choose how long their ended engagements are kept.",
            "privacy.retention_out_of_range": "Please choose between 30 days and 3650 days (ten years).",
            "privacy.last_platform_admin":
                "You are the platform's only administrator. Make someone else an administrator first, then delete your account.",
            "privacy.last_institution_admin":
                "You are the only administrator of {0}. Make someone else its administrator first, then delete your account.",
            "privacy.erasure_link_invalid":
                "This link no longer works: the account has been deleted already, or the link is incomplete.",
            "mail.erasure_requested.subject": "Your Lotse account will be deleted on {0}",
            "mail.erasure_requested.body":
                "Hello,\n\nyou asked for your Lotse account to be deleted. It will be deleted on {0}, with everything that is only yours: your profile, settings, notes, drafts, appointments, and the keys that open your messages.\n\nMessages you sent stay with the people you sent them to, shown as from \"Deleted account\".\n\nIf you did not ask for this, or changed your mind, keep your account here before then:\n\n{1}\n\nTo keep a copy of your data, export it first:\n\n{2}\n\nLotse",
            "mail.erasure_cancelled.subject": "Your Lotse account will not be deleted",
            "mail.erasure_cancelled.body":
                "Hello,\n\nthe deletion of your Lotse account was cancelled. Everything stays as it was.\n\nIf you did not do this, change your password:\n\n{0}\n\nLotse",
            "mail.account_erased.subject": "Your Lotse account has been deleted",
            "mail.account_erased.body":
                "Hello,\n\nas you asked 30 days ago, your Lotse account has been deleted, with your profile, settings, notes, drafts, appointments and the keys to your messages. Lotse no longer knows this address.\n\nMessages you sent stay with the people you sent them to, shown as from \"Deleted account\".\n\nLotse",
            "mail.engagement_expiring.subject": "Your engagement with {0} will be deleted on {1}",
            "mail.engagement_expiring.body":
                "Hello,\n\nyour engagement with {0} has ended. So that nothing you wrote is kept longer than needed, Lotse deletes ended engagements after the period set for them (by your coach, or for a mentoring program by its institution): this one, with its conversation, attachments, goals and notes, on {1}.\n\nIf you want to keep a copy, export your data before then (Settings, \"Your data\"). You can still open it here:\n\n{2}\n\nLotse",
            "mail.engagement_expiring_coach.subject": "Your engagement with {0} will be deleted on {1}",
            "mail.engagement_expiring_coach.body":
                "Hello,\n\nyour ended engagement with {0} reaches the period set for keeping it. Lotse deletes it, with its conversation, attachments, goals and notes, on {1}.\n\nTo keep a copy for your records, export it before then:\n\n{2}\n\nCoaches set this period in Settings; for a mentoring program, its institution sets it on the program's page.\n\nLotse",
            "mail.inquiry_expiring.subject": "Your inquiry to {0} will be deleted on {1}",
            "mail.inquiry_expiring.body":
                "Hello,\n\nyour inquiry to {0} has had no answer and no activity for over three weeks. So that nothing you wrote is kept longer than needed, Lotse deletes inquiries 30 days after the last activity: this one, with its conversation and attachments, on {1}.\n\nIf you want to keep it, write a message in it before then; that starts the 30 days again:\n\n{2}\n\nLotse",
            "mail.inquiry_expiring_coach.subject": "An inquiry from {0} will be deleted on {1}",
            "mail.inquiry_expiring_coach.body":
                "Hello,\n\nthe inquiry from {0} has had no answer and no activity for over three weeks. Lotse deletes inquiries 30 days after the last activity: this one, with its conversation and attachments, on {1}.\n\nTo answer it before then, open it here:\n\n{2}\n\nLotse",
        ],
        german: [
            "privacy.consent_not_found": "Eine solche Einwilligung haben Sie nicht gegeben.",
            "privacy.coach_only": "Nur Coaches legen fest, wie lange ihre beendeten Begleitungen aufbewahrt werden.",
            "privacy.retention_out_of_range": "Bitte wählen Sie zwischen 30 und 3650 Tagen (zehn Jahren).",
            "privacy.last_platform_admin":
                "Sie sind die einzige Administratorin bzw. der einzige Administrator der Plattform. Ernennen Sie zuerst jemand anderen, dann löschen Sie Ihr Konto.",
            "privacy.last_institution_admin":
                "Sie sind die einzige Administratorin bzw. der einzige Administrator von {0}. Ernennen Sie zuerst jemand anderen, dann löschen Sie Ihr Konto.",
            "privacy.erasure_link_invalid":
                "Dieser Link funktioniert nicht mehr: Das Konto ist bereits gelöscht, oder der Link ist unvollständig.",
            "mail.erasure_requested.subject": "Ihr Lotse-Konto wird am {0} gelöscht",
            "mail.erasure_requested.body":
                "Hallo,\n\nSie haben die Löschung Ihres Lotse-Kontos beantragt. Es wird am {0} gelöscht, mit allem, was nur Ihnen gehört: Ihrem Profil, Ihren Einstellungen, Notizen, Entwürfen, Terminen und den Schlüsseln, die Ihre Nachrichten öffnen.\n\nNachrichten, die Sie geschickt haben, bleiben bei den Menschen, denen Sie sie geschickt haben, und erscheinen dort als von „Gelöschtes Konto“.\n\nWenn Sie das nicht beantragt haben oder es sich anders überlegen, behalten Sie Ihr Konto vorher hier:\n\n{1}\n\nUm eine Kopie Ihrer Daten zu behalten, exportieren Sie sie zuerst:\n\n{2}\n\nLotse",
            "mail.erasure_cancelled.subject": "Ihr Lotse-Konto wird nicht gelöscht",
            "mail.erasure_cancelled.body":
                "Hallo,\n\ndie Löschung Ihres Lotse-Kontos wurde abgebrochen. Alles bleibt, wie es war.\n\nWenn Sie das nicht waren, ändern Sie Ihr Passwort:\n\n{0}\n\nLotse",
            "mail.account_erased.subject": "Ihr Lotse-Konto wurde gelöscht",
            "mail.account_erased.body":
                "Hallo,\n\nwie vor 30 Tagen beantragt, wurde Ihr Lotse-Konto gelöscht, mit Ihrem Profil, Ihren Einstellungen, Notizen, Entwürfen, Terminen und den Schlüsseln zu Ihren Nachrichten. Lotse kennt diese Adresse nicht mehr.\n\nNachrichten, die Sie geschickt haben, bleiben bei den Menschen, denen Sie sie geschickt haben, und erscheinen dort als von „Gelöschtes Konto“.\n\nLotse",
            "mail.engagement_expiring.subject": "Ihre Begleitung mit {0} wird am {1} gelöscht",
            "mail.engagement_expiring.body":
                "Hallo,\n\nIhre Begleitung mit {0} ist beendet. Damit nichts, was Sie geschrieben haben, länger als nötig aufbewahrt wird, löscht Lotse beendete Begleitungen nach der dafür festgelegten Frist (von Ihrem Coach, bei einem Mentoring-Programm von dessen Institution): diese, mit Gespräch, Anhängen, Zielen und Notizen, am {1}.\n\nWenn Sie eine Kopie behalten möchten, exportieren Sie Ihre Daten vorher (Einstellungen, „Ihre Daten“). Hier können Sie die Begleitung noch öffnen:\n\n{2}\n\nLotse",
            "mail.engagement_expiring_coach.subject": "Ihre Begleitung mit {0} wird am {1} gelöscht",
            "mail.engagement_expiring_coach.body":
                "Hallo,\n\nIhre beendete Begleitung mit {0} erreicht die Frist, die für ihre Aufbewahrung festgelegt ist. Lotse löscht sie mit Gespräch, Anhängen, Zielen und Notizen am {1}.\n\nUm für Ihre Unterlagen eine Kopie zu behalten, exportieren Sie sie vorher:\n\n{2}\n\nCoaches legen diese Frist in den Einstellungen fest; bei einem Mentoring-Programm legt sie dessen Institution auf der Seite des Programms fest.\n\nLotse",
            "mail.inquiry_expiring.subject": "Ihre Anfrage an {0} wird am {1} gelöscht",
            "mail.inquiry_expiring.body":
                "Hallo,\n\nauf Ihre Anfrage an {0} gab es seit über drei Wochen keine Antwort und keine Aktivität. Damit nichts, was Sie geschrieben haben, länger als nötig aufbewahrt wird, löscht Lotse Anfragen 30 Tage nach der letzten Aktivität: diese, mit ihrem Gespräch und den Anhängen, am {1}.\n\nWenn Sie die Anfrage behalten möchten, schreiben Sie vorher eine Nachricht darin; dann beginnen die 30 Tage neu:\n\n{2}\n\nLotse",
            "mail.inquiry_expiring_coach.subject": "Eine Anfrage von {0} wird am {1} gelöscht",
            "mail.inquiry_expiring_coach.body":
                "Hallo,\n\nauf die Anfrage von {0} gab es seit über drei Wochen keine Antwort und keine Aktivität. Lotse löscht Anfragen 30 Tage nach der letzten Aktivität: diese, mit ihrem Gespräch und den Anhängen, am {1}.\n\nUm sie vorher zu beantworten, öffnen Sie sie hier:\n\n{2}\n\nLotse",
        ])
}

/// The privacy feature's errors.
enum PrivacyError: AppError {
    /// No consent of the account's has this ID.
    case consentNotFound
    /// Only coaches choose how long their ended engagements are kept.
    case coachOnly
    /// The period is not between a month and ten years.
    case retentionOutOfRange
    /// The platform's only administrator cannot delete their account.
    case lastPlatformAdmin
    /// The cancel link is not (or no longer) one of a scheduled deletion.
    case erasureLinkInvalid
    /// An institution's only administrator cannot delete their account.
    case lastInstitutionAdmin(institution: String)

    var status: HTTPStatus {
        switch self {
        case .consentNotFound: .notFound
        case .coachOnly: .forbidden
        case .retentionOutOfRange: .badRequest
        case .lastPlatformAdmin, .lastInstitutionAdmin: .conflict
        case .erasureLinkInvalid: .notFound
        }
    }

    var code: String {
        switch self {
        case .consentNotFound: "privacy.consent_not_found"
        case .coachOnly: "privacy.coach_only"
        case .retentionOutOfRange: "privacy.retention_out_of_range"
        case .lastPlatformAdmin: "privacy.last_platform_admin"
        case .erasureLinkInvalid: "privacy.erasure_link_invalid"
        case .lastInstitutionAdmin: "privacy.last_institution_admin"
        }
    }

    var field: String? {
        if case .retentionOutOfRange = self { return "endedEngagementDays" }
        return nil
    }

    var arguments: [String] {
        if case .lastInstitutionAdmin(let institution) = self { return [institution] }
        return []
    }
}
