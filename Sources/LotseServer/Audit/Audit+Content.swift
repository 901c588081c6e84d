import LotseAPI
import Vapor

extension SecurityEvent: APIContent {}
extension AuditEntry: APIContent {}
