/// The programs feature's error messages and mails in German and English.
extension Texts {
    static let programs = Texts(
        english: [
            "programs.institution_not_found": "There is no such institution, or you are not on its staff.",
            "programs.admin_only": "Only the institution's admins may do this.",
            "programs.not_found": "There is no such program, or you are not on its staff.",
            "programs.invitation_not_found":
                "This invitation link does not belong to any program. Please ask the program's staff for a new one.",
            "programs.staff_invitation_invalid":
                "This invitation is no longer valid: it expired, was used, or a newer one replaced it. Please ask the institution's admin for a new one.",
            "programs.invitation_other_address":
                "This invitation was sent to another e-mail address. Please sign in with the account for that address.",
            "programs.id_conflict": "This ID is already used for something else.",
            "programs.wrong_status": "Not possible while the program is {0}.",
            "programs.not_open": "This program takes no registrations at the moment.",
            "programs.domain_not_allowed":
                "Your e-mail address is not at one of the institution's domains. Please use the program's invitation link.",
            "programs.closed": "The program is closed and can no longer be changed.",
            "programs.invalid_name": "Please give a name of 1 to 200 characters.",
            "programs.invalid_domain": "\"{0}\" is not a mail domain (such as uni-beispiel.de).",
            "programs.invalid_description": "Please keep the description under 5,000 characters.",
            "programs.invalid_startsOn": "Please give the first day as a date (2027-03-01), on or before the last day.",
            "programs.invalid_endsOn": "Please give the last day as a date (2027-08-31), on or after the first day.",
            "programs.invalid_durationMonths": "The duration must be 1 to 36 months.",
            "programs.invalid_cadenceWeeks": "The meeting rhythm must be every 1 to 12 weeks.",
            "programs.invalid_requestExpiryDays": "Requests must expire after 1 to 60 days.",
            "programs.list_rejected": "Nothing was imported. Please correct the list and upload it again. {0}",
            "programs.list_line": "Line {0}: {1}.",
            "programs.list_more": "And {0} more lines.",
            "programs.list_problem_columns": "it has {0} columns instead of three (name, e-mail, role)",
            "programs.list_problem_name": "the name \"{0}\" is empty, too long or has control characters",
            "programs.list_problem_email": "\"{0}\" is not an e-mail address",
            "programs.list_problem_role": "the role \"{0}\" is neither mentee nor mentor",
            "programs.list_problem_duplicate": "the address is already in line {0}",
            "programs.list_too_long": "A list may have at most 5,000 rows.",
            "programs.question_too_many": "A registration may have at most 40 questions.",
            "programs.question_duplicate": "Two questions have the same ID.",
            "programs.question_label": "Each question needs a text of 1 to 300 characters.",
            "programs.question_options":
                "Choice questions need 1 to 50 different options of up to 100 characters each.",
            "programs.question_no_options": "Only choice and topic questions have options.",
            "programs.question_asked_of": "Each question is asked of mentees, mentors or both.",
            "programs.question_capacity": "The question about capacity is asked of mentors only and is not compared.",
            "programs.question_compared": "Only questions asked of both mentees and mentors can count for matching.",
            "programs.question_weight": "A question that adds points weighs 1 to 10.",
            "programs.question_one_capacity": "A registration asks about capacity once.",
            "programs.pin_not_possible":
                "A pinned pair is not possible: one of them is not in the pool (or pinned twice), they fail a must criterion, or the mentor has no place left.",
            "programs.mentor_full": "The mentor {0} has no place left.",
            "programs.mentee_matched": "The mentee {0} is matched already.",
            "programs.match_not_found": "There is no such match, or it is not yours.",
            "programs.wrong_match_state": "Not possible while the match is {0}.",
            "programs.partner_not_ready":
                "{0} has not signed in since registering, so there is no key yet to encrypt your shared space for. "
                + "Try again once they have.",
            "programs.pair_starting": "Your partner is opening your shared space right now. Try again in a moment.",
            "programs.meeting_not_found": "This pair has no session with this ID that is over.",
            "programs.staff_changed":
                "The program's staff changed while you were answering, so your free-text answers were sealed for the wrong people. Please save again.",
            "programs.question_free_text":
                "A free-text question is never required and never used for matching: the server cannot read it.",
            "programs.too_many_requests":
                "You have asked three mentors already. Please wait for their answers, or withdraw a request.",
            "programs.guardian_link_invalid":
                "This link is not valid (any more). If a newer mail came, please use its link.",
            "programs.guardian_is_participant": "Please give the address of a parent or guardian, not your own.",
            "programs.consent_required":
                "Please agree that the program team may see your answers: without that, they cannot find you a match.",
            "mail.guardian_consent.subject": "Please confirm: {0} would like to take part in {1}",
            "mail.guardian_consent.body":
                "Hello,\n\n{0} has registered for the mentoring program \"{1}\" of {2} on Lotse and gave your address as parent or guardian. Because {0} is under 16, they can only be matched with a mentor once you confirm that they may take part (Art. 8 GDPR).\n\nIn the program, {0} is paired with a mentor for regular conversations by chat and video. The program's staff see names, addresses and the answers used for matching; what {0} and their mentor write to each other is end-to-end encrypted and seen by nobody else.\n\nTo read about the program and confirm, open this link:\n\n{3}\n\nIf you do not agree, simply ignore this mail: {0} will not be matched.\n\nLotse",
            "mail.match_waiting.subject": "An answer is waiting for you in {1}",
            "mail.match_waiting.body":
                "Hello {0},\n\nin the mentoring program \"{1}\" an answer is waiting for you: someone was proposed as your mentoring partner, or asked you to be theirs. For your privacy, this mail does not say who. To see it and answer, sign in:\n\n{2}\n\nLotse",
            "mail.pair_check_in.subject": "Time for a check-in: {1}",
            "mail.pair_check_in.body":
                "Hello {0},\n\nin the mentoring program \"{1}\" it has been quiet between you and your mentoring partner for a while. A short message or your next appointment keeps things going; your shared space has both:\n\n{2}\n\nLotse",
            "mail.pair_completed.subject": "Your mentoring in {1} has come to its end",
            "mail.pair_completed.body":
                "Hello {0},\n\nthe time of your pair in the mentoring program \"{1}\" is over. Thank you for it. Everything you wrote together stays readable for you two. Please take a few minutes for your closing review in your shared space: what you reached, and what you take with you.\n\n{2}\n\nLotse",
            "mail.pair_ended.subject": "Your mentoring pair in {1} has ended",
            "mail.pair_ended.body":
                "Hello {0},\n\nyour partner in the mentoring program \"{1}\" has ended your pair before its time. Everything you wrote together stays readable for you two. If you are a mentee and the program still matches, you can look for another mentor on your program page.\n\n{2}\n\nLotse",
            "mail.match_active.subject": "You can start: {1}",
            "mail.match_active.body":
                "Hello {0},\n\nin the mentoring program \"{1}\" you and your mentoring partner have both said yes. To see who it is and how to begin, sign in:\n\n{2}\n\nLotse",
            "programs.answer_missing": "Please answer \"{0}\".",
            "programs.answer_invalid": "The answer to \"{0}\" is not one this question allows.",
            "mail.staff_invitation.subject": "Your invitation to run mentoring programs for {0}",
            "mail.staff_invitation.body":
                "Hello,\n\nyou are invited to the staff of {0} on Lotse, to set up and run its mentoring programs. To accept, sign in (or create an account) with this e-mail address and open this link within 14 days:\n\n{1}\n\nStaff see participants' names, addresses and the answers used for matching, never what mentors and mentees write to each other. Staff accounts sign in with a second factor.\n\nIf you did not expect this invitation, you can ignore this mail.\n\nLotse",
            "mail.program_invitation.subject": "You are invited to {0}",
            "mail.program_invitation.body":
                "Hello {1},\n\n{2} invites you to its mentoring program \"{0}\" as a {3}. To take part, open this link, create an account with this e-mail address (or sign in) and register:\n\n{4}\n\nIf you did not expect this invitation, you can ignore this mail.\n\nLotse",
            "role.mentee": "mentee",
            "role.mentor": "mentor",
        ],
        german: [
            "programs.institution_not_found": "Diese Institution gibt es nicht, oder Sie gehören nicht zu ihrem Team.",
            "programs.admin_only": "Das dürfen nur die Admins der Institution.",
            "programs.not_found": "Dieses Programm gibt es nicht, oder Sie gehören nicht zu seinem Team.",
            "programs.invitation_not_found":
                "Dieser Einladungslink gehört zu keinem Programm. Bitte fragen Sie das Programmteam nach einem neuen.",
            "programs.staff_invitation_invalid":
                "Diese Einladung gilt nicht mehr: Sie ist abgelaufen, wurde schon benutzt oder durch eine neuere ersetzt. Bitte fragen Sie die Admins der Institution nach einer neuen.",
            "programs.invitation_other_address":
                "Diese Einladung ging an eine andere E-Mail-Adresse. Bitte melden Sie sich mit dem Konto für diese Adresse an.",
            "programs.id_conflict": "Diese ID wird schon für etwas anderes verwendet.",
            "programs.wrong_status": "Das geht nicht, solange das Programm im Status „{0}“ ist.",
            "programs.not_open": "Für dieses Programm kann man sich gerade nicht anmelden.",
            "programs.domain_not_allowed":
                "Ihre E-Mail-Adresse gehört nicht zu einer Domain der Institution. Bitte nutzen Sie den Einladungslink des Programms.",
            "programs.closed": "Das Programm ist abgeschlossen und kann nicht mehr geändert werden.",
            "programs.invalid_name": "Bitte geben Sie einen Namen mit 1 bis 200 Zeichen an.",
            "programs.invalid_domain": "„{0}“ ist keine Mail-Domain (wie uni-beispiel.de).",
            "programs.invalid_description": "Bitte halten Sie die Beschreibung unter 5.000 Zeichen.",
            "programs.invalid_startsOn":
                "Bitte geben Sie den ersten Tag als Datum an (2027-03-01), spätestens am letzten Tag.",
            "programs.invalid_endsOn":
                "Bitte geben Sie den letzten Tag als Datum an (2027-08-31), frühestens am ersten Tag.",
            "programs.invalid_durationMonths": "Die Dauer muss 1 bis 36 Monate betragen.",
            "programs.invalid_cadenceWeeks": "Der Treffrhythmus muss alle 1 bis 12 Wochen sein.",
            "programs.invalid_requestExpiryDays": "Anfragen müssen nach 1 bis 60 Tagen verfallen.",
            "programs.list_rejected":
                "Es wurde nichts importiert. Bitte korrigieren Sie die Liste und laden Sie sie erneut hoch. {0}",
            "programs.list_line": "Zeile {0}: {1}.",
            "programs.list_more": "Und {0} weitere Zeilen.",
            "programs.list_problem_columns": "Sie hat {0} Spalten statt drei (Name, E-Mail, Rolle)",
            "programs.list_problem_name": "Der Name „{0}“ ist leer, zu lang oder enthält Steuerzeichen",
            "programs.list_problem_email": "„{0}“ ist keine E-Mail-Adresse",
            "programs.list_problem_role": "Die Rolle „{0}“ ist weder Mentee noch Mentor",
            "programs.list_problem_duplicate": "Die Adresse steht schon in Zeile {0}",
            "programs.list_too_long": "Eine Liste darf höchstens 5.000 Zeilen haben.",
            "programs.question_too_many": "Eine Anmeldung kann höchstens 40 Fragen haben.",
            "programs.question_duplicate": "Zwei Fragen haben dieselbe ID.",
            "programs.question_label": "Jede Frage braucht einen Text mit 1 bis 300 Zeichen.",
            "programs.question_options":
                "Auswahlfragen brauchen 1 bis 50 verschiedene Antworten mit je höchstens 100 Zeichen.",
            "programs.question_no_options": "Nur Auswahl- und Themenfragen haben Antworten zur Auswahl.",
            "programs.question_asked_of":
                "Jede Frage richtet sich an Mentees, an Mentorinnen und Mentoren oder an beide.",
            "programs.question_capacity":
                "Die Frage nach der Zahl der Mentees richtet sich nur an Mentorinnen und Mentoren und wird nicht verglichen.",
            "programs.question_compared": "Nur Fragen an beide Seiten können für die Vermittlung zählen.",
            "programs.question_weight": "Eine Frage, die Punkte gibt, wiegt 1 bis 10.",
            "programs.question_one_capacity": "Eine Anmeldung fragt nur einmal nach der Zahl der Mentees.",
            "programs.pin_not_possible":
                "Ein festgelegtes Tandem ist nicht möglich: Jemand ist nicht im Pool (oder doppelt festgelegt), ein Muss-Kriterium ist nicht erfüllt, oder die Mentorin oder der Mentor hat keinen Platz mehr.",
            "programs.mentor_full": "{0} hat keinen Platz mehr frei.",
            "programs.mentee_matched": "{0} hat schon ein Tandem.",
            "programs.match_not_found": "Dieses Tandem gibt es nicht, oder es ist nicht Ihres.",
            "programs.wrong_match_state": "Das geht nicht, solange das Tandem im Stand „{0}“ ist.",
            "programs.partner_not_ready":
                "{0} hat sich seit der Anmeldung nicht mehr eingeloggt, deshalb gibt es noch keinen Schlüssel, für den "
                + "Ihr gemeinsamer Bereich verschlüsselt werden kann. Versuchen Sie es erneut, sobald das geschehen ist.",
            "programs.pair_starting":
                "Ihr Tandem öffnet gerade Ihren gemeinsamen Bereich. Versuchen Sie es gleich noch einmal.",
            "programs.meeting_not_found": "Dieses Tandem hat keinen vergangenen Termin mit dieser ID.",
            "programs.staff_changed":
                "Das Programmteam hat sich geändert, während Sie geantwortet haben; Ihre Freitext-Antworten waren deshalb für die falschen Personen verschlüsselt. Bitte speichern Sie noch einmal.",
            "programs.question_free_text":
                "Eine Freitext-Frage ist nie Pflicht und zählt nie für die Vermittlung: Der Server kann sie nicht lesen.",
            "programs.too_many_requests":
                "Sie haben schon drei Mentorinnen oder Mentoren angefragt. Bitte warten Sie die Antworten ab oder ziehen Sie eine Anfrage zurück.",
            "programs.guardian_link_invalid":
                "Dieser Link gilt nicht (mehr). Falls eine neuere Mail kam, nutzen Sie bitte deren Link.",
            "programs.consent_required":
                "Bitte stimmen Sie zu, dass das Programmteam Ihre Antworten sehen darf: Ohne das kann es Ihnen niemanden vermitteln.",
            "programs.guardian_is_participant":
                "Bitte geben Sie die Adresse eines Elternteils oder einer sorgeberechtigten Person an, nicht Ihre eigene.",
            "mail.guardian_consent.subject": "Bitte bestätigen: {0} möchte an {1} teilnehmen",
            "mail.guardian_consent.body":
                "Hallo,\n\n{0} hat sich auf Lotse für das Mentoring-Programm „{1}“ von {2} angemeldet und Ihre Adresse als Elternteil oder sorgeberechtigte Person angegeben. Weil {0} unter 16 ist, kann erst vermittelt werden, wenn Sie bestätigen, dass {0} teilnehmen darf (Art. 8 DSGVO).\n\nIm Programm bekommt {0} eine Mentorin oder einen Mentor für regelmäßige Gespräche per Chat und Video. Das Programmteam sieht Namen, Adressen und die Antworten, nach denen vermittelt wird; was {0} und die Begleitung einander schreiben, ist Ende-zu-Ende-verschlüsselt und für niemanden sonst lesbar.\n\nUm mehr über das Programm zu lesen und zu bestätigen, öffnen Sie diesen Link:\n\n{3}\n\nWenn Sie nicht einverstanden sind, ignorieren Sie diese Mail einfach: {0} wird dann nicht vermittelt.\n\nLotse",
            "mail.match_waiting.subject": "In {1} wartet eine Antwort von Ihnen",
            "mail.match_waiting.body":
                "Hallo {0},\n\nim Mentoring-Programm „{1}“ wartet eine Antwort von Ihnen: Jemand wurde Ihnen als Tandem vorgeschlagen oder hat Sie angefragt. Zum Schutz Ihrer Privatsphäre steht in dieser Mail nicht, wer. Zum Ansehen und Antworten melden Sie sich an:\n\n{2}\n\nLotse",
            "mail.pair_check_in.subject": "Zeit für ein kurzes Update: {1}",
            "mail.pair_check_in.body":
                "Hallo {0},\n\nim Mentoring-Programm „{1}“ war es zwischen Ihnen und Ihrem Tandem eine Weile still. Eine kurze Nachricht oder Ihr nächster Termin hält die Zusammenarbeit lebendig; beides finden Sie in Ihrem gemeinsamen Bereich:\n\n{2}\n\nLotse",
            "mail.pair_completed.subject": "Ihr Mentoring in {1} ist zu Ende",
            "mail.pair_completed.body":
                "Hallo {0},\n\ndie Zeit Ihres Tandems im Mentoring-Programm „{1}“ ist vorbei. Danke dafür. Alles, was Sie einander geschrieben haben, bleibt für Sie beide lesbar. Bitte nehmen Sie sich ein paar Minuten für Ihre Abschlussbilanz im gemeinsamen Bereich: was Sie erreicht haben und was Sie mitnehmen.\n\n{2}\n\nLotse",
            "mail.pair_ended.subject": "Ihr Mentoring-Tandem in {1} ist beendet",
            "mail.pair_ended.body":
                "Hallo {0},\n\nIhr Gegenüber im Mentoring-Programm „{1}“ hat Ihr Tandem vorzeitig beendet. Alles, was Sie einander geschrieben haben, bleibt für Sie beide lesbar. Wenn Sie Mentee sind und das Programm noch vermittelt, können Sie auf Ihrer Programmseite eine neue Mentorin oder einen neuen Mentor finden.\n\n{2}\n\nLotse",
            "mail.match_active.subject": "Es kann losgehen: {1}",
            "mail.match_active.body":
                "Hallo {0},\n\nim Mentoring-Programm „{1}“ haben Sie und Ihr Tandem beide zugesagt. Wer es ist und wie Sie beginnen, sehen Sie nach der Anmeldung:\n\n{2}\n\nLotse",
            "programs.answer_missing": "Bitte beantworten Sie „{0}“.",
            "programs.answer_invalid": "Die Antwort auf „{0}“ passt nicht zu dieser Frage.",
            "mail.staff_invitation.subject": "Ihre Einladung, Mentoring-Programme für {0} zu betreuen",
            "mail.staff_invitation.body":
                "Hallo,\n\nSie sind eingeladen, im Team von {0} auf Lotse deren Mentoring-Programme einzurichten und zu betreuen. Um die Einladung anzunehmen, melden Sie sich mit dieser E-Mail-Adresse an (oder legen ein Konto an) und öffnen diesen Link innerhalb von 14 Tagen:\n\n{1}\n\nDas Programmteam sieht Namen, Adressen und die Antworten, nach denen vermittelt wird – nie, was Mentorinnen und Mentoren und ihre Mentees einander schreiben. Team-Konten melden sich mit einem zweiten Faktor an.\n\nWenn Sie diese Einladung nicht erwartet haben, können Sie diese Mail ignorieren.\n\nLotse",
            "mail.program_invitation.subject": "Ihre Einladung zu {0}",
            "mail.program_invitation.body":
                "Hallo {1},\n\n{2} lädt Sie als {3} zum Mentoring-Programm „{0}“ ein. Um teilzunehmen, öffnen Sie diesen Link, legen ein Konto mit dieser E-Mail-Adresse an (oder melden sich an) und registrieren sich:\n\n{4}\n\nWenn Sie diese Einladung nicht erwartet haben, können Sie diese Mail ignorieren.\n\nLotse",
            "role.mentee": "Mentee",
            "role.mentor": "Mentorin oder Mentor",
        ])
}
