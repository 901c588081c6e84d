import LotseAPI
import Vapor

// The wire types live in LotseAPI (Foundation only, shared with a future Swift SDK); here the accounts feature's become HTTP
// content.
extension Account: Content {}
extension AccountSummary: Content {}
extension KDFParameters: Content {}
extension LoginResult: Content {}
extension RecoveryCodes: Content {}
extension SessionSummary: Content {}
extension SetupStatus: Content {}
extension SignedInSession: Content {}
extension TwoFactorSetup: Content {}
