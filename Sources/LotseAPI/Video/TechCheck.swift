import Foundation

/// How one part of the tech check went (docs/video.md, "Tech check").
public enum TechCheckOutcome: String, Codable, Sendable, CaseIterable {
    /// It works: the camera gave a picture, the microphone a sound, the person heard the test sound, the test call
    /// connected.
    case passed
    /// It was tried and did not work: a camera or microphone in use elsewhere, silence, a test sound not heard, a test
    /// call that did not connect.
    case failed
    /// The browser was not allowed to use the camera or microphone.
    case denied
    /// There is no such device.
    case missing
    /// The person left this part out.
    case skipped
}

/// How the test call of the tech check got through.
public enum TechCheckRoute: String, Codable, Sendable {
    /// Between the browser's own addresses, without a relay: the platform has no TURN server.
    case direct
    /// Through the platform's TURN server, as calls from behind any NAT or firewall will go.
    case relay
}

/// What the tech check page found, as the browser reports it.
public struct TechCheckReport: Codable, Sendable, Equatable {
    /// Whether the camera gave a moving picture.
    public var camera: TechCheckOutcome
    /// Whether the microphone picked up sound.
    public var microphone: TechCheckOutcome
    /// Whether the person heard the test sound.
    public var speaker: TechCheckOutcome
    /// Whether a test call through the platform's STUN and TURN servers connected and carried data.
    public var connection: TechCheckOutcome
    /// How the test call got through; only when it connected.
    public var route: TechCheckRoute?
    /// The test call's round trip, in milliseconds; only when it connected.
    public var roundTripMilliseconds: Int?

    /// Creates the value.
    public init(
        camera: TechCheckOutcome, microphone: TechCheckOutcome, speaker: TechCheckOutcome,
        connection: TechCheckOutcome, route: TechCheckRoute? = nil, roundTripMilliseconds: Int? = nil
    ) {
        self.camera = camera
        self.microphone = microphone
        self.speaker = speaker
        self.connection = connection
        self.route = route
        self.roundTripMilliseconds = roundTripMilliseconds
    }
}

/// Someone's latest tech check. A person sees their own; a coach sees their clients'.
public struct TechCheck: Codable, Sendable, Equatable {
    /// Whose check it is.
    public var userId: UUID
    /// What the browser found.
    public var report: TechCheckReport
    /// Camera, microphone, speaker and connection all passed.
    public var passed: Bool
    /// When the check was done.
    public var checkedAt: Date

    /// Creates the value; `passed` follows from the report.
    public init(userId: UUID, report: TechCheckReport, checkedAt: Date) {
        self.userId = userId
        self.report = report
        self.passed = [report.camera, report.microphone, report.speaker, report.connection].allSatisfy {
            $0 == .passed
        }
        self.checkedAt = checkedAt
    }
}
