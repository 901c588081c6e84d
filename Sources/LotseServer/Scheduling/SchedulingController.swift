import Fluent
import LotseAPI
import Vapor

/// Scheduling: the coach's `/availability` and `/session-types`, an engagement's bookable `/slots`, `/bookings`,
/// `/proposals`, `/series`, and `/calendar` settings and feed.
struct SchedulingController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("availability", use: availability)
        routes.put("availability", use: saveAvailability)
        routes.get("session-types", use: sessionTypes)
        routes.put("session-types", ":sessionTypeID", use: saveSessionType)
        let engagement = routes.grouped("engagements", ":engagementID")
        engagement.get("session-types", use: engagementSessionTypes)
        engagement.get("slots", use: slots)
        let bookings = routes.grouped("bookings")
        bookings.get(use: list)
        bookings.post(use: book)
        let one = bookings.grouped(":bookingID")
        one.get(use: show)
        one.get("calendar.ics", use: calendarFile)
        one.post("accept", use: accept)
        one.post("reschedule", use: reschedule)
        one.post("cancel", use: cancel)
        routes.post("proposals", use: propose)
        routes.post("series", use: createSeries)
        let calendar = routes.grouped("calendar")
        calendar.get("settings", use: settings)
        calendar.put("settings", use: saveSettings)
        calendar.post("feed", use: newFeed)
        calendar.delete("feed", use: revokeFeed)
    }

    /// The coach's availability (defaults until saved).
    @Sendable func availability(req: Request) async throws -> Availability {
        try await req.scheduling.availability(of: req.currentUser().user)
    }

    /// Replaces the coach's availability.
    @Sendable func saveAvailability(req: Request) async throws -> Availability {
        try await req.scheduling.saveAvailability(
            req.content.decode(UpdateAvailability.self), for: req.currentUser().user)
    }

    /// The coach's session types.
    @Sendable func sessionTypes(req: Request) async throws -> [SessionType] {
        try await req.scheduling.sessionTypes(of: req.currentUser().user)
    }

    /// Creates (201) or updates (200) a session type.
    @Sendable func saveSessionType(req: Request) async throws -> Response {
        let (type, isNew) = try await req.scheduling.saveSessionType(
            req.uuid("sessionTypeID"), req.content.decode(SaveSessionType.self), for: req.currentUser().user)
        return try await type.encodeResponse(status: isNew ? .created : .ok, for: req)
    }

    /// The session types the engagement's clients can book.
    @Sendable func engagementSessionTypes(req: Request) async throws -> [SessionType] {
        try await req.scheduling.sessionTypes(forEngagement: req.uuid("engagementID"), by: req.userID())
    }

    /// The free starts of `?sessionType=` for the engagement (`&moving=` a booking: its own time counts as free).
    @Sendable func slots(req: Request) async throws -> FreeSlots {
        guard let type = try req.uuid(query: "sessionType") else {
            throw RequestError.invalid(field: "sessionType", reason: "not a UUID")
        }
        return try await req.scheduling.freeSlots(
            forEngagement: req.uuid("engagementID"), sessionType: type, moving: req.uuid(query: "moving"),
            by: req.userID())
    }

    /// The account's bookings between `?from=` and `?to=` (RFC 3339), and open proposals.
    @Sendable func list(req: Request) async throws -> [Booking] {
        try await req.scheduling.bookings(of: req.userID(), from: req.date("from"), to: req.date("to"))
    }

    /// Books (201); a retry with the same ID answers 200 with the first booking.
    @Sendable func book(req: Request) async throws -> Response {
        let (booking, isNew) = try await req.scheduling.book(req.content.decode(CreateBooking.self), by: req.userID())
        return try await booking.encodeResponse(status: isNew ? .created : .ok, for: req)
    }

    /// One booking.
    @Sendable func show(req: Request) async throws -> Booking {
        try await req.scheduling.booking(req.uuid("bookingID"), for: req.userID())
    }

    /// One booking as an iCalendar file.
    @Sendable func calendarFile(req: Request) async throws -> Response {
        let text = try await req.scheduling.calendarFile(of: req.uuid("bookingID"), for: req.userID())
        return Self.calendarResponse(text, filename: "session.ics")
    }

    /// A client picks one of the proposed times.
    @Sendable func accept(req: Request) async throws -> Booking {
        try await req.scheduling.accept(req.uuid("bookingID"), req.content.decode(PickTime.self), by: req.userID())
    }

    /// Moves a session.
    @Sendable func reschedule(req: Request) async throws -> Booking {
        try await req.scheduling.reschedule(
            req.uuid("bookingID"), req.content.decode(PickTime.self), by: req.userID())
    }

    /// Calls off a session or a proposal.
    @Sendable func cancel(req: Request) async throws -> Booking {
        try await req.scheduling.cancel(req.uuid("bookingID"), by: req.userID())
    }

    /// The coach proposes times (201); a retry answers 200.
    @Sendable func propose(req: Request) async throws -> Response {
        let (booking, isNew) = try await req.scheduling.propose(
            req.content.decode(ProposeTimes.self), by: req.userID())
        return try await booking.encodeResponse(status: isNew ? .created : .ok, for: req)
    }

    /// A recurring series (201); a retry answers 200.
    @Sendable func createSeries(req: Request) async throws -> Response {
        let (series, isNew) = try await req.scheduling.createSeries(
            req.content.decode(CreateSeries.self), by: req.userID())
        return try await series.encodeResponse(status: isNew ? .created : .ok, for: req)
    }

    /// The account's calendar settings.
    @Sendable func settings(req: Request) async throws -> CalendarSettings {
        try await req.scheduling.settings(of: req.userID())
    }

    /// Saves time zone and reminder offsets.
    @Sendable func saveSettings(req: Request) async throws -> CalendarSettings {
        try await req.scheduling.saveSettings(req.content.decode(UpdateCalendarSettings.self), for: req.userID())
    }

    /// A new secret feed address (the old one stops working).
    @Sendable func newFeed(req: Request) async throws -> CalendarFeed {
        try await req.scheduling.newFeed(for: req.userID())
    }

    /// Turns the feed off.
    @Sendable func revokeFeed(req: Request) async throws -> HTTPStatus {
        try await req.scheduling.revokeFeed(for: req.userID())
        return .noContent
    }

    static func calendarResponse(_ text: String, filename: String) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "calendar", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(filename)\"")
        headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return Response(status: .ok, headers: headers, body: .init(string: text))
    }
}

/// The private calendar feed, `/calendar/{token}.ics`: outside the API, since calendar apps fetch it without a
/// session; the secret address is the credential.
struct CalendarFeedController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("calendar", ":file", use: feed)
    }

    /// The feed of the account the token belongs to.
    @Sendable func feed(req: Request) async throws -> Response {
        guard let file = req.parameters.get("file"), file.hasSuffix(".ics") else { throw RequestError.notFound }
        let text = try await req.scheduling.feed(token: String(file.dropLast(4)))
        return SchedulingController.calendarResponse(text, filename: "lotse.ics")
    }
}

extension Request {
    /// The scheduling rules, bound to this request's database.
    var scheduling: SchedulingService { application.make(on: db) }

    /// An optional UUID query parameter, or `request.invalid` naming it.
    func uuid(query name: String) throws -> UUID? {
        guard let text = query[String.self, at: name] else { return nil }
        guard let id = UUID(uuidString: text) else { throw RequestError.invalid(field: name, reason: "not a UUID") }
        return id
    }

    /// An optional RFC 3339 query parameter, or `request.invalid` naming it.
    func date(_ name: String) throws -> Date? {
        guard let text = query[String.self, at: name] else { return nil }
        guard let date = RFC3339.date(text) else {
            throw RequestError.invalid(field: name, reason: "not an RFC 3339 time such as 2026-12-08T09:00:00Z")
        }
        return date
    }
}
