/// The scheduling feature's sentences in German and English: its error messages and its booking and reminder mails.
extension Texts {
    static let scheduling = Texts(
        english: [
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
        ],
        german: [
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
        ])
}
