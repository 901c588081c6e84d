import LotseAPI
import Vapor

extension SecurityEvent: Content {}
