import Foundation

/// How a coach works with clients.
public enum SessionFormat: String, Codable, Sendable, CaseIterable {
    /// Video, chat and letters on Lotse.
    case online
    /// Meeting in person.
    case inPerson = "in_person"
}

/// A price in minor units (cents) of an ISO 4217 currency, per session, per hour or for the whole engagement.
public struct Price: Codable, Sendable, Equatable {
    /// What the amount is for.
    public enum Unit: String, Codable, Sendable {
        /// One session.
        case session
        /// One hour.
        case hour
        /// The whole engagement.
        case engagement
    }

    /// In minor units: 12000 is 120.00.
    public var amount: Int
    /// Three capital letters, e.g. `EUR`.
    public var currency: String
    /// What the amount is for.
    public var per: Unit

    /// Creates the value.
    public init(amount: Int, currency: String, per: Unit) {
        self.amount = amount
        self.currency = currency
        self.per = per
    }
}

/// A coach's public profile in the directory.
public struct DirectoryProfile: Codable, Sendable, Equatable {
    /// The coach's account ID; inquiries go to it.
    public var id: UUID
    /// The address part of the public page, `/coaches/{slug}`.
    public var slug: String
    /// The coach's name.
    public var displayName: String
    /// One line under the name.
    public var headline: String
    /// About the coach and how they work.
    public var bio: String
    /// What they coach on, e.g. "Leadership".
    public var topics: [String]
    /// ISO 639-1 codes of the languages they work in.
    public var languages: [String]
    /// Online, in person, or both.
    public var formats: [SessionFormat]
    /// Where in-person sessions take place (a city), if they offer them.
    public var location: String?
    /// What a session costs, if they publish it.
    public var rate: Price?
    /// The coach's IANA time zone, e.g. `Europe/Berlin`.
    public var timeZone: String
    /// Whether a photo is shown.
    public var hasPhoto: Bool
    /// Whether the profile is listed publicly.
    public var isPublished: Bool
    /// When it last changed.
    public var updatedAt: Date

    /// Creates the value.
    public init(
        id: UUID, slug: String, displayName: String, headline: String, bio: String, topics: [String],
        languages: [String], formats: [SessionFormat], location: String?, rate: Price?, timeZone: String,
        hasPhoto: Bool, isPublished: Bool, updatedAt: Date
    ) {
        self.id = id
        self.slug = slug
        self.displayName = displayName
        self.headline = headline
        self.bio = bio
        self.topics = topics
        self.languages = languages
        self.formats = formats
        self.location = location
        self.rate = rate
        self.timeZone = timeZone
        self.hasPhoto = hasPhoto
        self.isPublished = isPublished
        self.updatedAt = updatedAt
    }
}

/// Writes the signed-in coach's profile.
public struct SaveDirectoryProfile: Codable, Sendable, Equatable {
    /// Lower-case letters, digits and dashes, 3 to 60 characters; unique.
    public var slug: String
    /// Up to 140 characters.
    public var headline: String
    /// Up to 5000 characters.
    public var bio: String
    /// Up to 12 topics of up to 60 characters.
    public var topics: [String]
    /// ISO 639-1 codes.
    public var languages: [String]
    /// At least one.
    public var formats: [SessionFormat]
    /// Required when meeting in person.
    public var location: String?
    /// Optional.
    public var rate: Price?
    /// An IANA time zone.
    public var timeZone: String
    /// Whether the profile is listed publicly.
    public var isPublished: Bool

    /// Creates the request.
    public init(
        slug: String, headline: String, bio: String, topics: [String], languages: [String],
        formats: [SessionFormat], location: String? = nil, rate: Price? = nil, timeZone: String,
        isPublished: Bool
    ) {
        self.slug = slug
        self.headline = headline
        self.bio = bio
        self.topics = topics
        self.languages = languages
        self.formats = formats
        self.location = location
        self.rate = rate
        self.timeZone = timeZone
        self.isPublished = isPublished
    }
}

/// One page of directory search results, best matches first.
public struct DirectoryPage: Codable, Sendable, Equatable {
    /// The profiles on this page.
    public var profiles: [DirectoryProfile]
    /// How many profiles match in all.
    public var total: Int

    /// Creates the value.
    public init(profiles: [DirectoryProfile], total: Int) {
        self.profiles = profiles
        self.total = total
    }
}
