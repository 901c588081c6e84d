import LotseAPI
import Vapor

// The wire types live in LotseAPI (Foundation only, shared with a future Swift SDK); here the scheduling feature's become HTTP
// content.
extension Availability: Content {}
extension SessionType: Content {}
extension FreeSlots: Content {}
extension Booking: Content {}
extension BookingSeries: Content {}
extension CalendarSettings: Content {}
extension CalendarFeed: Content {}
