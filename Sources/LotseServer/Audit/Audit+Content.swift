import LotseAPI
import Vapor

extension SecurityEvent: Content {}
extension AuditEntry: Content {}
