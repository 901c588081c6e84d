/// The engagements feature's sentences in German and English: its error messages.
extension Texts {
    static let engagements = Texts(
        english: [
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
        ],
        german: [
            "engagements.not_found": "Diese Begleitung gibt es nicht, oder Sie gehören nicht dazu.",
            "engagements.item_not_found": "Diesen Eintrag gibt es nicht, oder Sie dürfen ihn nicht sehen.",
            "engagements.client_not_found":
                "Diese Person gehört nicht zu den Klientinnen und Klienten dieser Begleitung.",
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
        ])
}
