import LotseAPI
import Vapor

// The notification center's wire types as HTTP content.
extension NotificationList: APIContent {}
extension NotificationSettings: APIContent {}
