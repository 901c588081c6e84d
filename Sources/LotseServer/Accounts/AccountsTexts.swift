/// The accounts feature's sentences in German and English: its error messages and its mails (confirm the address, reset the password, …).
extension Texts {
    static let accounts = Texts(
        english: [
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
            "accounts.setup_token_invalid":
                "The setup token is not correct. Use the one the server printed at start-up.",
            "accounts.last_admin": "The last platform administrator cannot give up the role.",
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
        ],
        german: [
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
                "Sie können sich als Klientin, Klient oder als Coach registrieren; Administratorinnen und Administratoren werden ernannt.",
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
        ])
}
