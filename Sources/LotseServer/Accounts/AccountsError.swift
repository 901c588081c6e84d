import Vapor

/// Everything the accounts feature says no with.
enum AccountsError: AppError {
    case invalidCredentials
    case tooManyAttempts(retryAfter: Int)
    case emailUnverified
    case invalidEmail
    case invalidDisplayName
    case invalidLoginKey(field: String)
    case invalidKDF
    case roleNotAllowed
    case tokenInvalid
    case challengeInvalid
    case codeInvalid
    case twoFactorRequired
    case twoFactorMandatory
    case twoFactorNotEnabled
    case twoFactorAlreadyEnabled
    case twoFactorSetupMissing
    case sessionNotFound
    case accountNotFound
    case setupDone
    case setupTokenInvalid
    case lastAdmin

    var status: HTTPStatus {
        switch self {
        case .invalidCredentials, .challengeInvalid, .codeInvalid: .unauthorized
        case .tooManyAttempts: .tooManyRequests
        case .emailUnverified, .twoFactorRequired, .twoFactorMandatory, .roleNotAllowed, .setupTokenInvalid: .forbidden
        case .invalidEmail, .invalidDisplayName, .invalidLoginKey, .invalidKDF:
            .badRequest
        case .twoFactorNotEnabled, .twoFactorAlreadyEnabled, .twoFactorSetupMissing, .setupDone, .lastAdmin: .conflict
        case .sessionNotFound, .accountNotFound, .tokenInvalid: .notFound
        }
    }

    var code: String {
        switch self {
        case .invalidCredentials: "accounts.invalid_credentials"
        case .tooManyAttempts: "accounts.too_many_attempts"
        case .emailUnverified: "accounts.email_unverified"
        case .invalidEmail: "accounts.invalid_email"
        case .invalidDisplayName: "accounts.invalid_display_name"
        case .invalidLoginKey: "accounts.invalid_login_key"
        case .invalidKDF: "accounts.invalid_kdf"
        case .roleNotAllowed: "accounts.role_not_allowed"
        case .tokenInvalid: "accounts.token_invalid"
        case .challengeInvalid: "accounts.challenge_invalid"
        case .codeInvalid: "accounts.code_invalid"
        case .twoFactorRequired: "accounts.two_factor_required"
        case .twoFactorMandatory: "accounts.two_factor_mandatory"
        case .twoFactorNotEnabled: "accounts.two_factor_not_enabled"
        case .twoFactorAlreadyEnabled: "accounts.two_factor_already_enabled"
        case .twoFactorSetupMissing: "accounts.two_factor_setup_missing"
        case .sessionNotFound: "accounts.session_not_found"
        case .accountNotFound: "accounts.account_not_found"
        case .setupDone: "accounts.setup_done"
        case .setupTokenInvalid: "accounts.setup_token_invalid"
        case .lastAdmin: "accounts.last_admin"
        }
    }

    var field: String? {
        switch self {
        case .invalidEmail: "email"
        case .invalidDisplayName: "displayName"
        case .invalidLoginKey(let field): field
        case .invalidKDF: "kdf"
        case .roleNotAllowed: "role"
        case .codeInvalid: "code"
        default: nil
        }
    }

    var arguments: [String] {
        if case .tooManyAttempts(let seconds) = self { return [String(max(1, (seconds + 59) / 60))] }
        return []
    }

    var headers: HTTPHeaders {
        if case .tooManyAttempts(let seconds) = self { return ["Retry-After": String(seconds)] }
        return [:]
    }
}
