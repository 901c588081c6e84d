import LotseAPI
import Vapor

/// The server's own sentences, German and English: error messages and mails. The web client has its own
/// catalogues in `Public/i18n/`; a test checks that every error code has a message in both languages here.
enum L10n {
    /// The message for `key` in `language`, with `{0}`, `{1}`… replaced by `arguments`.
    static func message(_ key: String, _ language: Language, _ arguments: [String] = []) -> String {
        let table = language == .de ? german : english
        var text = table[key] ?? english[key] ?? key
        for (index, argument) in arguments.enumerated() {
            text = text.replacingOccurrences(of: "{\(index)}", with: argument)
        }
        return text
    }

    static let english: [String: String] = [
        "request.invalid": "The field “{0}” is {1}.",
        "request.not_found": "There is nothing at this address.",
        "request.method_not_allowed": "This address does not accept that method.",
        "request.rate_limited": "Too many requests. Please wait {0} seconds and try again.",
        "request.too_large": "The request is too large.",
        "request.idempotency_key_invalid": "The Idempotency-Key header must be a UUID.",
        "server.internal": "Something went wrong on our side. Please try again in a moment.",
        "auth.required": "Please sign in first.",
        "auth.forbidden": "Your account may not do this.",
        "auth.csrf_rejected": "This request did not come from the Lotse app. Please reload the page and try again.",
        "accounts.invalid_credentials": "The email address or password is not correct.",
        "accounts.too_many_attempts": "Too many attempts. For your safety, please wait {0} minutes and try again.",
        "accounts.email_unverified": "Please confirm your email address first; we sent you a link.",
        "accounts.invalid_email": "Please enter a valid email address.",
        "accounts.invalid_display_name": "Please enter a name of 1 to 100 characters.",
        "accounts.invalid_login_key": "The login key must be base64 of 32 bytes.",
        "accounts.invalid_kdf":
            "The key derivation must be pbkdf2-sha256 with at least 600,000 iterations and a 16 to 64 byte salt.",
        "accounts.role_not_allowed": "You can register as a client or as a coach; administrators are appointed.",
        "accounts.token_invalid": "This link is invalid or has expired. Please request a new one.",
        "accounts.challenge_invalid": "The sign-in took too long. Please start again.",
        "accounts.code_invalid": "The code is not correct. Please try the current code from your app.",
        "accounts.two_factor_required": "Please set up two-factor sign-in first; your role requires it.",
        "accounts.two_factor_mandatory": "Your role requires two-factor sign-in, so it cannot be switched off.",
        "accounts.two_factor_not_enabled": "Two-factor sign-in is not set up yet.",
        "accounts.two_factor_already_enabled": "Two-factor sign-in is already on.",
        "accounts.two_factor_setup_missing": "Please start the two-factor setup first.",
        "accounts.session_not_found": "This session does not exist or has already ended.",
        "accounts.account_not_found": "There is no such account.",
        "accounts.setup_done": "The platform already has an administrator.",
        "accounts.setup_token_invalid": "The setup token is not correct. Use the one the server printed at start-up.",
        "accounts.last_admin": "The last platform administrator cannot give up the role.",
        "messaging.keys_missing": "Please set up your encryption keys first.",
        "messaging.keys_exist": "This account already has encryption keys.",
        "messaging.malformed": "The encrypted field „{0}“ is not in the expected format.",
        "messaging.conversation_not_found": "There is no such conversation, or you are not a member.",
        "messaging.member_not_found": "There is no account with encryption keys for this person.",
        "messaging.too_many_members": "A conversation can have at most 50 members.",
        "messaging.keys_do_not_match_members": "The conversation keys must be sealed for exactly the current members.",
        "messaging.stale_epoch": "The conversation's key has changed (now {0}). Please reload it and send again.",
        "messaging.epoch_taken": "Someone else changed the conversation key at the same time. Please reload it.",
        "messaging.creator_only": "Only the person who started the conversation can do this.",
        "messaging.id_conflict": "This ID is already used for something else.",
        "messaging.attachment_not_found": "This attachment does not exist or belongs elsewhere.",
        "messaging.attachment_too_large": "Attachments can be at most {0} MB.",
        "messaging.draft_not_found": "There is no saved draft.",
        "directory.profile_not_found": "There is no such public profile.",
        "directory.coaches_only": "Only coaches have a directory profile.",
        "directory.slug_taken": "Another coach already uses this address. Please choose another one.",
        "directory.photo_too_large": "A photo can be at most 2 MB.",
        "directory.photo_type": "A photo must be a PNG, JPEG or WebP image.",
        "engagements.not_found": "There is no such engagement, or you are not part of it.",
        "engagements.item_not_found": "There is no such entry, or you may not see it.",
        "engagements.client_not_found": "This person is not a client of this engagement.",
        "engagements.coach_only": "Only the coach of this engagement can do this.",
        "engagements.client_only": "Only the clients of this engagement can do this.",
        "engagements.wrong_status": "This is not possible at this stage ({0}).",
        "engagements.agreement_changed":
            "The agreement has changed (now version {0}). Please read it again before you confirm.",
        "engagements.revision_conflict":
            "Someone changed this entry in the meantime (now revision {0}). Please reload it and try again.",
        "engagements.id_conflict": "This ID is already used for something else.",
        "engagements.sealed_mismatch": "The encrypted field „{0}“ does not belong here.",
        "engagements.members_mismatch":
            "The conversation must include exactly the coach and the clients of the engagement.",
        "engagements.not_group": "This is possible only in a group engagement.",
        "engagements.template_not_found": "There is no such program template.",
        "engagements.questionnaire_not_found": "There is no such questionnaire.",
        "engagements.program_applied": "A different program was already applied to this engagement.",
        "engagements.intake_not_sent": "The coach has not sent an intake questionnaire yet.",
        "engagements.author_only": "Only the person who wrote this entry can change or delete it.",
        "scheduling.booking_not_found": "There is no such session, or you are not part of it.",
        "scheduling.session_type_not_found": "This kind of session is not offered (any more).",
        "scheduling.no_availability": "The coach has not set up bookable times yet.",
        "scheduling.coach_only": "Only coaches set up availability and kinds of sessions.",
        "scheduling.engagement_coach_only": "Only the coach of this engagement can do this.",
        "scheduling.client_booking_not_allowed":
            "Sessions of a group are scheduled by the coach; please ask them for a time.",
        "scheduling.engagement_ended": "This engagement has ended; no new sessions can be scheduled.",
        "scheduling.slot_unavailable": "This time is not free. Please choose one of the times offered.",
        "scheduling.slot_taken":
            "Someone else just booked this time, or it meets another session. Please choose another.",
        "scheduling.series_conflict":
            "The session on {0} is not free or meets another one. Please choose another time or day.",
        "scheduling.too_late_to_change":
            "Sessions can be moved or cancelled until {0} hours before they start. Please write to your coach.",
        "scheduling.wrong_status": "This is not possible for a session that is {0}.",
        "scheduling.not_proposed": "Please pick one of the proposed times.",
        "scheduling.id_conflict": "This ID is already used for something else.",
        "scheduling.feed_not_found": "This calendar address does not exist (any more).",
        "video.engagement_ended": "This engagement has ended, and with it its video calls.",
        "video.room_full": "This call is full: at most {0} people or devices can be in it.",
        "video.peer_not_found": "This device is not in the call (any more). Please join again.",
        "video.not_admitted": "The coach has not let this person into the call yet.",
        "video.coach_only": "Only the coach lets people into the call or sends them out.",
        "video.no_tech_check": "You have not done the tech check yet.",
        "mail.booking.online": "online on Lotse",
        "mail.booking.summary": "{0} with {1}",
        "mail.booking_booked.subject": "Booked: {1}",
        "mail.booking_booked.body":
            "Hello {0},\n\nyour session “{1}” with {4} is booked:\n\n{2}\nWhere: {5}\n\nThe attached calendar file adds it to your calendar. Details: {3}\n\nLotse",
        "mail.booking_rescheduled.subject": "Moved: {1}",
        "mail.booking_rescheduled.body":
            "Hello {0},\n\nyour session “{1}” with {4} has a new time:\n\n{2}\nWhere: {5}\n\nThe attached calendar file updates your calendar. Details: {3}\n\nLotse",
        "mail.booking_cancelled.subject": "Cancelled: {1}",
        "mail.booking_cancelled.body":
            "Hello {0},\n\nyour session “{1}” with {4} is cancelled:\n\n{2}\n\nThe attached calendar file removes it from your calendar. Details: {3}\n\nLotse",
        "mail.booking_proposed.subject": "Times proposed: {1}",
        "mail.booking_proposed.body":
            "Hello {0},\n\n{4} proposes these times for “{1}”:\n\n{2}\n\nPlease pick one in Lotse: {3}\n\nLotse",
        "mail.booking_series.subject": "Series booked: {1}",
        "mail.booking_series.body":
            "Hello {0},\n\nyour sessions “{1}” with {4} are booked:\n\n{2}\nWhere: {5}\n\nThe attached calendar file adds them to your calendar. Details: {3}\n\nLotse",
        "mail.reminder.subject": "Reminder: {1}",
        "mail.reminder.body":
            "Hello {0},\n\na reminder of your session “{1}” with {4}:\n\n{2}\nWhere: {5}\n\nDetails: {3}\n\nLotse",
        "mail.reminder_first_online.subject": "Reminder: {1}",
        "mail.reminder_first_online.body":
            "Hello {0},\n\na reminder of your session “{1}” with {4}:\n\n{2}\nWhere: {5}\n\nIt is your first video session on Lotse. Please check your camera, microphone and connection beforehand: {6}\n\nDetails: {3}\n\nLotse",
        "mail.new_message.subject": "Something new is waiting for you in Lotse",
        "mail.new_message.body":
            "Hello {0},\n\nthere is something new for you in a conversation on Lotse. For your privacy, this mail does not say what or from whom. To read it, sign in:\n\n{1}\n\nLotse",
        "mail.verify.subject": "Please confirm your email address for Lotse",
        "mail.verify.body":
            "Hello,\n\nplease confirm your email address by opening this link within 48 hours:\n\n{0}\n\nIf you did not sign up for Lotse, you can ignore this mail.\n\nLotse",
        "mail.exists.subject": "Someone tried to sign up with your email address",
        "mail.exists.body":
            "Hello{0},\n\nsomeone (perhaps you) tried to create a new Lotse account with this email address. You already have one. To sign in, open {1}. If you forgot your password, you can reset it there.\n\nIf this was not you, you can ignore this mail: nothing was changed.\n\nLotse",
        "mail.reset.subject": "Reset your Lotse password",
        "mail.reset.body":
            "Hello{0},\n\nto choose a new password, open this link within one hour:\n\n{1}\n\nIf you did not ask for this, ignore this mail; your password stays as it is.\n\nLotse",
        "mail.password_changed.subject": "Your Lotse password was changed",
        "mail.password_changed.body":
            "Hello {0},\n\nthe password of your Lotse account was just changed and every other device was signed out.\n\nIf this was not you, reset your password at once: {1}\n\nLotse",
    ]

    static let german: [String: String] = [
        "request.invalid": "Das Feld „{0}“ ist ungültig ({1}).",
        "request.not_found": "Unter dieser Adresse gibt es nichts.",
        "request.method_not_allowed": "Diese Adresse nimmt diese Methode nicht an.",
        "request.rate_limited": "Zu viele Anfragen. Bitte warten Sie {0} Sekunden und versuchen Sie es erneut.",
        "request.too_large": "Die Anfrage ist zu groß.",
        "request.idempotency_key_invalid": "Der Header Idempotency-Key muss eine UUID sein.",
        "server.internal": "Bei uns ist etwas schiefgegangen. Bitte versuchen Sie es gleich noch einmal.",
        "auth.required": "Bitte melden Sie sich zuerst an.",
        "auth.forbidden": "Ihr Konto darf das nicht.",
        "auth.csrf_rejected":
            "Diese Anfrage kam nicht aus der Lotse-App. Bitte laden Sie die Seite neu und versuchen Sie es erneut.",
        "accounts.invalid_credentials": "E-Mail-Adresse oder Passwort sind nicht korrekt.",
        "accounts.too_many_attempts":
            "Zu viele Versuche. Zu Ihrer Sicherheit warten Sie bitte {0} Minuten und versuchen Sie es dann erneut.",
        "accounts.email_unverified":
            "Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse; wir haben Ihnen einen Link geschickt.",
        "accounts.invalid_email": "Bitte geben Sie eine gültige E-Mail-Adresse ein.",
        "accounts.invalid_display_name": "Bitte geben Sie einen Namen mit 1 bis 100 Zeichen ein.",
        "accounts.invalid_login_key": "Der Anmeldeschlüssel muss Base64 von 32 Bytes sein.",
        "accounts.invalid_kdf":
            "Die Schlüsselableitung muss pbkdf2-sha256 mit mindestens 600.000 Iterationen und 16 bis 64 Byte Salt sein.",
        "accounts.role_not_allowed":
            "Sie können sich als Klient:in oder als Coach registrieren; Administrator:innen werden ernannt.",
        "accounts.token_invalid": "Dieser Link ist ungültig oder abgelaufen. Bitte fordern Sie einen neuen an.",
        "accounts.challenge_invalid": "Die Anmeldung hat zu lange gedauert. Bitte beginnen Sie erneut.",
        "accounts.code_invalid": "Der Code stimmt nicht. Bitte nehmen Sie den aktuellen Code aus Ihrer App.",
        "accounts.two_factor_required":
            "Bitte richten Sie zuerst die Zwei-Faktor-Anmeldung ein; Ihre Rolle verlangt sie.",
        "accounts.two_factor_mandatory":
            "Ihre Rolle verlangt die Zwei-Faktor-Anmeldung; sie lässt sich nicht abschalten.",
        "accounts.two_factor_not_enabled": "Die Zwei-Faktor-Anmeldung ist noch nicht eingerichtet.",
        "accounts.two_factor_already_enabled": "Die Zwei-Faktor-Anmeldung ist bereits eingeschaltet.",
        "accounts.two_factor_setup_missing": "Bitte beginnen Sie zuerst die Einrichtung der Zwei-Faktor-Anmeldung.",
        "accounts.session_not_found": "Diese Sitzung gibt es nicht oder sie ist bereits beendet.",
        "accounts.account_not_found": "Dieses Konto gibt es nicht.",
        "accounts.setup_done": "Die Plattform hat bereits eine Administratorin oder einen Administrator.",
        "accounts.setup_token_invalid":
            "Das Einrichtungs-Token stimmt nicht. Nehmen Sie das, das der Server beim Start ausgegeben hat.",
        "accounts.last_admin": "Die letzte Plattform-Administration kann ihre Rolle nicht abgeben.",
        "messaging.keys_missing": "Bitte richten Sie zuerst Ihre Schlüssel für die Verschlüsselung ein.",
        "messaging.keys_exist": "Dieses Konto hat bereits Schlüssel für die Verschlüsselung.",
        "messaging.malformed": "Das verschlüsselte Feld „{0}“ hat nicht das erwartete Format.",
        "messaging.conversation_not_found": "Dieses Gespräch gibt es nicht, oder Sie gehören nicht dazu.",
        "messaging.member_not_found": "Für diese Person gibt es kein Konto mit Schlüsseln für die Verschlüsselung.",
        "messaging.too_many_members": "Ein Gespräch kann höchstens 50 Mitglieder haben.",
        "messaging.keys_do_not_match_members":
            "Die Gesprächsschlüssel müssen für genau die aktuellen Mitglieder versiegelt sein.",
        "messaging.stale_epoch":
            "Der Schlüssel des Gesprächs hat sich geändert (jetzt {0}). Bitte laden Sie es neu und senden Sie erneut.",
        "messaging.epoch_taken":
            "Jemand anderes hat den Gesprächsschlüssel gleichzeitig geändert. Bitte laden Sie das Gespräch neu.",
        "messaging.creator_only": "Das kann nur die Person, die das Gespräch begonnen hat.",
        "messaging.id_conflict": "Diese ID wird schon für etwas anderes verwendet.",
        "messaging.attachment_not_found": "Diesen Anhang gibt es nicht, oder er gehört woandershin.",
        "messaging.attachment_too_large": "Anhänge dürfen höchstens {0} MB groß sein.",
        "messaging.draft_not_found": "Es ist kein Entwurf gespeichert.",
        "directory.profile_not_found": "Dieses öffentliche Profil gibt es nicht.",
        "directory.coaches_only": "Nur Coaches haben ein Profil im Verzeichnis.",
        "directory.slug_taken": "Diese Adresse verwendet schon ein anderer Coach. Bitte wählen Sie eine andere.",
        "directory.photo_too_large": "Ein Foto darf höchstens 2 MB groß sein.",
        "directory.photo_type": "Ein Foto muss ein PNG-, JPEG- oder WebP-Bild sein.",
        "engagements.not_found": "Diese Begleitung gibt es nicht, oder Sie gehören nicht dazu.",
        "engagements.item_not_found": "Diesen Eintrag gibt es nicht, oder Sie dürfen ihn nicht sehen.",
        "engagements.client_not_found": "Diese Person gehört nicht zu den Klientinnen und Klienten dieser Begleitung.",
        "engagements.coach_only": "Das kann nur der Coach dieser Begleitung.",
        "engagements.client_only": "Das können nur die Klientinnen und Klienten dieser Begleitung.",
        "engagements.wrong_status": "In diesem Stadium ({0}) ist das nicht möglich.",
        "engagements.agreement_changed":
            "Die Vereinbarung wurde geändert (jetzt Version {0}). Bitte lesen Sie sie erneut, bevor Sie bestätigen.",
        "engagements.revision_conflict":
            "Jemand hat diesen Eintrag inzwischen geändert (jetzt Stand {0}). Bitte laden Sie ihn neu und versuchen Sie es noch einmal.",
        "engagements.id_conflict": "Diese ID wird schon für etwas anderes verwendet.",
        "engagements.sealed_mismatch": "Das verschlüsselte Feld „{0}“ gehört nicht hierher.",
        "engagements.members_mismatch":
            "Die Unterhaltung muss genau den Coach und die Klientinnen und Klienten der Begleitung umfassen.",
        "engagements.not_group": "Das ist nur in einer Gruppenbegleitung möglich.",
        "engagements.template_not_found": "Diese Programmvorlage gibt es nicht.",
        "engagements.questionnaire_not_found": "Diesen Fragebogen gibt es nicht.",
        "engagements.program_applied": "Für diese Begleitung wurde schon ein anderes Programm übernommen.",
        "engagements.intake_not_sent": "Der Coach hat noch keinen Aufnahmefragebogen geschickt.",
        "engagements.author_only": "Nur wer diesen Eintrag geschrieben hat, kann ihn ändern oder löschen.",
        "scheduling.booking_not_found": "Diesen Termin gibt es nicht, oder Sie gehören nicht dazu.",
        "scheduling.session_type_not_found": "Diese Terminart wird (nicht mehr) angeboten.",
        "scheduling.no_availability": "Der Coach hat noch keine buchbaren Zeiten eingerichtet.",
        "scheduling.coach_only": "Nur Coaches richten Verfügbarkeit und Terminarten ein.",
        "scheduling.engagement_coach_only": "Das kann nur der Coach dieser Begleitung.",
        "scheduling.client_booking_not_allowed":
            "Termine einer Gruppe legt der Coach fest; bitte fragen Sie nach einer Zeit.",
        "scheduling.engagement_ended": "Diese Begleitung ist beendet; es können keine Termine mehr geplant werden.",
        "scheduling.slot_unavailable": "Diese Zeit ist nicht frei. Bitte wählen Sie eine der angebotenen Zeiten.",
        "scheduling.slot_taken":
            "Diese Zeit wurde gerade von jemand anderem gebucht oder überschneidet sich mit einem Termin. Bitte wählen Sie eine andere.",
        "scheduling.series_conflict":
            "Der Termin am {0} ist nicht frei oder überschneidet sich mit einem anderen. Bitte wählen Sie eine andere Zeit oder einen anderen Tag.",
        "scheduling.too_late_to_change":
            "Termine können bis {0} Stunden vor Beginn verschoben oder abgesagt werden. Bitte schreiben Sie Ihrem Coach.",
        "scheduling.wrong_status": "Das ist bei einem Termin im Zustand „{0}“ nicht möglich.",
        "scheduling.not_proposed": "Bitte wählen Sie eine der vorgeschlagenen Zeiten.",
        "scheduling.id_conflict": "Diese ID wird schon für etwas anderes verwendet.",
        "scheduling.feed_not_found": "Diese Kalenderadresse gibt es (nicht mehr).",
        "video.engagement_ended": "Diese Begleitung ist beendet und damit auch ihre Videositzungen.",
        "video.room_full": "Diese Sitzung ist voll: Es können höchstens {0} Personen oder Geräte dabei sein.",
        "video.peer_not_found": "Dieses Gerät ist nicht (mehr) in der Sitzung. Bitte treten Sie erneut bei.",
        "video.not_admitted": "Der Coach hat diese Person noch nicht in die Sitzung gelassen.",
        "video.coach_only": "Nur der Coach lässt Personen in die Sitzung oder schickt sie hinaus.",
        "video.no_tech_check": "Sie haben den Technik-Check noch nicht gemacht.",
        "mail.booking.online": "online in Lotse",
        "mail.booking.summary": "{0} mit {1}",
        "mail.booking_booked.subject": "Gebucht: {1}",
        "mail.booking_booked.body":
            "Hallo {0},\n\nIhr Termin „{1}“ mit {4} ist gebucht:\n\n{2}\nOrt: {5}\n\nMit der angehängten Kalenderdatei tragen Sie ihn in Ihren Kalender ein. Details: {3}\n\nLotse",
        "mail.booking_rescheduled.subject": "Verschoben: {1}",
        "mail.booking_rescheduled.body":
            "Hallo {0},\n\nIhr Termin „{1}“ mit {4} hat eine neue Zeit:\n\n{2}\nOrt: {5}\n\nDie angehängte Kalenderdatei aktualisiert Ihren Kalender. Details: {3}\n\nLotse",
        "mail.booking_cancelled.subject": "Abgesagt: {1}",
        "mail.booking_cancelled.body":
            "Hallo {0},\n\nIhr Termin „{1}“ mit {4} ist abgesagt:\n\n{2}\n\nDie angehängte Kalenderdatei entfernt ihn aus Ihrem Kalender. Details: {3}\n\nLotse",
        "mail.booking_proposed.subject": "Terminvorschläge: {1}",
        "mail.booking_proposed.body":
            "Hallo {0},\n\n{4} schlägt diese Zeiten für „{1}“ vor:\n\n{2}\n\nBitte wählen Sie eine in Lotse: {3}\n\nLotse",
        "mail.booking_series.subject": "Terminserie gebucht: {1}",
        "mail.booking_series.body":
            "Hallo {0},\n\nIhre Termine „{1}“ mit {4} sind gebucht:\n\n{2}\nOrt: {5}\n\nMit der angehängten Kalenderdatei tragen Sie sie in Ihren Kalender ein. Details: {3}\n\nLotse",
        "mail.reminder.subject": "Erinnerung: {1}",
        "mail.reminder.body":
            "Hallo {0},\n\nwir erinnern an Ihren Termin „{1}“ mit {4}:\n\n{2}\nOrt: {5}\n\nDetails: {3}\n\nLotse",
        "mail.reminder_first_online.subject": "Erinnerung: {1}",
        "mail.reminder_first_online.body":
            "Hallo {0},\n\nwir erinnern an Ihren Termin „{1}“ mit {4}:\n\n{2}\nOrt: {5}\n\nEs ist Ihr erster Videotermin in Lotse. Bitte prüfen Sie vorher Kamera, Mikrofon und Verbindung: {6}\n\nDetails: {3}\n\nLotse",
        "mail.new_message.subject": "In Lotse wartet etwas Neues auf Sie",
        "mail.new_message.body":
            "Hallo {0},\n\nin einem Gespräch auf Lotse gibt es etwas Neues für Sie. Zum Schutz Ihrer Privatsphäre steht in dieser Mail nicht, was oder von wem. Zum Lesen melden Sie sich an:\n\n{1}\n\nLotse",
        "mail.verify.subject": "Bitte bestätigen Sie Ihre E-Mail-Adresse für Lotse",
        "mail.verify.body":
            "Guten Tag,\n\nbitte bestätigen Sie Ihre E-Mail-Adresse, indem Sie innerhalb von 48 Stunden diesen Link öffnen:\n\n{0}\n\nWenn Sie sich nicht bei Lotse registriert haben, können Sie diese E-Mail ignorieren.\n\nLotse",
        "mail.exists.subject": "Jemand wollte sich mit Ihrer E-Mail-Adresse registrieren",
        "mail.exists.body":
            "Hallo{0},\n\njemand (vielleicht Sie) wollte mit dieser E-Mail-Adresse ein neues Lotse-Konto anlegen. Sie haben bereits eines. Zum Anmelden öffnen Sie {1}. Falls Sie Ihr Passwort vergessen haben, können Sie es dort zurücksetzen.\n\nWaren Sie das nicht, können Sie diese E-Mail ignorieren: Es wurde nichts geändert.\n\nLotse",
        "mail.reset.subject": "Lotse-Passwort zurücksetzen",
        "mail.reset.body":
            "Hallo{0},\n\num ein neues Passwort zu wählen, öffnen Sie innerhalb einer Stunde diesen Link:\n\n{1}\n\nWenn Sie das nicht angefordert haben, ignorieren Sie diese E-Mail; Ihr Passwort bleibt unverändert.\n\nLotse",
        "mail.password_changed.subject": "Ihr Lotse-Passwort wurde geändert",
        "mail.password_changed.body":
            "Hallo {0},\n\ndas Passwort Ihres Lotse-Kontos wurde soeben geändert, und alle anderen Geräte wurden abgemeldet.\n\nWaren Sie das nicht, setzen Sie Ihr Passwort sofort zurück: {1}\n\nLotse",
    ]
}

extension Request {
    /// The language to answer in: the signed-in account's choice, else the best match of `Accept-Language`, else English.
    var language: Language {
        if let user = auth.get(CurrentUser.self) { return user.language }
        return Language.preferred(by: headers.first(name: .acceptLanguage))
    }
}

extension Language {
    /// The best supported language for an `Accept-Language` header, honoring q-values; English when nothing matches.
    static func preferred(by header: String?) -> Language {
        guard let header else { return .en }
        var best: (Language, Double)?
        for part in header.split(separator: ",") {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = pieces.first?.lowercased() else { continue }
            let quality = pieces.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            let primary = tag.split(separator: "-").first.map(String.init) ?? tag
            guard let language = Language(rawValue: primary), quality > 0 else { continue }
            if quality > (best?.1 ?? -1) { best = (language, quality) }
        }
        return best?.0 ?? .en
    }
}
