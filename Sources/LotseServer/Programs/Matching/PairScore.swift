import Foundation
import LotseAPI

/// The score of a mentee–mentor pair from their registration answers (docs/programs.md, "Matching"): questions
/// asked of both sides and marked "must" exclude a pair without a shared answer; "weight" questions add their weight
/// times the share of overlapping answers; the sum is scaled to 0–100.
struct PairScore {
    let criteria: [RegistrationQuestion]
    let totalWeight: Int

    init(questions: [RegistrationQuestion], at time: Date) {
        criteria = questions.filter { $0.use != .none && $0.askedOf.count == 2 && $0.kind != .capacity }
        totalWeight = criteria.filter { $0.use == .weight }.reduce(0) { $0 + $1.weight }
        self.time = time
    }

    private let time: Date

    /// The score, or nil when a must criterion fails; with the points per weighted criterion.
    func score(mentee: [UUID: RegistrationAnswer], mentor: [UUID: RegistrationAnswer]) -> (Int, [CriterionPoints])? {
        var points = 0.0
        var reasons: [CriterionPoints] = []
        for question in criteria {
            let share = overlap(question, mentee[question.id], mentor[question.id])
            switch question.use {
            case .must:
                if share <= 0 { return nil }
            case .weight:
                let maximum = 100.0 * Double(question.weight) / Double(totalWeight)
                points += maximum * share
                reasons.append(
                    CriterionPoints(
                        questionId: question.id, label: question.label, points: Int((maximum * share).rounded()),
                        maxPoints: Int(maximum.rounded())))
            case .none:
                break
            }
        }
        return (totalWeight == 0 ? 100 : Int(points.rounded()), reasons)
    }

    /// How much two answers overlap, 0…1: equal single choices; shared options, languages or free slots over the
    /// smaller set; time zones by how many hours apart (three or more: nothing, which fails a "must").
    func overlap(_ question: RegistrationQuestion, _ a: RegistrationAnswer?, _ b: RegistrationAnswer?) -> Double {
        guard let a, let b else { return 0 }
        switch question.kind {
        case .single:
            return a.values.first != nil && a.values.first == b.values.first ? 1 : 0
        case .multiple, .topics, .languages:
            return Self.share(Set(a.values), Set(b.values))
        case .availability:
            return Self.share(Set(a.slots), Set(b.slots))
        case .timeZone:
            guard let first = a.values.first.flatMap(TimeZone.init(identifier:)),
                let second = b.values.first.flatMap(TimeZone.init(identifier:))
            else { return 0 }
            let hours = abs(first.secondsFromGMT(for: time) - second.secondsFromGMT(for: time)) / 3_600
            return max(0, 1 - Double(hours) / 3)
        case .capacity, .text:
            return 0
        }
    }

    static func share<T: Hashable>(_ a: Set<T>, _ b: Set<T>) -> Double {
        guard !a.isEmpty, !b.isEmpty else { return 0 }
        return Double(a.intersection(b).count) / Double(min(a.count, b.count))
    }
}
