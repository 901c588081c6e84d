import Foundation

/// What the privacy notice page fills in from this instance's configuration (docs/privacy.md, "Privacy notice"): who
/// is responsible, how to reach them, and how long the server keeps what.
public struct PrivacyNotice: Codable, Sendable, Equatable {
    /// The operator, as configured (`LOTSE_OPERATOR_NAME`); nil where nobody configured it yet.
    public var operatorName: String?
    /// Their postal address and mail, as they should read (`LOTSE_OPERATOR_CONTACT`).
    public var operatorContact: String?
    /// The data protection officer, if there is one (`LOTSE_DPO_CONTACT`).
    public var dataProtectionContact: String?
    /// How long the server keeps what, in days.
    public var retention: Retention

    /// Creates the value.
    public init(operatorName: String?, operatorContact: String?, dataProtectionContact: String?, retention: Retention) {
        self.operatorName = operatorName
        self.operatorContact = operatorContact
        self.dataProtectionContact = dataProtectionContact
        self.retention = retention
    }

    /// Periods in days.
    public struct Retention: Codable, Sendable, Equatable {
        /// A sign-up never confirmed is deleted after this many days.
        public var unconfirmedSignUp: Int
        /// A signed-in device unused this long is signed out, and its IP address and browser deleted.
        public var idleSession: Int
        /// A signed-in device is signed out after this many days however it is used.
        public var longestSession: Int
        /// An inquiry nobody answered is deleted after this many days without activity.
        public var abandonedInquiry: Int
        /// Everyone in it is told this many days before.
        public var inquiryNotice: Int
        /// An ended engagement is deleted this many days after its last activity, unless its coach chose otherwise.
        public var endedEngagement: Int

        /// Creates the value.
        public init(
            unconfirmedSignUp: Int, idleSession: Int, longestSession: Int, abandonedInquiry: Int, inquiryNotice: Int,
            endedEngagement: Int
        ) {
            self.endedEngagement = endedEngagement
            self.unconfirmedSignUp = unconfirmedSignUp
            self.idleSession = idleSession
            self.longestSession = longestSession
            self.abandonedInquiry = abandonedInquiry
            self.inquiryNotice = inquiryNotice
        }
    }
}
