import LotseAPI
import Vapor

// The wire types live in LotseAPI (Foundation only, shared with a future Swift SDK); here the accounts feature's become HTTP
// content.
extension Account: APIContent {}
extension AccountSummary: APIContent {}
extension KDFParameters: APIContent {}
extension LoginResult: APIContent {}
extension RecoveryCodes: APIContent {}
extension SessionSummary: APIContent {}
extension SetupStatus: APIContent {}
extension SignedInSession: APIContent {}
extension TwoFactorSetup: APIContent {}
